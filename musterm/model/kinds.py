"""Question kinds: one entry per kind of question, which every part of musterm asks.

A question's kind (score, text, yesno, choice, list) decides which answer fields its table in the
session file has and how they are checked against the question; how the answer reads in `musterm
show` and `git log -p`, in the export and in `musterm diff`; how the employee gives it in the
preparation form and how the form is read back; what it counts in trends; and what search reads.
All of that is the kind's entry here. Nothing else in musterm branches on the kind, except the
app's choice of widgets (`musterm.app.kinds`).

To add a kind: subclass `Kind` with its answer fields and whatever differs from the defaults,
`register` an instance (before `musterm.model.framework` is imported: the framework and session
models are built from the registry then), and give it its widgets in `musterm.app.kinds`.

Entries read a question as `Data`: its table in the session file, as a mapping. No I/O, no
pydantic, no Textual here: `git log -p` renders session files with this module alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from musterm.model.labels import YES_NO

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
    form_fields: ClassVar[tuple[FormField, ...]] = ()
    form_instructions: ClassVar[tuple[str, ...]] = ()
    """How the employee fills in its lines, for the form's instructions ('- Score: skriv ...')."""
    prepared: ClassVar[tuple[str, ...]] = ()
    """The answer fields the employee's preparation form fills in."""
    tallies: ClassVar[tuple[Tally, ...]] = ()

    # --- the framework and a new conversation

    def framework_problems(self, question: Any, has_scale: bool) -> list[tuple[str, str]]:
        """(key, message) for what a framework's question (`musterm.model.framework.Question`) gets wrong."""
        problems = self.question_problems(question)
        if self.scale and not has_scale:
            problems.append(("scale", f'et spørgsmål med kind = "{self.name}" skal have en skala'))
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


def filled(label: str, value: str) -> str:
    """A form's line 'Label: value', or the bare label when nothing is given yet."""
    return f"{label} {value}" if value else label


def _listing(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


# --- the registry ---------------------------------------------------------------------------------

_REGISTRY: dict[str, Kind] = {}
_sealed = False


def register(kind: Kind) -> Kind:
    """Add a kind. Only before the models are built (`sealed`): they have a field per answer field."""
    if _sealed:
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
    global _sealed
    _sealed = True
    return StrEnum("QuestionKind", {name.upper(): name for name in _REGISTRY}, module=__name__)


def answer_fields() -> tuple[AnswerField, ...]:
    """Every kind's answer fields, once each (kinds may share one), in the order of the file."""
    fields: dict[str, AnswerField] = {}
    for kind in kinds():
        for field in kind.fields:
            if fields.setdefault(field.name, field) != field:
                raise ValueError(f"two kinds define the answer field '{field.name}' differently")
    return tuple(fields.values())


def form_fields() -> dict[str, FormField]:
    """Every kind's preparation form fields by key."""
    return {field.key: field for kind in kinds() for field in kind.form_fields}


def form_instructions() -> tuple[str, ...]:
    """Every kind's instructions for the preparation form, once each, in registration order."""
    return tuple(dict.fromkeys(line for kind in kinds() for line in kind.form_instructions))


def prepared_fields() -> tuple[str, ...]:
    """The answer fields a preparation form fills in, of any kind."""
    return tuple(dict.fromkeys(name for kind in kinds() for name in kind.prepared))


def tallies() -> tuple[Tally, ...]:
    """What an import's summary counts, in the order it says it."""
    return tuple(dict.fromkeys(tally for kind in kinds() for tally in kind.tallies))


# --- the built-in kinds ------------------------------------------------------------------------------


def _on_the_scale(value: Any, question: Data) -> str | None:
    scale = question.get("scale")
    if scale is None:
        return f"{value} er givet, men spørgsmålet har ingen skala"
    if not scale["min"] <= value <= scale["max"]:
        return f"{value} ligger uden for skalaen {scale['min']}–{scale['max']}"
    return None


def _one_of_the_options(value: Any, question: Data) -> str | None:
    options = question.get("options") or {}
    if value in options:
        return None
    return f"'{value}' er ikke en af valgmulighederne ({', '.join(options) or 'ingen'})"


OWN_SCORE = AnswerField("own_score", int | None, check=_on_the_scale)
SCORE = AnswerField("score", int | None, check=_on_the_scale)
CHOICE = AnswerField("choice", str | None, check=_one_of_the_options)
ANSWER = AnswerField("answer", bool | None)
ITEMS = AnswerField("items", list[str], default=[], text=True, label="Punkt")

SCORE_LINE = FormField("score", "score", "har ingen score", "score")
CHOICE_LINE = FormField("valg", "valg", "har ingen valgmuligheder", "valgmuligheder")
CHOOSING = '- Valg: skriv nummeret eller navnet på det, du vælger, efter "Valg:".'
ANSWER_LINE = FormField("svar", r"svar(?:\s*\(ja/nej\))?", "er ikke et ja/nej-spørgsmål", "ja/nej-svar")

OWN_SCORES = Tally("egen score", "egne scorer", own=True)
CHOICES = Tally("valg eller ja/nej-svar", "valg og ja/nej-svar", own=False)
LISTS = Tally("liste", "lister", own=False)


def _number(value: Any) -> str:
    return "" if value is None else str(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Choosing:
    """Choosing one of the question's options: the choice kind, and a score question with options."""

    @staticmethod
    def chosen(question: Data) -> str | None:
        choice = question.get("choice")
        return None if choice is None else (question.get("options") or {}).get(choice, choice)

    @classmethod
    def text_lines(cls, question: Data) -> list[str]:
        return [f"Valgt: {cls.chosen(question)}"] if question.get("choice") else []

    @classmethod
    def facts(cls, question: Data, inline: Callable[[str], str]) -> list[str]:
        chosen = cls.chosen(question)
        return [] if chosen is None else [f"**Valgt:** {inline(chosen)}"]

    @classmethod
    def compared(cls, question: Data) -> list[Compared]:
        return [Compared("Valgt", cls.chosen(question) or "")]

    @classmethod
    def form_lines(cls, question: Data, form: Form) -> list[str]:
        options = question.get("options") or {}
        if not options:
            return []
        lines = form.comment('Skriv nummeret eller navnet på dit valg efter "Valg:":')
        for index, (option_id, label) in enumerate(options.items(), start=1):
            description, helpers = form.option(option_id)
            lines += form.comment(f"{index}. {label}" + (f": {description}" if description else ""), indent="  ", hanging="   ")
            for helper in helpers:
                lines += form.comment(f"- {helper}", indent="     ", hanging="  ")
        chosen = options.get(question["choice"], "") if question.get("choice") else ""
        return [*lines, filled("Valg:", chosen)]

    @staticmethod
    def read(question: Data, value: str) -> dict[str, Any]:
        if not value:
            return {}
        options = question.get("options") or {}
        chosen = _match_option(options, value)
        if chosen is None:
            listing = ", ".join(f"{index}. {label}" for index, label in enumerate(options.values(), start=1))
            raise FormProblem(f"»{value}« er ikke en af valgmulighederne ({listing})")
        return {"choice": chosen}


def _match_option(options: Mapping[str, str], value: str) -> str | None:
    """An option by its label (exactly, then in any case), its id, or its number in the list."""
    wanted = _one_line(value)
    for test in (
        lambda oid, label: label == wanted,
        lambda oid, label: label.casefold() == wanted.casefold(),
        lambda oid, label: oid == wanted.casefold(),
    ):
        for option_id, label in options.items():
            if test(option_id, label):
                return option_id
    number = re.fullmatch(r"(\d{1,3})[.)]?", wanted)
    if number and 1 <= int(number.group(1)) <= len(options):
        return list(options)[int(number.group(1)) - 1]
    return None


class ScoreKind(Kind):
    """Scored on the framework's scale: agreed in the meeting, and the employee's own from the form.
    A score question may also have options (Haderslev's life phase): then one is chosen as well."""

    name = "score"
    fields = (OWN_SCORE, SCORE, CHOICE)
    scale = True
    options = True
    form_fields = (SCORE_LINE, CHOICE_LINE)
    form_instructions = ('- Score: skriv ét tal fra skalaen efter "Score:", fx "Score: 4".', CHOOSING)
    prepared = ("own_score", "choice")
    tallies = (OWN_SCORES, CHOICES)

    def answered(self, question: Data) -> bool:
        return question.get("score") is not None

    def text_lines(self, question: Data) -> list[str]:
        lines = []
        scale = question.get("scale")
        if scale:
            agreed = question.get("score")
            own = question.get("own_score")
            own_text = f"; medarbejderens egen: {own}" if own is not None else ""
            lines.append(f"Score: {'–' if agreed is None else agreed} på {scale.get('min')}–{scale.get('max')}{own_text}")
        return lines + _Choosing.text_lines(question)

    def markdown_lines(self, question: Data, inline: Callable[[str], str]) -> list[str]:
        facts = []
        scale, score, own = question.get("scale"), question.get("score"), question.get("own_score")
        if scale is not None and (score is not None or own is not None):
            shown = f"{scale['min']}–{scale['max']}"
            if score is not None:
                facts.append(f"**Score:** {score} (skala {shown})")
            if own is not None:
                facts.append(f"**Medarbejderens egen score:** {own} (skala {shown})")
        facts += _Choosing.facts(question, inline)
        return [*facts, ""] if facts else []

    def compared(self, question: Data) -> list[Compared]:
        return [
            Compared("Score", _number(question.get("score"))),
            Compared("Egen score", _number(question.get("own_score"))),
            *_Choosing.compared(question),
        ]

    def trend(self, question: Data) -> Trend | None:
        scale = question.get("scale")
        if scale is None:
            return None
        return Trend(question.get("score"), question.get("own_score"), scale["min"], scale["max"])

    def form_lines(self, question: Data, form: Form) -> list[str]:
        lines = []
        scale, own = question.get("scale"), question.get("own_score")
        if scale is not None:
            lines += form.comment(_scale_guidance(scale))
            lines.append(filled("Score:", "" if own is None else str(own)))
        return lines + _Choosing.form_lines(question, form)

    def accepts(self, question: Data, key: str) -> bool:
        if key == SCORE_LINE.key:
            return question.get("scale") is not None
        return key == CHOICE_LINE.key and bool(question.get("options"))

    def read_form(self, question: Data, key: str, value: str) -> dict[str, Any]:
        if key == CHOICE_LINE.key:
            return _Choosing.read(question, value)
        if not value:
            return {"own_score": None}
        scale = question["scale"]
        if not re.fullmatch(r"[+-]?\d{1,6}", value):
            raise FormProblem(
                f"»{value}« er ikke et tal; skriv kun et helt tal fra {scale['min']} til {scale['max']} "
                "efter »Score:« (kommentarer under »Noter:«)"
            )
        score = int(value)
        if not scale["min"] <= score <= scale["max"]:
            raise FormProblem(f"Score {score} ligger uden for skalaen {scale['min']}–{scale['max']}")
        return {"own_score": score}

    def counted(self, before: Data, after: Data) -> set[Tally]:
        counted = {OWN_SCORES} if after.get("own_score") is not None else set()
        return counted | ({CHOICES} if before.get("choice") != after.get("choice") else set())


def _scale_guidance(scale: Data) -> str:
    ends = [f"{scale['min']} = {scale['low_label']}"] if scale.get("low_label") else []
    ends += [f"{scale['max']} = {scale['high_label']}"] if scale.get("high_label") else []
    text = f"Skriv et tal fra {scale['min']} til {scale['max']}" + (f" ({', '.join(ends)})" if ends else "") + "."
    if scale.get("label"):
        text += f" {_one_line(scale['label'])}."
    return text


class TextKind(Kind):
    """Answered with notes alone."""

    name = "text"


class YesNoKind(Kind):
    """Answered yes or no (a senior conversation wanted?)."""

    name = "yesno"
    fields = (ANSWER,)
    form_fields = (ANSWER_LINE,)
    form_instructions = ("- Svar (ja/nej): skriv ja eller nej efter kolonet.",)
    prepared = ("answer",)
    tallies = (CHOICES,)
    _FORM_WORDS: ClassVar[dict[bool | None, str]] = {True: "ja", False: "nej", None: ""}
    _YES: ClassVar[frozenset[str]] = frozenset({"ja", "j", "yes", "y", "x"})
    _NO: ClassVar[frozenset[str]] = frozenset({"nej", "n", "no"})

    def answered(self, question: Data) -> bool:
        return question.get("answer") is not None

    def text_lines(self, question: Data) -> list[str]:
        answer = question.get("answer")
        return [] if answer is None else [f"Svar: {YES_NO.get(answer, '?')}"]

    def markdown_lines(self, question: Data, inline: Callable[[str], str]) -> list[str]:
        answer = question.get("answer")
        return [] if answer is None else [f"**Svar:** {YES_NO[answer]}", ""]

    def compared(self, question: Data) -> list[Compared]:
        answer = question.get("answer")
        return [Compared("Svar", "" if answer is None else YES_NO[answer])]

    def form_lines(self, question: Data, form: Form) -> list[str]:
        return [filled("Svar (ja/nej):", self._FORM_WORDS[question.get("answer")])]

    def read_form(self, question: Data, key: str, value: str) -> dict[str, Any]:
        word = value.strip().rstrip(".!").casefold()
        if not word:
            return {}
        if word in self._YES:
            return {"answer": True}
        if word in self._NO:
            return {"answer": False}
        raise FormProblem(f"»{value}« er hverken ja eller nej")

    def counted(self, before: Data, after: Data) -> set[Tally]:
        return {CHOICES} if before.get("answer") != after.get("answer") else set()


class ChoiceKind(Kind):
    """One of the question's options is chosen (Norddjurs' leadership style)."""

    name = "choice"
    fields = (CHOICE,)
    options = True
    form_fields = (CHOICE_LINE,)
    form_instructions = (CHOOSING,)
    prepared = ("choice",)
    tallies = (CHOICES,)

    def question_problems(self, question: Any) -> list[tuple[str, str]]:
        if len(question.options) < 2:
            return [("options", "et valgspørgsmål skal have mindst to valgmuligheder")]
        return []

    def answered(self, question: Data) -> bool:
        return question.get("choice") is not None

    def text_lines(self, question: Data) -> list[str]:
        return _Choosing.text_lines(question)

    def markdown_lines(self, question: Data, inline: Callable[[str], str]) -> list[str]:
        facts = _Choosing.facts(question, inline)
        return [*facts, ""] if facts else []

    def compared(self, question: Data) -> list[Compared]:
        return _Choosing.compared(question)

    def form_lines(self, question: Data, form: Form) -> list[str]:
        return _Choosing.form_lines(question, form)

    def accepts(self, question: Data, key: str) -> bool:
        return key == CHOICE_LINE.key and bool(question.get("options"))

    def read_form(self, question: Data, key: str, value: str) -> dict[str, Any]:
        return _Choosing.read(question, value)

    def counted(self, before: Data, after: Data) -> set[Tally]:
        return {CHOICES} if before.get("choice") != after.get("choice") else set()


class ListKind(Kind):
    """A number of short items (the three most important tasks)."""

    name = "list"
    fields = (ITEMS,)
    items = True
    form_instructions = ("- Nummererede linjer (1., 2., 3.): skriv ét punkt efter hvert nummer.",)
    prepared = ("items",)
    tallies = (LISTS,)
    FORM_SLOTS = 3
    """Numbered lines in the form of a list question whose conversation has no items (an old file)."""

    def question_problems(self, question: Any) -> list[tuple[str, str]]:
        if question.items is None:
            return [("items", "et listespørgsmål skal angive items (antal punkter)")]
        return []

    def new_answers(self, question: Any) -> dict[str, Any]:
        return {"items": [""] * question.items} if question.items else {}

    def answered(self, question: Data) -> bool:
        return any(item.strip() for item in question.get("items", []))

    def text_lines(self, question: Data) -> list[str]:
        items = [item for item in question.get("items", []) if item]
        return [f"{index}. {item}" for index, item in enumerate(items, start=1)]

    def markdown_lines(self, question: Data, inline: Callable[[str], str]) -> list[str]:
        items = [item for item in question.get("items", []) if item.strip()]
        if not items:
            return []
        return [*(f"{index}. {inline(item)}" for index, item in enumerate(items, start=1)), ""]

    def compared(self, question: Data) -> list[Compared]:
        items = question.get("items", [])
        text = "\n".join(f"{i}. {_one_line(item)}" for i, item in enumerate(items, start=1) if item.strip())
        return [Compared("Punkter", text, text=True)]

    def slots(self, question: Data) -> list[str]:
        return list(question.get("items") or [""] * self.FORM_SLOTS)

    def form_lines(self, question: Data, form: Form) -> list[str]:
        lines = form.comment("Skriv ét punkt efter hvert nummer:")
        return lines + [filled(f"{index}.", _one_line(item)) for index, item in enumerate(self.slots(question), start=1)]

    def read_items(self, question: Data, items: Mapping[int, tuple[int, str]]) -> dict[str, Any]:
        slots = self.slots(question)
        for index, (line, _) in sorted(items.items()):
            if not 1 <= index <= len(slots):
                message = f"punkt {index} findes ikke; spørgsmålet har {len(slots)} punkter (skriv flere under »Noter:«)"
                raise FormProblem(message, line)
        if not any(text for _, text in items.values()):
            return {}
        return {"items": [items.get(index, (0, ""))[1] for index in range(1, len(slots) + 1)]}

    def counted(self, before: Data, after: Data) -> set[Tally]:
        return {LISTS} if before.get("items") != after.get("items") else set()


DEFAULT_KIND = "text"
"""A framework's question without `kind`."""

ITEMS_REFUSAL = "er ikke en liste"
"""Why a question whose kind has no items refuses numbered lines in the form."""

for _kind in (ScoreKind(), TextKind(), YesNoKind(), ChoiceKind(), ListKind()):
    register(_kind)
