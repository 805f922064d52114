"""An employee's conversations over the years, their score trends and earlier notes.

Session files are read with the store's reader of a folder (`store.previous.sessions_of`), never
through `Store.load`: that method records the file's digest for the store's "changed on disk"
check, and a history view must not make an open conversation forget what it last read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from musterm.history.text import (
    NOT_ASSESSED,
    _indented,
    _one_line,
    _question_label,
)
from musterm.model import kinds
from musterm.model.labels import STATUS_LABELS
from musterm.model.session import (
    FollowUpStatus,
    Person,
    QuestionRecord,
    ScaleSnapshot,
    Session,
    ThemeRecord,
)
from musterm.store.previous import sessions_of
from musterm.store.repository import Store

# --- reading an employee's conversations -------------------------------------------------------


def read_sessions(store: Store, folder: str) -> tuple[list[tuple[str, Session]], list[tuple[str, str]]]:
    """(path, session) oldest first, and (path, message) for files that cannot be read: the store's
    own reader of an employee's conversations (`musterm.store.previous.sessions_of`), with its size
    limit and its comparison with the last commit."""
    sessions, damaged = sessions_of(store, folder)
    sessions.sort(key=lambda pair: (pair[1].date, pair[0]))
    return sessions, [(relative, str(error)) for relative, error in damaged]


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
    def employee(self) -> Person | None:
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
        self, question_id: str, before: dt.date, scale: ScaleSnapshot | None = None
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
            if not (theme.in_trends and theme.in_summary):
                continue  # the framework keeps it out of statistics (the employee's view of the leader)
            trend = kinds.get(question.kind).trend(question.as_data())
            if trend is None:
                continue
            if question.id not in latest:
                latest[question.id] = (theme, question)
                order.append(question.id)
            points.setdefault(question.id, []).append(
                TrendPoint(
                    date=session.date,
                    path=path,
                    score=trend.score,
                    own_score=trend.own_score,
                    scale_min=trend.scale_min,
                    scale_max=trend.scale_max,
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


def format_earlier_scores(points: Iterable[TrendPoint], scale: ScaleSnapshot | None = None) -> str:
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
