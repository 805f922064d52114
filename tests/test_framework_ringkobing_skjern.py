"""The bundled Ringkøbing-Skjern framework carries the municipality's MUS form faithfully.

Expected values are copied from the form (MUS-skema, "Revideret 01/2024").
"""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.frameworks.catalog import Catalog, load_files
from musterm.model.framework import (
    INVITATION_PLACEHOLDERS,
    Framework,
    Phase,
    QuestionKind,
    ThemeRole,
)

REPO = Path(__file__).resolve().parent.parent
FILE = REPO / "frameworks" / "ringkobing-skjern.toml"

SCORED = {
    "Indledende dialog": [
        "I hvor høj grad bidrager du til at opfylde din enheds fastsatte mål?",
    ],
    "Job og arbejdsindhold": [
        "Hvor glad er du for dit job?",
        "Hvor godt føler du dig klædt på til jobbet?",
        "I hvor høj grad er du tilfreds med dine opgaver?",
    ],
    "Kvalitet og kompetencer": [
        "I hvor høj grad bliver dine kompetencer udnyttet?",
        "I hvor høj grad har du de nødvendige kompetencer til fremtidens opgaveløsning?",
        "Hvordan vurderer du kvaliteten i afdelingens ydelser?",
    ],
    "Arbejdsliv": [
        "Hvordan fungerer samarbejdet og dialogen med dine nærmeste kolleger?",
        "Hvor god er din relation til samarbejdspartnere?",
        "I hvor høj grad er der balance mellem dit arbejdsliv og dit fritidsliv?",
    ],
    "Ledelse og samarbejde": [
        "Hvordan oplever du dine muligheder for at handle og beslutte selv, når du står med opgaverne?",
        "I hvor høj grad er dine mål klart definerede?",
        "Hvordan fungerer samarbejdet og dialogen omkring dine opgaver med mig?",
    ],
}

# (heading in the plan table, the guide's example for that column)
PLAN_COLUMNS = {
    "what": ("Hvad skal udvikles? (Udviklingsinitiativ)", "Eks. bedre kompetencer i brugen af excel."),
    "goal": ("Målet for initiativet?", "Eks. At kunne udforme et budget i excel."),
    "how": (
        "Hvordan? (Metode)",
        "Eks. sidemandsoplæring hos XX XXX over 3 dage + kursus på aftenskole. "
        "Kurset betales af arbejdsgiveren, kørselsudgifter betales af YY selv.",
    ),
    "when": (
        "Hvornår? (Tidsplan)",
        "Eks. sidemandsoplæring sker over 3 enkelte dage i foråret. "
        "Kurset på aftenskole sker over 8 aftener i september og oktober.",
    ),
    "followup": (
        "Opfølgning (Tidspunkt)",
        "Eks. I forbindelse med vores månedlige opfølgningsmøder følges der op på "
        "kompetenceudviklingsplanen i april og i november.",
    ),
}


@pytest.fixture(scope="module")
def rksk() -> Framework:
    entries, errors = load_files([(FILE, "test")])
    assert errors == []
    return entries["ringkobing-skjern"].framework


def _theme(framework: Framework, role: ThemeRole):  # noqa: ANN202
    found = [theme for theme in framework.themes if theme.role == role]
    assert len(found) == 1, role
    return found[0]


def test_musterm_check_accepts_the_file() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "musterm", "check", str(FILE)], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_is_found_among_the_bundled_frameworks() -> None:
    assert Catalog.discover().get("ringkobing-skjern").municipality == "Ringkøbing-Skjern Kommune"


def test_revised(rksk: Framework) -> None:
    assert rksk.revised == "Revideret 01/2024"


def test_thirteen_questions_scored_one_to_six(rksk: Framework) -> None:
    scored = [(theme, question) for theme, question in rksk.questions() if question.kind == QuestionKind.SCORE]
    assert len(scored) == 13
    assert [question.number for _, question in scored] == [str(n) for n in range(1, 14)]
    by_theme: dict[str, list[str]] = {}
    for theme, question in scored:
        by_theme.setdefault(theme.title, []).append(question.text)
        scale = rksk.scale_of(theme, question)
        assert scale is not None and (scale.min, scale.max) == (1, 6)
        assert scale.label == "Scores fra 1-6 med 6 som top"
    assert by_theme == SCORED


def test_one_opening_question_and_four_themes_of_three(rksk: Framework) -> None:
    opening = _theme(rksk, ThemeRole.OPENING)
    assert opening.title == "Indledende dialog"
    assert len(opening.questions) == 1
    assert "del af hele organisationen Ringkøbing-Skjern Kommune" in opening.description
    themes = [theme for theme in rksk.themes if theme.role == ThemeRole.THEME]
    assert [theme.title for theme in themes] == list(SCORED)[1:]
    assert all(len(theme.questions) == 3 for theme in themes)
    assert all(theme.notes_label is None for theme in themes)
    assert rksk.notes_label == "Stikord og fælles konklusioner"


def test_salary_talk_is_unscored_and_not_a_negotiation(rksk: Framework) -> None:
    salary = _theme(rksk, ThemeRole.SALARY)
    assert salary.title == "Forventningssamtale om løn"
    [question] = salary.questions
    assert question.number == "14"
    assert question.text == "Afklaring og forventninger omkring de kommende lønforhandlinger."
    assert question.kind == QuestionKind.TEXT
    assert rksk.scale_of(salary, question) is None
    assert "Det er ikke en lønforhandling" in salary.notice
    assert "Det er ikke en lønforhandling" in question.notice


def test_followup_on_last_mus_is_unscored(rksk: Framework) -> None:
    last = _theme(rksk, ThemeRole.LAST_MUS)
    assert last.title == "Opfølgning på sidste MUS"
    [question] = last.questions
    assert question.number == "15"
    assert question.text == (
        "Er der erfaringer fra den forrige kompetenceudviklingsplan, vi kan bruge i forhold til "
        "den nye individuelle kompetenceudviklingsplan?"
    )
    assert question.kind == QuestionKind.TEXT
    assert rksk.scale_of(last, question) is None


def test_senior_conversation_from_55_with_a_yes_no_question(rksk: Framework) -> None:
    senior = _theme(rksk, ThemeRole.SENIOR)
    assert senior.title == "Seniorsamtale"
    assert senior.offered_from_age == 55
    assert "fra det fyldte 55. år" in senior.description
    assert "HovedMED-udvalget" in senior.description
    [question] = senior.questions
    assert question.text == "Ønsker du seniorsamtalen?"
    assert question.kind == QuestionKind.YESNO


def test_other_topics(rksk: Framework) -> None:
    other = _theme(rksk, ThemeRole.OTHER)
    assert other.title == "Andre emner"
    [question] = other.questions
    assert question.text == "Er der andre emner du gerne vil drøfte?"
    assert question.kind == QuestionKind.TEXT


def test_order_of_the_form(rksk: Framework) -> None:
    assert [theme.role for theme in rksk.themes] == [
        ThemeRole.OPENING,
        *[ThemeRole.THEME] * 4,
        ThemeRole.SALARY,
        ThemeRole.LAST_MUS,
        ThemeRole.SENIOR,
        ThemeRole.OTHER,
    ]


def test_invitation_with_deadline_and_placeholders(rksk: Framework) -> None:
    invitation = rksk.invitation
    assert invitation is not None
    assert invitation.prep_deadline_days == 5
    names = {name for _, name, _, _ in string.Formatter().parse(invitation.template) if name}
    assert {"medarbejder", "leder", "dato", "tid", "frist"} <= names <= INVITATION_PLACEHOLDERS
    assert "Velkommen til medarbejderudviklingssamtale (MUS)!" in invitation.template
    for topic in ("Job og arbejdsindhold", "Kvalitet og kompetencer", "Arbejdsliv", "Ledelse og samarbejde"):
        assert topic in invitation.template
    preparation = " ".join(text.text for text in rksk.guidance_for(Phase.PREPARATION))
    assert "senest 5 dage før samtalen" in preparation


def test_plan_columns_and_their_examples(rksk: Framework) -> None:
    assert rksk.plan.title == "Individuel kompetenceudviklingsplan"
    assert "ikke nødvendigvis skal følges slavisk" in rksk.plan.intro
    for key, (heading, example) in PLAN_COLUMNS.items():
        column = getattr(rksk.plan.columns, key)
        assert column.heading == heading
        assert column.help.endswith(example), key


def test_signatures(rksk: Framework) -> None:
    assert rksk.closing.signatures == ["Dato", "Leder", "Medarbejder"]


def test_purpose_guidance(rksk: Framework) -> None:
    [purpose] = rksk.guidance_for(Phase.PURPOSE)
    assert purpose.title == "Hvad er formålet med MUS i Ringkøbing-Skjern Kommune?"
    assert "hvilke forventninger vi hver især har til din løn og arbejdsindsats" in purpose.text
