"""The bundled Randers Kommune framework carries the employee guide faithfully.

Expected values are copied from the guide ("MUS-Samtale i Randers Kommune",
"Guide til medarbejder - Sådan forbereder du dig").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from musterm.frameworks.catalog import Catalog, load_files
from musterm.model.framework import Framework, Phase, PlanColumns, QuestionKind

REPO = Path(__file__).resolve().parent.parent
FILE = REPO / "frameworks" / "randers.toml"


@pytest.fixture(scope="module")
def randers() -> Framework:
    entries, errors = load_files([(FILE, "test")])
    assert errors == []
    return entries["randers"].framework


def _guidance(framework: Framework, phase: Phase) -> dict[str, str]:
    return {text.title: text.text for text in framework.guidance_for(phase)}


def test_musterm_check_accepts_the_file() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "musterm", "check", str(FILE)], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_is_found_among_the_bundled_frameworks() -> None:
    framework = Catalog.discover().get("randers")
    assert framework.municipality == "Randers Kommune"


def test_metadata(randers: Framework) -> None:
    assert randers.id == "randers"
    assert randers.name == "MUS-samtale i Randers Kommune"
    assert "Guide til medarbejder - Sådan forbereder du dig" in randers.source
    assert randers.invitation is None
    assert randers.closing.signatures == []


def test_three_topics_in_the_guides_order(randers: Framework) -> None:
    assert [(theme.id, theme.title) for theme in randers.themes] == [
        ("mig-som-medarbejder", "Mig som medarbejder"),
        ("faglighed", "Faglighed"),
        ("relationer", "Relationer"),
    ]
    assert all(theme.role == "theme" for theme in randers.themes)


def test_topics_are_text_only_with_their_descriptions(randers: Framework) -> None:
    themes = {theme.id: theme for theme in randers.themes}
    assert all(theme.questions == [] for theme in randers.themes)
    assert themes["mig-som-medarbejder"].description.startswith(
        "Emnet understreger, at det er dig, der er i centrum for samtalen."
    )
    assert "god dag og dårlig dag" in themes["mig-som-medarbejder"].description
    assert themes["faglighed"].description == (
        "Emnet rummer de opgavemæssige og faglige aspekter, som er væsentlige at tale om til MUS-samtalen. "
        "Det vil sige dine opgaver, kompetencer, mål og værdier."
    )
    assert themes["relationer"].description == (
        "Emnet rummer de samarbejdsmæssige og relationelle aspekter, som er væsentlige at tale om til MUS-samtalen. "
        "Det vil sige din relation til kollegaer, leder, samarbejdspartnere og borgere."
    )


def test_good_day_bad_day_helpers(randers: Framework) -> None:
    themes = {theme.id: theme for theme in randers.themes}
    assert themes["mig-som-medarbejder"].helpers == ["Hvilke opgaver giver en god dag?", "Hvad udløser dårlige dage?"]
    assert themes["faglighed"].helpers == []
    assert themes["relationer"].helpers == []


def test_no_score_scale_and_no_scored_question(randers: Framework) -> None:
    assert randers.scales == {}
    assert all(theme.scale is None for theme in randers.themes)
    assert all(question.kind != QuestionKind.SCORE for _, question in randers.questions())
    assert all(randers.scale_of(theme, question) is None for theme, question in randers.questions())


def test_purpose_and_the_did_you_know_box(randers: Framework) -> None:
    purpose = _guidance(randers, Phase.PURPOSE)
    assert list(purpose) == ["En attraktiv arbejdsplads", "Vidste du, at…"]
    assert "levere velfærdsydelser af høj kvalitet" in purpose["En attraktiv arbejdsplads"]
    assert "Mere end 70% af det vi lærer, sker gennem oplevelse og handling?" in purpose["Vidste du, at…"]
    assert "Kjeld Fredens" in purpose["Vidste du, at…"]


def test_approach_is_appreciative_solution_focused_and_systemic(randers: Framework) -> None:
    approach = _guidance(randers, Phase.CONVERSATION)["Fokus på anerkendelse og helheder"]
    assert "anerkendende og løsningsorienteret tilgang" in approach
    assert "den systemiske tilgang" in approach
    assert "Mig som medarbejder, Faglighed og Relationer" in approach


def test_four_good_advices_in_preparation(randers: Framework) -> None:
    preparation = _guidance(randers, Phase.PREPARATION)
    advice = preparation["Gode råd til din MUS-samtale"]
    headings = [
        "Forbered dig grundigt",
        "Vær løsningsorienteret og anerkend hinanden",
        "Lav klare aftaler",
        "Opfølgning",
    ]
    positions = [advice.index(f"**{heading}**") for heading in headings]
    assert positions == sorted(positions)
    assert "Din forberedelse til MUS-samtalen er altafgørende." in advice
    assert "Overvej at dele dine øvebaner med dine kollegaer" in advice


def test_plan_with_concrete_actions_and_practice_grounds(randers: Framework) -> None:
    plan_guidance = _guidance(randers, Phase.PLAN)["Afrunding på samtalen"]
    assert "Vær konkret og lav klare aftaler sammen med din leder" in plan_guidance
    assert "konkrete handlinger/øvebaner" in plan_guidance
    assert randers.plan.title == "Individuel kompetenceudviklingsplan"
    assert "konkrete handlinger/øvebaner" in randers.plan.intro
    assert "sidemandsoplæring, mentor-/følordning, jobbytte" in randers.plan.intro
    assert randers.plan.columns == PlanColumns()
    assert randers.plan.fields == []


def test_followup_is_a_shared_responsibility(randers: Framework) -> None:
    followup = _guidance(randers, Phase.FOLLOWUP)["Opfølgning på aftaler – et fælles ansvar"]
    assert "fælles ansvar" in followup
    assert "kalenderbookinger" in followup


def test_pdf_hyphenation_is_undone() -> None:
    text = FILE.read_text(encoding="utf-8")
    for broken in ("vel-færd", "medar-bejder", "kompe-tence", "sidemandsoplæ-ring", "Hjerne-forsker", "ka-lender"):
        assert broken not in text
    assert "velfærdsydelser" in text
