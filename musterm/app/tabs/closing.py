"""The Afslutning tab: follow-up date, evaluation, what is still open, sign-off, closing."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Static

from musterm.app.tabs.base import ConversationTab
from musterm.app.widgets.note_area import NoteArea
from musterm.app.widgets.steady import SteadyInput
from musterm.model.session import Status


class ClosingTab(ConversationTab, VerticalScroll):
    HELP = """\
## Afslutning

Aftal en opfølgningsdato, evaluér samtalen, se hvad der mangler, og lad leder og
medarbejder underskrive (**mellemrum** sætter kryds med dagens dato).
**F9** afslutter samtalen; den bliver skrivebeskyttet, indtil den genåbnes.
"""

    def compose(self) -> ComposeResult:
        session = self.conversation.session
        closing = session.closing
        read_only = self.conversation.read_only
        framework = self.conversation.framework
        yield Static(self._status_text(), id="closing-status", classes="notice")
        with Horizontal(classes="field-row"):
            yield Label("Opfølgningsdato", classes="field-label")
            value = closing.followup_date.isoformat() if closing.followup_date else ""
            yield SteadyInput(value, placeholder="ÅÅÅÅ-MM-DD", id="followup-date", compact=True, disabled=read_only)
        yield Static("", id="followup-date-error", classes="error")
        prompt = framework.closing.evaluation if framework and framework.closing.evaluation else ""
        if prompt:
            yield Static(prompt, classes="helpers")
        yield NoteArea(closing, "evaluation", "Evaluering af samtalen", read_only=read_only, classes="notes")
        yield Static("", id="unanswered", classes="description")
        yield Static("Underskrifter", classes="theme-heading")
        yield Checkbox(self._signed_label("Leder", closing.leader_signed), closing.leader_signed is not None,
                       id="leader-signed", disabled=read_only, compact=True)
        yield Checkbox(self._signed_label("Medarbejder", closing.employee_signed), closing.employee_signed is not None,
                       id="employee-signed", disabled=read_only, compact=True)

    def on_mount(self) -> None:
        self.refresh_unanswered()

    def on_shown(self) -> None:
        self.refresh_unanswered()
        self.query_one("#closing-status", Static).update(self._status_text())

    def _status_text(self) -> str:
        session = self.conversation.session
        if session.status == Status.CLOSED:
            return "Samtalen er afsluttet og skrivebeskyttet. F9 genåbner den."
        if session.status == Status.DRAFT:
            return "Samtalen er ikke startet endnu (F9 starter den)."
        return "Når I er færdige: F9 afslutter samtalen og gør den skrivebeskyttet."

    @staticmethod
    def _signed_label(who: str, date: dt.date | None) -> str:
        return f"{who} har underskrevet" + (f" ({date.isoformat()})" if date else "")

    def refresh_unanswered(self) -> None:
        open_questions = self.conversation.session.unanswered()
        if not open_questions:
            text = "Alle spørgsmål er besvaret."
        else:
            lines = [f"Ubesvaret ({len(open_questions)}):"]
            for theme, question in open_questions[:12]:
                mark = "!" if question.mandatory else "·"
                number = f"{question.number}. " if question.number else ""
                lines.append(f" {mark} {number}{question.text}  [{theme.title}]")
            if len(open_questions) > 12:
                lines.append(f"   … og {len(open_questions) - 12} flere")
            text = "\n".join(lines)
        self.query_one("#unanswered", Static).update(text)

    @on(Input.Changed, "#followup-date")
    def _followup_date_changed(self, event: Input.Changed) -> None:
        error = self.query_one("#followup-date-error", Static)
        text = event.value.strip()
        try:
            date = dt.date.fromisoformat(text) if text else None
        except ValueError:
            error.update("Skriv datoen som ÅÅÅÅ-MM-DD, fx 2027-03-01.")
            return
        error.update("")
        closing = self.conversation.session.closing
        if date == closing.followup_date:  # the field shown (mounted) with the session's own date
            return
        closing.followup_date = date
        self.changed()

    @on(Checkbox.Changed)
    def _signed(self, event: Checkbox.Changed) -> None:
        closing = self.conversation.session.closing
        attribute, who = {"leader-signed": ("leader_signed", "Leder"), "employee-signed": ("employee_signed", "Medarbejder")}[
            event.checkbox.id or ""
        ]
        date = dt.date.today() if event.value else None
        setattr(closing, attribute, date)
        event.checkbox.label = self._signed_label(who, date)
        self.changed()
