"""An employee's conversations over the years: trends, earlier notes, diffs, search and the git log.

UI-independent (no Textual): the app's history views and the `history`, `diff`,
`search` and `log` commands are built on this module.

Session files are read directly from disk, never through `Store.load`: that
method records the file's digest for the store's "changed on disk" check, and a
history view must not make an open conversation forget what it last read.
Nothing here starts a git process per file; `log_entries` asks git once.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from musterm import names
from musterm import session as session_format
from musterm.errors import FileError, MustermError
from musterm.framework import PLAN_COLUMN_KEYS, QuestionKind
from musterm.labels import STATUS_LABELS, YES_NO
from musterm.session import FollowUpStatus, PlanHeadings, QuestionRecord, Session, ThemeRecord
from musterm.store import EVENT_LABELS, EVENT_TRAILER, Event, Store, summarize

NOT_ASSESSED = "ikke vurderet"
PRIVATE_NOTES = "Private noter (kun for lederen)"
FOLLOWUP_SECTION = "Opfølgning på sidste udviklingsplan"
PLAN_SECTION = "Udviklingsplan"
DEFAULT_HEADINGS = PlanHeadings()


# --- reading an employee's conversations -------------------------------------------------------


def session_files(root: Path, folder: str) -> list[str]:
    """The conversation files of one employee folder, by name (that is, by date)."""
    try:
        entries = list(os.scandir(root / folder))
    except FileNotFoundError:
        return []
    return sorted(entry.name for entry in entries if _is_session_file(entry.name) and entry.is_file())


def read_sessions(store: Store, folder: str) -> tuple[list[tuple[str, Session]], list[tuple[str, str]]]:
    """(path, session) oldest first, and (path, message) for files that cannot be read."""
    sessions: list[tuple[str, Session]] = []
    damaged: list[tuple[str, str]] = []
    for name in session_files(store.root, folder):
        relative = f"{folder}/{name}"
        file = store.root / relative
        try:
            sessions.append((relative, session_format.load_bytes(file.read_bytes(), file)))
        except FileError as error:
            damaged.append((relative, str(error)))
        except OSError as error:
            damaged.append((relative, f"{file}: kan ikke læses: {error.strerror}"))
    sessions.sort(key=lambda pair: (pair[1].date, pair[0]))
    return sessions, damaged


def resolve_employee(store: Store, who: str) -> str:
    """The employee's folder by folder name or by name, read from the folders themselves (fast, even
    with thousands of conversations); otherwise by number or the like via the store's listing."""
    candidate = who.strip().strip("/")
    if candidate and "/" not in candidate and not candidate.startswith(".") and (store.root / candidate).is_dir():
        return candidate
    by_name = _folder_by_name(store.root, who)
    return by_name or store.employee_folder(who)


def _folder_by_name(root: Path, who: str) -> str | None:
    """The one folder named after `who` (musterm names folders 'name' or 'name-number') whose
    newest conversation has that employee name."""
    wanted = who.strip().casefold()
    base = names.employee_folder(who)
    if not wanted or not base:
        return None
    found = []
    for folder in _employee_folders(root):
        if folder != base and not folder.startswith(base + "-"):
            continue
        files = session_files(root, folder)
        if files and summarize(root, f"{folder}/{files[-1]}").employee.casefold() == wanted:
            found.append(folder)
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class Conversation:
    """One conversation as the history lists it."""

    path: str
    date: dt.date
    framework_id: str
    framework_name: str
    framework_version: str
    status: str
    plan_rows: int
    plan_outcomes: dict[FollowUpStatus | None, int]
    """How this conversation's plan rows went: the status set when a later conversation followed
    them up, else the status on the row itself; None means not assessed (yet)."""
    followup_counts: dict[FollowUpStatus | None, int]
    """The statuses this conversation gave the earlier plan's rows it followed up."""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class TrendPoint:
    date: dt.date
    path: str
    score: int | None
    own_score: int | None
    scale_min: int
    scale_max: int
    framework_version: str

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def scale_text(self) -> str:
        return f"{self.scale_min}–{self.scale_max}"

    @property
    def fraction(self) -> float | None:
        """The agreed score as 0.0–1.0 of its own scale, for charts across scale changes."""
        if self.score is None or self.scale_max == self.scale_min:
            return None
        return (self.score - self.scale_min) / (self.scale_max - self.scale_min)


@dataclass(frozen=True)
class QuestionTrend:
    question_id: str
    number: str
    text: str
    theme_id: str
    theme_title: str
    points: tuple[TrendPoint, ...]
    """Oldest first; one per conversation that asked the question as a scored question."""

    @property
    def label(self) -> str:
        return _question_label(self.number, self.text)

    @property
    def scored(self) -> list[TrendPoint]:
        return [point for point in self.points if point.score is not None]

    def sparkline(self) -> str:
        """One block per conversation, height by the score's place on its own scale; '·' unscored."""
        return "".join(
            "·" if point.fraction is None else SPARK_BLOCKS[round(point.fraction * (len(SPARK_BLOCKS) - 1))]
            for point in self.points
        )


SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class QuestionNotes:
    question_id: str
    label: str
    notes: str
    employee_notes: str


@dataclass(frozen=True)
class EarlierNotes:
    """A theme's notes from an earlier conversation, for the read-only view beside today's notes."""

    date: dt.date
    path: str
    theme_title: str
    notes: str
    employee_notes: str
    questions: tuple[QuestionNotes, ...]

    def text(self) -> str:
        """Plain text of everything noted, headed by the date."""
        lines = [f"{self.date.isoformat()} – {self.theme_title}"]
        if self.notes.strip():
            lines += ["Noter:", *_indented(self.notes)]
        if self.employee_notes.strip():
            lines += ["Medarbejderens noter:", *_indented(self.employee_notes)]
        for question in self.questions:
            lines.append(question.label)
            if question.notes.strip():
                lines += ["  Noter:", *_indented(question.notes, "    ")]
            if question.employee_notes.strip():
                lines += ["  Medarbejderens noter:", *_indented(question.employee_notes, "    ")]
        return "\n".join(lines)


class EmployeeHistory:
    """All readable conversations of one employee, oldest first, and what they add up to.

    Read once (`load`, or `of` by name), then ask: `conversations`, `score_trends()`,
    `earlier_scores(question_id, before)` / `earlier_scores_text(...)` for the scores beside a
    question, `earlier_theme_notes(theme_id, before)` for the read-only earlier notes, and
    `score_table(history)` for a table by year. Files that cannot be read are in `damaged`.
    Nothing is written and no git process is started.
    """

    def __init__(
        self,
        folder: str,
        sessions: Sequence[tuple[str, Session]],
        damaged: Sequence[tuple[str, str]] = (),
    ):
        self.folder = folder
        self.sessions = sorted(sessions, key=lambda pair: (pair[1].date, pair[0]))
        self.damaged = list(damaged)
        self._trends: dict[str, QuestionTrend] | None = None

    @classmethod
    def load(cls, store: Store, folder: str) -> EmployeeHistory:
        sessions, damaged = read_sessions(store, folder)
        return cls(folder, sessions, damaged)

    @classmethod
    def of(cls, store: Store, who: str) -> EmployeeHistory:
        """By folder name, employee name or number."""
        return cls.load(store, resolve_employee(store, who))

    @property
    def employee(self) -> session_format.Person | None:
        return self.sessions[-1][1].employee if self.sessions else None

    @cached_property
    def conversations(self) -> list[Conversation]:
        """Each conversation with its plan's outcome and the follow-up it did, oldest first."""
        later_followups: dict[tuple[dt.date, str], FollowUpStatus | None] = {}
        for _, session in self.sessions:
            for row in session.followup:
                if row.status is not None or (row.session, row.row) not in later_followups:
                    later_followups[(row.session, row.row)] = row.status
        result = []
        for path, session in self.sessions:
            rows = [row for row in session.plan.rows if not row.empty]
            outcomes = Counter(later_followups.get((session.date, row.id)) or row.status for row in rows)
            result.append(
                Conversation(
                    path=path,
                    date=session.date,
                    framework_id=session.framework.id,
                    framework_name=session.framework.name,
                    framework_version=session.framework.version,
                    status=session.status.value,
                    plan_rows=len(rows),
                    plan_outcomes=_ordered_counts(outcomes),
                    followup_counts=_ordered_counts(Counter(row.status for row in session.followup)),
                )
            )
        return result

    def score_trends(self) -> dict[str, QuestionTrend]:
        """Every scored question by id, in the order of the newest conversation that asked it."""
        if self._trends is None:
            self._trends = _score_trends(self.sessions)
        return self._trends

    def earlier_scores(self, question_id: str, before: dt.date) -> list[TrendPoint]:
        """The agreed scores of this question in conversations before `before`, oldest first."""
        trend = self.score_trends().get(question_id)
        if trend is None:
            return []
        return [point for point in trend.points if point.date < before and point.score is not None]

    def earlier_scores_text(
        self, question_id: str, before: dt.date, scale: session_format.ScaleSnapshot | None = None
    ) -> str:
        """'2024: 4 · 2025: 5'; a score on another scale than `scale` shows its scale: '2023: 3 (1–5)'."""
        return format_earlier_scores(self.earlier_scores(question_id, before), scale)

    def earlier_theme_notes(self, theme_id: str, before: dt.date) -> list[EarlierNotes]:
        """The theme's notes (and its questions' notes) from conversations before `before`, oldest first.

        Conversations where the theme was asked but nothing was noted are left out.
        """
        found = []
        for path, session in self.sessions:
            if session.date >= before:
                continue
            theme = session.theme(theme_id)
            if theme is None:
                continue
            questions = tuple(
                QuestionNotes(q.id, _question_label(q.number, q.text), q.notes, q.employee_notes)
                for q in theme.questions
                if q.notes.strip() or q.employee_notes.strip()
            )
            if not (theme.notes.strip() or theme.employee_notes.strip() or questions):
                continue
            found.append(
                EarlierNotes(session.date, path, _one_line(theme.title), theme.notes, theme.employee_notes, questions)
            )
        return found


def _score_trends(sessions: Sequence[tuple[str, Session]]) -> dict[str, QuestionTrend]:
    points: dict[str, list[TrendPoint]] = {}
    latest: dict[str, tuple[ThemeRecord, QuestionRecord]] = {}
    order: list[str] = []
    for path, session in reversed(sessions):
        for theme, question in session.questions():
            if question.kind != QuestionKind.SCORE or question.scale is None:
                continue
            if question.id not in latest:
                latest[question.id] = (theme, question)
                order.append(question.id)
            points.setdefault(question.id, []).append(
                TrendPoint(
                    date=session.date,
                    path=path,
                    score=question.score,
                    own_score=question.own_score,
                    scale_min=question.scale.min,
                    scale_max=question.scale.max,
                    framework_version=session.framework.version,
                )
            )
    trends = {}
    for question_id in order:
        theme, question = latest[question_id]
        trends[question_id] = QuestionTrend(
            question_id=question_id,
            number=question.number,
            text=_one_line(question.text),
            theme_id=theme.id,
            theme_title=_one_line(theme.title),
            points=tuple(reversed(points[question_id])),
        )
    return trends


def format_earlier_scores(points: Iterable[TrendPoint], scale: session_format.ScaleSnapshot | None = None) -> str:
    parts = []
    years = Counter(point.year for point in points)
    for point in points:
        when = str(point.year) if years[point.year] == 1 else point.date.isoformat()
        text = f"{when}: {point.score}"
        if scale is not None and (scale.min, scale.max) != (point.scale_min, point.scale_max):
            text += f" ({point.scale_text})"
        parts.append(text)
    return " · ".join(parts)


def _ordered_counts(counts: Counter) -> dict[FollowUpStatus | None, int]:
    order = [*FollowUpStatus, None]
    return {status: counts[status] for status in order if counts.get(status)}


def format_counts(counts: dict[FollowUpStatus | None, int]) -> str:
    """'1 gennemført, 2 i gang, 1 ikke vurderet'."""
    return ", ".join(f"{count} {status.label if status else NOT_ASSESSED}" for status, count in counts.items())


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


# --- comparing two conversations ----------------------------------------------------------------


ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    """One difference between two conversations.

    `section` is where it is (a theme's title, "Udviklingsplan", ...), `subject` what in it (a
    question, "Aftale 2"; "" for the section itself), `field` which part ("Score", "Noter"; ""
    when the subject as a whole was added or removed). `lines` is a compact unified diff
    ("- old", "+ new", "  context", "…") for longer text.
    """

    section: str
    subject: str
    field: str
    kind: str
    before: str = ""
    after: str = ""
    lines: tuple[str, ...] = ()


def diff_sessions(a: Session, b: Session) -> list[Change]:
    """What changed from conversation `a` to conversation `b`, question by question (matched by id)."""
    changes: list[Change] = []
    changes += _header_changes(a, b)
    changes += _text_changes("Forberedelse", "", [
        ("Lederens forberedelse", a.preparation.manager_notes, b.preparation.manager_notes),
        ("Medarbejderens noter", a.preparation.employee_notes, b.preparation.employee_notes),
    ])
    changes += _followup_changes(a, b)
    changes += _theme_changes(a, b)
    changes += _plan_changes(a, b)
    changes += _closing_changes(a, b)
    changes += _text_changes(PRIVATE_NOTES, "", [("Noter", a.private.notes, b.private.notes)])
    return changes


def _header_changes(a: Session, b: Session) -> list[Change]:
    section = "Samtalen"
    changes = []
    pairs = [
        ("Dato", a.date.isoformat(), b.date.isoformat()),
        ("Status", a.status.label, b.status.label),
        ("Ramme", _framework_text(a), _framework_text(b)),
        ("Sted", a.place, b.place),
        ("Leder", a.manager.name, b.manager.name),
    ]
    for name, before, after in pairs:
        if before != after:
            changes.append(Change(section, "", name, CHANGED, before, after))
    return changes


def _theme_changes(a: Session, b: Session) -> list[Change]:
    changes: list[Change] = []
    a_themes = {theme.id: theme for theme in a.themes}
    b_themes = {theme.id: theme for theme in b.themes}
    a_questions = {q.id: (theme, q) for theme, q in a.questions()}
    b_question_ids = {q.id for _, q in b.questions()}
    for theme in b.themes:
        section = _one_line(theme.title)
        before = a_themes.get(theme.id)
        if before is None:
            changes.append(Change(section, "", "", ADDED))
        elif _one_line(before.title) != section:
            changes.append(Change(section, "", "Titel", CHANGED, _one_line(before.title), section))
        changes += _text_changes(section, "", [
            ("Noter", before.notes if before else "", theme.notes),
            ("Medarbejderens noter", before.employee_notes if before else "", theme.employee_notes),
        ])
        for question in theme.questions:
            earlier = a_questions.get(question.id)
            if earlier is None:
                changes.append(Change(section, _question_label(question.number, question.text), "", ADDED))
                changes += _question_changes(section, None, question)
            else:
                changes += _question_changes(section, earlier[1], question)
        # Questions of this theme in `a` that `b` no longer asks anywhere.
        if before is not None:
            for question in before.questions:
                if question.id not in b_question_ids:
                    changes += _removed_question(section, question)
    for theme in a.themes:
        if theme.id in b_themes:
            continue
        section = _one_line(theme.title)
        changes.append(Change(section, "", "", REMOVED))
        changes += _text_changes(section, "", [
            ("Noter", theme.notes, ""),
            ("Medarbejderens noter", theme.employee_notes, ""),
        ])
        for question in theme.questions:
            if question.id not in b_question_ids:
                changes += _removed_question(section, question)
    return changes


def _removed_question(section: str, question: QuestionRecord) -> list[Change]:
    return [
        Change(section, _question_label(question.number, question.text), "", REMOVED),
        *_question_changes(section, question, None),
    ]


def _question_changes(section: str, a: QuestionRecord | None, b: QuestionRecord | None) -> list[Change]:
    """Changes of one question; with one side None, the other side's answers as added or removed."""
    shown = b if b is not None else a
    assert shown is not None
    subject = _question_label(shown.number, shown.text)
    changes: list[Change] = []
    if a is not None and b is not None:
        if _one_line(a.text) != _one_line(b.text):
            changes.append(Change(section, subject, "Spørgsmål", CHANGED, _one_line(a.text), _one_line(b.text)))
        if _scale_text(a) != _scale_text(b):
            changes.append(Change(section, subject, "Skala", CHANGED, _scale_text(a), _scale_text(b)))
    both = a is not None and b is not None
    for name, before, after in (
        ("Score", _value(a, "score"), _value(b, "score")),
        ("Egen score", _value(a, "own_score"), _value(b, "own_score")),
        ("Valgt", _choice(a), _choice(b)),
        ("Svar", _answer(a), _answer(b)),
    ):
        if before == after:
            continue
        if both:
            changes.append(Change(section, subject, name, CHANGED, before or "–", after or "–"))
        else:
            changes.append(Change(section, subject, name, ADDED if b is not None else REMOVED, before, after))
    changes += _text_changes(section, subject, [
        ("Punkter", _items(a), _items(b)),
        ("Noter", a.notes if a else "", b.notes if b else ""),
        ("Medarbejderens noter", a.employee_notes if a else "", b.employee_notes if b else ""),
    ])
    return changes


def _followup_changes(a: Session, b: Session) -> list[Change]:
    """Follow-up rows matched by (conversation, row); rows of another year's plan are not 'removed'."""
    changes: list[Change] = []
    a_rows = {(row.session, row.row): row for row in a.followup}
    b_rows = {(row.session, row.row): row for row in b.followup}
    b_sessions = {row.session for row in b.followup}
    for key, row in b_rows.items():
        subject = f"Aftale {row.row} fra {row.session.isoformat()}"
        earlier = a_rows.get(key)
        status = row.status.label if row.status else NOT_ASSESSED
        if earlier is None:
            # The agreement itself stands in the earlier plan: name it, and say how it went.
            changes.append(Change(FOLLOWUP_SECTION, subject, "Status", ADDED, "", status))
            changes += _text_changes(FOLLOWUP_SECTION, subject, [
                (_heading(DEFAULT_HEADINGS, "what"), "", row.what),
                ("Kommentar", "", row.comment),
            ])
            continue
        before = earlier.status.label if earlier.status else NOT_ASSESSED
        if before != status:
            changes.append(Change(FOLLOWUP_SECTION, subject, "Status", CHANGED, before, status))
        changes += _text_changes(FOLLOWUP_SECTION, subject, [
            *((_heading(DEFAULT_HEADINGS, c), getattr(earlier, c), getattr(row, c)) for c in PLAN_COLUMN_KEYS),
            ("Kommentar", earlier.comment, row.comment),
        ])
    for key, row in a_rows.items():
        if key not in b_rows and row.session in b_sessions:
            changes.append(Change(FOLLOWUP_SECTION, f"Aftale {row.row} fra {row.session.isoformat()}", "", REMOVED))
    return changes


def _plan_changes(a: Session, b: Session) -> list[Change]:
    changes: list[Change] = []
    headings = b.plan.headings
    a_rows = {row.id: row for row in a.plan.rows if not row.empty}
    b_rows = {row.id: row for row in b.plan.rows if not row.empty}
    for row_id, row in b_rows.items():
        subject = f"Aftale {row_id}"
        earlier = a_rows.get(row_id)
        if earlier is None:
            changes.append(Change(PLAN_SECTION, subject, "", ADDED))
        pairs = [(_heading(headings, c), earlier.column(c) if earlier else "", row.column(c)) for c in PLAN_COLUMN_KEYS]
        changes += _text_changes(PLAN_SECTION, subject, pairs)
        before = earlier.status.label if earlier and earlier.status else ""
        after = row.status.label if row.status else ""
        if before != after and earlier is None:
            changes.append(Change(PLAN_SECTION, subject, "Status", ADDED, "", after))
        elif before != after:
            changes.append(Change(PLAN_SECTION, subject, "Status", CHANGED, before or "–", after or "–"))
    for row_id, row in a_rows.items():
        if row_id not in b_rows:
            changes.append(Change(PLAN_SECTION, f"Aftale {row_id}", "", REMOVED, before=_one_line(row.what)))
    a_fields = {f.id: f for f in a.plan.fields}
    for plan_field in b.plan.fields:
        earlier_text = a_fields[plan_field.id].text if plan_field.id in a_fields else ""
        changes += _text_changes(PLAN_SECTION, _one_line(plan_field.label), [("Tekst", earlier_text, plan_field.text)])
    b_field_ids = {f.id for f in b.plan.fields}
    for plan_field in a.plan.fields:
        if plan_field.id not in b_field_ids:
            changes += _text_changes(PLAN_SECTION, _one_line(plan_field.label), [("Tekst", plan_field.text, "")])
    return changes


def _closing_changes(a: Session, b: Session) -> list[Change]:
    section = "Afslutning"
    changes = _text_changes(section, "", [("Evaluering af samtalen", a.closing.evaluation, b.closing.evaluation)])
    for name, before, after in (
        ("Opfølgning aftalt", a.closing.followup_date, b.closing.followup_date),
        ("Underskrevet af leder", a.closing.leader_signed, b.closing.leader_signed),
        ("Underskrevet af medarbejder", a.closing.employee_signed, b.closing.employee_signed),
    ):
        if before != after:
            changes.append(Change(section, "", name, CHANGED, _date(before) or "–", _date(after) or "–"))
    return changes


SHORT_TEXT = 60


def _text_changes(section: str, subject: str, pairs: Iterable[tuple[str, str, str]]) -> list[Change]:
    changes = []
    for name, before, after in pairs:
        before, after = before.strip("\n"), after.strip("\n")
        if before.strip() == after.strip():
            continue
        kind = ADDED if not before.strip() else REMOVED if not after.strip() else CHANGED
        short = "\n" not in before + after and len(before) <= SHORT_TEXT and len(after) <= SHORT_TEXT
        lines = () if short or kind != CHANGED else _unified(before, after)
        changes.append(Change(section, subject, name, kind, before, after, lines))
    return changes


def _unified(before: str, after: str) -> tuple[str, ...]:
    """A compact line diff: changed lines with one line of context, '…' between distant hunks."""
    lines: list[str] = []
    for line in difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if lines:
                lines.append("…")
            continue
        lines.append(f"{line[0]} {line[1:]}".rstrip() if line[0] in "+-" else f"  {line[1:]}".rstrip())
    return tuple(lines)


def format_diff(changes: Sequence[Change]) -> str:
    """The changes as plain Danish text, grouped by section and subject."""
    if not changes:
        return "Ingen forskelle.\n"
    lines: list[str] = []
    section = subject = None
    for change in changes:
        if change.section != section:
            section, subject = change.section, None
            marker = _marker(change) if not change.subject and not change.field else ""
            lines += ["", f"== {section} =={marker}"]
            if marker:
                continue
        indent = "  "
        if change.subject:
            if change.subject != subject:
                subject = change.subject
                marker = _marker(change) if not change.field else ""
                lines.append(f"  {subject}{marker}")
                if marker:
                    continue
            indent = "      "
        lines += _change_lines(change, indent)
    return "\n".join(lines).lstrip("\n") + "\n"


def _marker(change: Change) -> str:
    if change.kind == ADDED:
        return " (ny)"
    if change.kind == REMOVED:
        return " (fjernet)" + (f": {change.before}" if change.before else "")
    return ""


def _change_lines(change: Change, indent: str) -> list[str]:
    if change.lines:
        return [f"{indent}{change.field}:", *(f"{indent}  {line}".rstrip() for line in change.lines)]
    if change.kind == CHANGED:
        return [f"{indent}{change.field}: {change.before} → {change.after}"]
    value = change.after if change.kind == ADDED else change.before
    name = change.field if change.kind == ADDED else f"{change.field} (fjernet)"
    if "\n" in value:
        return [f"{indent}{name}:", *_indented(value, indent + "  ")]
    return [f"{indent}{name}: {value}"]


def _heading(headings: PlanHeadings, column: str) -> str:
    return _one_line(getattr(headings, column)) or _one_line(getattr(DEFAULT_HEADINGS, column))


def _value(question: QuestionRecord | None, name: str) -> str:
    value = getattr(question, name) if question is not None else None
    return "" if value is None else str(value)


def _choice(question: QuestionRecord | None) -> str:
    if question is None or question.choice is None:
        return ""
    return question.options.get(question.choice, question.choice)


def _answer(question: QuestionRecord | None) -> str:
    if question is None or question.answer is None:
        return ""
    return YES_NO[question.answer]


def _items(question: QuestionRecord | None) -> str:
    if question is None:
        return ""
    return "\n".join(f"{i}. {_one_line(item)}" for i, item in enumerate(question.items, start=1) if item.strip())


def _scale_text(question: QuestionRecord) -> str:
    return f"{question.scale.min}–{question.scale.max}" if question.scale else ""


def _framework_text(session: Session) -> str:
    return f"{session.framework.name} (version {session.framework.version})"


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


# --- search --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One field of one conversation where the searched text occurs."""

    employee: str
    folder: str
    path: str
    date: str
    theme: str
    """The theme's title, or the part of the conversation ("Udviklingsplan", "Forberedelse", ...)."""
    field: str
    """Which field: "Noter", a question's text and "Noter", a plan column heading, ..."""
    snippet: str
    private: bool = False
    damaged: bool = False


SNIPPET_CONTEXT = 30
# Strings whose raw TOML spelling could differ from their value: \u escapes and line continuations
# (an odd number of backslashes: '\\\\u' is a backslash and a 'u').
_HIDING_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\(?:[uU]|[ \t]*\r?\n)")
_HIDING_ESCAPE_BYTES = re.compile(rb"(?<!\\)(?:\\\\)*\\(?:[uU]|[ \t]*\r?\n)")
_NEEDS_PARSING = re.compile(r'["\\\x00-\x1f\x7f]')
_SINGLE_LINE_PAIR = re.compile(r'([A-Za-z0-9_-]+)[ \t]*=[ \t]*"((?:[^"\\\n]|\\.)*)"')
# Characters that casefold (or NFC-normalize) into something with an ASCII letter in it: 'ß' -> 'ss',
# Kelvin sign -> 'k', 'ﬁ' -> 'fi'. tests/test_history.py checks this against the running Unicode data.
ASCII_FOLDING_CHARS = (
    "\u00df\u0130\u0149\u017f\u01f0\u037e\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e\u1fef\u212a"
    "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
)
# Printable ASCII but for the quote and the backslash, which the file may spell as escapes.
_ASCII_RUN = re.compile(r'[\x20\x21\x23-\x5b\x5d-\x7e]+')
_FRAMEWORK_KEYS = frozenset(
    {"id", "kind", "role", "status", "title", "label", "low_label", "high_label", "name", "version", "number", "email"}
)
_FRAMEWORK_TABLES = frozenset({"[themes.questions.options]", "[plan.headings]", "[framework]", "[employee]", "[manager]"})
_QUESTION_TABLES = frozenset({"[[themes]]", "[[themes.questions]]"})


def fold(text: str) -> str:
    """Case-insensitive form: NFC, then casefold ('ØVEBANE' and 'øvebane' fold alike; 'aa' stays 'aa')."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.casefold()


def search(store: Store, text: str) -> list[Hit]:
    """Every field of every conversation, across employees, that contains `text` (case-insensitive).

    Only what was written in the conversations is searched (notes, answers, plan, follow-up,
    preparation, evaluation, private notes), not the framework's question texts and titles.
    Files are read directly, never through git. A file is skipped when its bytes cannot hold
    the needle; a file laid out as musterm writes it is read without parsing (`_RawView`); any
    other file is parsed, and one that cannot be read is a hit marked `damaged`.
    """
    needle = fold(text.strip())
    if not needle:
        raise MustermError("Skriv den tekst, der skal søges efter.")
    prefilter = not _NEEDS_PARSING.search(needle)
    skeleton = _ascii_skeleton(needle)
    hits: list[Hit] = []
    root = store.root
    base = str(root)
    for folder in sorted(_employee_folders(root)):
        for name in session_files(root, folder):
            relative = f"{folder}/{name}"
            try:
                with open(f"{base}/{relative}", "rb") as stream:
                    data = stream.read()
            except OSError:
                continue
            if skeleton and _plain_bytes(data):
                lowered = data.lower()
                if skeleton not in lowered:
                    continue
                view = _RawView.of(data)
                located = view.hits(lowered, skeleton, needle) if view is not None else None
                if located is not None:
                    hits += [Hit(view.employee, folder, relative, view.date, *found) for found in located]
                    continue
            raw = data.decode("utf-8", errors="replace")
            if prefilter and not _may_contain(raw, needle):
                continue
            try:
                session = session_format.load_bytes(data, root / relative)
            except FileError as error:
                hits += _damaged_hit(folder, relative, name, raw, needle, error)
                continue
            hits += _session_hits(session, folder, relative, needle)
    hits.sort(key=lambda hit: (fold(hit.employee), hit.folder, hit.date, hit.path))
    return hits


def _employee_folders(root: Path) -> Iterator[str]:
    for entry in os.scandir(root):
        if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
            yield entry.name


def _ascii_skeleton(needle: str) -> bytes:
    """The longest stretch of plain ASCII in the folded needle: bytes any file with a match holds."""
    runs = _ASCII_RUN.findall(needle)
    return max(runs, key=len).encode("ascii") if runs else b""


# Bytes that start or make up the UTF-8 of every character in ASCII_FOLDING_CHARS: a file with
# none of them has none of those characters (single bytes are found with memchr, quickly).
_FOLDING_BYTES = (b"\xc4", b"\xc5", b"\xc7", b"\xcd", b"\xe1", b"\xef", b"\xc3\x9f", b"\xe2\x84\xaa")


def _plain_bytes(data: bytes) -> bool:
    """Whether the needle's ASCII stretch must stand, unbroken, in the file's own bytes.

    True when the file has no escape that hides characters (\\u, line continuation) and no
    character that folds into ASCII ('ß' into 'ss', the Kelvin sign into 'k', 'ﬁ' into 'fi'):
    then every ASCII character of a casefolded, NFC-normalized match is an ASCII byte of the
    file, in the same order and next to each other, and `bytes.lower()` folds it alike.
    """
    if b"\\" in data and _HIDING_ESCAPE_BYTES.search(data):
        return False
    for part in _FOLDING_BYTES:
        if part in data:
            return False
    return True


def _may_contain(raw: str, needle: str) -> bool:
    """False only when no searchable value of the file can contain `needle` (a quote-free needle).

    The raw text (NFC, casefolded) must contain the needle, unless an escape could hide it.
    When every occurrence is inside a framework value (a question's text, a title, a label)
    on a plain `key = "..."` line, parsing is skipped too: a search for a word of the framework
    must not parse every file.
    """
    if _HIDING_ESCAPE.search(raw):
        return True
    if not raw.isascii():
        raw = unicodedata.normalize("NFC", raw)
    folded = raw.casefold()
    start = folded.find(needle)
    if start < 0:
        return False
    if len(folded) != len(raw) or "'''" in raw:
        return True
    regions = _multiline_regions(raw)
    if regions is None:
        return True
    while start >= 0:
        if not _in_framework_value(raw, start, len(needle), regions):
            return True
        start = folded.find(needle, start + 1)
    return False


def _multiline_regions(raw: str) -> list[tuple[int, int]] | None:
    """The spans of \"\"\"-strings, or None when they are not plain (odd count, unescaped quotes)."""
    regions = []
    position = 0
    while True:
        start = raw.find('"""', position)
        if start < 0:
            return regions
        end = raw.find('"""', start + 3)
        while end > 0 and _escaped(raw, end):
            end = raw.find('"""', end + 1)
        if end < 0:
            return None
        body = raw[start + 3 : end]
        if '"' in body and re.search(r'(?<!\\)"', body.replace("\\\\", "")):
            return None
        regions.append((start, end + 3))
        position = end + 3


def _escaped(raw: str, position: int) -> bool:
    """Whether the character at `position` follows an odd number of backslashes."""
    count = 0
    while position - count - 1 >= 0 and raw[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _in_framework_value(raw: str, start: int, length: int, regions: list[tuple[int, int]]) -> bool:
    if any(low <= start < high for low, high in regions):
        return False
    line_start = raw.rfind("\n", 0, start) + 1
    line_end = raw.find("\n", start)
    line = raw[line_start : len(raw) if line_end < 0 else line_end]
    if "'" in line or "#" in line:
        return False
    offset = start - line_start
    for match in _SINGLE_LINE_PAIR.finditer(line):
        if match.start(2) <= offset and offset + length <= match.end(2):
            header = _table_header_before(raw, line_start, regions)
            key = match.group(1)
            if header in _FRAMEWORK_TABLES:
                return True
            if key == "text":
                return header in _QUESTION_TABLES
            return key in _FRAMEWORK_KEYS
    return False


def _table_header_before(raw: str, position: int, regions: list[tuple[int, int]]) -> str:
    while position > 0:
        found = raw.rfind("\n[", 0, position)
        start = found + 1 if found >= 0 else (0 if raw.startswith("[") else -1)
        if start < 0:
            return ""
        if not any(low <= start < high for low, high in regions):
            end = raw.find("\n", start)
            return raw[start : len(raw) if end < 0 else end].strip().replace(" ", "")
        position = found
    return ""


# --- reading a file musterm wrote without parsing it ---------------------------------------------
#
# A search for a word that many conversations hold must not parse every file (about 2 ms each).
# musterm writes session files with tomli_w in a fixed shape: `[table]`/`[[array]]` headers, one
# `key = "value"` or `key = """...` per line, arrays of one item per indented line. `_RawView`
# finds the field of each place the needle's ASCII stretch occurs from that shape alone, and
# gives up (None: parse the file) at anything else. tests/test_history.py checks that it finds
# exactly what searching the parsed session finds.

_HEADER_LINE = re.compile(r"^\[\[?[A-Za-z0-9_.-]+\]\]?$", re.MULTILINE)
_KEY_LINE = re.compile(r'([A-Za-z0-9_-]+) = "((?:[^"\\\n]|\\.)*)"')
_OPENER_PREFIX = re.compile(r"[A-Za-z0-9_-]+ = ")
_ARRAY_OPENER = re.compile(r"([A-Za-z0-9_-]+) = \[")
_ITEM_LINE = re.compile(r'    "((?:[^"\\\n]|\\.)*)",')
_INLINE_ITEMS = re.compile(r"(?:    \{[^\n]*\},\n)*")
_STRING_ITEMS = re.compile(r'(?:    "(?:[^"\\\n]|\\.)*",\n)*')
_INLINE_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}]')
_TOML_ESCAPES = {'"': '"', "\\": "\\", "b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r"}
_SIMPLE_ESCAPE = re.compile(r'\\(["\\btnfr])')
_PLAN_COLUMN_RANK = {key: rank for rank, key in enumerate(PLAN_COLUMN_KEYS)}
_FOLLOWUP_RANK = {**_PLAN_COLUMN_RANK, "comment": len(PLAN_COLUMN_KEYS)}
_NOT_SEARCHED_TABLES = frozenset(
    {"[framework]", "[employee]", "[manager]", "[plan.headings]", "[themes.questions.scale]", "[themes.questions.options]"}
)
# The searchable keys of each table, and of the arrays written inline (one item per line).
_TABLE_CONTENT = {
    "": {"place"},
    "[preparation]": {"manager_notes", "employee_notes"},
    "[[followup]]": set(_FOLLOWUP_RANK),
    "[[themes]]": {"notes", "employee_notes"},
    "[[themes.questions]]": {"notes", "employee_notes"},
    "[plan]": set(),
    "[[plan.rows]]": set(_PLAN_COLUMN_RANK),
    "[[plan.fields]]": {"text"},
    "[closing]": {"evaluation"},
    "[private]": {"notes"},
}
_ARRAY_CONTENT = {
    ("", "followup"): set(_FOLLOWUP_RANK),
    ("[[themes]]", "questions"): {"notes", "employee_notes"},
    ("[[themes.questions]]", "items"): {""},
    ("[plan]", "rows"): set(_PLAN_COLUMN_RANK),
    ("[plan]", "fields"): {"text"},
}
_CONFLICT_START = re.compile(r"^<{7}(?: |$)", re.MULTILINE)
_ODD_BRACKET_LINE = re.compile(r"^(?:[ \t]+\[|\[(?!\[?[A-Za-z0-9_.-]+\]\]?$))", re.MULTILINE)
_VALUE_LINES: dict[str, re.Pattern[str]] = {}
_SKIP = object()
_GIVE_UP = object()


def _toml_value(raw: str) -> str:
    """A basic string's value from its Latin-1 view (no \\u escapes: those files are parsed)."""
    text = raw.encode("latin-1").decode("utf-8", errors="replace")
    return _SIMPLE_ESCAPE.sub(lambda match: _TOML_ESCAPES[match.group(1)], text) if "\\" in text else text


class _RawView:
    """A session file as one character per byte (Latin-1): headers, multi-line strings, lines."""

    def __init__(self, text: str, regions: list[tuple[int, int]]):
        self.text = text
        self.regions = regions
        self.region_starts = [start for start, _ in regions]
        self._headers: list[tuple[int, int, str]] | None = None
        self._header_starts: list[int] = []
        self._counts: list[tuple[int, int, int]] | None = None
        self._cache: dict[tuple[str, object], str | None] = {}
        self.employee = ""
        self.date = ""

    @classmethod
    def of(cls, data: bytes) -> _RawView | None:
        text = data.decode("latin-1")
        if "\'\'\'" in text or "\r" in text or "<<<<<<<" in text and _CONFLICT_START.search(text):
            return None  # literal strings, CRLF, git conflict markers (musterm refuses such a file)
        regions = _multiline_regions(text)
        if regions is None or not all(_plain_region(text, start, end) for start, end in regions):
            return None
        view = cls(text, regions)
        if any(view._region_at(odd.start()) is None for odd in _ODD_BRACKET_LINE.finditer(text)):
            return None  # a table header written some other way than musterm writes it
        return view

    @property
    def headers(self) -> list[tuple[int, int, str]]:
        """(start, end, text) of every table header outside multi-line strings."""
        if self._headers is None:
            headers, position = [], 0
            for start, end in [*self.regions, (len(self.text), len(self.text))]:
                headers += [(m.start(), m.end(), m.group(0)) for m in _HEADER_LINE.finditer(self.text, position, start)]
                position = end
            self._headers = headers
            self._header_starts = [start for start, _, _ in headers]
        return self._headers

    def _identify(self) -> bool:
        """The employee's name and the date, for the hits; False when not written the usual way."""
        head = self.text[: self.headers[0][0]] if self.headers else self.text
        date = re.search(r"^date = (\d{4}-\d{2}-\d{2})$", head, re.MULTILINE)
        self.employee = self._value_in_table("[employee]", "name")
        self.date = date.group(1) if date else ""
        return bool(self.date and self.employee)

    def hits(self, lowered: bytes, skeleton: bytes, needle: str) -> list[tuple[str, str, str, bool]] | None:
        """(theme, field, snippet, private) in the order of `searchable_fields`; None: parse instead."""
        found: dict[tuple, tuple[str, str, str, bool] | None] = {}
        start = lowered.find(skeleton)
        while start >= 0:
            unit = self._unit(start)
            if unit is None:
                return None
            spots, end = unit
            for order, theme, field_name, value, private in spots:
                if order not in found:
                    snippet = _snippet(_toml_value(value), needle)
                    found[order] = (theme, field_name, snippet, private) if snippet is not None else None
            start = lowered.find(skeleton, max(end, start + 1))
        hits = [hit for _, hit in sorted(found.items()) if hit is not None]
        if hits and not self._identify():
            return None
        return hits

    # --- where a position is --------------------------------------------------------------------

    def _region_at(self, position: int) -> tuple[int, int] | None:
        index = bisect.bisect_right(self.region_starts, position) - 1
        if index >= 0 and position < self.regions[index][1]:
            return self.regions[index]
        return None

    def _header_index(self, position: int) -> int:
        if self._headers is None:
            self.headers  # noqa: B018 - computes the header starts
        return bisect.bisect_right(self._header_starts, position) - 1

    def _header_name(self, position: int) -> str:
        """The table header above `position` ('' at the top); without the header list while it is
        not needed (a word of the framework only ever asks this)."""
        if self._headers is not None:
            index = bisect.bisect_right(self._header_starts, position) - 1
            return self._headers[index][2] if index >= 0 else ""
        text = self.text
        while position > 0:
            found = text.rfind("\n[", 0, position)
            start = found + 1 if found >= 0 else (0 if text.startswith("[") else -1)
            if start < 0:
                return ""
            if self._region_at(start) is None:
                end = text.find("\n", start)
                return text[start : len(text) if end < 0 else end]
            position = found
        return ""

    def _line(self, position: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, position) + 1
        end = self.text.find("\n", position)
        return start, len(self.text) if end < 0 else end

    def _unit(self, position: int) -> tuple[list[tuple], int] | None:
        """The searchable values of the string or line at `position`, and where it ends; None: give up.

        A value is looked at whole, so the rest of the same string or line need not be."""
        text = self.text
        region = self._region_at(position)
        if region is not None:
            line_start = text.rfind("\n", 0, region[0]) + 1
            if not _OPENER_PREFIX.fullmatch(text, line_start, region[0]):
                return None  # a multi-line string inside an array
            key = text[line_start : text.index(" ", line_start)]
            body = text[region[0] + 3 : region[1] - 3].removeprefix("\n")
            return self._spots([self._field(position, None, -1, key, body, "")], region[1])
        line_start, line_end = self._line(position)
        line = text[line_start:line_end]
        if '"' not in line:
            return ([], line_end) if "'" not in line else None  # a 'literal string' is parsed
        if not line.startswith(" "):
            match = _KEY_LINE.fullmatch(line)
            if match is None:
                # The opening line of a multi-line string: the string itself is its own unit.
                opens = line.endswith('"""') and '"' not in line[:-3] and self._region_at(line_end - 3) is not None
                return ([], line_end) if opens else None
            spot = self._field(position, None, -1, match.group(1), match.group(2), "")
            return self._spots([spot], line_end)
        return self._array_item(line_start, line_end, line)

    def _array_item(self, line_start: int, line_end: int, line: str) -> tuple[list[tuple], int] | None:
        text = self.text
        opener = text.rfind(" = [\n", 0, line_start)
        if opener < 0:
            return None
        opener_start = text.rfind("\n", 0, opener) + 1
        match = _ARRAY_OPENER.fullmatch(text, opener_start, opener + 4)
        if match is None or self._region_at(opener) is not None:
            return None
        array, between = match.group(1), text[opener + 5 : line_start]
        index = between.count("\n")
        item = _ITEM_LINE.fullmatch(line)
        if item is not None:
            if _STRING_ITEMS.fullmatch(between) is None:
                return None
            return self._spots([self._field(opener, array, index, "", item.group(1), "")], line_end)
        if not (line.startswith("    { ") and line.endswith(" },")) or _INLINE_ITEMS.fullmatch(between) is None:
            return None
        pairs = _inline_pairs(line)
        if pairs is None:
            return None
        spots = [self._field(opener, array, index, key, value, line) for key, (_, _, value) in pairs.items()]
        return self._spots(spots, line_end)

    @staticmethod
    def _spots(spots: list, end: int) -> tuple[list[tuple], int] | None:
        if any(spot is _GIVE_UP for spot in spots):
            return None
        return [spot for spot in spots if spot is not _SKIP], end

    # --- which field ----------------------------------------------------------------------------

    def _field(self, at: int, array: str | None, index: int, key: str, value: str, line: str):  # noqa: ANN202, PLR0911
        """(order, theme, field, value, private) like `searchable_fields`, _SKIP or _GIVE_UP.

        `at` is a position in the value's table (for an array item: the array's opening line)."""
        name = self._header_name(at)
        if array is None:
            content = _TABLE_CONTENT.get(name)
            if content is None:
                return _SKIP if name in _NOT_SEARCHED_TABLES else _GIVE_UP
            if key not in content:
                return _SKIP
            if name == "" and key == "place":
                return (0,), "Samtalen", "Sted", value, False
            if name == "[preparation]":
                label = "Lederens forberedelse" if key == "manager_notes" else "Medarbejderens noter"
                return (1, key == "employee_notes"), "Forberedelse", label, value, False
            if name == "[closing]":
                return (6,), "Afslutning", "Evaluering af samtalen", value, False
            if name == "[private]":
                return (7,), PRIVATE_NOTES, "", value, True
            header = self._header_index(at)
            themes, questions, rows = self._counts_at(header)
            table = self._table(header)
            if name == "[[followup]]":
                where = self._followup_where(table)
                if where is None:
                    return _GIVE_UP
                label = f"{where} › {_followup_heading(key)}"
                return (2, rows, _FOLLOWUP_RANK[key]), FOLLOWUP_SECTION, label, value, False
            if name == "[[themes]]":
                title = self._theme_title(header)
                if title is None:
                    return _GIVE_UP
                return (3, themes, -1, key == "employee_notes"), title, _notes_label(key), value, False
            if name == "[[themes.questions]]":
                return self._question_field(header, themes, questions, key, value, table, None)
            if name == "[[plan.rows]]":
                row_id = self._value(table, "id")
                if row_id is None:
                    return _GIVE_UP
                heading = f"Aftale {_toml_value(row_id)} › {self._plan_heading(key)}"
                return (4, rows, _PLAN_COLUMN_RANK[key]), PLAN_SECTION, heading, value, False
            label = self._value(table, "label")  # [[plan.fields]]
            if label is None:
                return _GIVE_UP
            return (5, rows), PLAN_SECTION, _one_line(_toml_value(label)), value, False
        content = _ARRAY_CONTENT.get((name, array))
        if content is None:
            return _GIVE_UP
        if key not in content:
            return _SKIP
        inline = (_inline_pairs(line) if line else None) or {}
        if array == "followup":
            where = self._followup_where(line)
            if where is None:
                return _GIVE_UP
            return (2, index, _FOLLOWUP_RANK[key]), FOLLOWUP_SECTION, f"{where} › {_followup_heading(key)}", value, False
        if array == "questions":
            header = self._header_index(at)
            themes, _, _ = self._counts_at(header)
            return self._question_field(header, themes, index, key, value, None, inline)
        if array == "items":
            header = self._header_index(at)
            themes, questions, _ = self._counts_at(header)
            question = self._question_field(header, themes, questions, "notes", value, self._table(header), None)
            if question is _GIVE_UP:
                return _GIVE_UP
            _, theme, label, _, _ = question
            label = label.removesuffix(" › Noter") + f" › Punkt {index + 1}"
            return (3, themes, questions, 0, index), theme, label, value, False
        if array == "rows":
            if "id" not in inline:
                return _GIVE_UP
            heading = f"Aftale {_toml_value(inline['id'][2])} › {self._plan_heading(key)}"
            return (4, index, _PLAN_COLUMN_RANK[key]), PLAN_SECTION, heading, value, False
        if "label" not in inline:  # fields
            return _GIVE_UP
        return (5, index), PLAN_SECTION, _one_line(_toml_value(inline["label"][2])), value, False

    def _question_field(self, header, theme, question, key, value, table, inline):  # noqa: ANN001, ANN202, PLR0913
        title = self._theme_title(header)
        if table is not None:
            label = self._question_label(header, table)
        else:
            number, text = inline.get("number", (0, 0, ""))[2], inline.get("text", (0, 0, None))[2]
            label = None if text is None else _question_label(_toml_value(number), _toml_value(text))
        if title is None or label is None:
            return _GIVE_UP
        order = (3, theme, question, 1 + (key == "employee_notes"))
        return order, title, f"{label} › {_notes_label(key)}", value, False

    def _theme_title(self, header: int) -> str | None:
        """The title of the theme a header belongs to (cached: many hits share it)."""
        key = ("title", header)
        if key not in self._cache:
            theme_header = self._theme_header(header)
            title = self._value(self._table(theme_header), "title") if theme_header is not None else None
            self._cache[key] = None if title is None else _one_line(_toml_value(title))
        return self._cache[key]

    def _question_label(self, header: int, table: str) -> str | None:
        key = ("question", header)
        if key not in self._cache:
            number, text = self._value(table, "number") or "", self._value(table, "text")
            self._cache[key] = None if text is None else _question_label(_toml_value(number), _toml_value(text))
        return self._cache[key]

    def _theme_header(self, header: int) -> int | None:
        for index in range(header, -1, -1):
            if self.headers[index][2] == "[[themes]]":
                return index
        return None

    def _counts_at(self, header: int) -> tuple[int, int, int]:
        """(theme index, question index in its theme, index among same-named arrays) at a header."""
        if self._counts is None:
            counts, themes, questions, seen = [], -1, -1, Counter()
            for _, _, name in self.headers:
                if name == "[[themes]]":
                    themes, questions = themes + 1, -1
                elif name == "[[themes.questions]]":
                    questions += 1
                seen[name] += 1
                counts.append((themes, questions, seen[name] - 1))
            self._counts = counts
        return self._counts[header] if header >= 0 else (-1, -1, 0)

    def _table(self, header: int) -> str:
        key = ("table", header)
        table = self._cache.get(key)
        if table is None:
            headers = self.headers
            end = headers[header + 1][0] if header + 1 < len(headers) else len(self.text)
            table = self._cache[key] = self.text[headers[header][1] : end]
        return table

    def _value(self, table: str, key: str) -> str | None:
        """A single-line string value in a table's text (None when absent or written otherwise)."""
        pattern = _VALUE_LINES.get(key)
        if pattern is None:
            pattern = _VALUE_LINES[key] = re.compile(rf'^{key} = "((?:[^"\\\n]|\\.)*)"$', re.MULTILINE)
        match = pattern.search(table)
        return match.group(1) if match else None

    def _value_in_table(self, name: str, key: str) -> str:
        for index, (_, _, header) in enumerate(self.headers):
            if header == name:
                value = self._value(self._table(index), key)
                return _toml_value(value) if value is not None else ""
        return ""

    def _followup_where(self, text: str) -> str | None:
        session = re.search(r"(?:^|[{,] )session = (\d{4}-\d{2}-\d{2})(?:$|,| )", text, re.MULTILINE)
        row = re.search(r'(?:^|[{,] )row = "((?:[^"\\\n]|\\.)*)"', text, re.MULTILINE)
        if session is None or row is None:
            return None
        return f"Aftale {_toml_value(row.group(1))} fra {session.group(1)}"

    def _plan_heading(self, key: str) -> str:
        cache_key = ("heading", key)
        if cache_key not in self._cache:
            value = self._value_in_table("[plan.headings]", key)
            self._cache[cache_key] = _one_line(value) or _one_line(getattr(DEFAULT_HEADINGS, key))
        return self._cache[cache_key] or ""


def _plain_region(text: str, start: int, end: int) -> bool:
    """A multi-line string opened after `key = ` (or as an array item) and closed at a line's end."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    after = text[end : end + 2]
    return (bool(_OPENER_PREFIX.fullmatch(before)) or before.strip(" ") == "") and after[:1] in ("\n", "") or after == ",\n"


def _inline_pairs(line: str) -> dict[str, tuple[int, int, str]] | None:
    """The top-level `key = "value"` pairs of a one-line inline table: key -> (start, end, raw value).

    None when the line holds a 'literal string' (not read here)."""
    if "'" in _INLINE_TOKEN.sub("", line):
        return None
    depth, strings = 0, []
    for token in _INLINE_TOKEN.finditer(line):
        if token.group() == "{":
            depth += 1
        elif token.group() == "}":
            depth -= 1
        else:
            strings.append((token.start(), depth))
    pairs = {}
    top = {start for start, depth in strings if depth == 1}
    for match in _SINGLE_LINE_PAIR.finditer(line):
        if match.start(2) - 1 in top:
            pairs[match.group(1)] = (match.start(2), match.end(2), match.group(2))
    return pairs


def _notes_label(key: str) -> str:
    return "Noter" if key == "notes" else "Medarbejderens noter"


def _followup_heading(key: str) -> str:
    return "Kommentar" if key == "comment" else _heading(DEFAULT_HEADINGS, key)


def _session_hits(session: Session, folder: str, relative: str, needle: str) -> list[Hit]:
    hits = []
    for theme, field_name, value, private in searchable_fields(session):
        snippet = _snippet(value, needle)
        if snippet is not None:
            hits.append(
                Hit(session.employee.name, folder, relative, session.date.isoformat(), theme, field_name, snippet, private)
            )
    return hits


def searchable_fields(session: Session) -> Iterator[tuple[str, str, str, bool]]:
    """(theme or part, field, text, private) for every text a conversation holds, in file order."""
    yield "Samtalen", "Sted", session.place, False
    yield "Forberedelse", "Lederens forberedelse", session.preparation.manager_notes, False
    yield "Forberedelse", "Medarbejderens noter", session.preparation.employee_notes, False
    for row in session.followup:
        where = f"Aftale {row.row} fra {row.session.isoformat()}"
        for column in PLAN_COLUMN_KEYS:
            yield FOLLOWUP_SECTION, f"{where} › {_heading(DEFAULT_HEADINGS, column)}", getattr(row, column), False
        yield FOLLOWUP_SECTION, f"{where} › Kommentar", row.comment, False
    for theme in session.themes:
        title = _one_line(theme.title)
        yield title, "Noter", theme.notes, False
        yield title, "Medarbejderens noter", theme.employee_notes, False
        for question in theme.questions:
            label = _question_label(question.number, question.text)
            for index, item in enumerate(question.items, start=1):
                yield title, f"{label} › Punkt {index}", item, False
            yield title, f"{label} › Noter", question.notes, False
            yield title, f"{label} › Medarbejderens noter", question.employee_notes, False
    for row in session.plan.rows:
        for column in PLAN_COLUMN_KEYS:
            yield PLAN_SECTION, f"Aftale {row.id} › {_heading(session.plan.headings, column)}", row.column(column), False
    for plan_field in session.plan.fields:
        yield PLAN_SECTION, _one_line(plan_field.label), plan_field.text, False
    yield "Afslutning", "Evaluering af samtalen", session.closing.evaluation, False
    yield PRIVATE_NOTES, "", session.private.notes, True


def _snippet(value: str, needle: str) -> str | None:
    if not value:
        return None
    text = unicodedata.normalize("NFC", value)
    folded = text.casefold()
    found = folded.find(needle)
    if found < 0:
        return None
    if len(folded) == len(text):
        start, end = found, found + len(needle)
    else:
        start, end = _original_span(text, found, len(needle))
    return _window(text, start, end)


def _original_span(text: str, start: int, length: int) -> tuple[int, int]:
    """Map a span of text.casefold() back to text (casefold can lengthen: 'ß' -> 'ss')."""
    position = 0
    begin = end = len(text)
    for index, char in enumerate(text):
        size = len(char.casefold())
        if position <= start < position + size:
            begin = index
        if position < start + length <= position + size:
            end = index + 1
            break
        position += size
    return begin, end


def _window(text: str, start: int, end: int) -> str:
    low = max(0, start - SNIPPET_CONTEXT)
    high = min(len(text), end + SNIPPET_CONTEXT)
    if low > 0:
        space = text.find(" ", low, start)
        low = space + 1 if space >= 0 else low
    if high < len(text):
        space = text.rfind(" ", end, high)
        high = space if space >= 0 else high
    snippet = " ".join(text[low:high].split())
    return ("…" if low > 0 else "") + snippet + ("…" if high < len(text) else "")


def _damaged_hit(folder: str, relative: str, name: str, raw: str, needle: str, error: FileError) -> list[Hit]:
    """A file that cannot be parsed still shows where its raw text contains the needle."""
    snippet = _snippet(raw, needle)
    if snippet is None:
        return []
    problem = error.problems[0].message if error.problems else str(error)
    return [Hit(folder, folder, relative, name[:10], "", f"Filen kan ikke læses ({problem})", snippet, damaged=True)]


def format_search(hits: Sequence[Hit], text: str) -> str:
    if not hits:
        return f"Ingen fund for \"{text}\".\n"
    conversations = list(dict.fromkeys(hit.path for hit in hits))
    noun = "samtale" if len(conversations) == 1 else "samtaler"
    lines = [f"{len(hits)} fund for \"{text}\" i {len(conversations)} {noun}:"]
    current = None
    for hit in hits:
        if hit.path != current:
            current = hit.path
            lines += ["", f"{hit.employee} {hit.date}  ({hit.path})"]
        where = " › ".join(part for part in (hit.theme, hit.field) if part)
        prefix = "[PRIVAT] " if hit.private else ""
        lines.append(f"  {prefix}{where}: {hit.snippet}")
    return "\n".join(lines) + "\n"


# --- the git log ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    commit: str
    author: str
    when: dt.datetime
    subject: str
    event: Event | None
    conversation: str
    """'Anna Sørensen 2026-11-23' from the subject, else the changed file(s)."""
    what: str
    """What happened, in Danish: the event's label, or the commit subject."""
    paths: tuple[str, ...] = field(default=())


_RECORD = "\x1e"
_UNIT = "\x1f"
LOG_FORMAT = f"%x1e%H%x1f%an%x1f%aI%x1f%s%x1f%(trailers:key={EVENT_TRAILER},valueonly,separator=%x2C)%x1f"


def log_entries(store: Store, employee_folder: str | None = None, limit: int | None = None) -> list[LogEntry]:
    """The git history of the conversations (of one employee), newest first, from one `git log`."""
    args = ["-c", "core.quotePath=false", "log", f"--format={LOG_FORMAT}", "--name-only", "--no-renames"]
    if limit:
        args.append(f"--max-count={limit}")
    if employee_folder:
        args += ["--", f"{employee_folder}/"]
    result = store.git.run(args, check=False)
    if not result.ok:
        if "does not have any commits" in result.stderr:
            return []
        raise MustermError(f"git log fejlede: {result.stderr.strip() or result.stdout.strip()}")
    return parse_log(result.stdout)


def parse_log(output: str) -> list[LogEntry]:
    entries = []
    for record in output.split(_RECORD):
        parts = record.split(_UNIT)
        if len(parts) < 6:
            continue
        commit, author, when, subject, trailer, rest = parts[:6]
        paths = tuple(line for line in rest.splitlines() if line.strip())
        entries.append(_log_entry(commit, author, when, subject, trailer.strip(), paths))
    return entries


def _log_entry(commit: str, author: str, when: str, subject: str, trailer: str, paths: tuple[str, ...]) -> LogEntry:
    event = None
    for value in trailer.split(","):
        try:
            event = Event(value.strip())
            break
        except ValueError:
            continue
    conversation, what = "", subject
    if event is not None:
        what = EVENT_LABELS[event]
        head, separator, _ = subject.rpartition(": ")
        conversation = head if separator else ""
    if not conversation and paths and all("/" in path and path.endswith(".toml") for path in paths):
        conversation = ", ".join(paths[:3]) + (f" (+{len(paths) - 3})" if len(paths) > 3 else "")
    return LogEntry(commit, author, dt.datetime.fromisoformat(when), subject, event, conversation, what, paths)


def format_log(entries: Sequence[LogEntry]) -> str:
    """'2026-11-23 10:42  Lars Leder  Anna Sørensen 2026-11-23: udviklingsplan ændret', newest first."""
    if not entries:
        return "Ingen historik endnu.\n"
    width = min(24, max(len(entry.author) for entry in entries))
    lines = []
    for entry in entries:
        what = f"{entry.conversation}: {entry.what}" if entry.conversation and entry.event else entry.what
        if entry.conversation and not entry.event and entry.conversation not in entry.what:
            what += f" ({entry.conversation})"
        lines.append(f"{entry.when:%Y-%m-%d %H:%M}  {entry.author:<{width}}  {what}")
    return "\n".join(lines) + "\n"


# --- small helpers ---------------------------------------------------------------------------------


def _question_label(number: str, text: str) -> str:
    text = _one_line(text)
    return f"{number}. {text}" if number else text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _indented(text: str, indent: str = "  ") -> list[str]:
    return [f"{indent}{line}".rstrip() for line in text.strip("\n").split("\n")]


def _is_session_file(name: str) -> bool:
    return name.endswith(".toml") and not name.startswith(".")


__all__ = [
    "Change",
    "Conversation",
    "EarlierNotes",
    "EmployeeHistory",
    "Hit",
    "LogEntry",
    "QuestionNotes",
    "QuestionTrend",
    "ScoreTable",
    "TrendPoint",
    "diff_sessions",
    "fold",
    "format_diff",
    "format_earlier_scores",
    "format_history",
    "format_log",
    "format_search",
    "log_entries",
    "read_sessions",
    "resolve_employee",
    "score_table",
    "search",
    "searchable_fields",
]
