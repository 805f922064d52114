"""The Afslutning tab: follow-up date, evaluation, what is still open, sign-off, closing."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from musterm.app.tabs.base import ConversationTab
from musterm.app.widgets.note_area import NoteArea
from musterm.app.widgets.steady import SteadyInput
from musterm.app.widgets.toggles import Checkbox
from musterm.model.session import Status


DEFAULT_SIGNATURES = ("Dato", "Leder", "Medarbejder")


def signature_lines(framework) -> list[tuple[str, str]]:  # noqa: ANN001
    """The framework's signature lines but the date, each with whose it is: leader, employee or another's."""
    labels = framework.closing.signatures if framework is not None else DEFAULT_SIGNATURES
    lines = []
    for label in labels:
        key = label.casefold()
        if key == "dato":
            continue
        lines.append((label, "leader" if key.startswith("leder") else "employee" if key.startswith("medarbejder") else "other"))
    return lines


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
        signers = signature_lines(framework)
        if not signers:
            return
        yield Static("Underskrifter", classes="theme-heading")
        for label, who in signers:
            if who == "leader":
                yield Checkbox(self._signed_label(label, closing.leader_signed), closing.leader_signed is not None,
                               id="leader-signed", name=label, disabled=read_only, compact=True)
            elif who == "employee":
                yield Checkbox(self._signed_label(label, closing.employee_signed), closing.employee_signed is not None,
                               id="employee-signed", name=label, disabled=read_only, compact=True)
            else:
                yield Static(f"{label}: underskrives på det udskrevne dokument", classes="description")

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
        open_themes = self.conversation.session.open_mandatory_themes()
        theme_lines = [f" ! {theme.title}  [obligatorisk tema uden noter]" for theme in open_themes]
        if not open_questions:
            text = "\n".join(["Obligatoriske temaer, der mangler:", *theme_lines]) if open_themes else "Alle spørgsmål er besvaret."
        else:
            lines = [f"Ubesvaret ({len(open_questions) + len(open_themes)}):", *theme_lines]
            for theme, question in open_questions[:12]:
                mark = "!" if question.mandatory else "·"
                number = f"{question.number}. " if question.number else ""
                lines.append(f" {mark} {number}{question.text}  [{theme.title}]")
            if len(open_questions) > 12:
                lines.append(f"   … og {len(open_questions) - 12} flere")
            text = "\n".join(lines)
        self.query_one("#unanswered", Static).update(Text(text))  # "[Tema]" is text, not markup

    @on(Input.Changed, "#followup-date")
    def _followup_date_changed(self, event: Input.Changed) -> None:
        """A date is saved as typed; text that is no date stays in the field, with a message, and
        the file keeps the last date that was one (emptying the field removes it)."""
        error = self.query_one("#followup-date-error", Static)
        closing = self.conversation.session.closing
        text = event.value.strip()
        if not text:
            date = None
        else:
            try:
                date = dt.date.fromisoformat(text)
            except ValueError:
                kept = f"I filen står stadig {closing.followup_date.isoformat()}." if closing.followup_date else (
                    "Der er ingen dato i filen.")
                error.update(f"«{text}» er ikke en dato: skriv den som ÅÅÅÅ-MM-DD, fx 2027-03-01. {kept}")
                return
        error.update("")
        if date == closing.followup_date:  # the field shown (mounted) with the session's own date
            return
        closing.followup_date = date
        self.changed()

    def _date_that_is_no_date(self) -> str:
        """The follow-up date field's text when it is no date, else ""."""
        text = self.query_one("#followup-date", Input).value.strip()
        if not text:
            return ""
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return text
        return ""

    def closing_problem(self) -> str:
        """Why the conversation cannot be closed yet ("" when it can): a follow-up date that is no date."""
        text = self._date_that_is_no_date()
        if not text:
            return ""
        return (f"Samtalen er ikke afsluttet: opfølgningsdatoen «{text}» er ikke en dato. "
                "Ret den (ÅÅÅÅ-MM-DD) eller slet den, og tryk F9 igen.")

    def unsaved_text(self) -> str:
        """What is typed here that no save can keep ("" when there is none), and what the file holds instead."""
        text = self._date_that_is_no_date()
        if not text:
            return ""
        saved = self.conversation.session.closing.followup_date
        kept = f"i filen står {saved.isoformat()}" if saved else "der er ingen dato i filen"
        return f"Opfølgningsdatoen «{text}» er ikke en dato, så den kan ikke gemmes; {kept}."

    def focus_problem(self) -> None:
        self.query_one("#followup-date", Input).focus()

    @on(Checkbox.Changed)
    def _signed(self, event: Checkbox.Changed) -> None:
        closing = self.conversation.session.closing
        attribute = {"leader-signed": "leader_signed", "employee-signed": "employee_signed"}[event.checkbox.id or ""]
        date = dt.date.today() if event.value else None
        setattr(closing, attribute, date)
        event.checkbox.label = self._signed_label(event.checkbox.name or "", date)
        self.changed()
