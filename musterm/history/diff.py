"""Comparing two conversations."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from musterm.history.text import (
    _DEFAULT_PLAN_HEADINGS,
    FOLLOWUP_SECTION,
    NOT_ASSESSED,
    PLAN_SECTION,
    PRIVATE_NOTES,
    _indented,
    _one_line,
    _question_label,
)
from musterm.model import kinds
from musterm.model.labels import PLAN_COLUMN_KEYS
from musterm.model.session import PlanHeadings, PlanRow, QuestionRecord, Session

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
    answers = _answers(a, b)
    for name, before, after in (pair for pair, text in answers if not text):
        if before == after:
            continue
        if both:
            changes.append(Change(section, subject, name, CHANGED, before or "–", after or "–"))
        else:
            changes.append(Change(section, subject, name, ADDED if b is not None else REMOVED, before, after))
    changes += _text_changes(section, subject, [
        *(pair for pair, text in answers if text),
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
                (_DEFAULT_PLAN_HEADINGS["what"], "", row.what),
                ("Kommentar", "", row.comment),
            ])
            continue
        before = earlier.status.label if earlier.status else NOT_ASSESSED
        if before != status:
            changes.append(Change(FOLLOWUP_SECTION, subject, "Status", CHANGED, before, status))
        changes += _text_changes(FOLLOWUP_SECTION, subject, [
            *((_DEFAULT_PLAN_HEADINGS[c], getattr(earlier, c), getattr(row, c)) for c in PLAN_COLUMN_KEYS),
            ("Kommentar", earlier.comment, row.comment),
        ])
    for key, row in a_rows.items():
        if key not in b_rows and row.session in b_sessions:
            changes.append(Change(FOLLOWUP_SECTION, f"Aftale {row.row} fra {row.session.isoformat()}", "", REMOVED))
    return changes


def _plan_changes(a: Session, b: Session) -> list[Change]:
    """The plan's rows paired by what they say (pair_rows), each named by its place in its own plan."""
    changes: list[Change] = []
    headings = b.plan.headings
    a_rows = [(number, row) for number, row in enumerate(a.plan.rows, start=1) if not row.empty]
    b_rows = [(number, row) for number, row in enumerate(b.plan.rows, start=1) if not row.empty]
    pairs = pair_rows([row for _, row in a_rows], [row for _, row in b_rows])
    paired = {later: earlier for earlier, later in pairs}
    for position, (number, row) in enumerate(b_rows):
        subject = f"Aftale {number}"
        earlier = a_rows[paired[position]][1] if position in paired else None
        if earlier is None:
            changes.append(Change(PLAN_SECTION, subject, "", ADDED))
        columns = [(_heading(headings, c), earlier.column(c) if earlier else "", row.column(c)) for c in PLAN_COLUMN_KEYS]
        changes += _text_changes(PLAN_SECTION, subject, columns)
        changes += _competence_changes(subject, a.competence_name(earlier) if earlier else None, b.competence_name(row))
        before = earlier.status.label if earlier and earlier.status else ""
        after = row.status.label if row.status else ""
        if before != after and earlier is None:
            changes.append(Change(PLAN_SECTION, subject, "Status", ADDED, "", after))
        elif before != after:
            changes.append(Change(PLAN_SECTION, subject, "Status", CHANGED, before or "–", after or "–"))
    kept = {earlier for earlier, _ in pairs}
    for position, (number, row) in enumerate(a_rows):
        if position not in kept:
            changes.append(Change(PLAN_SECTION, f"Aftale {number}", "", REMOVED, before=_one_line(row.what)))
    a_fields = {f.id: f for f in a.plan.fields}
    for plan_field in b.plan.fields:
        earlier_text = a_fields[plan_field.id].text if plan_field.id in a_fields else ""
        changes += _text_changes(PLAN_SECTION, _one_line(plan_field.label), [("Tekst", earlier_text, plan_field.text)])
    b_field_ids = {f.id for f in b.plan.fields}
    for plan_field in a.plan.fields:
        if plan_field.id not in b_field_ids:
            changes += _text_changes(PLAN_SECTION, _one_line(plan_field.label), [("Tekst", plan_field.text, "")])
    return changes


def _competence_changes(subject: str, before: str | None, after: str) -> list[Change]:
    """The competence a plan row points to, by name (`Session.competence_name`): on a new row (`before`
    None) when it has one, else when it changed ('–' for none)."""
    if before is None:
        return [Change(PLAN_SECTION, subject, "Kompetence", ADDED, "", after)] if after else []
    if before == after:
        return []
    return [Change(PLAN_SECTION, subject, "Kompetence", CHANGED, before or "–", after or "–")]


SAME_AGREEMENT = 0.6
"""How alike (difflib's ratio, 0–1) two rows' words must be to count as one agreement changed."""


def pair_rows(earlier: Sequence[PlanRow], later: Sequence[PlanRow]) -> list[tuple[int, int]]:
    """(index in `earlier`, index in `later`) of the rows that are one agreement: rows saying
    exactly the same first, then the same Hvad?, then the most alike (at least SAME_AGREEMENT);
    among equals, the rows nearest in place. Numbers and ids play no part."""
    candidates = []
    for i, before in enumerate(earlier):
        for j, after in enumerate(later):
            likeness = _likeness(before, after)
            if likeness >= SAME_AGREEMENT:
                candidates.append((-likeness, abs(i - j), i, j))
    pairs: list[tuple[int, int]] = []
    used_earlier: set[int] = set()
    used_later: set[int] = set()
    for _, _, i, j in sorted(candidates):
        if i not in used_earlier and j not in used_later:
            used_earlier.add(i)
            used_later.add(j)
            pairs.append((i, j))
    return sorted(pairs, key=lambda pair: pair[1])


def _likeness(a: PlanRow, b: PlanRow) -> float:
    """3 for rows saying the same, 2 for the same Hvad?, else how alike their Hvad? is (or all
    their words, where one has no Hvad?)."""
    a_columns = [_words(a.column(key)) for key in PLAN_COLUMN_KEYS]
    b_columns = [_words(b.column(key)) for key in PLAN_COLUMN_KEYS]
    if a_columns == b_columns:
        return 3.0
    a_what, b_what = a_columns[0], b_columns[0]
    if a_what and a_what == b_what:
        return 2.0
    if not (a_what and b_what):
        a_what, b_what = " ".join(a_columns), " ".join(b_columns)
    return difflib.SequenceMatcher(None, a_what, b_what, autojunk=False).ratio()


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


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
            # A subject added or removed as a whole starts a block of its own, even under the same
            # name as the one before it (plan row 1 of the new plan is new, row 1 of the old removed).
            if change.subject != subject or (not change.field and change.kind in (ADDED, REMOVED)):
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
    return _one_line(getattr(headings, column)) or _DEFAULT_PLAN_HEADINGS[column]


def _answers(a: QuestionRecord | None, b: QuestionRecord | None) -> list[tuple[tuple[str, str, str], bool]]:
    """((part, before, after), compared as text) for each part of the answers, as their kinds compare them.

    A question asked as another kind than before compares the parts of both kinds; a part one kind
    lacks is not given ('')."""
    before, after = _compared(a), _compared(b)
    parts = []
    for label in dict.fromkeys([*after, *before]):
        was, now = before.get(label), after.get(label)
        parts.append(((label, was.value if was else "", now.value if now else ""), (now or was).text))
    return parts


def _compared(question: QuestionRecord | None) -> dict[str, kinds.Compared]:
    if question is None:
        return {}
    return {part.label: part for part in kinds.get(question.kind).compared(question.as_data())}


def _scale_text(question: QuestionRecord) -> str:
    return f"{question.scale.min}–{question.scale.max}" if question.scale else ""


def _framework_text(session: Session) -> str:
    return f"{session.framework.name} (version {session.framework.version})"


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""
