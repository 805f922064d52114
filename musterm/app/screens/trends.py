"""An employee's scores over the years: a sparkline per question, and the table behind it."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from musterm.app import commands
from musterm.app.unused_keys import ExplainsUnusedKeys
from musterm.history.conversations import EmployeeHistory
from musterm.history.trends import score_table

LABEL_WIDTH = 34


class TrendsScreen(ExplainsUnusedKeys, Screen[None]):
    CSS_PATH = "trends.tcss"
    NO_TEXT_HERE = "Her skrives ikke: ↑/↓ vælger et spørgsmål, esc går tilbage."
    BINDINGS = commands.bindings(*commands.TRENDS_SCREEN)
    HELP = """\
## Udvikling over årene

Hver linje er et scoret spørgsmål: kurven viser den aftalte score pr. samtale
(højden er scoren på spørgsmålets egen skala), kolonnerne tallene, med
medarbejderens egen score i parentes. **↑/↓** vælger; detaljerne står nederst.
"""

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder = folder
        self.history: EmployeeHistory | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Udvikling: {self.folder}", id="trends-title")
        yield DataTable(id="trends-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="trends-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#trends-table").loading = True
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        history = EmployeeHistory.load(self.app.store, self.folder)
        self.app.call_from_thread(self._show, history)

    def _show(self, history: EmployeeHistory) -> None:
        self.history = history
        table = self.query_one("#trends-table", DataTable)
        table.loading = False
        person = history.employee
        self.query_one("#trends-title", Static).update(f"Udvikling: {person.name if person else self.folder}")
        scores = score_table(history)
        if not scores.rows:
            table.display = False
            self.query_one("#trends-detail", Static).update("Ingen scorede spørgsmål i medarbejderens samtaler endnu.")
            return
        table.add_column("Spørgsmål", width=LABEL_WIDTH, key="label")
        table.add_column("Kurve", key="spark")
        for column in scores.columns:
            table.add_column(column, key=f"c-{column}")
        for trend, cells in scores.rows:
            values = [_cell(point) for point in cells]
            table.add_row(_fit(trend.label), trend.sparkline(), *values, key=trend.question_id)
        table.focus()
        self._show_detail()

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        if self.history is None:
            return
        table = self.query_one("#trends-table", DataTable)
        trends = list(self.history.score_trends().values())
        if not trends or table.cursor_row >= len(trends):
            return
        trend = trends[table.cursor_row]
        lines = [f"{trend.label}  [{trend.theme_title}]"]
        for point in trend.points:
            own = f", egen {point.own_score}" if point.own_score is not None else ""
            agreed = "–" if point.score is None else str(point.score)
            lines.append(f"  {point.date.isoformat()}: {agreed} på {point.scale_text}{own}  ({point.framework_version})")
        self.query_one("#trends-detail", Static).update("\n".join(lines))

    def action_close(self) -> None:
        self.dismiss()


def _cell(point) -> str:  # noqa: ANN001 - musterm.history.conversations.TrendPoint | None
    if point is None:
        return ""
    text = "–" if point.score is None else str(point.score)
    return text + (f" ({point.own_score})" if point.own_score is not None else "")


def _fit(text: str) -> str:
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "…"
