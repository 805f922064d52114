"""Each built-in question kind's entry in the registry, one by one, and the registry itself."""

from __future__ import annotations

import types
from typing import Any

import pytest

from musterm.model import kinds
from musterm.model.kinds.builtin import CHOICES, LISTS, OWN_SCORES
from musterm.model.framework import QuestionKind
from musterm.model.session import QuestionRecord, ScaleSnapshot

SCORE, TEXT, YESNO, CHOICE, LIST = (kinds.get(name) for name in ("score", "text", "yesno", "choice", "list"))
SCALE = ScaleSnapshot(min=1, max=6, label="Scores fra 1-6", low_label="lav", high_label="top")
OPTIONS = {"stoettende": "Støttende", "traenende": "Trænende"}


def record(kind: str, **answers: Any) -> QuestionRecord:
    asked: dict[str, Any] = {"scale": SCALE} if kind == "score" else {}
    if kind == "choice" or answers.get("choice"):
        asked["options"] = OPTIONS
    return QuestionRecord(id="q", text="Spørgsmål?", kind=kind, **asked, **answers)


def data(kind: str, **answers: Any) -> dict[str, Any]:
    return record(kind, **answers).as_data()


class FakeForm:
    """The form writer's part, with the framework's description of one option."""

    def comment(self, text: str, *, indent: str = "", hanging: str = "") -> list[str]:
        return [f"# {indent}{text}"]

    def option(self, option_id: str) -> tuple[str, list[str]]:
        return ("Lederen hjælper", ["Hvornår?"]) if option_id == "stoettende" else ("", [])


def framework_question(**given: Any) -> types.SimpleNamespace:
    return types.SimpleNamespace(**{"options": [], "items": None, **given})


# --- the registry -------------------------------------------------------------------------------------


def test_the_kinds_in_their_order_and_as_the_models_enum() -> None:
    assert [kind.name for kind in kinds.kinds()] == ["score", "text", "yesno", "choice", "list", "competence"]
    assert [member.value for member in QuestionKind] == ["score", "text", "yesno", "choice", "list", "competence"]


def test_the_answer_fields_once_each_in_the_order_of_the_file() -> None:
    fields = ["own_score", "score", "choice", "unknown", "own_unknown", "answer", "items", "own_now", "own_wanted", "now", "wanted"]
    assert [field.name for field in kinds.answer_fields()] == fields
    assert list(QuestionRecord.model_fields)[7:18] == fields


def test_no_kind_can_be_added_once_the_models_are_built() -> None:
    class Late(kinds.Kind):
        name = "sen"

    with pytest.raises(RuntimeError, match="after musterm.model.framework was imported"):
        kinds.register(Late())


def test_the_preparation_form_fields_and_what_an_import_counts() -> None:
    assert list(kinds.form_fields()) == ["score", "valg", "svar", "nu", "ønsket"]
    assert kinds.prepared_fields() == ("own_score", "choice", "own_unknown", "answer", "items", "own_now", "own_wanted")
    assert [tally.singular for tally in kinds.tallies()] == ["egen score", "valg eller ja/nej-svar", "liste", "kompetence"]


# --- the framework and a new conversation -----------------------------------------------------------


def test_framework_rules_of_each_kind() -> None:
    assert SCORE.framework_problems(framework_question(), has_scale=False) == [
        ("scale", 'et spørgsmål med kind = "score" skal have en skala')
    ]
    assert CHOICE.framework_problems(framework_question(options=["a"]), has_scale=False) == [
        ("options", "et valgspørgsmål skal have mindst to valgmuligheder")
    ]
    assert TEXT.framework_problems(framework_question(options=["a"], items=3), has_scale=True) == [
        ("options", 'valgmuligheder passer ikke til kind = "text" (kun choice og score)'),
        ("items", 'items passer kun til kind = "list"'),
    ]
    assert LIST.framework_problems(framework_question(), has_scale=False) == [
        ("items", "et listespørgsmål skal angive items (antal punkter)")
    ]
    assert YESNO.framework_problems(framework_question(), has_scale=False) == []
    assert LIST.new_answers(framework_question(items=3)) == {"items": ["", "", ""]}
    assert SCORE.new_answers(framework_question()) == {}


# --- answered, and the answer as text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "unanswered", "answered"),
    [
        ("score", {"own_score": 4}, {"score": 5}),
        ("text", {"employee_notes": "mine"}, {"notes": "aftalt"}),
        ("yesno", {}, {"answer": False}),
        ("choice", {}, {"choice": "traenende"}),
        ("list", {"items": ["", " "]}, {"items": ["", "Budget"]}),
    ],
)
def test_answered(kind: str, unanswered: dict[str, Any], answered: dict[str, Any]) -> None:
    assert not record(kind, **unanswered).answered
    assert record(kind, **answered).answered


@pytest.mark.parametrize(
    ("kind", "answers", "text", "markdown"),
    [
        ("score", {"score": 5, "own_score": 4}, ["Score: 5 på 1–6; medarbejderens egen: 4"],
         ["**Score:** 5 (skala 1–6)", "**Medarbejderens egen score:** 4 (skala 1–6)", ""]),
        ("score", {}, ["Score: – på 1–6"], []),
        ("score", {"own_score": 2, "choice": "stoettende"}, ["Score: – på 1–6; medarbejderens egen: 2", "Valgt: Støttende"],
         ["**Medarbejderens egen score:** 2 (skala 1–6)", "**Valgt:** <Støttende>", ""]),
        ("text", {"notes": "aftalt"}, [], []),
        ("yesno", {"answer": True}, ["Svar: Ja"], ["**Svar:** Ja", ""]),
        ("yesno", {}, [], []),
        ("choice", {"choice": "traenende"}, ["Valgt: Trænende"], ["**Valgt:** <Trænende>", ""]),
        ("list", {"items": ["", "Budget", "Excel"]}, ["1. Budget", "2. Excel"], ["1. <Budget>", "2. <Excel>", ""]),
    ],
)
def test_the_answer_as_text_and_as_markdown(kind: str, answers: dict[str, Any], text: list[str], markdown: list[str]) -> None:
    assert kinds.get(kind).text_lines(data(kind, **answers)) == text
    assert kinds.get(kind).markdown_lines(data(kind, **answers), lambda line: f"<{line}>") == markdown


def test_the_file_as_parsed_renders_as_the_model_does() -> None:
    """render (show, git log -p) reads the parsed file, where defaults are left out."""
    parsed = {"id": "q", "text": "Spørgsmål?", "kind": "score", "scale": {"min": 1, "max": 6}, "own_score": 3}
    assert SCORE.text_lines(parsed) == ["Score: – på 1–6; medarbejderens egen: 3"]
    assert YESNO.text_lines({"kind": "yesno", "answer": False}) == ["Svar: Nej"]
    assert LIST.text_lines({"kind": "list"}) == []


@pytest.mark.parametrize(
    ("kind", "answers", "compared"),
    [
        ("score", {"score": 5, "choice": "stoettende"}, [("Score", "5", False), ("Egen score", "", False), ("Valgt", "Støttende", False)]),
        ("text", {}, []),
        ("yesno", {"answer": False}, [("Svar", "Nej", False)]),
        ("choice", {}, [("Valgt", "", False)]),
        ("list", {"items": ["Budget", "", " Excel  2027 "]}, [("Punkter", "1. Budget\n3. Excel 2027", True)]),
    ],
)
def test_how_diff_compares_the_answer(kind: str, answers: dict[str, Any], compared: list[tuple[str, str, bool]]) -> None:
    assert [(part.label, part.value, part.text) for part in kinds.get(kind).compared(data(kind, **answers))] == compared


def test_what_search_reads() -> None:
    assert LIST.searched(data("list", items=["Budget", ""])) == [("Punkt 1", "Budget"), ("Punkt 2", "")]
    assert SCORE.searched(data("score", score=3)) == []
    assert CHOICE.searched(data("choice", choice="traenende")) == []


def test_what_trends_count() -> None:
    assert SCORE.trend(data("score", score=5, own_score=4)) == kinds.Trend(5, 4, 1, 6)
    assert SCORE.trend(data("score")) == kinds.Trend(None, None, 1, 6)
    assert SCORE.trend({"kind": "score"}) is None  # a score question without a scale: not in the trends
    assert [kind.trend(data(kind.name)) for kind in (TEXT, YESNO, CHOICE, LIST)] == [None] * 4


# --- the preparation form -------------------------------------------------------------------------------


def test_the_form_lines_of_each_kind() -> None:
    form = FakeForm()
    assert SCORE.form_lines(data("score", own_score=4), form) == [
        "# Skriv et tal fra 1 til 6 (1 = lav, 6 = top). Scores fra 1-6.",
        "Score: 4",
    ]
    assert CHOICE.form_lines(data("choice", choice="traenende"), form) == [
        '# Skriv nummeret eller navnet på dit valg efter "Valg:":',
        "#   1. Støttende: Lederen hjælper",
        "#      - Hvornår?",
        "#   2. Trænende",
        "Valg: Trænende",
    ]
    assert YESNO.form_lines(data("yesno"), form) == ["Svar (ja/nej):"]
    assert LIST.form_lines(data("list", items=["Budget", ""]), form) == [
        "# Skriv ét punkt efter hvert nummer:",
        "1. Budget",
        "2.",
    ]
    assert LIST.form_lines({"kind": "list"}, form)[1:] == ["1.", "2.", "3."]  # an old file without items
    assert TEXT.form_lines(data("text"), form) == []


def test_which_form_fields_a_question_takes() -> None:
    assert SCORE.accepts(data("score"), "score") and not SCORE.accepts(data("score"), "valg")
    assert SCORE.accepts(data("score", choice="stoettende"), "valg")
    assert not SCORE.accepts({"kind": "score"}, "score")  # no scale
    assert CHOICE.accepts(data("choice"), "valg") and not CHOICE.accepts(data("choice"), "svar")
    assert YESNO.accepts(data("yesno"), "svar")
    assert not any(TEXT.accepts(data("text"), key) for key in ("score", "valg", "svar"))
    assert [kind.items for kind in kinds.kinds()] == [False, False, False, False, True, False]


@pytest.mark.parametrize(
    ("kind", "key", "value", "given"),
    [
        ("score", "score", "4", {"own_score": 4}),
        ("score", "score", "", {"own_score": None}),
        ("score", "valg", "2", {"choice": "traenende"}),
        ("choice", "valg", "støttende", {"choice": "stoettende"}),
        ("choice", "valg", "traenende", {"choice": "traenende"}),
        ("choice", "valg", "", {}),
        ("yesno", "svar", "Ja.", {"answer": True}),
        ("yesno", "svar", "n", {"answer": False}),
        ("yesno", "svar", "", {}),
    ],
)
def test_reading_a_form_field(kind: str, key: str, value: str, given: dict[str, Any]) -> None:
    question = data(kind, choice="stoettende") if key == "valg" and kind == "score" else data(kind)
    assert kinds.get(kind).read_form(question, key, value) == given


@pytest.mark.parametrize(
    ("kind", "key", "value", "message"),
    [
        ("score", "score", "fire", "»fire« er ikke et tal; skriv kun et helt tal fra 1 til 6 efter »Score:« (kommentarer under »Noter:«)"),
        ("score", "score", "7", "Score 7 ligger uden for skalaen 1–6"),
        ("choice", "valg", "3", "»3« er ikke en af valgmulighederne (1. Støttende, 2. Trænende)"),
        ("yesno", "svar", "måske", "»måske« er hverken ja eller nej"),
    ],
)
def test_a_form_field_that_does_not_fit(kind: str, key: str, value: str, message: str) -> None:
    with pytest.raises(kinds.FormProblem, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        kinds.get(kind).read_form(data(kind), key, value)


def test_reading_a_lists_numbered_lines() -> None:
    question = data("list", items=["", "", ""])
    assert LIST.read_items(question, {2: (10, "Budget")}) == {"items": ["", "Budget", ""]}
    assert LIST.read_items(question, {1: (9, "")}) == {}
    with pytest.raises(kinds.FormProblem) as caught:
        LIST.read_items(question, {1: (9, "a"), 4: (12, "b")})
    assert (str(caught.value), caught.value.line) == (
        "punkt 4 findes ikke; spørgsmålet har 3 punkter (skriv flere under »Noter:«)", 12
    )


def test_what_an_import_counts_per_question() -> None:
    assert SCORE.counted(data("score"), data("score", own_score=3)) == {OWN_SCORES}
    assert SCORE.counted(data("score", choice="stoettende"), data("score", choice="traenende")) == {CHOICES}
    assert YESNO.counted(data("yesno"), data("yesno", answer=True)) == {CHOICES}
    assert CHOICE.counted(data("choice", choice="traenende"), data("choice", choice="traenende")) == set()
    assert LIST.counted(data("list", items=[""]), data("list", items=["a"])) == {LISTS}
    assert TEXT.counted(data("text"), data("text", employee_notes="ny")) == set()


def test_whether_the_form_gave_an_answer() -> None:
    assert SCORE.prepared_given(data("score", own_score=1)) and not SCORE.prepared_given(data("score", score=4))
    assert YESNO.prepared_given(data("yesno", answer=False))
    assert not LIST.prepared_given(data("list", items=["", " "])) and LIST.prepared_given(data("list", items=["a"]))
    assert not TEXT.prepared_given(data("text", notes="aftalt"))


# --- the answers fit the question -----------------------------------------------------------------------


def test_each_answer_field_checks_its_value_against_the_question() -> None:
    fields = {field.name: field for field in kinds.answer_fields()}
    asked = data("score", choice="stoettende")
    assert fields["score"].check(6, asked) is None
    assert fields["score"].check(7, asked) == "7 ligger uden for skalaen 1–6"
    assert fields["own_score"].check(2, {"scale": None}) == "2 er givet, men spørgsmålet har ingen skala"
    assert fields["choice"].check("x", asked) == "'x' er ikke en af valgmulighederne (stoettende, traenende)"
    assert fields["answer"].check is None and fields["items"].text
