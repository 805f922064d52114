"""The score table of an employee's conversations (for `musterm history` and the app's trend table)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from musterm.history.conversations import (
    Conversation,
    EmployeeHistory,
    QuestionTrend,
    TrendPoint,
    format_counts,
)

# --- the score table (for `musterm history` and the app's trend table) --------------------------


@dataclass(frozen=True)
class ScoreTable:
    columns: tuple[str, ...]
    """One per conversation with at least one scored question: the year, or the date when a year has two."""
    rows: tuple[tuple[QuestionTrend, tuple[TrendPoint | None, ...]], ...]
    """Per question, the point of each column (None: not asked in that conversation)."""


def score_table(history: EmployeeHistory) -> ScoreTable:
    trends = history.score_trends()
    paths = sorted({point.path for trend in trends.values() for point in trend.points})
    dates = {path: session.date for path, session in history.sessions}
    paths.sort(key=lambda path: (dates[path], path))
    years = Counter(dates[path].year for path in paths)
    columns = tuple(str(dates[p].year) if years[dates[p].year] == 1 else dates[p].strftime("%y-%m-%d") for p in paths)
    rows = []
    for trend in trends.values():
        by_path = {point.path: point for point in trend.points}
        rows.append((trend, tuple(by_path.get(path) for path in paths)))
    return ScoreTable(columns, tuple(rows))


def format_history(history: EmployeeHistory, width: int = 80) -> str:
    """The text of `musterm history`: the conversations, then the agreed scores by year."""
    person = history.employee
    number = f", nr. {person.number}" if person and person.number else ""
    lines = [f"{person.name if person else history.folder}{number}  [{history.folder}]"]
    conversations = history.conversations
    lines += ["", f"Samtaler ({len(conversations)})"]
    frameworks = [f"{c.framework_id} {c.framework_version}" for c in conversations]
    framework_width = max((len(text) for text in frameworks), default=0)
    for conversation, framework in zip(conversations, frameworks, strict=True):
        lines.append(
            f"  {conversation.date.isoformat()}  {framework:<{framework_width}}  {conversation.status_label:<9}  "
            f"{_plan_summary(conversation)}"
        )
        if conversation.followup_counts:
            lines.append(f"  {'':10}  opfølgning på sidste plan: {format_counts(conversation.followup_counts)}")
    table = score_table(history)
    if table.rows:
        lines += ["", "Scorer pr. år (aftalt score; medarbejderens egen i parentes)"]
        lines += _score_table_lines(table, width)
    for path, message in history.damaged:
        lines += ["", f"Sprunget over (kan ikke læses): {path}", f"  {message}"]
    return "\n".join(lines) + "\n"


def _plan_summary(conversation: Conversation) -> str:
    count = conversation.plan_rows
    if not count:
        return "ingen aftaler"
    noun = "aftale" if count == 1 else "aftaler"
    return f"{count} {noun}: {format_counts(conversation.plan_outcomes)}"


CELL_WIDTH = 7  # "10 (10)"
SCALE_WIDTH = 5  # "0–10 "
MIN_LABEL_WIDTH = 28
MAX_LABEL_WIDTH = 56


def _score_table_lines(table: ScoreTable, width: int) -> list[str]:
    """Question, its (latest) scale, then one column per conversation; the newest that fit."""
    fit = max(1, (width - 2 - MIN_LABEL_WIDTH - SCALE_WIDTH) // CELL_WIDTH)
    shown = list(range(len(table.columns)))[-fit:]
    longest = max(len(trend.label) for trend, _ in table.rows) + 1
    label_width = max(MIN_LABEL_WIDTH, min(longest, MAX_LABEL_WIDTH, width - 2 - SCALE_WIDTH - CELL_WIDTH * len(shown)))
    lines = []
    if len(shown) < len(table.columns):
        lines.append(f"  (de {len(shown)} seneste af {len(table.columns)} samtaler)")
    header = "  " + f"{'Spørgsmål':<{label_width}}" + f"{'Skala':<{SCALE_WIDTH}}"
    lines.append((header + "".join(f"{table.columns[i]:>{CELL_WIDTH}}" for i in shown)).rstrip())
    footnotes = []
    for trend, cells in table.rows:
        latest = trend.points[-1]
        row = "  " + _fit(trend.label, label_width) + f"{latest.scale_text:<{SCALE_WIDTH}}"
        other_scales: dict[str, list[str]] = {}
        for i in shown:
            point = cells[i]
            if point is None:
                row += " " * CELL_WIDTH
                continue
            text = "–" if point.score is None else str(point.score)
            if point.own_score is not None:
                text += f" ({point.own_score})"
            if (point.scale_min, point.scale_max) != (latest.scale_min, latest.scale_max):
                text += "*"
                other_scales.setdefault(point.scale_text, []).append(table.columns[i])
            row += f"{text:>{CELL_WIDTH}}"
        lines.append(row.rstrip())
        for scale, columns in other_scales.items():
            footnotes.append(f"  * {_fit(trend.label, 40).rstrip()}: {', '.join(columns)} på skala {scale}")
    return lines + footnotes


def _fit(text: str, width: int) -> str:
    return f"{text:<{width}}" if len(text) < width else text[: width - 2] + "… "
