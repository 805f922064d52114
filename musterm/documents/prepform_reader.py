"""Reading the employee's preparation form back into the conversation (the format is described in `prepform`)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from musterm.documents.prepform import _ESCAPED_MARKER, _ITEM, _MARKER
from musterm.errors import FileError, LocatedProblem
from musterm.model import kinds
from musterm.model.session import (
    QuestionRecord,
    Session,
    normalize_text,
    one_line,
)

_ANSWER_LINES = kinds.form_fields()
"""The answers' fields of every kind ("Score:", "Valg:", ...), by the word they start with."""
_FIELD = re.compile(
    rf"^(medarbejder|{'|'.join(line.pattern for line in _ANSWER_LINES.values())}|noter)\s*:(.*)$", re.IGNORECASE
)


@dataclass
class _Section:
    kind: str  # "general", "theme" or "question"
    id: str
    line: int
    fields: dict[str, tuple[int, str]] = field(default_factory=dict)
    items: dict[int, tuple[int, str]] = field(default_factory=dict)
    stray: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    in_notes: bool = False

    def text(self) -> str:
        lines = [*self.stray, *self.notes]
        return normalize_text("\n".join(lines)).strip("\n")


@dataclass
class PrepAnswers:
    """What a form says, checked against the conversation, before it is applied."""

    employee_notes: str | None = None
    themes: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    given: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per question, the answer fields the form gives, as its kind read them (None: a blank that clears)."""

    @property
    def empty(self) -> bool:
        return not (
            (self.employee_notes or "").strip()
            or any(text.strip() for text in self.themes.values())
            or any(text.strip() for text in self.notes.values())
            or any(value is not None for answers in self.given.values() for value in answers.values())
        )


def read_form_file(file: Path) -> str:
    """A form as text, whatever a text editor saved: UTF-8 (with or without BOM), UTF-16, or Windows-1252."""
    from musterm.formats.tomlsource import read_bytes

    return decode_form(read_bytes(file))


def decode_form(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse_prep(session: Session, text: str, file: Path | str = "<skema>") -> PrepAnswers:
    """Read a filled form; every problem is reported as FILE:LINE: message, all at once."""
    problems: list[LocatedProblem] = []

    def problem(line: int, message: str) -> None:
        problems.append(LocatedProblem(file, line, (), message))

    sections = _split_sections(text, problem)
    answers = PrepAnswers()
    header = sections[0]
    _check_employee(session, header, problem)
    if "noter" in header.fields or header.text():
        answers.employee_notes = header.text()
    seen: dict[tuple[str, str], int] = {}
    for section in sections[1:]:
        key = (section.kind, section.id)
        if key in seen:
            what = "spørgsmålet" if section.kind == "question" else "temaet"
            problem(section.line, f"{what} [{section.id}] står to gange i skemaet (også linje {seen[key]})")
            continue
        seen[key] = section.line
        if section.kind == "theme":
            _read_theme(session, section, answers, problem)
        else:
            _read_question(session, section, answers, problem)
    if problems:
        raise FileError(file, sorted(problems, key=lambda p: p.line or 0))
    return answers


def import_prep(session: Session, text: str, file: Path | str = "<skema>", today: dt.date | None = None) -> Session:
    """The conversation with the employee's form read in: own scores and notes, choices and answers.

    The form is the employee's whole preparation: their own scores and notes in each
    section it holds replace what was there. Choices, yes/no answers and list items are
    shared with the conversation, so the form only sets those it gives. A form with
    nothing filled in changes nothing.
    """
    if not session.status.editable:
        raise FileError.single(
            file, "samtalen er afsluttet; genåbn den, før du indlæser medarbejderens forberedelse"
        )
    answers = parse_prep(session, text, file)
    if answers.empty:
        return session
    themes = []
    for theme in session.themes:
        questions = [_apply_to_question(question, answers) for question in theme.questions]
        update: dict[str, object] = {"questions": questions}
        if theme.id in answers.themes:
            update["employee_notes"] = answers.themes[theme.id]
        themes.append(theme.model_copy(update=update))
    preparation = session.preparation.model_copy(
        update={
            "employee_notes": (
                answers.employee_notes if answers.employee_notes is not None else session.preparation.employee_notes
            ),
            "employee_submitted": today or dt.date.today(),
        }
    )
    return session.model_copy(update={"themes": themes, "preparation": preparation})


def _apply_to_question(question: QuestionRecord, answers: PrepAnswers) -> QuestionRecord:
    update: dict[str, object] = dict(answers.given.get(question.id, {}))
    if question.id in answers.notes:
        update["employee_notes"] = answers.notes[question.id]
    return question.model_copy(update=update) if update else question


def describe_import(before: Session, after: Session) -> str:
    """One Danish sentence saying what a form brought in, for the command's output and the app."""
    if before == after:
        return "Intet nyt at indlæse: skemaet er ikke udfyldt, eller det er allerede indlæst."
    pairs = list(zip(before.questions(), after.questions(), strict=True))
    counts = Counter(
        tally for (_, b), (_, a) in pairs for tally in kinds.get(a.kind).counted(b.as_data(), a.as_data())
    )
    noted = sum(1 for _, (_, q) in pairs if q.employee_notes.strip())
    themes = sum(1 for theme in after.themes if theme.employee_notes.strip())
    parts = [_count(counts[tally], tally.singular, tally.plural) for tally in kinds.tallies() if tally.own and counts[tally]]
    if noted:
        parts.append(f"noter til {_count(noted, 'spørgsmål', 'spørgsmål')}")
    if themes:
        parts.append(f"noter til {_count(themes, 'tema', 'temaer')}")
    parts += [_count(counts[t], t.singular, t.plural) for t in kinds.tallies() if not t.own and counts[t]]
    if after.preparation.employee_notes.strip():
        parts.append("personlige noter til forberedelse")
    if not parts:
        return "Medarbejderens forberedelse er indlæst; alle felter i skemaet var tomme."
    listing = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
    return f"Medarbejderens forberedelse er indlæst: {listing}."


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _split_sections(text: str, problem) -> list[_Section]:  # noqa: ANN001
    sections = [_Section("general", "", 1)]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip(" \t\f\v")  # what normalize_text strips; other characters are the employee's
        marker = _MARKER.match(line)
        if marker:
            kind = "theme" if marker.group(1) == "##" else "question"
            sections.append(_Section(kind, marker.group(2).strip(), number))
            continue
        section = sections[-1]
        if section.in_notes:
            section.notes.append(line[1:] if _ESCAPED_MARKER.match(line) else line)
            continue
        if not line.strip() or line.startswith("#"):
            continue
        found = _FIELD.match(line)
        if found:
            name = found.group(1).casefold().split()[0].split("(")[0]
            value = found.group(2).strip()
            if name == "noter":
                section.in_notes = True
                section.fields["noter"] = (number, "")
                if value:
                    section.notes.append(found.group(2).lstrip())
                continue
            if name in section.fields:
                label = found.group(1).strip()
                problem(number, f"»{label}:« står to gange (også linje {section.fields[name][0]})")
                continue
            section.fields[name] = (number, value)
            continue
        item = _ITEM.match(line)
        if item and section.kind == "question":
            index = int(item.group(1))
            if index in section.items:
                problem(number, f"punkt {index} står to gange (også linje {section.items[index][0]})")
                continue
            section.items[index] = (number, " ".join(item.group(2).split()))
            continue
        section.stray.append(line)
    return sections


def _check_employee(session: Session, header: _Section, problem) -> None:  # noqa: ANN001
    expected = session.employee.name
    if "medarbejder" not in header.fields:
        problem(1, f"linjen »Medarbejder: {expected}« mangler øverst i skemaet")
        return
    line, name = header.fields["medarbejder"]
    if not name:
        problem(line, f"navnet mangler efter »Medarbejder:«; skemaet skal være til {expected}")
    elif one_line(name).casefold() != one_line(expected).casefold():
        problem(line, f"skemaet er til {one_line(name)}, men samtalen er med {expected}")
    for other in _ANSWER_LINES:
        if other in header.fields:
            problem(header.fields[other][0], "feltet hører til et spørgsmål; det står før første overskrift")


def _read_theme(session: Session, section: _Section, answers: PrepAnswers, problem) -> None:  # noqa: ANN001
    theme = session.theme(section.id)
    if theme is None:
        problem(section.line, f"ukendt tema [{section.id}]: det findes ikke i denne samtale")
        return
    for name, (line, _) in section.fields.items():
        if name != "noter":
            problem(line, f"temaet »{one_line(theme.title)}« har ingen {_field_label(name)}; skriv under »Noter:«")
    answers.themes[theme.id] = section.text()


def _read_question(session: Session, section: _Section, answers: PrepAnswers, problem) -> None:  # noqa: ANN001
    question = session.question(section.id)
    if question is None:
        problem(section.line, f"ukendt spørgsmål [{section.id}]: det findes ikke i denne samtale")
        return
    answers.notes[question.id] = section.text()
    kind, data = kinds.get(question.kind), question.as_data()
    given: dict[str, Any] = {}
    for name, (line, value) in section.fields.items():
        if name == "medarbejder":
            problem(line, "»Medarbejder:« hører til øverst i skemaet, før første overskrift")
        elif name in _ANSWER_LINES and not kind.accepts(data, name):
            problem(line, f"spørgsmålet [{question.id}] {_ANSWER_LINES[name].refusal}; skriv under »Noter:«")
        elif name in _ANSWER_LINES:
            try:
                given.update(kind.read_form(data, name, value))
            except kinds.FormProblem as error:
                problem(error.line or line, str(error))
    if section.items and not kind.items:
        first = min(line for line, _ in section.items.values())
        problem(first, f"spørgsmålet [{question.id}] {kinds.ITEMS_REFUSAL}; skriv under »Noter:«")
    elif section.items:
        try:
            given.update(kind.read_items(data, section.items))
        except kinds.FormProblem as error:
            problem(error.line or section.line, str(error))
    if given:
        answers.given[question.id] = given


def _field_label(name: str) -> str:
    if name in _ANSWER_LINES:
        return _ANSWER_LINES[name].noun
    return "medarbejderfelt" if name == "medarbejder" else name


__all__ = [
    "PrepAnswers",
    "decode_form",
    "describe_import",
    "import_prep",
    "parse_prep",
    "read_form_file",
]
