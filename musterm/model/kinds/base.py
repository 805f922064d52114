"""The entry every question kind gives the registry (`Kind`), what it is made of, and the registry itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Protocol

Data = Mapping[str, Any]
"""A question as its table in a session file holds it: its keys and values, the scale as a mapping
(min, max, label, ...) and the options as id -> label. A key left out has its default: a parsed file
leaves defaults out, `QuestionRecord.as_data()` has them all."""


@dataclass(frozen=True)
class AnswerField:
    """One answer key of a question's table in the session file (the session model has a field for each)."""

    name: str
    type: Any
    """Its type in the session model: `int | None`, `bool | None`, `str | None` or `list[str]`."""
    default: Any = None
    text: bool = False
    """Text someone wrote: normalised like notes, and searched (`label`, a list's items with their number)."""
    label: str = ""
    check: Callable[[Any, Data], str | None] | None = None
    """Why a given value (never None) does not fit the question, in Danish; None when it fits."""
    format: int = 1
    """The session format that added the field (a file holding it is written as that format)."""


@dataclass(frozen=True)
class FormField:
    """A line 'Label: value' of the preparation form, for the answers of a question."""

    key: str
    """The line's first word, casefolded: how the form's reader knows it."""
    pattern: str
    """The label as the reader accepts it (a regular expression, case-insensitive)."""
    refusal: str
    """Why a question without this field refuses the line: 'spørgsmålet [id] {refusal}; ...'."""
    noun: str
    """What a theme has none of: 'temaet »Trivsel« har ingen {noun}; ...'."""


@dataclass(frozen=True)
class Compared:
    """One part of an answer as `musterm diff` compares it ('' when not given)."""

    label: str
    value: str
    text: bool = False
    """Compared line by line, like notes (else shown as 'before → after')."""


@dataclass(frozen=True)
class Trend:
    """What an answer adds to the employee's trends: the agreed and the own score on their scale."""

    score: int | None
    own_score: int | None
    scale_min: int
    scale_max: int


@dataclass(frozen=True)
class Tally:
    """What an imported preparation form brought in, as the import's summary counts it."""

    singular: str
    plural: str
    own: bool
    """The employee's own answers (counted before the notes); else answers shared with the meeting."""


class FormProblem(ValueError):
    """A line of the preparation form that does not fit the question; `line` when not the field's own."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class Form(Protocol):
    """What the preparation form's writer lends an entry."""

    def comment(self, text: str, *, indent: str = "", hanging: str = "") -> list[str]:
        """Guidance as '#' lines, wrapped."""
        ...

    def option(self, option_id: str) -> tuple[str, Sequence[str]]:
        """An option's description and helper questions from the framework ('' and () without it)."""
        ...


class Kind:
    """One kind of question. The defaults are those of a question answered with notes alone."""

    name: ClassVar[str]
    fields: ClassVar[tuple[AnswerField, ...]] = ()
    scale: ClassVar[bool] = False
    """Answered on a scale: the framework must give one, and the conversation keeps a copy."""
    options: ClassVar[bool] = False
    """May have options to choose between."""
    items: ClassVar[bool] = False
    """Has a number of items (the framework's `items`), written in the form as numbered lines."""
    wheel: ClassVar[bool] = False
    """A competence: a spoke of the competence wheel (`musterm.documents.wheel`), scored now and wanted
    (the `now` and `wanted` answer fields), and what a plan row may point to (`PlanRow.competence`)."""
    form_fields: ClassVar[tuple[FormField, ...]] = ()
    form_instructions: ClassVar[tuple[str, ...]] = ()
    """How the employee fills in its lines, for the form's instructions ('- Score: skriv ...')."""
    instructions_when_used: ClassVar[bool] = False
    """Its instructions only in a form that asks a question of this kind (kinds added since format 1, so
    the forms of the frameworks that do not use them stay as they were)."""
    prepared: ClassVar[tuple[str, ...]] = ()
    """The answer fields the employee's preparation form fills in."""
    tallies: ClassVar[tuple[Tally, ...]] = ()

    # --- the framework and a new conversation

    def framework_problems(self, question: Any, has_scale: bool) -> list[tuple[str, str]]:
        """(key, message) for what a framework's question (`musterm.model.framework.Question`) gets wrong."""
        problems = self.question_problems(question)
        if self.scale and not has_scale:
            problems.append(("scale", f'et spørgsmål med kind = "{self.name}" skal have en skala'))
        if getattr(question, "scale", None) and not self.scale:
            scored = " eller ".join(f'"{kind.name}"' for kind in kinds() if kind.scale)
            problems.append(
                ("scale", f'scale passer kun til kind = {scored}; spørgsmålet har kind = "{self.name}" og bliver '
                 f'aldrig scoret (skriv kind = {scored}, eller fjern scale)')
            )
        if question.options and not self.options:
            allowed = _listing(sorted(kind.name for kind in kinds() if kind.options))
            problems.append(("options", f'valgmuligheder passer ikke til kind = "{self.name}" (kun {allowed})'))
        if question.items is not None and not self.items:
            allowed = " eller ".join(f'"{kind.name}"' for kind in kinds() if kind.items)
            problems.append(("items", f"items passer kun til kind = {allowed}"))
        order = ("scale", "options", "items")
        return sorted(problems, key=lambda problem: order.index(problem[0]) if problem[0] in order else len(order))

    def question_problems(self, question: Any) -> list[tuple[str, str]]:
        """This kind's own rules for a framework's question."""
        return []

    def new_answers(self, question: Any) -> dict[str, Any]:
        """The answer fields a new conversation starts with (the framework's question)."""
        return {}

    # --- the conversation

    def answered(self, question: Data) -> bool:
        return bool(str(question.get("notes", "")).strip())

    def text_lines(self, question: Data) -> list[str]:
        """The answer in `musterm show` and `git log -p` (the caller indents)."""
        return []

    def markdown_lines(self, question: Data, inline: Callable[[str], str]) -> list[str]:
        """The answer in the export, each block ending in a blank line; `inline` escapes user text."""
        return []

    def compared(self, question: Data) -> list[Compared]:
        """The answer's parts as `musterm diff` compares them."""
        return []

    def searched(self, question: Data) -> list[tuple[str, str]]:
        """(field, text) for each text of the answer that search reads: the `text` fields."""
        found: list[tuple[str, str]] = []
        for field in self.fields:
            if not field.text:
                continue
            value = question.get(field.name, field.default)
            if isinstance(value, list):
                found += [(f"{field.label} {index}", str(item)) for index, item in enumerate(value, start=1)]
            elif value is not None:
                found.append((field.label, str(value)))
        return found

    def trend(self, question: Data) -> Trend | None:
        """What the answer adds to trends; None: the question is not in them."""
        return None

    # --- the preparation form

    def form_lines(self, question: Data, form: Form) -> list[str]:
        """The answer's lines in the employee's preparation form, filled with what is given."""
        return []

    def accepts(self, question: Data, key: str) -> bool:
        """Whether this question takes the form's field `key`."""
        return any(field.key == key for field in self.form_fields)

    def read_form(self, question: Data, key: str, value: str) -> dict[str, Any]:
        """The answer fields a form's line gives (`accepts` said yes); raises FormProblem."""
        return {}

    def read_items(self, question: Data, items: Mapping[int, tuple[int, str]]) -> dict[str, Any]:
        """The answer fields the numbered lines give (number -> (line, text)); raises FormProblem."""
        return {}

    def counted(self, before: Data, after: Data) -> set[Tally]:
        """What an imported form brought in to this question."""
        return set()

    def prepared_given(self, question: Data) -> bool:
        """Whether any answer the employee's form fills in (`prepared`) is given."""
        for name in self.prepared:
            value = question.get(name)
            if any(str(item).strip() for item in value) if isinstance(value, list) else value is not None:
                return True
        return False


def filled(label: str, value: str) -> str:
    """A form's line 'Label: value', or the bare label when nothing is given yet."""
    return f"{label} {value}" if value else label


def _listing(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


# --- the registry ---------------------------------------------------------------------------------

_REGISTRY: dict[str, Kind] = {}
_enum: type[StrEnum] | None = None


def register(kind: Kind) -> Kind:
    """Add a kind. Only before the models are built (`sealed`): they have a field per answer field."""
    if _enum is not None:
        raise RuntimeError(f"kind '{kind.name}' registered after musterm.model.framework was imported")
    if kind.name in _REGISTRY:
        raise ValueError(f"kind '{kind.name}' is registered already")
    _REGISTRY[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    return _REGISTRY[name]


def kinds() -> tuple[Kind, ...]:
    return tuple(_REGISTRY.values())


def sealed() -> type[StrEnum]:
    """The kinds as the models' enum, in registration order; no kind can be added after this."""
    global _enum
    if _enum is None:
        _enum = StrEnum("QuestionKind", {name.upper(): name for name in _REGISTRY}, module="musterm.model.framework")
    return _enum


def answer_fields() -> tuple[AnswerField, ...]:
    """Every kind's answer fields, once each (kinds may share one), in the order of the file."""
    fields: dict[str, AnswerField] = {}
    for kind in kinds():
        for field in kind.fields:
            if fields.setdefault(field.name, field) != field:
                raise ValueError(f"two kinds define the answer field '{field.name}' differently")
    return tuple(fields.values())


def format_2_fields() -> tuple[str, ...]:
    """The answer fields that session format 2 added."""
    return tuple(field.name for field in answer_fields() if field.format >= 2)


def form_fields() -> dict[str, FormField]:
    """Every kind's preparation form fields by key."""
    return {field.key: field for kind in kinds() for field in kind.form_fields}


def form_instructions(used: frozenset[str] | set[str] | None = None) -> tuple[str, ...]:
    """Every kind's instructions for the preparation form, once each, in registration order; a kind that
    explains itself only where it is asked (`instructions_when_used`) only when it is among `used`."""
    shown = [kind for kind in kinds() if not kind.instructions_when_used or used is None or kind.name in used]
    return tuple(dict.fromkeys(line for kind in shown for line in kind.form_instructions))


def prepared_fields() -> tuple[str, ...]:
    """The answer fields a preparation form fills in, of any kind."""
    return tuple(dict.fromkeys(name for kind in kinds() for name in kind.prepared))


def tallies() -> tuple[Tally, ...]:
    """What an import's summary counts, in the order it says it."""
    return tuple(dict.fromkeys(tally for kind in kinds() for tally in kind.tallies))
