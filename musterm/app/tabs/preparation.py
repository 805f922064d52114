"""The Forberedelse tab: the guide's advice, the meeting, both parties' preparation, last year's plan."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Collapsible, Input, Select, Static

from musterm.app.messages import Changed
from musterm.app.tabs.base import ConversationTab
from musterm.app.textual_adapter import FoldedUntilOpened
from musterm.app.widgets.note_area import NoteArea
from musterm.app.widgets.steady import SteadyInput
from musterm.documents.guide import framework_named, source_of
from musterm.model.framework import Phase
from musterm.model.labels import PLAN_COLUMN_KEYS
from musterm.model.session import FollowUpRow, FollowUpStatus, Session

GUIDANCE_PHASES = (Phase.PURPOSE, Phase.PREPARATION, Phase.CONVERSATION, Phase.PLAN, Phase.FOLLOWUP)
STATUS_CHOICES = [(status.label, status.value) for status in FollowUpStatus]


class Guidance(FoldedUntilOpened):
    """One text of the framework's guidance, folded. Its Markdown, and the container Collapsible
    holds it in, are built the first time it is unfolded: rendering every text up front cost a
    fifth of the time to open a conversation."""

    def __init__(self, title: str, text: str) -> None:
        # With the class Collapsible gives itself when mounted folded: set then, it re-styles the
        # collapsible and everything in it once more before the first paint.
        super().__init__(title=title, collapsed=True, classes="-collapsed")
        self.text = text

    def on_collapsible_expanded(self, event: Collapsible.Expanded) -> None:
        if event.collapsible is not self or self.has_contents():
            return
        from textual.widgets import Markdown

        self.unfold_with(Markdown(self.text))


class FollowUpEditor(Vertical):
    """One row of the plan agreed last time: what it said, how it went, a comment."""

    def __init__(self, row: FollowUpRow, headings: dict[str, str], read_only: bool, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.row = row
        self.headings = headings
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        row = self.row
        lines = [f"{self.headings[key]} {getattr(row, key)}" for key in self.headings if getattr(row, key).strip()]
        yield Static("\n".join(lines) or "(tom aftale)", classes="followup-text")
        yield Select(
            STATUS_CHOICES,
            value=row.status.value if row.status else Select.NULL,
            prompt="Status: ikke vurderet",
            compact=True,
            disabled=self.read_only,
            classes="followup-status",
        )
        yield SteadyInput(row.comment, placeholder="Kommentar", compact=True, disabled=self.read_only, classes="followup-comment")

    # Both fields report their value once as they are built: that is no change (it would mark the
    # conversation unsaved, re-style the status line twice and save a session nobody touched).
    @on(Select.Changed)
    def _status_changed(self, event: Select.Changed) -> None:
        value = event.value
        status = None if value is Select.NULL else FollowUpStatus(str(value))
        if status == self.row.status:
            return
        self.row.status = status
        self.post_message(Changed())

    @on(Input.Changed)
    def _comment_changed(self, event: Input.Changed) -> None:
        if event.value == self.row.comment:
            return
        self.row.comment = event.value
        self.post_message(Changed())


class PreparationTab(ConversationTab, VerticalScroll):
    HELP = """\
## Forberedelse

Rammens vejledning (foldet sammen: **enter** folder ud), samtalens tid og sted,
medarbejderens og din egen forberedelse, og sidste års aftaler med status.
"""

    def compose(self) -> ComposeResult:
        session = self.conversation.session
        framework = self.conversation.framework
        read_only = self.conversation.read_only
        yield Static(_meeting_text(session, framework), classes="meeting")
        if framework is not None:
            for phase in GUIDANCE_PHASES:
                for guidance in framework.guidance_for(phase):
                    yield Guidance(guidance.title, guidance.text)
        yield Static("Medarbejderens forberedelse", classes="theme-heading")
        yield Static(_employee_preparation(session), classes="description")
        yield NoteArea(session.preparation, "manager_notes", "Din egen forberedelse (leder)", read_only=read_only,
                       id="manager-notes", classes="notes")
        yield Static("Opfølgning på sidste udviklingsplan", classes="theme-heading")
        if not session.followup:
            yield Static("Der er ingen plan fra en tidligere samtale.", classes="description")
        headings = {key: f"{getattr(session.plan.headings, key)}" for key in PLAN_COLUMN_KEYS}
        for index, row in enumerate(session.followup):
            yield FollowUpEditor(row, headings, read_only, id=f"followup-{index}", classes="followup")

    def focus_default(self) -> None:
        """Where the manager types: their own preparation, not the folded guidance above it."""
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors_with_self:
            self.query_one("#manager-notes", NoteArea).focus()


def _meeting_text(session: Session, framework) -> str:  # noqa: ANN001
    when = f"{session.date.isoformat()}" + (f" kl. {session.time:%H:%M}" if session.time else "")
    lines = [f"Samtale med {session.employee.name} · {when}" + (f" · {session.place}" if session.place else "")]
    lines.append(f"Leder: {session.manager.name} · Ramme: "
                 + framework_named(session.framework.name, session.framework.version, framework))
    if source_of(framework):
        lines.append(f"Kilde: {source_of(framework)}")
    deadline_days = framework.invitation.prep_deadline_days if framework and framework.invitation else None
    if deadline_days:
        deadline = session.date - dt.timedelta(days=deadline_days)
        lines.append(f"Forberedelsen afleveres senest {deadline.isoformat()} ({deadline_days} dage før).")
    return "\n".join(lines)


def _employee_preparation(session: Session) -> str:
    own = [(q.number or str(i), q.own_score) for i, (_, q) in enumerate(session.questions(), 1) if q.own_score is not None]
    notes = [q for _, q in session.questions() if q.employee_notes.strip()]
    if not own and not notes and not session.preparation.employee_notes.strip():
        return "Ingen forberedelse modtaget endnu (musterm prep-form / prep-import, eller ctrl+p »Forberedelse«)."
    lines = []
    if session.preparation.employee_submitted:
        lines.append(f"Modtaget {session.preparation.employee_submitted.isoformat()}.")
    if own:
        lines.append("Egne scorer: " + ", ".join(f"{number}: {score}" for number, score in own))
    if session.preparation.employee_notes.strip():
        lines.append(session.preparation.employee_notes.strip())
    for question in notes:
        lines.append(f"{question.number + '. ' if question.number else ''}{question.text}: {question.employee_notes.strip()}")
    return "\n".join(lines)
