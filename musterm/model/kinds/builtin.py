"""The built-in question kinds: score, text, yesno, choice and list (registered in this order)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from musterm.model.kinds.base import (
    AnswerField,
    Compared,
    Data,
    Form,
    FormField,
    FormProblem,
    Kind,
    Tally,
    Trend,
    filled,
)
from musterm.model.labels import YES_NO


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


def _scale_has_unknown(value: Any, question: Data) -> str | None:
    scale = question.get("scale") or {}
    if value and not scale.get("unknown"):
        return "skalaen har intet »ved ikke«-svar (unknown)"
    return None


OWN_SCORE = AnswerField("own_score", int | None, check=_on_the_scale)
SCORE = AnswerField("score", int | None, check=_on_the_scale)
UNKNOWN = AnswerField("unknown", bool | None, check=_scale_has_unknown, format=2)
"""The agreed answer is the scale's "ved ikke / ikke relevant": not a number, never in trends."""
OWN_UNKNOWN = AnswerField("own_unknown", bool | None, check=_scale_has_unknown, format=2)
NOW = AnswerField("now", int | None, check=_on_the_scale, format=2)
WANTED = AnswerField("wanted", int | None, check=_on_the_scale, format=2)
OWN_NOW = AnswerField("own_now", int | None, check=_on_the_scale, format=2)
OWN_WANTED = AnswerField("own_wanted", int | None, check=_on_the_scale, format=2)
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
    fields = (OWN_SCORE, SCORE, CHOICE, UNKNOWN, OWN_UNKNOWN)
    scale = True
    options = True
    form_fields = (SCORE_LINE, CHOICE_LINE)
    form_instructions = ('- Score: skriv ét tal fra skalaen efter "Score:", fx "Score: 4".', CHOOSING)
    prepared = ("own_score", "choice", "own_unknown")
    tallies = (OWN_SCORES, CHOICES)

    def answered(self, question: Data) -> bool:
        return question.get("score") is not None or bool(question.get("unknown"))

    def text_lines(self, question: Data) -> list[str]:
        lines = []
        scale = question.get("scale")
        if scale:
            agreed = _scored(question, "score", "unknown")
            own = _scored(question, "own_score", "own_unknown")
            own_text = f"; medarbejderens egen: {own}" if own else ""
            lines.append(f"Score: {agreed or '–'} på {scale.get('min')}–{scale.get('max')}{own_text}")
        return lines + _Choosing.text_lines(question)

    def markdown_lines(self, question: Data, inline: Callable[[str], str]) -> list[str]:
        facts = []
        scale = question.get("scale")
        score, own = _scored(question, "score", "unknown"), _scored(question, "own_score", "own_unknown")
        if scale is not None and (score or own):
            shown = f"{scale['min']}–{scale['max']}"
            if score:
                facts.append(f"**Score:** {score if score.lstrip('-').isdigit() else inline(score)} (skala {shown})")
            if own:
                facts.append(f"**Medarbejderens egen score:** {own if own.lstrip('-').isdigit() else inline(own)} (skala {shown})")
        facts += _Choosing.facts(question, inline)
        return [*facts, ""] if facts else []

    def compared(self, question: Data) -> list[Compared]:
        return [
            Compared("Score", _scored(question, "score", "unknown")),
            Compared("Egen score", _scored(question, "own_score", "own_unknown")),
            *_Choosing.compared(question),
        ]

    def trend(self, question: Data) -> Trend | None:
        """A "ved ikke" answer is not a number: it leaves the year's score empty in trends."""
        scale = question.get("scale")
        if scale is None:
            return None
        return Trend(question.get("score"), question.get("own_score"), scale["min"], scale["max"])

    def form_lines(self, question: Data, form: Form) -> list[str]:
        lines = []
        scale, own = question.get("scale"), question.get("own_score")
        if scale is not None:
            lines += form.comment(_scale_guidance(scale))
            own_text = scale.get("unknown", "") if question.get("own_unknown") else "" if own is None else str(own)
            lines.append(filled("Score:", own_text))
        return lines + _Choosing.form_lines(question, form)

    def accepts(self, question: Data, key: str) -> bool:
        if key == SCORE_LINE.key:
            return question.get("scale") is not None
        return key == CHOICE_LINE.key and bool(question.get("options"))

    def read_form(self, question: Data, key: str, value: str) -> dict[str, Any]:
        if key == CHOICE_LINE.key:
            return _Choosing.read(question, value)
        scale = question["scale"]
        cleared = {"own_unknown": None} if scale.get("unknown") else {}
        if not value:
            return {"own_score": None, **cleared}
        if scale.get("unknown") and _means_unknown(value, scale):
            return {"own_score": None, "own_unknown": True}
        return {"own_score": _read_number(value, scale, "Score"), **cleared}

    def counted(self, before: Data, after: Data) -> set[Tally]:
        given = after.get("own_score") is not None or bool(after.get("own_unknown"))
        counted = {OWN_SCORES} if given else set()
        return counted | ({CHOICES} if before.get("choice") != after.get("choice") else set())


def _scale_guidance(scale: Data) -> str:
    ends = [f"{scale['min']} = {scale['low_label']}"] if scale.get("low_label") else []
    ends += [f"{scale['max']} = {scale['high_label']}"] if scale.get("high_label") else []
    if scale.get("steps"):
        ends = [f"{value} = {label}" for value, label in enumerate(scale["steps"], start=scale["min"])]
    text = f"Skriv et tal fra {scale['min']} til {scale['max']}" + (f" ({', '.join(ends)})" if ends else "")
    if scale.get("unknown"):
        text += f", eller »{_one_line(scale['unknown'])}«"
    text += "."
    if scale.get("label"):
        label = _one_line(scale["label"])
        text += f" {label}" + ("" if label.endswith((".", "?", "!")) else ".")
    return text


def _scored(question: Data, number: str, unknown: str) -> str:
    """A score as shown: '4', '4 (Enig)' with the step's label, the scale's "ved ikke" text, or ''."""
    scale = question.get("scale") or {}
    if question.get(unknown):
        return _one_line(scale.get("unknown", "")) or "ved ikke"
    value = question.get(number)
    if value is None:
        return ""
    steps = scale.get("steps") or []
    label = steps[value - scale["min"]] if steps and scale["min"] <= value <= scale["max"] else ""
    return f"{value} ({label})" if label else str(value)


def _means_unknown(value: str, scale: Data) -> bool:
    words = _one_line(value).casefold().rstrip(".")
    return words in {_one_line(scale["unknown"]).casefold(), "ved ikke", "ikke relevant", "?", "-"}


def _read_number(value: str, scale: Data, label: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,6}", value):
        unknown = f" eller »{_one_line(scale['unknown'])}«" if scale.get("unknown") else ""
        raise FormProblem(
            f"»{value}« er ikke et tal; skriv kun et helt tal fra {scale['min']} til {scale['max']}{unknown} "
            f"efter »{label}:« (kommentarer under »Noter:«)"
        )
    number = int(value)
    if not scale["min"] <= number <= scale["max"]:
        raise FormProblem(f"{label} {number} ligger uden for skalaen {scale['min']}–{scale['max']}")
    return number


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


NOW_LINE = FormField("nu", "nu", "er ikke en kompetence (ingen »Nu:«)", "kompetencer")
WANTED_LINE = FormField("ønsket", "ønsket", "er ikke en kompetence (intet »Ønsket:«)", "kompetencer")
COMPETENCES = Tally("kompetence", "kompetencer", own=True)


def competence_gap(now: int | None, wanted: int | None) -> int | None:
    """How far a competence is from where it is wanted (wanted − now), once both are scored."""
    return None if now is None or wanted is None else wanted - now


class CompetenceKind(Kind):
    """A competence scored twice on the scale, as it is now and as it is wanted; the gap between them is
    what the development plan works on (KL's competence wheel). The scores of a theme's competences
    make the wheel (`musterm.documents.wheel`)."""

    name = "competence"
    fields = (OWN_NOW, OWN_WANTED, NOW, WANTED)
    scale = True
    wheel = True
    form_fields = (NOW_LINE, WANTED_LINE)
    form_instructions = ('- Nu: og Ønsket: skriv to tal fra skalaen, fx "Nu: 2" og "Ønsket: 4".',)
    prepared = ("own_now", "own_wanted")
    tallies = (COMPETENCES,)
    instructions_when_used = True

    @staticmethod
    def gap(question: Data, own: bool = False) -> int | None:
        return competence_gap(question.get("own_now" if own else "now"), question.get("own_wanted" if own else "wanted"))

    def answered(self, question: Data) -> bool:
        return question.get("now") is not None and question.get("wanted") is not None

    def _summary(self, question: Data, own: bool = False) -> str:
        prefix = "own_" if own else ""
        now, wanted = question.get(prefix + "now"), question.get(prefix + "wanted")
        if now is None and wanted is None:
            return ""
        gap = self.gap(question, own)
        text = f"nu {_number(now) or '–'}, ønsket {_number(wanted) or '–'}"
        return text + (f", gab {gap:+d}" if gap is not None else "")

    def text_lines(self, question: Data) -> list[str]:
        scale = question.get("scale") or {}
        agreed, own = self._summary(question), self._summary(question, own=True)
        if not agreed and not own:
            return []
        own_text = f"; medarbejderens egen: {own}" if own else ""
        return [f"Kompetence: {agreed or '–'} på {scale.get('min')}–{scale.get('max')}{own_text}"]

    def markdown_lines(self, question: Data, inline: Callable[[str], str]) -> list[str]:
        scale = question.get("scale") or {}
        facts = []
        if self._summary(question):
            facts.append(f"**Kompetence:** {self._summary(question)} (skala {scale.get('min')}–{scale.get('max')})")
        if self._summary(question, own=True):
            facts.append(f"**Medarbejderens egen vurdering:** {self._summary(question, own=True)}")
        return [*facts, ""] if facts else []

    def compared(self, question: Data) -> list[Compared]:
        return [
            Compared("Nu", _number(question.get("now"))),
            Compared("Ønsket", _number(question.get("wanted"))),
            Compared("Egen nu", _number(question.get("own_now"))),
            Compared("Egen ønsket", _number(question.get("own_wanted"))),
        ]

    def trend(self, question: Data) -> Trend | None:
        """Trends follow the competence as it is now."""
        scale = question.get("scale")
        if scale is None:
            return None
        return Trend(question.get("now"), question.get("own_now"), scale["min"], scale["max"])

    def form_lines(self, question: Data, form: Form) -> list[str]:
        scale = question.get("scale")
        if scale is None:
            return []
        numbers_only = {key: value for key, value in scale.items() if key != "unknown"}  # both parts are numbers
        lines = form.comment(_scale_guidance(numbers_only).replace("Skriv et tal", "Skriv for nu og ønsket et tal", 1))
        lines.append(filled("Nu:", _number(question.get("own_now"))))
        lines.append(filled("Ønsket:", _number(question.get("own_wanted"))))
        return lines

    def accepts(self, question: Data, key: str) -> bool:
        return key in (NOW_LINE.key, WANTED_LINE.key) and question.get("scale") is not None

    def read_form(self, question: Data, key: str, value: str) -> dict[str, Any]:
        name, label = ("own_now", "Nu") if key == NOW_LINE.key else ("own_wanted", "Ønsket")
        if not value:
            return {name: None}
        return {name: _read_number(value, question["scale"], label)}

    def counted(self, before: Data, after: Data) -> set[Tally]:
        given = after.get("own_now") is not None or after.get("own_wanted") is not None
        return {COMPETENCES} if given else set()


DEFAULT_KIND = TextKind.name
"""A framework's question without `kind`."""

BUILT_IN = (ScoreKind(), TextKind(), YesNoKind(), ChoiceKind(), ListKind(), CompetenceKind())
