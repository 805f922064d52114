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
from itertools import accumulate
from pathlib import Path

from musterm.model import session as session_format
from musterm.errors import FileError, MustermError
from musterm.model.framework import PLAN_COLUMN_KEYS, QuestionKind
from musterm.model.labels import STATUS_LABELS, YES_NO
from musterm.model.session import FollowUpStatus, PlanHeadings, QuestionRecord, Session, ThemeRecord
from musterm.store.repository import EVENT_LABELS, EVENT_TRAILER, Event, Store

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
    """The employee's folder by folder name (a trailing / allowed), name or number."""
    return store.employee_folder(who.strip().rstrip("/") or who)


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
# What hits call the parts and fields of a conversation (`searchable_fields`, and `_RawView` alike).
_PLACE = ("Samtalen", "Sted")
_PREPARATION = "Forberedelse"
_PREPARATION_FIELDS = {"manager_notes": "Lederens forberedelse", "employee_notes": "Medarbejderens noter"}
_NOTES_FIELDS = {"notes": "Noter", "employee_notes": "Medarbejderens noter"}
_CLOSING = ("Afslutning", "Evaluering af samtalen")
# Strings whose raw TOML spelling could differ from their value: \u escapes and line continuations
# (an odd number of backslashes: '\\\\u' is a backslash and a 'u').
_HIDING_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\(?:[uU]|[ \t]*\r?\n)")
_HIDING_ESCAPE_BYTES = re.compile(_HIDING_ESCAPE.pattern.encode("ascii"))
_NEEDS_PARSING = re.compile(r'["\\\x00-\x1f\x7f]')
_STRING = r'[^"\\\n]*(?:\\.[^"\\\n]*)*'  # what is between the quotes of a basic string
_SINGLE_LINE_PAIR = re.compile(rf'([A-Za-z0-9_-]+)[ \t]*=[ \t]*"({_STRING})"')
# Characters that casefold (or NFC-normalize) into something with an ASCII letter in it: 'ß' -> 'ss',
# Kelvin sign -> 'k', 'ﬁ' -> 'fi'. tests/test_history_search_fast.py checks this against the running
# Unicode data.
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
    the needle (or, when the needle's ASCII stretch is short, when its folded text does not hold
    it); a file laid out as musterm writes it is read without parsing (`_RawView`); any other
    file is parsed, and one that cannot be read is a hit marked `damaged`.
    """
    needle = fold(text.strip())
    if not needle:
        raise MustermError("Skriv den tekst, der skal søges efter.")
    prefilter = not _NEEDS_PARSING.search(needle)
    skeleton = _ascii_skeleton(needle)
    # A short ASCII stretch of a longer needle ("m" of "mål", none of "ø") is in nearly every file:
    # then a file is first folded whole, to see whether it holds the needle at all.
    weak = prefilter and len(skeleton) < min(len(needle), _WEAK_SKELETON)
    found: list[list[Hit]] = []  # per file with hits: all its hits share employee, folder, date, path
    shared = _Shared()
    root = store.root
    base = str(root)
    for folder in sorted(_employee_folders(root)):
        for name in session_files(root, folder):
            relative = f"{folder}/{name}"
            data = _read_bytes(f"{base}/{relative}")
            if data is None:
                continue
            plain = (skeleton or weak) and _plain_bytes(data)
            if plain:
                if skeleton:
                    lowered = data.lower()
                    if lowered.rfind(skeleton) < 0:  # (rfind: a few times faster than `in` in Python 3.11)
                        continue
                if weak and not _folded_holds(data, needle):
                    continue  # not there at all (where it is, the file is searched as ever)
            if plain and skeleton:
                view = _RawView.of(data, shared)
                located = view.hits(lowered, skeleton, needle) if view is not None else None
                if located is not None:
                    if located:
                        employee, date = view.employee, view.date
                        found.append([Hit(employee, folder, relative, date, *spot) for spot in located])
                    continue
            raw = data.decode("utf-8", errors="replace")
            if prefilter and not _may_contain(raw, needle):
                continue
            try:
                session = session_format.load_bytes(data, root / relative)
            except FileError as error:
                hits = _damaged_hit(folder, relative, name, raw, needle, error)
            else:
                hits = _session_hits(session, folder, relative, needle)
            if hits:
                found.append(hits)
    folded: dict[str, str] = {}
    for hits in found:
        if hits[0].employee not in folded:
            folded[hits[0].employee] = fold(hits[0].employee)
    # A stable sort of the files is the sort of their hits: each file's hits keep their order.
    found.sort(key=lambda hits: (folded[hits[0].employee], hits[0].folder, hits[0].date, hits[0].path))
    return [hit for hits in found for hit in hits]


def _read_bytes(path: str) -> bytes | None:
    """A file's bytes, None when it cannot be read (os.read: a third faster than a file object)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        size = os.fstat(descriptor).st_size
        data = os.read(descriptor, size + 1)
        if len(data) != size:  # it changed while being read, or gave less at once: read to the end
            chunks = [data]
            while chunk := os.read(descriptor, 1 << 16):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data
    except OSError:
        return None
    finally:
        os.close(descriptor)


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
    # The last byte first: one byte is found with memchr, while a search for "\xc3\x9f" is slow in
    # Danish text, where nearly every letter æ, ø, å starts with \xc3.
    for part in _FOLDING_BYTES:
        if part[-1:] in data and part in data:
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
# gives up (None: parse the file) at anything else. tests/test_history_search_fast.py checks that
# it finds exactly what searching the parsed session finds; tests/test_history_search_golden.py
# keeps the output as it is.
#
# This is also the inner loop of a search for a common word (in the benchmark 10,000 files and
# 40,000 hits, in under a second): each file is scanned a few times by str, bytes and re methods,
# Python only works per multi-line string and per hit, and what many files have alike (question
# labels, theme titles, the snippets of short values) is kept for the whole search (`_Shared`).

_KEY_LINE = re.compile(rf'([A-Za-z0-9_-]+) = "({_STRING})"')
_OPENER_PREFIX = re.compile(r"([A-Za-z0-9_-]+) = ")
_ARRAY_OPENER = re.compile(r"([A-Za-z0-9_-]+) = \[")
_ITEM_LINE = re.compile(rf'    "({_STRING})",')
_INLINE_ITEMS = re.compile(r"(?:    \{[^\n]*\},\n)*")
_STRING_ITEMS = re.compile(rf'(?:    "{_STRING}",\n)*')
_INLINE_TOKEN = re.compile(rf'"{_STRING}"|[{{}}]')
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
    "[preparation]": set(_PREPARATION_FIELDS),
    "[[followup]]": set(_FOLLOWUP_RANK),
    "[[themes]]": set(_NOTES_FIELDS),
    "[[themes.questions]]": set(_NOTES_FIELDS),
    "[plan]": set(),
    "[[plan.rows]]": set(_PLAN_COLUMN_RANK),
    "[[plan.fields]]": {"text"},
    "[closing]": {"evaluation"},
    "[private]": {"notes"},
}
# The lines on which musterm opens its multi-line strings (any other `key = ` is checked in full).
_USUAL_OPENERS = tuple(sorted({f"\n{key} = " for keys in _TABLE_CONTENT.values() for key in keys}))
_ARRAY_CONTENT = {
    ("", "followup"): set(_FOLLOWUP_RANK),
    ("[[themes]]", "questions"): set(_NOTES_FIELDS),
    ("[[themes.questions]]", "items"): {""},
    ("[plan]", "rows"): set(_PLAN_COLUMN_RANK),
    ("[plan]", "fields"): {"text"},
}
_CONFLICT_START = re.compile(r"^<{7}(?: |$)", re.MULTILINE)
# A line that starts with a bracket but is not a table header as musterm writes it (spaced,
# indented, an array of arrays). The newline in front lets the regex engine jump from line to line;
# the first line is matched on its own.
_ODD_BRACKET_LINE = re.compile(r"\n(?:[ \t]+\[|\[(?!\[?[A-Za-z0-9_.-]+\]\]?$))", re.MULTILINE)
_FIRST_ODD_BRACKET_LINE = re.compile(r"[ \t]+\[|\[(?!\[?[A-Za-z0-9_.-]+\]\]?$)", re.MULTILINE)
_VALUE_LINES: dict[str, re.Pattern[str]] = {}
# The first lines of a theme's and of a question's table, as musterm writes them.
_THEME_TOP = re.compile(rf'\nid = "{_STRING}"\ntitle = "({_STRING})"$', re.MULTILINE)
_QUESTION_TOP = re.compile(rf'\nid = "{_STRING}"\n(?:number = "({_STRING})"\n)?text = "({_STRING})"$', re.MULTILINE)
_FIRST_DATE = re.compile(r"date = (\d{4}-\d{2}-\d{2})$", re.MULTILINE)
_DATE = re.compile(r"\ndate = (\d{4}-\d{2}-\d{2})$", re.MULTILINE)
_FOLLOWUP_SESSION = re.compile(r"(?:^|[{,] )session = (\d{4}-\d{2}-\d{2})(?:$|,| )", re.MULTILINE)
_FOLLOWUP_ROW = re.compile(rf'(?:^|[{{,] )row = "({_STRING})"', re.MULTILINE)
_SKIP = object()
_GIVE_UP = object()
_TRIPLE_QUOTES = re.compile('"""')
_NEAR_THE_TOP = 1000  # characters: where [employee] is looked for first
_WEAK_SKELETON = 3  # an ASCII stretch shorter than this is in nearly every file (see `search`)
_SHORT_VALUE = 120  # characters: a value this short (plan rows, follow-up) is in many files
_NOWHERE = 1 << 62  # the raw text of a unit's value: not one stretch of the file


def _toml_value(raw: str) -> str:
    """A basic string's value from its Latin-1 view (no \\u escapes: those files are parsed)."""
    text = raw.encode("latin-1").decode("utf-8", errors="replace")
    return _SIMPLE_ESCAPE.sub(lambda match: _TOML_ESCAPES[match.group(1)], text) if "\\" in text else text


@dataclass
class _Shared:
    """What many files have alike, kept from one file to the next in a search: the labels of
    question tables (by their text outside the notes), the titles of themes (by their raw value)
    and the snippets of short values (by the raw value and where the needle is in it)."""

    labels: dict[str, str | None] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    snippets: dict[tuple[str, int], str | None] = field(default_factory=dict)


class _RawView:
    """A session file as one character per byte (Latin-1), and its structure.

    The structure is read from `outside`: the file with each multi-line string cut down to one NUL,
    so that every line of it that starts with a bracket is a table header (`of` checks that) and
    no search for a key or a header can land in what someone wrote. Positions in `text` are
    mapped to `outside` with `shifts`. A header is known by where its line starts in `outside`
    (-1: the top of the file, before any header).
    """

    def __init__(self, text: str, regions: list[tuple[int, int]], outside: str, shifts: list[int], shared: _Shared):
        self.text = text
        self.regions = regions
        self.region_starts = [start for start, _ in regions]
        self.outside = outside
        self.shifts = shifts
        """How much shorter `outside` is than `text` before each multi-line string (and after the last)."""
        self._cache: dict[tuple[str, object], str | int | None] = {}
        self._shared = shared
        """What files have alike, kept from one file to the next (for one search)."""
        self._themes: dict[int, int | None] = {}
        self._last_theme: tuple[int, int | None] = (-1, None)
        self._tables: dict[int, tuple[int, int]] = {}
        self.employee = ""
        self.date = ""

    @classmethod
    def of(cls, data: bytes, shared: _Shared) -> _RawView | None:
        text = data.decode("latin-1")
        # (A single character is found with memchr: the longer searches only run when it is there.)
        if "'" in text and "\'\'\'" in text or "\r" in text or "<" in text and _CONFLICT_START.search(text):
            return None  # literal strings, CRLF, git conflict markers (musterm refuses such a file)
        layout = _plain_layout(text)
        if layout is None:
            return None
        regions, outside, shifts = layout
        if _FIRST_ODD_BRACKET_LINE.match(outside) or _ODD_BRACKET_LINE.search(outside):
            return None  # a table header written some other way than musterm writes it
        return cls(text, regions, outside, shifts, shared)

    def _identify(self) -> bool:
        """The employee's name and the date, for the hits; False when not written the usual way."""
        head = self.outside[: 0 if self.outside.startswith("[") else self._next_header(-1)]
        date = _FIRST_DATE.match(head) or _DATE.search(head)
        header = self._find_header("[employee]", near_the_top=True)
        name = self._first_value(header, "name") if header is not None else None
        self.employee = _toml_value(name) if name is not None else ""
        self.date = date.group(1) if date else ""
        return bool(self.date and self.employee)

    def hits(self, lowered: bytes, skeleton: bytes, needle: str) -> list[tuple[str, str, str, bool]] | None:
        """(theme, field, snippet, private) in the order of `searchable_fields`; None: parse instead."""
        found: dict[tuple, tuple[str, str, str, bool] | None] = {}
        # An ASCII needle's length (see `_plain_snippet`); no value is as long as _NOWHERE.
        length = len(needle) if len(skeleton) == len(needle) else _NOWHERE
        find, unit_at = lowered.find, self._unit
        start = find(skeleton)
        while start >= 0:
            unit = unit_at(start)
            if unit is None:
                return None
            spots, end, value_start = unit
            for order, theme, field_name, value, private in spots:
                if order not in found:
                    found[order] = self._hit(theme, field_name, value, private, start - value_start, length, needle)
            start = find(skeleton, end if end > start else start + 1)  # a value is looked at whole
        hits = [hit for _, hit in sorted(found.items()) if hit is not None]
        if hits and not self._identify():
            return None
        return hits

    def _hit(self, theme, field_name, value, private, offset, length, needle):  # noqa: ANN001, ANN202, PLR0913
        """(theme, field, snippet, private), or None when the value does not hold the needle.

        `offset`: where the needle's ASCII stretch is in the raw value, its first place there (or
        not in the value at all); `length`: the needle's length when it is ASCII."""
        # A short value (a line, as in plan rows) is in many conversations: its snippet is kept.
        short = len(value) < _SHORT_VALUE
        snippet = self._shared.snippets.get((value, offset), _SKIP) if short else _SKIP
        if snippet is _SKIP:
            snippet = None
            if 0 <= offset <= len(value) - length and "\\" not in value:
                snippet = _plain_snippet(value, offset, length)
            if snippet is None:
                snippet = _snippet(_toml_value(value), needle)
            if short:
                self._shared.snippets[value, offset] = snippet
        return (theme, field_name, snippet, private) if snippet is not None else None

    # --- the string or line a place in the text is in ---------------------------------------------

    def _region_at(self, position: int) -> tuple[int, int] | None:
        index = bisect.bisect_right(self.region_starts, position) - 1
        if index >= 0 and position < self.regions[index][1]:
            return self.regions[index]
        return None

    def _outside_at(self, position: int) -> int:
        """Where a place in `text` outside the multi-line strings is in `outside`."""
        index = bisect.bisect_right(self.region_starts, position) - 1
        return position - self.shifts[index + 1]

    def _line(self, position: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, position) + 1
        end = self.text.find("\n", position)
        return start, len(self.text) if end < 0 else end

    def _unit(self, position: int) -> tuple[list[tuple], int, int] | None:
        """The searchable values of the string or line at `position`, where it ends and, for a single
        value, where its raw text starts (else _NOWHERE); None: give up.

        A value is looked at whole, so the rest of the same string or line need not be."""
        text = self.text
        index = bisect.bisect_right(self.region_starts, position) - 1
        if index >= 0 and position < self.regions[index][1]:
            start, end = self.regions[index]
            opener = _OPENER_PREFIX.fullmatch(text, text.rfind("\n", 0, start) + 1, start)
            if opener is None:
                return None  # a multi-line string inside an array
            value_start = start + 3 + text.startswith("\n", start + 3)
            at = start - self.shifts[index]  # its NUL in `outside`
            spot = self._field(at, None, -1, opener.group(1), text[value_start : end - 3], "")
            return self._spot(spot, end, value_start)
        line_start, line_end = self._line(position)
        line = text[line_start:line_end]
        if '"' not in line:
            return ([], line_end, _NOWHERE) if "'" not in line else None  # a 'literal string' is parsed
        if not line.startswith(" "):
            match = _KEY_LINE.fullmatch(line)
            if match is None:
                # The opening line of a multi-line string: the string itself is its own unit.
                opens = line.endswith('"""') and '"' not in line[:-3] and self._region_at(line_end - 3) is not None
                return ([], line_end, _NOWHERE) if opens else None
            at = position - self.shifts[index + 1]
            spot = self._field(at, None, -1, match.group(1), match.group(2), "")
            return self._spot(spot, line_end, line_start + match.start(2))
        return self._array_item(line_start, line_end, line)

    def _array_item(self, line_start: int, line_end: int, line: str) -> tuple[list[tuple], int, int] | None:
        text = self.text
        opener = text.rfind(" = [\n", 0, line_start)
        if opener < 0:
            return None
        opener_start = text.rfind("\n", 0, opener) + 1
        match = _ARRAY_OPENER.fullmatch(text, opener_start, opener + 4)
        if match is None or self._region_at(opener) is not None:
            return None
        array, between = match.group(1), text[opener + 5 : line_start]
        index, at = between.count("\n"), self._outside_at(opener)
        item = _ITEM_LINE.fullmatch(line)
        if item is not None:
            if _STRING_ITEMS.fullmatch(between) is None:
                return None
            spot = self._field(at, array, index, "", item.group(1), "")
            return self._spot(spot, line_end, line_start + item.start(1))
        if not (line.startswith("    { ") and line.endswith(" },")) or _INLINE_ITEMS.fullmatch(between) is None:
            return None
        pairs = _inline_pairs(line)
        if pairs is None:
            return None
        spots = [self._field(at, array, index, key, value, line) for key, (_, _, value) in pairs.items()]
        return self._spots(spots, line_end)

    @staticmethod
    def _spots(spots: list, end: int, value_start: int = _NOWHERE) -> tuple[list[tuple], int, int] | None:
        """The unit's spots and where it ends, and for one value: where its raw text starts."""
        if any(spot is _GIVE_UP for spot in spots):
            return None
        return [spot for spot in spots if spot is not _SKIP], end, value_start

    @staticmethod
    def _spot(spot: object, end: int, value_start: int) -> tuple[list[tuple], int, int] | None:
        """`_spots` of one value."""
        if spot is _GIVE_UP:
            return None
        return [] if spot is _SKIP else [spot], end, value_start

    # --- which field ----------------------------------------------------------------------------

    def _field(self, at: int, array: str | None, index: int, key: str, value: str, line: str):  # noqa: ANN202, PLR0911
        """(order, theme, field, value, private) like `searchable_fields`, _SKIP or _GIVE_UP.

        `at` is where the value is in `outside` (for an array item: the array's opening line)."""
        header = self._header_at(at)
        name = self._header_name(header)
        if array is None:
            content = _TABLE_CONTENT.get(name)
            if content is None:
                return _SKIP if name in _NOT_SEARCHED_TABLES else _GIVE_UP
            if key not in content:
                return _SKIP
            # The order of a row, a theme or a question is where its header starts (see `_theme_header`).
            if name == "[[themes.questions]]":
                order = (header, 1 + (key == "employee_notes"))
                return self._question_field(header, self._theme_header(header), order, _NOTES_FIELDS[key], value, at)
            if name == "" and key == "place":
                return (0,), *_PLACE, value, False
            if name == "[preparation]":
                return (1, key == "employee_notes"), _PREPARATION, _PREPARATION_FIELDS[key], value, False
            if name == "[closing]":
                return (6,), *_CLOSING, value, False
            if name == "[private]":
                return (7,), PRIVATE_NOTES, "", value, True
            if name == "[[themes]]":
                theme = self._theme_header(header)
                title = self._title(theme)
                if title is None:
                    return _GIVE_UP
                return (3, theme, -1, key == "employee_notes"), title, _NOTES_FIELDS[key], value, False
            if name == "[[followup]]":
                where = self._followup_where(self.outside, *self._table(header, at))
                if where is None:
                    return _GIVE_UP
                label = f"{where} › {_FOLLOWUP_HEADINGS[key]}"
                return (2, header, _FOLLOWUP_RANK[key]), FOLLOWUP_SECTION, label, value, False
            if name == "[[plan.rows]]":
                row_id = self._first_value(header, "id")
                if row_id is None:
                    return _GIVE_UP
                heading = f"{_agreement(_toml_value(row_id))} › {self._plan_heading(key)}"
                return (4, header, _PLAN_COLUMN_RANK[key]), PLAN_SECTION, heading, value, False
            label = self._first_value(header, "label")  # [[plan.fields]]
            if label is None:
                return _GIVE_UP
            return (5, header), PLAN_SECTION, _one_line(_toml_value(label)), value, False
        content = _ARRAY_CONTENT.get((name, array))
        if content is None:
            return _GIVE_UP
        if key not in content:
            return _SKIP
        inline = (_inline_pairs(line) if line else None) or {}
        if array == "followup":
            where = self._followup_where(line, 0, len(line))
            if where is None:
                return _GIVE_UP
            label = f"{where} › {_FOLLOWUP_HEADINGS[key]}"
            return (2, index, _FOLLOWUP_RANK[key]), FOLLOWUP_SECTION, label, value, False
        if array == "questions":
            order, field_name = (index, 1 + (key == "employee_notes")), _NOTES_FIELDS[key]
            return self._question_field(header, self._theme_header(header), order, field_name, value, at, inline)
        if array == "items":
            order = (header, 0, index)
            return self._question_field(header, self._theme_header(header), order, f"Punkt {index + 1}", value, at)
        if array == "rows":
            if "id" not in inline:
                return _GIVE_UP
            heading = f"{_agreement(_toml_value(inline['id'][2]))} › {self._plan_heading(key)}"
            return (4, index, _PLAN_COLUMN_RANK[key]), PLAN_SECTION, heading, value, False
        if "label" not in inline:  # fields
            return _GIVE_UP
        return (5, index), PLAN_SECTION, _one_line(_toml_value(inline["label"][2])), value, False

    def _question_field(self, header, theme, order, field_name, value, at, inline=None):  # noqa: ANN001, ANN202, PLR0913
        """A field of a question: `theme` is the header of its theme, `order` what orders it in the theme;
        `inline`: the pairs of the question written as an inline table, else it is read from its table."""
        title = self._title(theme)
        if inline is None:
            label = self._question_label(header, at)
        else:
            number, text = inline.get("number", (0, 0, ""))[2], inline.get("text", (0, 0, None))[2]
            label = None if text is None else _question_label(_toml_value(number), _toml_value(text))
        if title is None or label is None:
            return _GIVE_UP
        return (3, theme, *order), title, f"{label} › {field_name}", value, False

    def _title(self, theme: int | None) -> str | None:
        """The title of the theme whose header is at `theme` (cached: many hits share it)."""
        if theme is None:
            return None
        key = ("title", theme)
        if key not in self._cache:
            # As musterm writes it, the title is the line after the id: no need to look further.
            end = self.outside.find("\n", theme)
            top = _THEME_TOP.match(self.outside, end) if end >= 0 else None
            title = top.group(1) if top else self._first_value(theme, "title")
            if title is not None:
                shown = self._shared.titles.get(title)
                if shown is None:
                    shown = self._shared.titles[title] = _one_line(_toml_value(title))
                title = shown
            self._cache[key] = title
        return self._cache[key]

    def _question_label(self, header: int, at: int) -> str | None:
        """A question's number and text, from its table (which holds `at`).

        Many conversations have the same question table (outside the notes): it is read once."""
        key = ("question", header)
        if key not in self._cache:
            block = self.outside[header : self._table(header, at)[1]]
            label = self._shared.labels.get(block, _SKIP)
            if label is _SKIP:
                label = self._shared.labels[block] = _block_question_label(block)
            self._cache[key] = label
        return self._cache[key]

    # --- the structure, in `outside` -------------------------------------------------------------

    def _header_at(self, position: int) -> int:
        """The header whose table holds `position`."""
        found = self.outside.rfind("\n[", 0, position + 1)
        if found < 0:
            return 0 if self.outside.startswith("[") else -1
        return found + 1

    def _next_header(self, header: int) -> int:
        """Where the header after `header` starts (the end of the file after the last one)."""
        found = self.outside.find("\n[", header + 1)
        return found + 1 if found >= 0 else len(self.outside)

    def _header_name(self, header: int) -> str:
        if header < 0:
            return ""
        end = self.outside.find("\n", header)
        return self.outside[header : end if end >= 0 else len(self.outside)]

    def _find_header(self, name: str, near_the_top: bool = False) -> int | None:
        """The first header that reads `name` (looked for from the top first when it is usually there)."""
        key = ("header", name)
        if key not in self._cache:
            outside, line = self.outside, f"\n{name}\n"
            if outside.startswith(name + "\n"):
                header = 0
            elif near_the_top and (found := outside.find(line, 0, _NEAR_THE_TOP)) >= 0:
                header = found + 1
            else:
                # From the end backwards (rfind is a few times faster than find in Python 3.11):
                # the last one found is the first one.
                header, end = None, len(outside)
                while (found := outside.rfind(line, 0, end)) >= 0:
                    header, end = found + 1, found + len(name) + 1  # an earlier one may end where this starts
            self._cache[key] = header
        return self._cache[key]

    def _theme_header(self, header: int) -> int | None:
        """The [[themes]] header at or above `header` (cached: every hit in a theme asks).

        The hits are ordered like `searchable_fields` by where the headers of their theme, question
        or row start (or, in a list written inline, by the item's line in it): these places ascend
        as the indices in the session do, and a list is never both tables and inline in one file.
        Without a theme (None) there is no title either: the hit is given up."""
        if header in self._themes:
            return self._themes[header]
        outside, theme = self.outside, None
        # Hits come in the order of the file: above the header asked about last, the answer is known.
        last, last_theme = self._last_theme
        floor = last if 0 <= last < header else 0
        if header < 0:
            pass
        elif outside.startswith("[[themes]]\n", header):
            theme = header
        elif (found := outside.rfind("\n[[themes]]\n", floor, header)) >= 0:
            theme = found + 1
        elif floor:
            theme = last_theme
        elif outside.startswith("[[themes]]\n"):
            theme = 0
        self._themes[header] = theme
        if header > last:
            self._last_theme = (header, theme)
        return theme

    def _table(self, header: int, inside: int = -1) -> tuple[int, int]:
        """Where the lines of a header's table are: from the end of its line to the next header.

        `inside`, a place known to be in the table, is where the search for its end starts."""
        table = self._tables.get(header)
        if table is None:
            outside = self.outside
            end = outside.find("\n", header)
            table = (end, self._next_header(max(header, inside - 1))) if end >= 0 else (len(outside), len(outside))
            self._tables[header] = table
        return table

    def _value(self, table: tuple[int, int], key: str) -> str | None:
        """A single-line string value in a table (None when absent or written otherwise)."""
        match = _value_line(key).search(self.outside, *table)
        return match.group(1) if match else None

    def _first_value(self, header: int, key: str) -> str | None:
        """`_value` in a header's table for a key near its top: found without finding where it ends."""
        outside = self.outside
        start = outside.find("\n", header)
        match = _value_line(key).search(outside, start) if start >= 0 else None
        # The first such line after the header, unless a later header comes first.
        if match is None or outside.find("\n[", start, match.start()) >= 0:
            return None
        return match.group(1)

    def _value_in_table(self, name: str, key: str) -> str:
        header = self._find_header(name)
        if header is not None:
            value = self._value(self._table(header), key)
            return _toml_value(value) if value is not None else ""
        return ""

    def _followup_where(self, text: str, start: int, end: int) -> str | None:
        session = _FOLLOWUP_SESSION.search(text, start, end)
        row = _FOLLOWUP_ROW.search(text, start, end)
        if session is None or row is None:
            return None
        return _agreement(_toml_value(row.group(1)), session.group(1))

    def _plan_heading(self, key: str) -> str:
        cache_key = ("heading", key)
        if cache_key not in self._cache:
            value = self._value_in_table("[plan.headings]", key)
            self._cache[cache_key] = _one_line(value) or _DEFAULT_PLAN_HEADINGS[key]
        return self._cache[cache_key] or ""


def _block_question_label(block: str) -> str | None:
    """A question's label from its table (the header line, then its lines, in `outside`)."""
    end = block.find("\n")
    top = _QUESTION_TOP.match(block, end) if end >= 0 else None
    if top is not None:  # the id, the number, the text: the first lines, as musterm writes them
        text, number = top.group(2), top.group(1)
        if number is None:  # a number further down?
            number = (match := _value_line("number").search(block, top.end())) and match.group(1)
    else:
        text = (match := _value_line("text").search(block, max(end, 0))) and match.group(1)
        number = (match := _value_line("number").search(block, max(end, 0))) and match.group(1)
    return None if text is None else _question_label(_toml_value(number or ""), _toml_value(text))


def _value_line(key: str) -> re.Pattern[str]:
    """A line `key = "value"` (a basic string), the value in group 1."""
    pattern = _VALUE_LINES.get(key)
    if pattern is None:
        pattern = _VALUE_LINES[key] = re.compile(rf'\n{key} = "({_STRING})"$', re.MULTILINE)
    return pattern


def _plain_layout(text: str) -> tuple[list[tuple[int, int]], str, list[int]] | None:
    """The spans of the multi-line strings, the text outside them (each string cut down to a NUL)
    and how much shorter that is before each string and after the last; None when the strings are
    not plain (`_multiline_regions`, `_plain_regions`)."""
    if "\\" in text:
        regions = _multiline_regions(text)
        if regions is None or not _plain_regions(text, regions):
            return None
        ends, starts = [0] + [end for _, end in regions], [start for start, _ in regions] + [len(text)]
        outside = "\0".join([text[end:start] for end, start in zip(ends, starts)])
        return regions, outside, list(accumulate((end - start - 1 for start, end in regions), initial=0))
    # Nothing is escaped (as in most files): each string ends at the next \"\"\", the parts of the
    # split are alternately outside and inside, and the checks of `_plain_regions` are done on them.
    parts = _TRIPLE_QUOTES.split(text)  # as text.split('"""'), in two thirds of the time
    if len(parts) % 2 == 0 or '"' in "".join(parts[1::2]):
        return None
    regions, shifts, position, shift, last = [], [0], 0, 0, len(parts) - 2
    opener = _OPENER_PREFIX.fullmatch
    for index in range(1, len(parts), 2):
        before, after = parts[index - 1], parts[index + 1]
        if after.startswith("\n") or not after and index == last:
            if not before.endswith(_USUAL_OPENERS):
                line = before.rfind("\n")
                if line < 0 and index > 1:
                    return None  # the line holds the end of the string before
                if opener(before, line + 1) is None and before[line + 1 :].strip(" "):
                    return None
        elif not after.startswith(",\n"):
            return None
        start, size = position + len(before), len(parts[index])
        position = start + size + 6
        regions.append((start, position))
        shift += size + 5
        shifts.append(shift)
    return regions, "\0".join(parts[0::2]), shifts


def _plain_regions(text: str, regions: list[tuple[int, int]]) -> bool:
    """Each multi-line string opened after `key = ` (or as an array item) and closed at a line's end."""
    rfind, opener = text.rfind, _OPENER_PREFIX.fullmatch
    for start, end in regions:
        after = text[end : end + 2]
        if after == ",\n":
            continue
        if after[:1] not in ("\n", ""):
            return False
        line_start = rfind("\n", 0, start) + 1
        if opener(text, line_start, start) is None and text[line_start:start].strip(" "):
            return False
    return True


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
    yield *_PLACE, session.place, False
    for key, name in _PREPARATION_FIELDS.items():
        yield _PREPARATION, name, getattr(session.preparation, key), False
    for row in session.followup:
        where = _agreement(row.row, row.session.isoformat())
        for key, heading in _FOLLOWUP_HEADINGS.items():  # the plan's columns, then the comment
            yield FOLLOWUP_SECTION, f"{where} › {heading}", getattr(row, key), False
    for theme in session.themes:
        title = _one_line(theme.title)
        for key, name in _NOTES_FIELDS.items():
            yield title, name, getattr(theme, key), False
        for question in theme.questions:
            label = _question_label(question.number, question.text)
            for index, item in enumerate(question.items, start=1):
                yield title, f"{label} › Punkt {index}", item, False
            for key, name in _NOTES_FIELDS.items():
                yield title, f"{label} › {name}", getattr(question, key), False
    for row in session.plan.rows:
        where = _agreement(row.id)
        for column in PLAN_COLUMN_KEYS:
            yield PLAN_SECTION, f"{where} › {_heading(session.plan.headings, column)}", row.column(column), False
    for plan_field in session.plan.fields:
        yield PLAN_SECTION, _one_line(plan_field.label), plan_field.text, False
    yield *_CLOSING, session.closing.evaluation, False
    yield PRIVATE_NOTES, "", session.private.notes, True


def _agreement(row: str, since: str = "") -> str:
    """A plan row as hits name it, 'Aftale 2', or as followed up: 'Aftale 2 fra 2024-11-18'."""
    return f"Aftale {row} fra {since}" if since else f"Aftale {row}"


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


def _folded_holds(data: bytes, needle: str) -> bool:
    """Whether a plain file (`_plain_bytes`) may hold a needle without `_NEEDS_PARSING` characters:
    its whole text, folded as the needle is, holds it (as `_may_contain`, without what an
    escape could hide: a plain file has no such escape)."""
    return needle in fold(data.decode("utf-8", errors="replace"))


def _plain_snippet(raw: str, offset: int, length: int) -> str | None:
    """`_snippet` of a value from a plain file (see `_plain_bytes`), without folding all of it.

    `raw` is the value's Latin-1 view without escapes, and holds an ASCII needle at `offset`, its
    first place in the value: no folding character can make an earlier one, nor move the ASCII
    letters. Only normalization could; None when the value is not in NFC already.
    """
    data = raw.encode("latin-1")
    text = data.decode("utf-8", errors="replace")
    if not text.isascii():
        try:
            text.encode("latin-1")  # Latin-1 letters are all in NFC
        except UnicodeEncodeError:
            if unicodedata.normalize("NFC", text) != text:
                return None
    start = len(data[:offset].decode("utf-8", errors="replace"))
    return _window(text, start, start + length)


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
    size, low, high = len(text), start - SNIPPET_CONTEXT, end + SNIPPET_CONTEXT
    if low > 0:
        space = text.find(" ", low, start)
        if space >= 0:
            low = space + 1
    else:
        low = 0
    if high < size:
        space = text.rfind(" ", end, high)
        if space >= 0:
            high = space
    else:
        high = size
    snippet = " ".join(text[low:high].split())
    if low > 0:
        snippet = "…" + snippet
    return snippet + "…" if high < size else snippet


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
    conversations = len({hit.path for hit in hits})
    noun = "samtale" if conversations == 1 else "samtaler"
    lines = [f"{len(hits)} fund for \"{text}\" i {conversations} {noun}:"]
    append = lines.append
    current = None
    for hit in hits:
        if hit.path != current:
            current = hit.path
            lines += ["", f"{hit.employee} {hit.date}  ({current})"]
        theme, field_name = hit.theme, hit.field
        where = f"{theme} › {field_name}" if theme and field_name else theme or field_name
        append(f"  [PRIVAT] {where}: {hit.snippet}" if hit.private else f"  {where}: {hit.snippet}")
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


# The plan's default column headings, as follow-up fields name them in search.
_DEFAULT_PLAN_HEADINGS = {key: _one_line(getattr(DEFAULT_HEADINGS, key)) for key in PLAN_COLUMN_KEYS}
_FOLLOWUP_HEADINGS = {**_DEFAULT_PLAN_HEADINGS, "comment": "Kommentar"}


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
