"""The bundled Norddjurs framework carries the municipality's MUS guide faithfully."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from musterm.frameworks.catalog import load_files
from musterm.model.framework import Framework, Phase, QuestionKind, Theme, ThemeRole

REPO = Path(__file__).resolve().parent.parent
FILE = REPO / "frameworks" / "norddjurs.toml"


@pytest.fixture(scope="module")
def framework() -> Framework:
    entries, errors = load_files([(FILE, "test")])
    assert errors == []
    return entries["norddjurs"].framework


def theme(framework: Framework, theme_id: str) -> Theme:
    return next(t for t in framework.themes if t.id == theme_id)


def texts(theme: Theme) -> list[str]:
    return [question.text for question in theme.questions]


def test_metadata(framework: Framework) -> None:
    assert framework.id == "norddjurs"
    assert framework.municipality == "Norddjurs Kommune"
    assert framework.language == "da"
    assert framework.name
    assert framework.version
    assert framework.invitation is None


def test_check_command_accepts_the_file() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "musterm", "check", str(FILE)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_themes_in_order(framework: Framework) -> None:
    assert [(t.id, t.role) for t in framework.themes] == [
        ("relationer-og-samarbejde", ThemeRole.THEME),
        ("kompetencer-og-trivsel", ThemeRole.THEME),
        ("organisation-og-ledelse", ThemeRole.THEME),
        ("fremtid-og-udvikling", ThemeRole.THEME),
        ("vores-vaerdier", ThemeRole.VALUES),
        ("psykologisk-tryghed", ThemeRole.SELF_ASSESSMENT),
        ("styrket-aktoerskab", ThemeRole.SELF_ASSESSMENT),
        ("egne-noter", ThemeRole.SELF_ASSESSMENT),
        ("seniorudviklingssamtale", ThemeRole.SENIOR),
    ]


def test_conversation_wheel(framework: Framework) -> None:
    wheel = [(t.title, len(t.questions)) for t in framework.themes[:4]]
    assert wheel == [
        ("Relationer & samarbejde", 4),
        ("Kompetencer & trivsel", 5),
        ("Organisation & ledelse", 5),
        ("Fremtid & udvikling", 4),
    ]
    assert sum(count for _, count in wheel) == 18
    assert theme(framework, "relationer-og-samarbejde").description.startswith(
        "Opmærksomhedspunkter kan her være det sociale arbejdsfællesskab"
    )
    assert "sammenhængen mellem kerneopgave, kompetencer og arbejdsglæde" in theme(
        framework, "kompetencer-og-trivsel"
    ).description
    assert "de strategiske mål" in theme(framework, "organisation-og-ledelse").description
    assert theme(framework, "fremtid-og-udvikling").description.startswith(
        "Ofte vil det være hen mod slutningen af samtalen"
    )


def test_wheel_questions_sit_in_their_themes(framework: Framework) -> None:
    assert texts(theme(framework, "relationer-og-samarbejde")) == [
        "Hvordan oplever du samarbejdet i din afdeling?",
        "Hvordan oplever du samarbejdet med andre afdelinger?",
        "Hvordan bidrager du til gode samarbejder?",
        "Ser du nye samarbejdsrelationer, som med fordel kunne etableres?",
    ]
    competences = texts(theme(framework, "kompetencer-og-trivsel"))
    assert "Hvad er en god arbejdsdag for dig?" in competences
    assert "Er der situationer, hvor du kommer til kort eller føler dig presset?" in competences
    assert "Går du glad på arbejde og glad hjem?" in competences
    organisation = texts(theme(framework, "organisation-og-ledelse"))
    assert "Oplever du tydelig retning og mening med dine opgaver?" in organisation
    assert "Hvilken feedback har du brug for fra mig som din nærmeste leder?" in organisation
    assert (
        "Får du generelt set tilstrækkelig information fx ved forandringer, nye arbejdsgange og lignende?"
        in organisation
    )
    future = texts(theme(framework, "fremtid-og-udvikling"))
    assert (
        "Er der prøvehandlinger eller en særlig øvebane, som vi med fordel kunne være nysgerrige på?" in future
    )
    assert "Er der nye kompetencer som du og arbejdspladsen har brug for?" in future


def test_wellbeing_on_one_to_ten(framework: Framework) -> None:
    competences = theme(framework, "kompetencer-og-trivsel")
    wellbeing = next(q for q in competences.questions if q.id == "arbejdsmaessig-trivsel")
    assert wellbeing.text == "Arbejdsmæssig trivsel: Hvordan vil du vurdere din trivsel på en skala fra 1-10?"
    assert wellbeing.kind == QuestionKind.SCORE
    scale = framework.scale_of(competences, wellbeing)
    assert scale is not None
    assert (scale.min, scale.max) == (1, 10)
    # The guide names no end points; none are invented.
    assert (scale.low_label, scale.high_label) == ("", "")
    scored = [q.id for _, q in framework.questions() if q.kind == QuestionKind.SCORE]
    assert scored == ["arbejdsmaessig-trivsel"]


def test_leadership_style_is_a_choice_of_four(framework: Framework) -> None:
    question = next(q for _, q in framework.questions() if q.id == "ledelsestype")
    assert question in theme(framework, "organisation-og-ledelse").questions
    assert question.text == "Hvilken type ledelse understøtter dig bedst?"
    assert question.kind == QuestionKind.CHOICE
    assert [(o.label, o.description) for o in question.options] == [
        ("Støttende ledelse", "Leder lytter og opmuntrer — der træffes fælles beslutning"),
        ("Trænende ledelse", "Leder inddrager dig i beslutninger"),
        ("Delegerende ledelse", "Du træffer beslutninger — leder er til rådighed på distancen"),
        ("Instruerende ledelse", "Leder træffer beslutninger, instruerer og følger op"),
    ]


def test_three_most_important_tasks_is_a_list_of_three(framework: Framework) -> None:
    future = theme(framework, "fremtid-og-udvikling")
    tasks = future.questions[0]
    assert tasks.text == "Opgaver: Hvad er dine tre vigtigste opgaver det kommende år?"
    assert tasks.kind == QuestionKind.LIST
    assert tasks.items == 3
    assert [q.id for _, q in framework.questions() if q.kind == QuestionKind.LIST] == [tasks.id]


def test_values(framework: Framework) -> None:
    values = theme(framework, "vores-vaerdier")
    assert texts(values) == ["Tillid", "Ordentlighed", "Udvikling", "Fællesskab"]
    assert all(q.kind == QuestionKind.TEXT for q in values.questions)
    assert values.helpers == [
        "Afspejles vores værdier i det vi siger og gør?",
        "Hvor går det godt, og hvor kunne vi blive bedre?",
    ]


def test_self_assessment(framework: Framework) -> None:
    intro = "Overvej i hvor høj grad du arbejder og løser opgaverne med følgende for øje:"
    safety = theme(framework, "psykologisk-tryghed")
    agency = theme(framework, "styrket-aktoerskab")
    assert (safety.title, safety.description) == ("Psykologisk tryghed", intro)
    assert (agency.title, agency.description) == ("Styrket aktørskab", intro)
    assert texts(safety) == [
        "Jeg er konstruktiv i samarbejder og opgaveløsning",
        "Jeg deler min viden, når der er brug for det",
        "Jeg har øje for læringspotentialet i vores arbejde",
        "Jeg giver og modtager feedback konstruktivt",
        "Jeg bidrager til, at vi møder hinanden med venlighed, støtte og tolerance i inkluderende "
        "fællesskaber, hvor vi sammen skaber de bedst mulige resultater",
        "Er der barrierer for, at vi får endnu mere psykologisk tryghed hos os?",
    ]
    assert texts(agency) == [
        "Jeg tager personligt ansvar for mine opgaver, og jeg gør det, der er brug for",
        "Jeg påvirker den sammenhæng, jeg indgår i positivt, for eksempel ved at jeg hjælper andre",
        "Jeg kan både tage lederskab på opgaver og give følgeskab til kolleger",
        "Jeg hjælper andre til at de kan tage deres ansvar, initiativer og handlinger",
        "Er der barrierer for, at vi får endnu mere aktørskab hos os?",
    ]
    assert agency.questions[-1].helpers == ["Er der strukturer eller rammer vi bør ændre på?"]
    assert texts(theme(framework, "egne-noter")) == ["Mine bidrag til styrket aktørskab og psykologisk tryghed"]
    # The guide gives no scale for "i hvor høj grad": every statement is free text.
    for part in (safety, agency, theme(framework, "egne-noter")):
        assert part.scale is None
        assert all(q.kind == QuestionKind.TEXT and q.scale is None for q in part.questions)


def test_senior_from_55(framework: Framework) -> None:
    senior = theme(framework, "seniorudviklingssamtale")
    assert senior.offered_from_age == 55
    assert "seniorudviklingssamtale om senkarrieren" in senior.description
    assert "Materiale til dette findes på intra." in senior.description
    assert [(q.text, q.kind) for q in senior.questions] == [
        ("Ønsker du en seniorudviklingssamtale?", QuestionKind.YESNO)
    ]


def test_plan(framework: Framework) -> None:
    plan = framework.plan
    assert plan.title == "Kompetenceudviklingsplan"
    columns = plan.columns
    assert (columns.what.heading, columns.what.help) == (
        "Hvad er vigtigst at arbejde videre med?",
        "Hvad vil du gerne styrke og hvordan?",
    )
    assert plan.show_columns == ["what", "followup"], "the guide's two agreement boxes; no goal, how or when"
    assert plan.column_keys == ("what", "followup")
    assert (columns.followup.heading, columns.followup.help) == (
        "Hvornår og hvordan følger vi op?",
        "Fx 1:1-samtaler eller lignende",
    )
    assert [(f.label, f.help) for f in plan.fields] == [
        ("Hvad er vigtigt at fastholde?", "Det der lykkes godt nu"),
        ("Andre aftaler", "Fx støtte eller hjælp fra kolleger, leder eller andre?"),
    ]


def test_closing(framework: Framework) -> None:
    assert framework.closing.evaluation == "Hvordan har det været at holde MUS på denne måde?"
    assert framework.closing.signatures == ["Dato"], "the plan page has only 'Dato:'"


def test_guidance_phases(framework: Framework) -> None:
    assert [g.phase for g in framework.guidance] == [
        Phase.PURPOSE,
        Phase.PURPOSE,
        Phase.PURPOSE,
        Phase.PREPARATION,
        Phase.CONVERSATION,
        Phase.CONVERSATION,
        Phase.CONVERSATION,
        Phase.PLAN,
        Phase.FOLLOWUP,
    ]
    purpose = " ".join(g.text for g in framework.guidance_for(Phase.PURPOSE))
    assert "bygge bro mellem organisationens og arbejdspladsens strategiske behov" in purpose
    assert "Alle medarbejdere skal tilbydes en årlig MUS." in purpose
    assert "For at få et godt udbytte af MUS, er det vigtigt, at leder og medarbejder har" in purpose
    assert "Vores Norddjurs" in purpose and "psykologisk tryg kultur" in purpose and "aktørskab" in purpose
    preparation = framework.guidance_for(Phase.PREPARATION)[0]
    assert preparation.title == "1. Forberedelse"
    assert "balancen mellem arbejdsliv og privatliv" in preparation.text
    assert "Hvis medarbejderen er fyldt 55 år" in preparation.text
    assert "Leder sender MUS-invitation til medarbejder" in preparation.text
    assert "ud fra samtalehjulet" in preparation.text
    conversation = framework.guidance_for(Phase.CONVERSATION)
    assert [g.title for g in conversation] == [
        "2. Samtalen",
        "Samtalehjul med fire temaer",
        "Psykologisk tryghed og styrket aktørskab",
    ]
    assert "Print gerne samtalehjulet i A3" in conversation[0].text
    assert "”Hvad bygger du det på?”" in conversation[0].text
    assert "understøttes af dig fx ved" in conversation[2].text
    plan = framework.guidance_for(Phase.PLAN)[0]
    assert plan.title == "3. Kompetenceudviklingsplanen"
    assert "journaliseres i personalemappen" in plan.text
    followup = framework.guidance_for(Phase.FOLLOWUP)[0]
    assert followup.title == "4. Opfølgning"
    assert "1:1 samtaler" in followup.text


def test_no_extraction_artefacts(framework: Framework) -> None:
    everything = " ".join(
        [g.text for g in framework.guidance]
        + [t.description for t in framework.themes]
        + [q.text for _, q in framework.questions()]
    )
    for artefact in ("medarbjeder", "samlehjulet", "og or at", "sam- arbejd", "-\n"):
        assert artefact not in everything
