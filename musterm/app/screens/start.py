"""The start screen: employees and their conversations, filtered as you type."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Markdown, Static

from musterm.app import commands
from musterm.app.palette import ScreenCommands
from musterm.app.screens.base import MustermScreen
from musterm.app.widgets.steady import SteadyInput
from musterm.locations import shown_path
from musterm.store.listing import Summary

EMPTY_STORE = """\
## Der er ingen samtaler endnu

musterm hjælper dig med at holde MUS-samtalen: forberedelse, scoring, noter,
udviklingsplan og afslutning, fane for fane. Alt gemmes løbende i en
git-mappe, som kun du kan læse.

1. Tryk **ctrl+n** for at starte en ny samtale.
2. Skriv medarbejderens navn, vælg kommunens ramme og dato.
3. Gå mellem fanerne med **F2–F6**. **F1** viser tasterne, hvor du står.

Samtalerne ligger i `{root}`.
"""


ROWS_AT_ONCE = 200
"""Rows added to the conversation table per refresh (about 20 ms of work)."""


class StartScreen(MustermScreen[None]):
    CSS_PATH = "start.tcss"
    COMMANDS = {ScreenCommands}
    COMMAND_LIST = commands.START
    BINDINGS = commands.bindings(*COMMAND_LIST)
    HELP = """\
## Start

Skriv for at søge blandt medarbejdere og samtaler; **↑/↓** vælger, og **enter**
åbner den valgte.
"""

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[Summary] = []
        self.shown: list[Summary] = []
        self._haystacks: list[str] = []
        self._filling = 0
        self._had_rows = False

    def compose(self) -> ComposeResult:
        yield Static(f"musterm · samtalerne ligger i {shown_path(self.app.store.root)}", id="start-title")
        yield SteadyInput(placeholder="Søg medarbejder, dato, ramme eller status …", id="filter")
        with Vertical(id="start-body"):
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=False)
            yield Markdown(EMPTY_STORE.format(root=shown_path(self.app.store.root)), id="empty")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("Medarbejder", "Dato", "Kl.", "Ramme", "Status")
        self.query_one("#empty").display = False
        self.query_one("#filter", Input).focus()
        # The listing is read when the screen is shown (on_screen_resume, also right after the
        # first push), not here as well: with thousands of conversations that is seconds of work.

    def on_screen_resume(self) -> None:
        # `musterm open` pushes a conversation on top at once: read the listing only when this
        # screen is on top, so it never competes with the conversation's start and typing.
        # (Not `is_current`: that is also true for the screen just below the top one.)
        if self.app.screen is self:
            self.refresh_sessions()

    @work(thread=True, exclusive=True, group="listing", exit_on_error=False)
    def refresh_sessions(self) -> None:
        summaries = self.app.store.summaries()
        self.app.call_from_thread(self._show_summaries, summaries)

    def _show_summaries(self, summaries: list[Summary]) -> None:
        self.summaries = summaries
        self._haystacks = [_haystack(summary) for summary in summaries]
        self.query_one("#empty").display = not summaries
        self.query_one("#sessions").display = bool(summaries)
        self._apply_filter(self.query_one("#filter", Input).value)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.action_open()

    def _apply_filter(self, text: str) -> None:
        words = text.casefold().split()
        self.shown = [s for s, hay in zip(self.summaries, self._haystacks, strict=True) if all(w in hay for w in words)]
        self.query_one("#sessions", DataTable).clear()
        self._filling += 1
        self._fill_table(self._filling, 0)
        if bool(self.shown) != self._had_rows:
            self._had_rows = bool(self.shown)
            self.refresh_bindings()  # open, read and trends need a conversation to act on

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "open_read_only", "trends"):
            return bool(self.shown)
        return True

    def _fill_table(self, filling: int, start: int) -> None:
        """Add the shown rows ROWS_AT_ONCE at a time, the rest after the next refresh: with ten
        years of conversations a keystroke in the filter never waits for thousands of rows."""
        if filling != self._filling:
            return  # the filter changed since: a newer table is being filled
        table = self.query_one("#sessions", DataTable)
        for summary in self.shown[start : start + ROWS_AT_ONCE]:
            status = summary.error or summary.status_label
            table.add_row(summary.employee, summary.date, summary.time, summary.framework, status, key=summary.path)
        if start + ROWS_AT_ONCE < len(self.shown):
            self.call_after_refresh(self._fill_table, filling, start + ROWS_AT_ONCE)

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#sessions", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""

    @on(DataTable.RowSelected, "#sessions")
    def _row_selected(self) -> None:
        self.action_open()

    def selected(self) -> Summary | None:
        table = self.query_one("#sessions", DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_open(self) -> None:
        summary = self.selected()
        if summary is not None:
            from musterm.app.opening import open_conversation

            open_conversation(self.app, summary.path)

    def action_open_read_only(self) -> None:
        summary = self.selected()
        if summary is not None:
            from musterm.app.opening import open_conversation

            open_conversation(self.app, summary.path, read_only=True)

    def action_new(self) -> None:
        from musterm.app.screens.new_conversation import NewConversationScreen

        self.app.push_screen(NewConversationScreen(self.summaries), self._created)

    def _created(self, relative: str | None) -> None:
        if relative:
            from musterm.app.opening import open_conversation

            self.refresh_sessions()
            open_conversation(self.app, relative)

    def action_trends(self) -> None:
        from musterm.app.screens.trends import TrendsScreen

        summary = self.selected()
        if summary is None:
            self.notify("Vælg først en medarbejder i listen.", timeout=3)
            return
        self.app.push_screen(TrendsScreen(summary.folder))


def _haystack(summary: Summary) -> str:
    return " ".join(
        (summary.employee, summary.folder, summary.number, summary.date, summary.framework, summary.status_label)
    ).casefold()
