"""The conversation: five tabs, a status line, and saving that never gets in the way.

Widgets edit the session in memory and tell the screen something changed; the
screen decides when to hand a snapshot to the autosaver (which writes and
commits in a worker thread) and shows the result in the status line.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, TabbedContent, TabPane, TextArea

from musterm.app.autosave import COMMIT, AutoSaver, SaveResult
from musterm.app.palette import ConversationCommands
from musterm.app.widgets.note_area import NoteArea
from musterm.app.widgets.status_line import StatusLine, format_elapsed
from musterm.model.framework import Framework
from musterm.model.session import Session, Status
from musterm.store.editlock import EditLock
from musterm.store.events import Event

TABS = ("forberedelse", "scoring", "noter", "plan", "afslutning")
TAB_TITLES = {
    "forberedelse": "F2 Forberedelse",
    "scoring": "F3 Scoring",
    "noter": "F4 Noter",
    "plan": "F5 Plan",
    "afslutning": "F6 Afslutning",
}
TICK_SECONDS = 0.25


@dataclass
class Conversation:
    """What the tabs share: the session being edited and what it was made from."""

    relative: str
    session: Session
    framework: Framework | None
    read_only: bool
    history: object | None = None


class Changed(Message):
    """Something in the session changed (posted by tab widgets)."""


class SaveReported(Message):
    def __init__(self, result: SaveResult) -> None:
        super().__init__()
        self.result = result


class ConversationScreen(Screen[None]):
    CSS_PATH = "conversation.tcss"
    COMMANDS = {ConversationCommands}
    BINDINGS = [
        Binding("f2", "show_tab('forberedelse')", "Forberedelse", show=False, priority=True, id="tab-forberedelse"),
        Binding("f3", "show_tab('scoring')", "Scoring", show=False, priority=True, id="tab-scoring"),
        Binding("f4", "show_tab('noter')", "Noter", show=False, priority=True, id="tab-noter"),
        Binding("f5", "show_tab('plan')", "Plan", show=False, priority=True, id="tab-plan"),
        Binding("f6", "show_tab('afslutning')", "Afslutning", show=False, priority=True, id="tab-afslutning"),
        Binding("ctrl+pagedown", "step_tab(1)", "Næste fane", show=False, priority=True, id="next-tab"),
        Binding("ctrl+pageup", "step_tab(-1)", "Forrige fane", show=False, priority=True, id="previous-tab"),
        Binding("f7,ctrl+up", "step_question(-1)", "Forrige spørgsmål", key_display="F7", show=False, id="previous-question"),
        Binding("f8,ctrl+down", "step_question(1)", "Næste spørgsmål", key_display="F8", show=False, id="next-question"),
        Binding("f9", "start_conversation", "Start", key_display="F9", id="start",
                tooltip="Samtalen begynder nu: tiden tæller"),
        Binding("f9", "close_conversation", "Afslut", key_display="F9", id="close",
                tooltip="Afslut og lås samtalen"),
        Binding("f9", "reopen", "Genåbn", key_display="F9", id="reopen", tooltip="Lås en afsluttet samtale op igen"),
        Binding("ctrl+s", "save_now", "Gem nu", show=False, id="save", tooltip="Gem og commit nu"),
        Binding("ctrl+l", "leave", "Oversigt", id="leave", tooltip="Gem og gå tilbage til oversigten"),
    ]
    HELP = """\
## Samtalen

**F2–F6** skifter fane (også **ctrl+pgup/pgdn**), **F7/F8** forrige/næste spørgsmål,
**F9** starter, afslutter eller genåbner samtalen, **ctrl+s** gemmer og committer nu,
**ctrl+l** lukker samtalen, **ctrl+p** søger efter spørgsmål og kommandoer.

Alt gemmes automatisk, når du holder en kort pause i skrivningen.
"""

    def __init__(
        self,
        conversation: Conversation,
        saver: AutoSaver | None,
        lock: EditLock | None,
    ) -> None:
        super().__init__()
        self.conversation = conversation
        self.saver = saver
        self.edit_lock = lock
        self.dirty_notes: set[NoteArea] = set()
        self._focus_claimed = False
        self._finished = False

    @property
    def session(self) -> Session:
        return self.conversation.session

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        from musterm.app.tabs.closing import ClosingTab
        from musterm.app.tabs.notes import NotesTab
        from musterm.app.tabs.plan import PlanTab
        from musterm.app.tabs.preparation import PreparationTab
        from musterm.app.tabs.scoring import ScoringTab

        session = self.session
        framework_name = self.conversation.framework.name if self.conversation.framework else session.framework.name
        yield StatusLine(session.employee.name, framework_name, self._status_text(), id="status-line")
        with TabbedContent(id="tabs"):
            for tab_id, widget_type in (
                ("forberedelse", PreparationTab),
                ("scoring", ScoringTab),
                ("noter", NotesTab),
                ("plan", PlanTab),
                ("afslutning", ClosingTab),
            ):
                with TabPane(TAB_TITLES[tab_id], id=tab_id):
                    yield widget_type(self.conversation, id=f"{tab_id}-tab")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # After the first paint: reading every earlier conversation would compete with it for the GIL.
        self.call_after_refresh(self.run_worker, self._load_history, thread=True, exit_on_error=False, group="history")
        if self.saver is not None:
            self.run_worker(self.saver.run, thread=True, exit_on_error=False, group="autosave", name="autosave")
            self.run_worker(self.saver.run_commits, thread=True, exit_on_error=False, group="autosave", name="autocommit")
        self.call_after_refresh(_focus_tab, self.query_one("#forberedelse-tab"))
        self.set_interval(TICK_SECONDS, self._tick)
        self.set_interval(10, self._update_elapsed)
        self._update_elapsed()
        status = self.query_one(StatusLine)
        if self.conversation.read_only:
            status.saved_state = "Skrivebeskyttet"
        else:
            status.saved_state = "Gemt"

    def _load_history(self) -> None:
        from musterm.history.conversations import EmployeeHistory

        folder = self.conversation.relative.split("/", 1)[0]
        history = EmployeeHistory.load(self.app.store, folder)
        self.app.call_from_thread(self._history_loaded, history)

    def _history_loaded(self, history) -> None:  # noqa: ANN001 - musterm.history.conversations.EmployeeHistory
        """Earlier conversations are read: show earlier scores beside today's."""
        self.conversation.history = history
        for row in self.query("ScoreRow"):
            row.earlier = history.earlier_scores_text(row.question.id, self.session.date, row.question.scale)
            row.refresh(layout=True)

    def _status_text(self) -> str:
        session = self.session
        text = session.status.label.capitalize()
        if self.conversation.read_only:
            text += " (kun læsning)"
        return text

    # --- tabs and questions ------------------------------------------------------------------

    def action_show_tab(self, tab_id: str, claim_focus: bool = False) -> None:
        """Switch tabs; the new tab focuses its usual field unless the caller `claim_focus`es."""
        tabs = self.query_one(TabbedContent)
        if tabs.active == tab_id:
            return
        self._focus_claimed = claim_focus
        # Hiding a focused widget makes Textual focus its neighbour in the same (hidden) pane,
        # which would switch right back; let the new tab choose its own focus instead.
        self.set_focus(None)
        tabs.active = tab_id

    def action_step_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        index = TABS.index(tabs.active) if tabs.active in TABS else 0
        self.action_show_tab(TABS[(index + step) % len(TABS)])

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.save_soon()
        focus_claimed, self._focus_claimed = self._focus_claimed, False
        pane = event.pane
        if pane is None:
            return
        for child in pane.children:
            if hasattr(child, "on_shown"):
                self.call_after_refresh(child.on_shown)
            if not focus_claimed:
                self.call_after_refresh(_focus_tab, child)

    def action_step_question(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        widget = self.query_one(f"#{tabs.active}-tab")
        if hasattr(widget, "step_question"):
            widget.step_question(step)
        else:
            self.notify("Skift spørgsmål under Scoring (F3) eller Noter (F4).", timeout=3)

    def jump_to(self, theme_id: str, question_id: str | None, private: bool = False) -> None:
        """Show a theme, question or the private notes in the Noter tab (used by the command palette)."""
        from musterm.app.tabs.notes import NotesTab

        self.action_show_tab("noter", claim_focus=True)
        self.query_one(NotesTab).select(theme_id, question_id, private=private)

    def palette_commands(self) -> list[tuple[str, str, object]]:
        from musterm.app.documents import document_commands

        return [
            ("Udvikling over årene", "Medarbejderens scorer pr. spørgsmål og år", self.show_trends),
            *document_commands(self),
            ("Gem og commit nu", "Skriv samtalen og commit den i git (ctrl+s)", self.action_save_now),
            ("Tilbage til oversigten", "Gem og luk samtalen (ctrl+l)", self.action_leave),
        ]

    def show_trends(self) -> None:
        from musterm.app.screens.trends import TrendsScreen

        self.app.push_screen(TrendsScreen(self.conversation.relative.split("/", 1)[0]))

    # --- status actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.session.status
        editable = not self.conversation.read_only
        if action == "start_conversation":
            return editable and status == Status.DRAFT
        if action == "close_conversation":
            return editable and status in (Status.HELD, Status.REOPENED)
        if action == "reopen":
            return self.saver is not None and status == Status.CLOSED
        if action == "save_now":
            return editable
        return True

    def action_start_conversation(self) -> None:
        self.session.status = Status.HELD
        self.session.started = dt.datetime.now().replace(microsecond=0)
        self._status_changed(Event.STARTED)
        self._update_elapsed()
        self.notify("Samtalen er startet. Tiden tæller i statuslinjen.", timeout=4)

    def action_close_conversation(self) -> None:
        from musterm.app.screens.dialogs import Choice

        open_mandatory = [q for _, q in self.session.unanswered() if q.mandatory]
        warning = f"\n\n{len(open_mandatory)} obligatoriske spørgsmål er ubesvarede." if open_mandatory else ""
        message = "Samtalen bliver skrivebeskyttet, indtil du genåbner den (F9)." + warning
        self.app.push_screen(
            Choice("Afslut samtalen?", message, [("close", "Afslut samtalen"), ("cancel", "Fortsæt samtalen")]),
            self._close_answered,
        )

    def _close_answered(self, answer: str | None) -> None:
        if answer != "close":
            return
        self.session.status = Status.CLOSED
        self.conversation.read_only = True
        self._status_changed(Event.CLOSED)
        self.run_worker(self._rebuild(), exclusive=True, group="rebuild")

    def action_reopen(self) -> None:
        self.session.status = Status.REOPENED
        self.conversation.read_only = False
        self._status_changed(Event.REOPENED)
        self.run_worker(self._rebuild(), exclusive=True, group="rebuild")

    def rebuild(self) -> None:
        """Show the session again from scratch (after it changed underneath the widgets)."""
        self.run_worker(self._rebuild(), exclusive=True, group="rebuild")

    async def _rebuild(self) -> None:
        """Rebuild the tabs for the new read-only state, staying on the same tab."""
        active = self.query_one(TabbedContent).active
        self.dirty_notes.clear()
        await self.recompose()
        self.query_one(TabbedContent).active = active
        self.query_one(StatusLine).saved_state = "Skrivebeskyttet" if self.conversation.read_only else "Gemt"
        self._update_elapsed()

    def _status_changed(self, event: Event) -> None:
        self.query_one(StatusLine).show_status(self._status_text())
        self.save_soon(commit=event)
        self.refresh_bindings()

    def action_save_now(self) -> None:
        self.save_soon(commit=Event.NOTES, requested=True)

    def action_leave(self) -> None:
        # Not final yet: staying after a failed save must keep the autosaver and the edit lock.
        result = self.flush(final=False)
        if loses_text(result):
            self._offer_to_stay(result, then=self.dismiss)
            return
        self._finish()
        self.dismiss()

    # --- saving ------------------------------------------------------------------------------

    @on(Changed)
    def _changed(self) -> None:
        self._touched()

    def on_score_row_score_changed(self, message) -> None:  # noqa: ANN001 - ScoreRow.ScoreChanged
        for row in self.query("ScoreRow"):
            if row.question is message.question:
                row.refresh()
        self._touched()

    @on(TextArea.Changed)
    def _note_typed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if isinstance(area, NoteArea) and not area.read_only:
            self.dirty_notes.add(area)
            self._touched()

    def _touched(self) -> None:
        if self.saver is None or self.conversation.read_only:
            return
        if not self.saver.dirty:
            self.query_one(StatusLine).show_unsaved()
        self.saver.touched(time.monotonic())

    def _tick(self) -> None:
        if self.saver is None:
            return
        now = time.monotonic()
        if self.saver.save_due(now):
            self.save_soon()
        elif self.saver.commit_due(now):
            self.save_soon(requested=True)

    def snapshot(self) -> Session:
        """Copy typed text into the session, and return a copy the worker may write."""
        for area in list(self.dirty_notes):
            area.sync()
        self.dirty_notes.clear()
        return self.session.model_copy(deep=True)

    def save_soon(self, commit: Event | None = None, requested: bool = False) -> None:
        if self.saver is None or (self.conversation.read_only and commit is None):
            return
        self.saver.submit(self.snapshot(), time.monotonic(), commit=commit, commit_requested=requested)

    def flush(self, final: bool) -> SaveResult | None:
        """Save and commit now, in this thread; on `final`, also stop saving and release the lock."""
        if self._finished or self.saver is None:
            return None
        result = self.saver.flush(self.snapshot())
        if final:
            self._finish()
        return result

    def _finish(self) -> None:
        self._finished = True
        if self.saver is not None:
            self.saver.stop()
        if self.edit_lock is not None:
            self.edit_lock.release()

    def on_unmount(self) -> None:
        if not self._finished:
            self.flush(final=True)

    def report(self, result: SaveResult) -> None:
        """Called from the worker thread."""
        self.post_message(SaveReported(result))

    @on(SaveReported)
    def _save_reported(self, message: SaveReported) -> None:
        result = message.result
        status = next(iter(self.query(StatusLine)), None)  # None while the tabs are rebuilt (close, reopen)
        if result.error:
            committing = result.stage == COMMIT
            if self.saver is not None and not committing:
                self.saver.note_failure(time.monotonic())
            if status is not None:
                status.show_failed("Gemt, ikke committet" if committing or result.saved_at else "IKKE GEMT")
            title = "Gemt, men ikke committet" if committing else "Kunne ikke gemme"
            self.notify(result.error, title=title, severity="error", timeout=15)
            if result.fatal:
                from musterm.app.screens.dialogs import Message as MessageDialog

                self.app.push_screen(MessageDialog("Samtalen er ændret et andet sted", result.error))
            return
        if status is None:
            return
        if result.stage == COMMIT:
            status.show_committed()
            return
        if result.saved_at is not None:
            status.show_saved(result.saved_at)
        elif self.saver is not None and not self.saver.dirty:
            status.show_nothing_to_save()

    def _offer_to_stay(self, result: SaveResult, then) -> None:  # noqa: ANN001
        from musterm.app.screens.dialogs import Choice

        def answered(answer: str | None) -> None:
            if answer == "leave":
                self._finish()
                then()

        self.app.push_screen(
            Choice(
                "Kunne ikke gemme",
                f"{result.error}\n\nTeksten er stadig her på skærmen. Hvis du lukker nu, går det ikke-gemte tabt.",
                [("stay", "Bliv og prøv igen"), ("leave", "Luk alligevel")],
                cancel="stay",
            ),
            answered,
        )

    def _update_elapsed(self) -> None:
        status = next(iter(self.query(StatusLine)), None)
        if status is None:  # the tabs are being rebuilt; _rebuild updates it afterwards
            return
        if self.session.started is not None and self.session.status != Status.CLOSED:
            status.elapsed = format_elapsed(self.session.started, dt.datetime.now())
        elif self.session.status == Status.DRAFT:
            status.elapsed = "ikke startet" if not self.conversation.read_only else ""
        else:
            status.elapsed = ""


def _focus_tab(container) -> None:  # noqa: ANN001 - a tab's widget
    """Give a tab its usual focus, unless another tab was chosen since this was asked for: keys
    typed ahead (F4 right after opening) are handled first, and focusing a field in a hidden
    tab would switch back to it."""
    pane = container.parent
    if isinstance(pane, TabPane) and container.screen.query_one(TabbedContent).active != pane.id:
        return
    getattr(container, "focus_default", partial(_focus_first_field, container))()


def _focus_first_field(container) -> None:  # noqa: ANN001 - a tab's widget
    """Give a newly shown tab the focus, unless something in it has it already."""
    focused = container.screen.focused
    if focused is not None and container in focused.ancestors_with_self:
        return
    for widget in container.query("*"):
        if widget.focusable and widget.display:
            widget.focus()
            return


def loses_text(result: SaveResult | None) -> bool:
    """Leaving now would lose typed text: the last save failed (a failed commit keeps it on disk,
    and the next start commits it)."""
    return result is not None and bool(result.error) and result.stage != COMMIT
