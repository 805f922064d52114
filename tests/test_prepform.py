"""The employee's preparation form: the exact text, reading it back, every rejection, the command."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musterm.cli.main import main
from musterm.documents.prepform import prep_form
from musterm.documents.prepform_reader import decode_form, describe_import, import_prep, parse_prep
from musterm.errors import FileError
from musterm.frameworks.catalog import Catalog
from musterm.model.framework import Framework, QuestionKind, ThemeRole
from musterm.model.session import (
    SCHEMA_VERSION,
    FollowUpRow,
    FrameworkRef,
    Person,
    QuestionRecord,
    ScaleSnapshot,
    Session,
    Status,
    ThemeRecord,
    new_session,
    normalize_text,
    one_line,
)
from musterm.store.repository import Store

SMALL_TOML = '''
format = 1
id = "lille"
name = "Lille MUS"
municipality = "Testby Kommune"
version = "1"

[scales.s]
min = 1
max = 5
label = "Fra 1 til 5"
low_label = "slet ikke"
high_label = "i høj grad"

[[guidance]]
phase = "preparation"
title = "Forberedelse"
text = "Tænk over dit **år**.\\n\\n- hvad gik godt\\n- hvad gik skidt"

[invitation]
prep_deadline_days = 3
template = "Kære {medarbejder}"

[[themes]]
id = "trivsel"
title = "Trivsel"
description = "Om hvordan du har det."
scale = "s"

[[themes.questions]]
id = "glad"
number = "1"
text = "Hvor glad er du for dit job?"
kind = "score"
helpers = ["Hvad gør dig glad?"]

[[themes.questions]]
id = "ledelse"
number = "2"
text = "Hvilken ledelse passer dig?"
kind = "choice"

[[themes.questions.options]]
id = "stoettende"
label = "Støttende"
description = "Leder lytter"

[[themes.questions.options]]
id = "delegerende"
label = "Delegerende"

[[themes]]
id = "fremtid"
title = "Fremtid"
notice = "Det er ikke en lønforhandling."

[[themes.questions]]
id = "opgaver"
text = "Dine vigtigste opgaver?"
kind = "list"
items = 2

[[themes.questions]]
id = "senior"
text = "Ønsker du en seniorsamtale?"
kind = "yesno"

[[themes.questions]]
id = "andet"
text = "Andet?"
'''
SMALL = Framework.model_validate(tomllib.loads(SMALL_TOML))
CATALOG = Catalog.discover()
TODAY = dt.date(2026, 11, 18)
FILE = "skema.txt"


def blank(framework: Framework = SMALL, **person: object) -> Session:
    return new_session(
        framework,
        Person(name="Anna Sørensen", **person),
        Person(name="Bo Hansen"),
        dt.date(2026, 11, 23),
        dt.time(10, 0),
        "Mødelokale 2",
    )


SMALL_FORM = """\
# ============================================================================
# FORBEREDELSE TIL MUS (medarbejderudviklingssamtale)
# Lille MUS
# ============================================================================
#
# Samtale: mandag den 23. november 2026 kl. 10.00, Mødelokale 2
# Leder: Bo Hansen
# Send skemaet til Bo Hansen senest fredag den 20. november 2026.
#
# SÅDAN UDFYLDER DU SKEMAET
# - Åbn filen i en almindelig teksteditor (fx Notesblok, TextEdit eller gedit),
#   skriv dine svar, og gem filen som ren tekst, som den er.
# - Linjer, der begynder med #, er vejledning. De bliver ikke læst, og du kan
#   lade dem stå.
# - Lad overskrifterne, der begynder med ## [...] eller ### [...], stå, som de er.
#   De fortæller, hvilket spørgsmål dine svar hører til.
# - Score: skriv ét tal fra skalaen efter "Score:", fx "Score: 4".
# - Valg: skriv nummeret eller navnet på det, du vælger, efter "Valg:".
# - Svar (ja/nej): skriv ja eller nej efter kolonet.
# - Nummererede linjer (1., 2., 3.): skriv ét punkt efter hvert nummer.
# - Noter: skriv frit på linjerne under "Noter:", så mange linjer du vil.
# - Du behøver ikke svare på alt. Det, du lader stå tomt, kan vi tale om til
#   samtalen.
# - Lad linjen "Medarbejder:" stå med dit navn.
# ============================================================================

Medarbejder: Anna Sørensen

## Personlige noter til forberedelse
#
# FORBEREDELSE
# Tænk over dit år.
#
# - hvad gik godt
# - hvad gik skidt
Noter:


## [trivsel] Trivsel
# Om hvordan du har det.
Noter:


### [glad] 1. Hvor glad er du for dit job?
# Skriv et tal fra 1 til 5 (1 = slet ikke, 5 = i høj grad). Fra 1 til 5.
Score:
# Hjælpespørgsmål, du kan tænke over:
#   - Hvad gør dig glad?
Noter:


### [ledelse] 2. Hvilken ledelse passer dig?
# Skriv nummeret eller navnet på dit valg efter "Valg:":
#   1. Støttende: Leder lytter
#   2. Delegerende
Valg:
Noter:


## [fremtid] Fremtid
# OBS: Det er ikke en lønforhandling.
Noter:


### [opgaver] Dine vigtigste opgaver?
# Skriv ét punkt efter hvert nummer:
1.
2.
Noter:


### [senior] Ønsker du en seniorsamtale?
Svar (ja/nej):
Noter:


### [andet] Andet?
Noter:
"""


def test_exact_form_for_a_small_framework() -> None:
    assert prep_form(blank(), SMALL) == SMALL_FORM


def filled_form() -> str:
    """The small form as an employee fills it in, typing in the places the form shows."""
    return (
        SMALL_FORM.replace(
            "# - hvad gik skidt\nNoter:\n",
            "# - hvad gik skidt\nNoter:\nJeg vil gerne tale om hjemmearbejde.\n# og det her er min egen linje\n",
        )
        .replace("Score:\n", "Score: 4\n")
        .replace("#   - Hvad gør dig glad?\nNoter:\n", "#   - Hvad gør dig glad?\nNoter:\nKollegerne.\n\nOg opgaverne.\n")
        .replace("Valg:\n", "Valg: 2\n")
        .replace("1.\n2.\n", "1. Bogføring\n2.   Budget  2027\n")
        .replace("Svar (ja/nej):\n", "Svar (ja/nej): Ja.\n")
        .replace("# OBS: Det er ikke en lønforhandling.\nNoter:\n", "# OBS: Det er ikke en lønforhandling.\nNoter: Mere ansvar\n")
    )


def test_a_filled_form_is_read_into_the_conversation() -> None:
    session = blank()
    after = import_prep(session, filled_form(), FILE, today=TODAY)
    assert after.preparation.employee_notes == (
        "Jeg vil gerne tale om hjemmearbejde.\n# og det her er min egen linje"
    )
    assert after.preparation.employee_submitted == TODAY
    glad = after.question("glad")
    assert (glad.own_score, glad.employee_notes, glad.score, glad.notes) == (4, "Kollegerne.\n\nOg opgaverne.", None, "")
    assert after.question("ledelse").choice == "delegerende"
    assert after.question("opgaver").items == ["Bogføring", "Budget 2027"]
    assert after.question("senior").answer is True
    assert after.theme("fremtid").employee_notes == "Mere ansvar"
    assert after.theme("trivsel").employee_notes == ""
    assert describe_import(session, after) == (
        "Medarbejderens forberedelse er indlæst: 1 egen score, noter til 1 spørgsmål, noter til 1 tema, "
        "2 valg og ja/nej-svar, 1 liste og personlige noter til forberedelse."
    )
    # the filled form, written again from the imported session, is the same form
    assert import_prep(after, prep_form(after, SMALL), FILE, today=TODAY) == after


def test_the_manager_side_of_the_conversation_is_never_touched() -> None:
    session = blank()
    glad = session.question("glad").model_copy(update={"score": 2, "notes": "Lederens stikord"})
    theme = session.themes[0].model_copy(update={"questions": [glad, *session.themes[0].questions[1:]], "notes": "T"})
    session = session.model_copy(
        update={
            "themes": [theme, *session.themes[1:]],
            "preparation": session.preparation.model_copy(update={"manager_notes": "LEDERENS EGNE"}),
        }
    )
    form = prep_form(session, SMALL)
    assert "Lederens stikord" not in form and "LEDERENS EGNE" not in form
    after = import_prep(session, filled_form(), FILE, today=TODAY)
    assert after.question("glad").score == 2 and after.question("glad").notes == "Lederens stikord"
    assert after.themes[0].notes == "T"
    assert after.preparation.manager_notes == "LEDERENS EGNE"


@pytest.mark.parametrize("framework_id", ["ringkobing-skjern", "norddjurs", "randers", "haderslev"])
def test_an_unfilled_form_imports_as_empty(framework_id: str) -> None:
    framework = CATALOG.get(framework_id)
    session = blank(framework)
    form = prep_form(session, framework)
    assert import_prep(session, form, FILE, today=TODAY) == session
    assert describe_import(session, session).startswith("Intet nyt at indlæse")


def test_an_unfilled_form_changes_nothing_even_after_an_earlier_import() -> None:
    earlier = import_prep(blank(), filled_form(), FILE, today=TODAY)
    assert import_prep(earlier, SMALL_FORM, FILE, today=dt.date(2026, 11, 20)) == earlier


def test_a_later_form_replaces_the_employees_own_answers_but_keeps_shared_ones() -> None:
    earlier = import_prep(blank(), filled_form(), FILE, today=TODAY)
    second = SMALL_FORM.replace("### [andet] Andet?\nNoter:\n", "### [andet] Andet?\nNoter:\nKun dette.\n")
    after = import_prep(earlier, second, FILE, today=dt.date(2026, 11, 20))
    assert after.question("glad").own_score is None
    assert after.question("glad").employee_notes == ""
    assert after.question("andet").employee_notes == "Kun dette."
    assert after.question("ledelse").choice == "delegerende"  # shared fields are only set, never cleared
    assert after.question("senior").answer is True
    assert after.preparation.employee_submitted == dt.date(2026, 11, 20)


def test_forgiving_where_it_is_safe() -> None:
    form = (
        SMALL_FORM.replace("Medarbejder: Anna Sørensen", "medarbejder:   anna  sørensen")
        .replace("Score:\n", "score:5\n")
        .replace("Valg:\n", "VALG: støttende\n")
        .replace("Svar (ja/nej):\n", "Svar: nej\n")
        .replace(
            "### [andet] Andet?\nNoter:\n",
            "### [andet] Andet?\nSkrevet lige under spørgsmålet.\nNoter:\nOg under noter.\n",
        )
    )
    after = import_prep(blank(), form.replace("\n", "\r\n"), FILE, today=TODAY)
    assert after.question("glad").own_score == 5
    assert after.question("ledelse").choice == "stoettende"
    assert after.question("senior").answer is False
    assert after.question("andet").employee_notes == "Skrevet lige under spørgsmålet.\nOg under noter."


def test_choices_by_number_label_or_id() -> None:
    for written in ("1", "1.", "Støttende", "STØTTENDE", "stoettende"):
        after = import_prep(blank(), SMALL_FORM.replace("Valg:\n", f"Valg: {written}\n"), FILE, today=TODAY)
        assert after.question("ledelse").choice == "stoettende", written


def test_note_lines_that_look_like_headings_survive() -> None:
    session = blank()
    andet = session.question("andet").model_copy(
        update={"employee_notes": "### [glad] ikke en overskrift\n\\## [trivsel] heller ikke\n# og en hash\nScore: 9"}
    )
    theme = session.themes[1].model_copy(update={"questions": [*session.themes[1].questions[:2], andet]})
    session = session.model_copy(update={"themes": [session.themes[0], theme]})
    form = prep_form(session, SMALL)
    assert "\n\\### [glad] ikke en overskrift\n\\\\## [trivsel] heller ikke\n" in form
    assert import_prep(blank(), form, FILE, today=TODAY).question("andet").employee_notes == andet.employee_notes


def test_editors_encodings_are_read() -> None:
    text = SMALL_FORM.replace("### [andet] Andet?\nNoter:\n", "### [andet] Andet?\nNoter:\nÆblegrød på Ø\n")
    for data in (
        text.encode("utf-8"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("utf-16"),
        text.replace("\n", "\r\n").encode("cp1252", errors="replace"),
    ):
        decoded = decode_form(data)
        assert import_prep(blank(), decoded, FILE, today=TODAY).question("andet").employee_notes == "Æblegrød på Ø"


def test_a_senior_theme_is_left_out_for_a_younger_employee() -> None:
    framework = CATALOG.get("ringkobing-skjern")
    assert "[seniorsamtale]" not in prep_form(blank(framework, birth_year=1990), framework)
    assert "[seniorsamtale]" in prep_form(blank(framework, birth_year=1960), framework)
    assert "[seniorsamtale]" in prep_form(blank(framework), framework)  # age unknown: offered


def test_without_the_framework_the_form_still_has_every_question() -> None:
    form = prep_form(blank(), None)
    for marker in ("[trivsel]", "[glad]", "[ledelse]", "[fremtid]", "[opgaver]", "[senior]", "[andet]"):
        assert marker in form
    assert "Send skemaet til Bo Hansen inden samtalen." in form
    assert "Hjælpespørgsmål" not in form
    assert import_prep(blank(), form, FILE) == blank()


def test_last_years_plan_is_shown_as_guidance() -> None:
    session = blank().model_copy(
        update={"followup": [FollowUpRow(session=dt.date(2025, 11, 20), row="1", what="Excel-kursus")]}
    )
    assert "# Aftaler fra sidste udviklingsplan, som vi følger op på:\n#   - Excel-kursus\n" in prep_form(session, SMALL)


# --- rejections: each says which line -------------------------------------------------------------


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def rejection(form: str) -> str:
    with pytest.raises(FileError) as caught:
        import_prep(blank(), form, FILE, today=TODAY)
    return str(caught.value)


def test_rejects_a_score_outside_the_scale() -> None:
    form = SMALL_FORM.replace("Score:\n", "Score: 7\n")
    assert rejection(form) == f"skema.txt:{line_of(form, 'Score: 7')}: Score 7 ligger uden for skalaen 1–5"
    assert line_of(form, "Score: 7") == 46
    form = SMALL_FORM.replace("Score:\n", "Score: 0\n")
    assert rejection(form) == "skema.txt:46: Score 0 ligger uden for skalaen 1–5"


def test_rejects_a_score_that_is_not_a_number() -> None:
    form = SMALL_FORM.replace("Score:\n", "Score: fire\n")
    assert rejection(form) == (
        "skema.txt:46: »fire« er ikke et tal; skriv kun et helt tal fra 1 til 5 efter »Score:« "
        "(kommentarer under »Noter:«)"
    )
    form = SMALL_FORM.replace("Score:\n", "Score: 4,5\n")
    assert rejection(form).startswith("skema.txt:46: »4,5« er ikke et tal")


def test_rejects_an_unknown_question() -> None:
    form = SMALL_FORM.replace("### [andet] Andet?", "### [noget-andet] Andet?")
    assert rejection(form) == (
        f"skema.txt:{line_of(form, '### [noget-andet]')}: ukendt spørgsmål [noget-andet]: "
        "det findes ikke i denne samtale"
    )


def test_rejects_an_unknown_theme() -> None:
    form = SMALL_FORM.replace("## [fremtid] Fremtid", "## [fortid] Fremtid")
    assert rejection(form) == (
        f"skema.txt:{line_of(form, '## [fortid]')}: ukendt tema [fortid]: det findes ikke i denne samtale"
    )


def test_rejects_another_employees_form() -> None:
    form = SMALL_FORM.replace("Medarbejder: Anna Sørensen", "Medarbejder: Carl Nielsen")
    assert rejection(form) == "skema.txt:27: skemaet er til Carl Nielsen, men samtalen er med Anna Sørensen"


def test_rejects_a_form_without_the_employees_name() -> None:
    assert rejection(SMALL_FORM.replace("Medarbejder: Anna Sørensen", "Medarbejder:")) == (
        "skema.txt:27: navnet mangler efter »Medarbejder:«; skemaet skal være til Anna Sørensen"
    )
    assert rejection(SMALL_FORM.replace("Medarbejder: Anna Sørensen\n", "")) == (
        "skema.txt:1: linjen »Medarbejder: Anna Sørensen« mangler øverst i skemaet"
    )


def test_rejects_an_unknown_option() -> None:
    form = SMALL_FORM.replace("Valg:\n", "Valg: Instruerende\n")
    assert rejection(form) == (
        f"skema.txt:{line_of(form, 'Valg: Instruerende')}: »Instruerende« er ikke en af valgmulighederne "
        "(1. Støttende, 2. Delegerende)"
    )
    assert rejection(SMALL_FORM.replace("Valg:\n", "Valg: 3\n")).endswith(
        "»3« er ikke en af valgmulighederne (1. Støttende, 2. Delegerende)"
    )


def test_rejects_an_answer_that_is_neither_yes_nor_no() -> None:
    form = SMALL_FORM.replace("Svar (ja/nej):\n", "Svar (ja/nej): måske\n")
    assert rejection(form) == f"skema.txt:{line_of(form, 'Svar (ja/nej): måske')}: »måske« er hverken ja eller nej"


def test_rejects_list_items_beyond_the_list() -> None:
    form = SMALL_FORM.replace("1.\n2.\n", "1. a\n2. b\n3. c\n")
    assert rejection(form) == (
        f"skema.txt:{line_of(form, '3. c')}: punkt 3 findes ikke; spørgsmålet har 2 punkter (skriv flere under »Noter:«)"
    )


def test_rejects_fields_that_do_not_belong_to_the_question() -> None:
    form = SMALL_FORM.replace("### [andet] Andet?\nNoter:", "### [andet] Andet?\nScore: 3\nNoter:")
    assert rejection(form) == (
        f"skema.txt:{line_of(form, 'Score: 3')}: spørgsmålet [andet] har ingen score; skriv under »Noter:«"
    )
    form = SMALL_FORM.replace("## [fremtid] Fremtid\n", "## [fremtid] Fremtid\nValg: 1\n")
    assert rejection(form) == (
        f"skema.txt:{line_of(form, 'Valg: 1')}: temaet »Fremtid« har ingen valgmuligheder; skriv under »Noter:«"
    )


def test_rejects_a_question_twice_and_a_field_twice() -> None:
    form = SMALL_FORM + "\n### [glad] igen\nScore: 2\n"
    assert rejection(form) == (
        f"skema.txt:{line_of(form, '### [glad] igen')}: spørgsmålet [glad] står to gange i skemaet (også linje 44)"
    )
    form = SMALL_FORM.replace("Score:\n", "Score: 2\nScore: 3\n")
    assert rejection(form) == "skema.txt:47: »Score:« står to gange (også linje 46)"


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    form = (
        SMALL_FORM.replace("Medarbejder: Anna Sørensen", "Medarbejder: Carl")
        .replace("Score:\n", "Score: 9\n")
        .replace("Svar (ja/nej):\n", "Svar (ja/nej): tja\n")
    )
    lines = rejection(form).split("\n")
    assert [line.split(":")[1] for line in lines] == ["27", "46", str(line_of(form, "tja"))]


def test_a_closed_conversation_is_refused() -> None:
    closed = blank().model_copy(update={"status": Status.CLOSED})
    with pytest.raises(FileError) as caught:
        import_prep(closed, filled_form(), FILE)
    assert str(caught.value) == "skema.txt: samtalen er afsluttet; genåbn den, før du indlæser medarbejderens forberedelse"


def test_parse_prep_reports_without_changing_anything() -> None:
    answers = parse_prep(blank(), filled_form(), FILE)
    assert {qid: given["own_score"] for qid, given in answers.given.items() if "own_score" in given} == {"glad": 4}
    assert not answers.empty
    assert parse_prep(blank(), SMALL_FORM, FILE).empty


# --- round trip: a form carries the employee's own answers exactly --------------------------------

_tricky_lines = st.sampled_from(
    [
        "",
        "## [glad] ligner en overskrift",
        "### [andet] også",
        "\\### [x] allerede med skråstreg",
        "# en hash-linje",
        "Noter:",
        "Score: 3",
        "Medarbejder: Carl",
        "1. et punkt",
        "  indrykket",
        "ÆØÅ æøå – “citat”",
        "\t tab",
    ]
)
_plain_lines = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=40)


def _as_stored(text: str) -> str:
    """Notes as a session keeps them; only white space counts as no notes (the form cannot show it)."""
    text = normalize_text(text).strip("\n")
    return text if text.strip() else ""


notes_text = st.lists(_tricky_lines | _plain_lines, max_size=5).map(lambda lines: _as_stored("\n".join(lines)))
item_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30).map(lambda t: " ".join(t.split()))
ident = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True)
label = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).map(one_line).filter(bool)


def with_own_answers(draw: st.DrawFn, session: Session) -> Session:
    """`session` with random own answers everywhere the employee can give one."""
    themes = []
    for theme in session.themes:
        questions = []
        for question in theme.questions:
            update: dict[str, object] = {"employee_notes": draw(notes_text)}
            if question.kind == QuestionKind.SCORE and question.scale:
                update["own_score"] = draw(st.none() | st.integers(question.scale.min, question.scale.max))
            if question.options:
                update["choice"] = draw(st.none() | st.sampled_from(sorted(question.options)))
            if question.kind == QuestionKind.YESNO:
                update["answer"] = draw(st.none() | st.booleans())
            if question.kind == QuestionKind.LIST:
                update["items"] = [draw(item_text) for _ in question.items]
            questions.append(question.model_copy(update=update))
        themes.append(theme.model_copy(update={"questions": questions, "employee_notes": draw(notes_text)}))
    preparation = session.preparation.model_copy(update={"employee_notes": draw(notes_text)})
    return session.model_copy(update={"themes": themes, "preparation": preparation})


@st.composite
def bundled_cases(draw: st.DrawFn) -> tuple[Session, Session, Framework | None]:
    framework = draw(st.sampled_from([SMALL, *(entry.framework for entry in CATALOG)]))
    empty = blank(framework)
    return empty, with_own_answers(draw, empty), framework


@st.composite
def generated_cases(draw: st.DrawFn) -> tuple[Session, Session, Framework | None]:
    """Conversations of any shape, with no framework behind them."""
    question_ids = draw(st.lists(ident, min_size=1, max_size=6, unique=True))
    theme_ids = draw(st.lists(ident, min_size=1, max_size=3, unique=True))
    themes = [ThemeRecord(id=tid, title=draw(label), role=draw(st.sampled_from(ThemeRole))) for tid in theme_ids]
    for qid in question_ids:
        kind = draw(st.sampled_from(QuestionKind))
        low = draw(st.integers(-3, 5))
        scale = ScaleSnapshot(min=low, max=low + draw(st.integers(1, 10))) if kind == QuestionKind.SCORE else None
        options: dict[str, str] = {}
        if kind in (QuestionKind.CHOICE, QuestionKind.SCORE) and draw(st.booleans()):
            option_ids = draw(st.lists(ident, min_size=2, max_size=4, unique=True))
            labels = draw(st.lists(label, min_size=len(option_ids), max_size=len(option_ids), unique=True))
            options = dict(zip(option_ids, labels, strict=True))
        if kind == QuestionKind.CHOICE and not options:
            options = {"a": "A", "b": "B"}
        question = QuestionRecord(
            id=qid,
            number=draw(st.sampled_from(["", "1", "2.a"])),
            text=draw(label),
            kind=kind,
            scale=scale,
            options=options,
            items=[""] * draw(st.integers(1, 4)) if kind == QuestionKind.LIST else [],
        )
        index = draw(st.integers(0, len(themes) - 1))
        themes[index] = themes[index].model_copy(update={"questions": [*themes[index].questions, question]})
    empty = Session(
        schema_version=SCHEMA_VERSION,
        status=draw(st.sampled_from([Status.DRAFT, Status.HELD, Status.REOPENED])),
        date=dt.date(2026, 11, 23),
        framework=FrameworkRef(id="genereret", name=draw(label), version="1"),
        employee=Person(name=draw(label)),
        manager=Person(name="Bo Hansen"),
        themes=themes,
    )
    return empty, with_own_answers(draw, empty), None


def own_answers(session: Session) -> tuple[object, ...]:
    return (
        session.preparation.employee_notes,
        [(theme.id, theme.employee_notes) for theme in session.themes],
        [(q.id, q.own_score, q.employee_notes, q.choice, q.answer, q.items) for _, q in session.questions()],
    )


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(bundled_cases() | generated_cases())
def test_a_filled_form_round_trips(case: tuple[Session, Session, Framework | None]) -> None:
    empty, filled, framework = case
    form = prep_form(filled, framework)
    imported = import_prep(empty, form, FILE, today=TODAY)
    assert own_answers(imported) == own_answers(filled)
    # nothing but the employee's own answers moved, and a second import changes nothing more
    assert imported.model_copy(update={"themes": empty.themes, "preparation": empty.preparation}) == empty
    assert import_prep(imported, prep_form(imported, framework), FILE, today=TODAY) == imported


# --- the commands ---------------------------------------------------------------------------------


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    root = tmp_path / "sessions"
    Store.open(root).create(blank(CATALOG.get("ringkobing-skjern")))
    return root


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def test_prep_form_and_prep_import_commands(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = tmp_path / "forberedelse.txt"
    assert main(["--sessions", str(sessions), "prep-form", "Anna Sørensen", "-o", str(form)]) == 0
    assert os.stat(form).st_mode & 0o777 == 0o600
    text = form.read_text(encoding="utf-8")
    assert text == prep_form(blank(CATALOG.get("ringkobing-skjern")), CATALOG.get("ringkobing-skjern"))
    assert "senest onsdag den 18. november 2026" in text

    filled = text.replace("### [glad-for-job] 2. Hvor glad er du for dit job?\n", "§").split("§")
    filled = filled[0] + "### [glad-for-job] 2. Hvor glad er du for dit job?\n" + filled[1].replace(
        "Score:\n", "Score: 5\n", 1
    ).replace("Noter:\n", "Noter:\nRigtig glad.\n", 1)
    form.write_text(filled, encoding="utf-8")
    session_file = sessions / "anna-sørensen" / "2026-11-23.toml"
    capsys.readouterr()
    assert main(["--sessions", str(sessions), "prep-import", str(session_file), str(form)]) == 0
    assert capsys.readouterr().out == (
        "Medarbejderens forberedelse er indlæst: 1 egen score og noter til 1 spørgsmål.\n"
    )
    saved = Store.open(sessions).load("anna-sørensen/2026-11-23.toml")
    assert saved.question("glad-for-job").own_score == 5
    assert saved.question("glad-for-job").employee_notes == "Rigtig glad."
    assert saved.preparation.employee_submitted == dt.date.today()
    log = git(sessions, "log", "-1", "--format=%s%n%b")
    assert log.startswith("Anna Sørensen 2026-11-23: medarbejderens forberedelse modtaget\n")
    assert "Musterm-Event: preparation" in log
    assert git(sessions, "status", "--porcelain") == ""

    # the same form again: nothing new, no commit
    count = git(sessions, "rev-list", "--count", "HEAD")
    assert main(["--sessions", str(sessions), "prep-import", str(session_file), str(form)]) == 0
    assert capsys.readouterr().out.startswith("Intet nyt at indlæse")
    assert git(sessions, "rev-list", "--count", "HEAD") == count


def test_prep_import_command_reports_the_line_and_writes_nothing(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = tmp_path / "forberedelse.txt"
    main(["--sessions", str(sessions), "prep-form", "Anna Sørensen", "-o", str(form)])
    text = form.read_text(encoding="utf-8").replace("Score:\n", "Score: 7\n", 1)
    form.write_text(text, encoding="utf-8")
    before = (sessions / "anna-sørensen" / "2026-11-23.toml").read_bytes()
    capsys.readouterr()
    assert main(["--sessions", str(sessions), "prep-import", "Anna Sørensen", str(form)]) == 1
    assert capsys.readouterr().err == (
        f"musterm: {form}:{line_of(text, 'Score: 7')}: Score 7 ligger uden for skalaen 1–6\n"
    )
    assert (sessions / "anna-sørensen" / "2026-11-23.toml").read_bytes() == before


def test_prep_form_command_refuses_the_sessions_repository(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = sessions / "anna-sørensen" / "skema.txt"
    assert main(["--sessions", str(sessions), "prep-form", "Anna Sørensen", "-o", str(target)]) == 1
    assert "ligger i samtalearkivet" in capsys.readouterr().err
    assert not target.exists()
