"""The start screen: employees and their conversations, filtered as you type."""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, ProgressBar, Static

from musterm.app import commands
from musterm.app.palette import ScreenCommands
from musterm.app.screens.base import MustermScreen
from musterm.app.unused_keys import key_is_bound
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


PROGRESS_FROM = 200
"""A progress bar while the index reads at least this many files (a first start, a rebuild)."""
PAGE = 100
"""Rows read from the index at a time: the first page when the filter changes, the next when the
cursor comes near the end of what is loaded. The table never holds every conversation."""


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
        self.shown: list[Summary] = []
        """The rows loaded into the table, in its order."""
        self.matching = 0
        """How many conversations the filter matches (`shown` may hold only the first pages)."""
        self.loaded = False
        self._query = 0
        self._words: list[str] = []
        self._had_rows = False
        self.remote = ""
        """Where the repository stands against its remote ('' without one), as of the last listing."""
        self.left: set[str] = set()
        """Folders of employees who have left (musterm leave), marked in the list."""

    def compose(self) -> ComposeResult:
        yield Static(f"musterm · samtalerne ligger i {shown_path(self.app.store.root)}", id="start-title")
        # Not selected on focus: letters typed on the table are added to the filter (on_key).
        yield SteadyInput(placeholder="Søg medarbejder, dato, ramme eller status …", id="filter", select_on_focus=False)
        with Vertical(id="start-body"):
            yield ProgressBar(id="index-progress", show_eta=False)
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=False)
            # (#empty, the explanation for an archive without conversations: _show_explanation)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("Medarbejder", "Dato", "Kl.", "Ramme", "Status")
        self.query_one("#index-progress").display = False
        self.query_one("#filter", Input).focus()
        # The listing is read when the screen is shown (on_screen_resume, also right after the
        # first push), not here as well: with thousands of conversations that is seconds of work.

    def on_key(self, event: events.Key) -> None:
        """A letter typed on the table is part of the search: it goes to the filter, and so does the focus."""
        if not event.is_printable or not event.character or key_is_bound(self, event.key):
            return
        field = self.query_one("#filter", Input)
        if self.focused is field:
            return
        event.stop()
        event.prevent_default()
        field.value += event.character
        field.cursor_position = len(field.value)
        field.focus()

    def on_screen_resume(self) -> None:
        # `musterm open` pushes a conversation on top at once: read the listing only when this
        # screen is on top, so it never competes with the conversation's start and typing.
        # (Not `is_current`: that is also true for the screen just below the top one.)
        if self.app.screen is self:
            self.refresh_sessions()

    @work(thread=True, exclusive=True, group="listing", exit_on_error=False)
    def refresh_sessions(self) -> None:
        """Bring the index up to date (a first run reads every file: a progress bar shows it), then
        show the first page of what the filter matches."""
        self.app.store.refresh_index(lambda done, total: self.app.call_from_thread(self._progress, done, total))
        remote, left = self._lifecycle_state()
        self.app.call_from_thread(self._indexed, remote, left)

    def _lifecycle_state(self) -> tuple[str, set[str]]:
        """The remote's position (no network: as of the last sync) and who has left; in the worker."""
        from musterm.errors import MustermError
        from musterm.store.remote import position
        from musterm.store.retention import left_folders

        try:
            return position(self.app.store).describe(), left_folders(self.app.store.root)
        except (MustermError, OSError):
            return "", set()

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one("#index-progress", ProgressBar)
        if total >= PROGRESS_FROM:
            bar.display = done < total
            bar.update(total=total, progress=done)

    def _indexed(self, remote: str = "", left: set[str] | None = None) -> None:
        self.remote, self.left = remote, left or set()
        title = f"musterm · samtalerne ligger i {shown_path(self.app.store.root)}"
        self.query_one("#start-title", Static).update(f"{title} · fjernrepo: {remote}" if remote else title)
        self.refresh_bindings()
        self.loaded = True
        self.query_one("#index-progress").display = False
        self._apply_filter(self.query_one("#filter", Input).value)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self.loaded:
            self._apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.action_open()

    def _apply_filter(self, text: str) -> None:
        self._query += 1
        self._load_page(self._query, text.casefold().split(), 0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "open_read_only", "trends"):
            return bool(self.shown)
        if action == "sync":
            return bool(self.remote)
        return True

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def _load_page(self, query: int, words: list[str], offset: int) -> None:
        index = self.app.store.index
        rows = [Summary(*row) for row in index.listing(words, offset, PAGE)]
        total = index.count(words) if offset == 0 else None
        empty = offset == 0 and (total if not words else index.count()) == 0
        self.app.call_from_thread(self._show_page, query, words, offset, rows, total, empty)

    def _show_explanation(self, shown: bool) -> None:
        """What musterm is and how to begin, for an archive without conversations. Built the first
        time it is shown: most starts have conversations to list, and a Markdown widget (its parser,
        its nodes and their styles) would cost every one of them."""
        found = self.query("#empty")
        if found:
            found.first().display = shown
        elif shown:
            from textual.widgets import Markdown

            self.query_one("#start-body").mount(Markdown(EMPTY_STORE.format(root=shown_path(self.app.store.root)), id="empty"))

    def _show_page(
        self, query: int, words: list[str], offset: int, rows: list[Summary], total: int | None, empty: bool
    ) -> None:
        if query != self._query or offset != len(self.shown) and offset:
            return  # the filter changed since, or this page came already
        table = self.query_one("#sessions", DataTable)
        if offset == 0:
            table.clear()
            self.shown = []
            self.matching = total or 0
            self._show_explanation(empty)
            table.display = not empty
        self._words = words
        self.shown.extend(rows)
        for summary in rows:
            status = summary.error or summary.status_label
            employee = f"{summary.employee} (fratrådt)" if summary.folder in self.left else summary.employee
            table.add_row(employee, summary.date, summary.time, summary.framework, status, key=summary.path)
        if bool(self.shown) != self._had_rows:
            self._had_rows = bool(self.shown)
            self.refresh_bindings()  # open, read and trends need a conversation to act on

    @on(DataTable.RowHighlighted, "#sessions")
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        """The next page is read when the cursor is within half a page of the last loaded row."""
        if len(self.shown) < self.matching and event.cursor_row >= len(self.shown) - PAGE // 2:
            self._load_page(self._query, self._words, len(self.shown))

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

        employees = [Summary(*row) for row in self.app.store.index.latest_per_folder()]
        highlighted = self.selected()
        chosen = next((s for s in employees if highlighted and s.folder == highlighted.folder), None)
        self.app.push_screen(NewConversationScreen(employees, chosen), self._created)

    def _created(self, relative: str | None) -> None:
        if relative:
            from musterm.app.opening import open_conversation

            self.refresh_sessions()
            open_conversation(self.app, relative)

    def action_sync(self) -> None:
        self.notify("Synkroniserer med fjernrepoet …", timeout=3)
        self._sync()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync(self) -> None:
        """`musterm sync` in a worker: the network never holds up the screen."""
        from musterm.errors import MustermError
        from musterm.store.remote import sync

        try:
            text, severity = sync(self.app.store).describe(), "information"
        except MustermError as error:
            text, severity = str(error), "error"
        self.app.call_from_thread(self._synced, text, severity)

    def _synced(self, text: str, severity: str) -> None:
        self.notify(text, severity=severity, timeout=12 if severity == "error" else 6)
        self.refresh_sessions()

    def action_trends(self) -> None:
        from musterm.app.screens.trends import TrendsScreen

        summary = self.selected()
        if summary is None:
            self.notify("Vælg først en medarbejder i listen.", timeout=3)
            return
        self.app.push_screen(TrendsScreen(summary.folder))

