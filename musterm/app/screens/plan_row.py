"""Editing one row of the development plan, with the column's help text in view."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

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
    HELP = "## Aftale i planen\n\n**tab** går til næste kolonne, **ctrl+s** gemmer aftalen, **esc** fortryder."

    def __init__(self, row: PlanRow, headings: PlanHeadings, help_texts: dict[str, str], is_new: bool) -> None:
        super().__init__()
        self.row = row
        self.headings = headings
        self.help_texts = help_texts
        self.is_new = is_new

    def compose(self) -> ComposeResult:
        with Vertical(id="row-dialog"):
            yield Static("Ny aftale" if self.is_new else "Redigér aftale", id="row-title")
            with VerticalScroll(id="row-fields"):
                for key in PLAN_COLUMN_KEYS:
                    yield ColumnArea(key, self.row.column(key), getattr(self.headings, key))
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

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        values = {area.key: area.text for area in self.query(ColumnArea)}
        self.dismiss(PlanRow(id=self.row.id, status=self.row.status, **values))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
