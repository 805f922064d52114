"""The Plan tab: the development plan as a table with the framework's five columns.

Rows are added, edited, deleted and moved with keys on the table; editing opens
a form that shows each column's help text while you write in it. The
framework's extra agreement fields follow below the table.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from musterm.app import commands
from musterm.app.tabs.base import ConversationTab
from musterm.app.widgets.note_area import NoteArea
from musterm.model.framework import PLAN_COLUMN_KEYS
from musterm.model.kinds import competence_gap
from musterm.model.labels import PLAN_COLUMNS
from musterm.model.session import PlanRow, Session

MIN_CELL_WIDTH = 10


class PlanTable(DataTable):
    BINDINGS = commands.bindings(*commands.PLAN)
    TYPING_HINT = "Planen tager ikke tekst her: a tilføjer en aftale, enter redigerer den valgte."
    HELP = """\
## Udviklingsplan

Én aftale pr. linje. Når du skriver en aftale, står hver kolonnes vejledning
under feltet.
"""

    def __init__(self, tab: PlanTab, **kwargs) -> None:  # noqa: ANN003
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.tab = tab

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_row", "edit_row", "delete_row", "move_row") and (self.tab.read_only or not self.tab.keys):
            return False
        if action in ("edit_row", "delete_row", "move_row") and not self.tab.rows:
            return False
        return True

    def action_add_row(self) -> None:
        self.tab.edit_row(None)

    def action_edit_row(self) -> None:
        self.tab.edit_row(self.cursor_row)

    def action_delete_row(self) -> None:
        self.tab.delete_row(self.cursor_row)

    def action_move_row(self, step: int) -> None:
        self.tab.move_row(self.cursor_row, step)


class PlanTab(ConversationTab, VerticalScroll):
    @property
    def rows(self) -> list[PlanRow]:
        return self.conversation.session.plan.rows

    @property
    def read_only(self) -> bool:
        return self.conversation.read_only

    @property
    def keys(self) -> tuple[str, ...]:
        """The framework's columns (all five without it)."""
        framework = self.conversation.framework
        return framework.plan.column_keys if framework else PLAN_COLUMN_KEYS

    def compose(self) -> ComposeResult:
        plan = self.conversation.session.plan
        framework = self.conversation.framework
        title = framework.plan.title if framework else "Udviklingsplan"
        yield Static(title, classes="panel-title")
        if not self.read_only and self.keys:
            yield Static("a tilføjer en aftale · enter redigerer · del sletter · shift+↑/↓ flytter", classes="tab-hint")
        table = PlanTable(self, id="plan-table")
        table.display = bool(self.keys)
        yield table
        yield Static("", id="plan-row-detail", classes="description")
        if framework is not None and framework.plan.intro.strip():
            yield Static(framework.plan.intro.strip().replace("**", ""), classes="description plan-intro")
        for field in plan.fields:
            help_text = self._field_help(field.id)
            if help_text:
                yield Static(help_text, classes="helpers")
            yield NoteArea(field, "text", field.label, read_only=self.read_only, classes="notes plan-field")

    def _field_help(self, field_id: str) -> str:
        framework = self.conversation.framework
        if framework is None:
            return ""
        field = next((f for f in framework.plan.fields if f.id == field_id), None)
        return field.help if field else ""

    def on_mount(self) -> None:
        self._cell_width = 0
        self._fill_table()

    def on_resize(self) -> None:
        if self._wanted_cell_width() != self._cell_width:
            self._fill_table(cursor=self.query_one(PlanTable).cursor_row)

    def _wanted_cell_width(self) -> int:
        # Two cells of padding per column, the number column, the table's margins and a scrollbar.
        usable = self.size.width - 2 - 5 - 12 - 2
        return max(MIN_CELL_WIDTH, usable // max(1, len(self.keys)))

    def _fill_table(self, cursor: int | None = None) -> None:
        table = self.query_one(PlanTable)
        width = self._wanted_cell_width()
        if width != self._cell_width:
            self._cell_width = width
            headings = self.conversation.session.plan.headings
            table.clear(columns=True)
            table.add_column("Nr", width=3, key="id")
            for key in self.keys:
                table.add_column(column_heading(getattr(headings, key), PLAN_COLUMNS[key], width), width=width, key=key)
        table.clear()
        for number, row in enumerate(self.rows, start=1):
            table.add_row(str(number), *[_short(row.column(key), width) for key in self.keys], key=row.id)
        if cursor is not None and self.rows:
            table.move_cursor(row=max(0, min(cursor, len(self.rows) - 1)))
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        table = self.query_one(PlanTable)
        detail = self.query_one("#plan-row-detail", Static)
        if not self.keys:
            detail.update("")
            return
        if not self.rows or table.cursor_row >= len(self.rows):
            detail.update("Ingen aftaler endnu." + ("" if self.read_only else " Tryk a for at tilføje den første."))
            return
        row = self.rows[table.cursor_row]
        headings = self.conversation.session.plan.headings
        lines = [f"{getattr(headings, key)}: {row.column(key)}" for key in self.keys if row.column(key).strip()]
        competence = self.conversation.session.competence_of(row)
        if competence is not None:
            gap = competence_gap(competence.now, competence.wanted)
            lines.append(f"Kompetence: {competence.text}" + ("" if gap is None else f" (gab {gap:+d})"))
        detail.update("\n".join(lines))

    def focus_default(self) -> None:
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors_with_self:
            table = self.query_one(PlanTable)
            # Textual's own scroll on focus measures the tab before its first layout (it is built
            # when first shown) and so scrolled at random; scroll once the layout is done.
            table.focus(scroll_visible=False)
            self.call_after_refresh(table.scroll_visible, animate=False)

    # --- editing -----------------------------------------------------------------------------

    def edit_row(self, index: int | None) -> None:
        from musterm.app.screens.plan_row import PlanRowScreen
        from musterm.app.screens.saving import SavingScreen

        plan = self.conversation.session.plan
        existing = self.rows[index] if index is not None and index < len(self.rows) else None
        row = existing.model_copy() if existing else PlanRow(id=plan.next_row_id())
        framework = self.conversation.framework
        help_texts = {key: getattr(framework.plan.columns, key).help for key in PLAN_COLUMN_KEYS} if framework else {}
        competences = [(q.id, q.text) for q in self.conversation.session.competences()]

        saving = self.screen
        dialog: PlanRowScreen | None = None

        def into_snapshot(snapshot: Session) -> None:
            """The dialog's draft, in a copy of the session about to be saved, as the row it will become."""
            if dialog is None:
                return
            draft = dialog.draft()
            if existing is None:
                if not draft.empty:
                    snapshot.plan.rows.append(draft)
                return
            position = next((i for i, kept in enumerate(self.rows) if kept is existing), None)
            if position is not None:
                snapshot.plan.rows[position] = draft

        def done(edited: PlanRow | None) -> None:
            if isinstance(saving, SavingScreen):
                saving.drop_draft(dialog)
            if edited is None:
                return
            if existing is None:
                if edited.empty:
                    return
                self.rows.append(edited)
                position = len(self.rows) - 1
            else:
                position = self.rows.index(existing)
                self.rows[position] = edited
            self._fill_table(cursor=position)
            self.changed()

        on_change = saving.draft_changed if isinstance(saving, SavingScreen) else None
        dialog = PlanRowScreen(
            row, plan.headings, help_texts, is_new=existing is None, on_change=on_change, keys=self.keys,
            competences=competences,
        )
        if isinstance(saving, SavingScreen):
            saving.hold_draft(dialog, into_snapshot)
        self.app.push_screen(dialog, done)

    def delete_row(self, index: int) -> None:
        from musterm.app.screens.dialogs import Choice

        if index >= len(self.rows):
            return
        row = self.rows[index]

        def answered(answer: str | None) -> None:
            if answer == "delete" and row in self.rows:
                self.rows.remove(row)
                self._fill_table(cursor=index)
                self.changed()

        what = row.what.strip().splitlines()[0] if row.what.strip() else f"aftale {index + 1}"
        self.app.push_screen(
            Choice("Slet aftale?", f"Slet «{what}» fra planen?", [("delete", "Slet"), ("cancel", "Behold")]), answered
        )

    def move_row(self, index: int, step: int) -> None:
        target = index + step
        if not (0 <= index < len(self.rows) and 0 <= target < len(self.rows)):
            return
        self.rows[index], self.rows[target] = self.rows[target], self.rows[index]
        self._fill_table(cursor=target)
        self.changed()


def column_heading(heading: str, word: str, width: int) -> str:
    """The heading of a column in `width` cells, never cut in the middle: the framework's own heading
    if it fits, else its question ("Hvad skal udvikles?" of "Hvad skal udvikles? (Udviklingsinitiativ)"),
    else the plan's own word for the column ("Hvad?"). The row's detail below the table names the
    framework's whole heading."""
    flat = " ".join(heading.split())
    question = flat.partition("?")[0] + "?" if "?" in flat else ""
    for candidate in (flat, question, word):
        if candidate and len(candidate) <= width:
            return candidate
    return _short(word, width)


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
