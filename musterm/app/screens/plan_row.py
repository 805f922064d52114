"""Editing one row of the development plan, with the column's help text in view.

What is typed here is a draft of the row: the conversation puts it into every save (see
`SavingScreen.hold_draft`), so a pause, a quit or a dropped connection keeps it like any other
text. Esc closes an untouched dialog at once; once something is typed it asks first.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Select, Static, TextArea

from musterm.app import commands
from musterm.app.unused_keys import ExplainsUnusedKeys
from musterm.app.widgets.steady import SteadyTextArea
from musterm.model.framework import PLAN_COLUMN_KEYS
from musterm.model.session import PlanHeadings, PlanRow


class ColumnArea(SteadyTextArea):
    def __init__(self, key: str, text: str, heading: str) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", id=f"column-{key}")
        self.key = key
        self.border_title = heading


class PlanRowScreen(ExplainsUnusedKeys, ModalScreen[PlanRow | None]):
    CSS_PATH = "plan_row.tcss"
    NO_TEXT_HERE = "Knapperne tager ikke tekst: shift+tab går tilbage til felterne."
    BINDINGS = commands.bindings(*commands.PLAN_ROW)
    HELP = (
        "## Aftale i planen\n\n**tab** går til næste kolonne, **ctrl+s** gemmer aftalen, **esc** lukker "
        "(har du skrevet noget, spørger musterm først). Det, du skriver, gemmes løbende med samtalen."
    )

    def __init__(
        self,
        row: PlanRow,
        headings: PlanHeadings,
        help_texts: dict[str, str],
        is_new: bool,
        on_change: Callable[[], None] | None = None,
        keys: tuple[str, ...] = PLAN_COLUMN_KEYS,
        competences: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__()
        self.row = row
        self.headings = headings
        self.help_texts = help_texts
        self.is_new = is_new
        self._on_change = on_change
        self._last_draft = row.model_copy()
        self.keys = keys
        """The framework's columns; the others keep what the row holds."""
        self.competences = competences or []
        """(id, text) of the conversation's competences, which a row may point to."""

    def compose(self) -> ComposeResult:
        with Vertical(id="row-dialog"):
            yield Static("Ny aftale" if self.is_new else "Redigér aftale", id="row-title")
            with VerticalScroll(id="row-fields"):
                for key in self.keys:
                    yield ColumnArea(key, self.row.column(key), getattr(self.headings, key))
                if self.competences:
                    yield Select(
                        [(text, question_id) for question_id, text in self.competences],
                        value=self.row.competence if self.row.competence in dict(self.competences) else Select.NULL,
                        prompt="Kompetence: ingen", compact=True, id="row-competence",
                    )
            yield Static("", id="row-help")
            with Horizontal(id="row-buttons"):
                yield Button("Gem (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Fortryd (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(ColumnArea).focus()

    def on_descendant_focus(self, event) -> None:  # noqa: ANN001
        widget = event.widget
        if isinstance(widget, ColumnArea):
            help_text = self.help_texts.get(widget.key, "")
            self.query_one("#row-help", Static).update(help_text or f"{widget.border_title}")

    def draft(self) -> PlanRow:
        """The row as the dialog shows it now (before its fields are there, or after they have gone:
        as it last showed it)."""
        areas = list(self.query(ColumnArea))
        if areas and len(areas) == len(self.keys):
            values = {key: self.row.column(key) for key in PLAN_COLUMN_KEYS}  # the columns not shown keep theirs
            values |= {area.key: area.text if area.text.strip() else "" for area in areas}
            competence = self.row.competence
            for chosen in self.query("#row-competence").results(Select):
                competence = "" if chosen.value is Select.NULL else str(chosen.value)
            self._last_draft = PlanRow(id=self.row.id, status=self.row.status, competence=competence, **values)
        return self._last_draft.model_copy()

    @property
    def touched(self) -> bool:
        """Something typed differs from the row the dialog was opened with."""
        draft = self.draft()
        changed = any(draft.column(key) != self.row.column(key) for key in PLAN_COLUMN_KEYS)
        return changed or draft.competence != self.row.competence

    @on(TextArea.Changed)
    @on(Select.Changed)
    def _typed(self, event: TextArea.Changed | Select.Changed) -> None:
        if self._on_change is not None:
            self._on_change()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.draft())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close; typed text is only thrown away when the manager says so."""
        if not self.touched:
            self.dismiss(None)
            return
        from musterm.app.screens.dialogs import Choice

        if self.is_new:
            message = "Du har skrevet i aftalen. Skal den med i planen?"
            answers = [("save", "Gem aftalen"), ("discard", "Kassér det skrevne"), ("stay", "Skriv videre")]
        else:
            message = "Du har ændret aftalen. Skal ændringerne gemmes?"
            answers = [("save", "Gem ændringerne"), ("discard", "Kassér ændringerne"), ("stay", "Skriv videre")]

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.action_save()
            elif answer == "discard":
                self.dismiss(None)

        self.app.push_screen(Choice("Gem aftalen?", message, answers, cancel="stay"), answered)
