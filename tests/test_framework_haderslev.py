"""The bundled Haderslev framework carries the guide "MUS – en vejledning til medarbejdere"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from musterm.frameworks.catalog import load_files
from musterm.model.framework import Framework, Phase, QuestionKind, Theme, ThemeRole

REPO = Path(__file__).resolve().parent.parent
FILE = REPO / "frameworks" / "haderslev.toml"
SCALE_ID = "fra-lav-til-hoej-0-5"

MANDATORY = {
    "trivsel-generelt",
    "livsfase-indflydelse",
    "balance-opgaver-og-tid",
    "noedvendige-kompetencer",
    "samarbejde-med-kolleger",
    "samarbejde-med-samarbejdspartnere",
    "efterlever-resultater",
    "efterlever-ambitioner",
    "efterlever-dialog",
    "efterlever-faellesskab",
}


@pytest.fixture(scope="module")
def framework() -> Framework:
    entries, errors = load_files([(FILE, "test")])
    assert errors == []
    return entries["haderslev"].framework


def theme(framework: Framework, theme_id: str) -> Theme:
    return next(t for t in framework.themes if t.id == theme_id)


def test_metadata(framework: Framework) -> None:
    assert framework.id == "haderslev"
    assert framework.municipality == "Haderslev Kommune"
    assert framework.version == "2025"
    assert framework.language == "da"
    assert framework.invitation is None


def test_scale_runs_from_0_to_5_low_to_high(framework: Framework) -> None:
    assert list(framework.scales) == [SCALE_ID]
    scale = framework.scales[SCALE_ID]
    assert (scale.min, scale.max) == (0, 5)
    assert scale.label == "Fra lav til høj (0-5)"
    assert scale.low_label == "Meget lav grad"
    assert scale.high_label == "Meget høj grad"


def test_themes_in_the_guides_order(framework: Framework) -> None:
    assert [(t.title, t.role) for t in framework.themes] == [
        ("Trivsel", ThemeRole.THEME),
        ("Opgaveløsning", ThemeRole.THEME),
        ("Samarbejde", ThemeRole.THEME),
        ("Organisationens tema: Vores værdier", ThemeRole.ORGANISATION),
        ("Andet", ThemeRole.OTHER),
        ("Mål og fremtid", ThemeRole.GOALS),
    ]


@pytest.mark.parametrize(
    ("theme_id", "count"),
    [("trivsel", 8), ("opgaveloesning", 5), ("samarbejde", 5), ("vores-vaerdier-2025", 4)],
)
def test_scored_statements_per_theme(framework: Framework, theme_id: str, count: int) -> None:
    questions = theme(framework, theme_id).questions
    assert len(questions) == count
    for question in questions:
        assert question.kind == QuestionKind.SCORE
        scale = framework.scale_of(theme(framework, theme_id), question)
        assert scale is not None and (scale.min, scale.max) == (0, 5)


def test_22_scored_statements_in_all(framework: Framework) -> None:
    scored = [q for _, q in framework.questions() if q.kind == QuestionKind.SCORE]
    assert len(scored) == 22


def test_exactly_the_guides_mandatory_statements(framework: Framework) -> None:
    mandatory = {q.id for _, q in framework.questions() if q.mandatory}
    assert mandatory == MANDATORY
    per_theme = {t.id: sum(q.mandatory for q in t.questions) for t in framework.themes}
    assert per_theme == {
        "trivsel": 2,
        "opgaveloesning": 2,
        "samarbejde": 2,
        "vores-vaerdier-2025": 4,
        "andet": 0,
        "maal-og-fremtid": 0,
    }


def test_every_statement_outside_the_values_theme_has_helper_questions(framework: Framework) -> None:
    for t in framework.themes[:3]:
        for question in t.questions:
            if question.id == "livsfase-indflydelse":
                assert question.helpers == []
                assert all(option.helpers for option in question.options)
            else:
                assert question.helpers, question.id


@pytest.mark.parametrize(
    ("theme_id", "question_id", "text"),
    [
        ("trivsel", "trivsel-generelt", "Jeg trives generelt i mit arbejde."),
        ("trivsel", "livsfase-indflydelse", "Min nuværende livsfase har indflydelse på mit arbejde."),
        ("trivsel", "balance-arbejde-privatliv", "Jeg oplever balance mellem mit arbejde og mit privatliv."),
        (
            "opgaveloesning",
            "balance-opgaver-og-tid",
            "Jeg oplever balance mellem mine opgaver og den tid, jeg har til rådighed.",
        ),
        (
            "opgaveloesning",
            "hjaelp-til-loesning",
            "Når jeg har opgaver, jeg ikke selv kan løse, får jeg hjælp til at finde en løsning.",
        ),
        ("samarbejde", "samarbejde-med-samarbejdspartnere", "Jeg har et godt samarbejde med dem, jeg skal samarbejde med."),
        ("samarbejde", "god-til-at-samarbejde", "Jeg er god til at samarbejde med andre."),
        ("vores-vaerdier-2025", "efterlever-dialog", "Jeg efterlever værdien ‘Dialog’"),
    ],
)
def test_statement_texts(framework: Framework, theme_id: str, question_id: str, text: str) -> None:
    question = next(q for q in theme(framework, theme_id).questions if q.id == question_id)
    assert question.text == text


def test_typos_from_the_pdf_are_fixed(framework: Framework) -> None:
    helpers = [h for _, q in framework.questions() for h in q.helpers]
    assert "Er det klart for dig, hvilken værdi, vi ønsker at skabe som team/afdeling?" in helpers
    assert (
        "Hvor god er du til at skabe relationer til dine samarbejdspartnere til gavn for opgaveløsningen?" in helpers
    )
    assert not any("hivlken" in h or "samarbejdsparnere" in h for h in helpers)


def test_life_phase_options_each_with_helper_questions(framework: Framework) -> None:
    question = next(q for q in theme(framework, "trivsel").questions if q.id == "livsfase-indflydelse")
    assert question.kind == QuestionKind.SCORE
    assert question.mandatory
    assert [(o.id, o.label, len(o.helpers)) for o in question.options] == [
        ("unge-paa-arbejde", "Unge på arbejde", 2),
        ("familieforoegelse", "Familieforøgelse", 1),
        ("familieliv", "Familieliv", 1),
        ("karrierespurt", "Karrierespurt", 3),
        ("senior", "Senior", 2),
    ]
    senior = question.options[-1]
    assert senior.helpers[0] == "Er du dér, hvor du ønsker en seniorsamtale?"


def test_values_with_their_descriptions(framework: Framework) -> None:
    values = theme(framework, "vores-vaerdier-2025")
    assert [(q.text, q.description.split(".")[0]) for q in values.questions] == [
        ("Jeg efterlever værdien ‘Resultater’", "Vi er professionelle medskabere"),
        ("Jeg efterlever værdien ‘Ambitioner’", "Vi er modige nytænkere"),
        ("Jeg efterlever værdien ‘Dialog’", "Vi er åbne samarbejdspartnere"),
        ("Jeg efterlever værdien ‘Fællesskab’", "Vi er kompetente holdspillere"),
    ]
    assert all(q.helpers == [] for q in values.questions)
    assert values.helpers == [
        "Hvordan oplever du, at vi efterlever (eller ikke efterlever) værdierne i vores team/afdeling?",
        "Hvad har du brug for, for at værdierne i højere grad bliver nærværende for os?",
    ]


def test_organisation_theme_rotates_with_odd_years(framework: Framework) -> None:
    values = theme(framework, "vores-vaerdier-2025")
    assert (values.from_year, values.to_year) == (2025, 2026)
    for year in (2025, 2026):
        assert "vores-vaerdier-2025" in [t.id for t in framework.themes_for(year)]
    later = [t.id for t in framework.themes_for(2027)]
    assert "vores-vaerdier-2025" not in later
    assert later == ["trivsel", "opgaveloesning", "samarbejde", "andet", "maal-og-fremtid"]
    assert len(framework.questions(2027)) == 18 + 3


def test_andet_and_maal_og_fremtid(framework: Framework) -> None:
    andet = theme(framework, "andet")
    assert andet.role == ThemeRole.OTHER
    assert [(q.text, q.kind) for q in andet.questions] == [("Er der andre ting, vi skal omkring?", QuestionKind.TEXT)]
    assert andet.questions[0].description.startswith("Fx ønsker om kompetenceudvikling")

    goals = theme(framework, "maal-og-fremtid")
    assert goals.role == ThemeRole.GOALS
    assert "i fællesskab under selve samtalen" in goals.notice
    assert [(q.text, q.kind, len(q.helpers)) for q in goals.questions] == [
        ("Hvilke fokusområder har du for det kommende år?", QuestionKind.TEXT, 2),
        ("Hvilke eventuelle udviklingstiltag skal vi sætte i gang?", QuestionKind.TEXT, 0),
    ]


def test_guidance_per_phase(framework: Framework) -> None:
    (purpose,) = framework.guidance_for(Phase.PURPOSE)
    assert purpose.title == "Formål med MUS"
    assert "MUS skal hjælpe os med at:" in purpose.text
    assert "**Sætte klare mål:** Definere konkrete mål og handleplaner for fremtiden." in purpose.text
    assert "For dig som medarbejder er MUS" in purpose.text

    (preparation,) = framework.guidance_for(Phase.PREPARATION)
    steps = [
        "1. **Reflektere over din nuværende arbejdssituation:**",
        "2. **Identificere dine udviklingsbehov:**",
        "3. **Gennemgå tidligere MUS-aftaler:**",
        "4. **Forberede konkrete eksempler:**",
        "5. **Tænke over dine ønsker og forventninger:**",
    ]
    positions = [preparation.text.index(step) for step in steps]
    assert positions == sorted(positions)

    (conversation,) = framework.guidance_for(Phase.CONVERSATION)
    assert "3 primære dialogtemaer" in conversation.text
    assert "hvert andet år (ulige år)" in conversation.text
    assert "HovedMED" in conversation.text
    assert "obligatoriske og kan derfor ikke fjernes" in conversation.text
    assert "Er der svaret 0, oplever du det i meget lav grad." in conversation.text


def test_plan_and_closing_use_the_defaults(framework: Framework) -> None:
    columns = framework.plan.columns
    assert [columns.what.heading, columns.goal.heading, columns.how.heading] == ["Hvad?", "Mål?", "Hvordan?"]
    assert "Mål og fremtid" in framework.plan.title
    assert framework.closing.signatures == ["Dato", "Leder", "Medarbejder"]


def test_musterm_check_accepts_the_file() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "musterm", "check", str(FILE)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr
