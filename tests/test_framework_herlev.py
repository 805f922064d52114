"""Herlev: the bundled example of format 2, end to end (issue 16, items 1–7).

Written from Herlev Kommune's MUS guidelines (herlev.dk, with Hovedudvalget's "Vejledning om
udviklingssamtaler", 2004): the six mandatory topics, the competence wheel, an agenda of time boxes,
the employee's view of the leader kept out of trends, "ved ikke", a plan of four columns and a box.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.cli.main import main
from musterm.documents.export import export_html, export_markdown
from musterm.documents.prepform import prep_form
from musterm.documents.prepform_reader import import_prep
from musterm.documents.wheel import compact_lines, spokes, svg
from musterm.formats.session_file import dumps, loads
from musterm.frameworks.catalog import Catalog
from musterm.history.conversations import EmployeeHistory
from musterm.model.session import PlanRow, Status
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store

REPO = Path(__file__).resolve().parent.parent
FILE = REPO / "frameworks" / "herlev.toml"
CATALOG = Catalog.discover()
HERLEV = CATALOG.get("herlev")
MANDATORY = [
    "Opfølgning fra sidst",
    "Kompetenceudvikling",
    "Nuværende og fremtidige arbejdsopgaver",
    "Forholdet til mål og værdier",
    "Emner der er væsentlige for trivslen",
    "Medarbejderens vurdering af lederen som leder",
]


def test_musterm_check_accepts_it() -> None:
    result = subprocess.run([sys.executable, "-m", "musterm", "check", str(FILE)], cwd=REPO, capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


def test_the_guides_six_topics_are_mandatory_themes_in_its_order_with_an_hour_of_time_boxes() -> None:
    assert [theme.title for theme in HERLEV.themes] == MANDATORY
    assert all(theme.mandatory for theme in HERLEV.themes)
    assert sum(theme.minutes or 0 for theme in HERLEV.themes) == 55, "and five for the plan: one hour"
    assert "herlev.dk" in HERLEV.source and "2004" in HERLEV.revised
    assert HERLEV.invitation is None, "the guide gives no letter"


def test_it_uses_every_ability_of_format_2() -> None:
    kinds = {question.kind for _, question in HERLEV.questions()}
    assert "competence" in kinds
    assert any(question.employee_text for _, question in HERLEV.questions())
    assert any(question.audience == "employee" for _, question in HERLEV.questions())
    assert any(scale.steps for scale in HERLEV.scales.values())
    assert any(scale.unknown for scale in HERLEV.scales.values())
    leader = HERLEV.theme("lederen-som-leder")
    assert (leader.role, leader.in_trends, leader.summary) == ("leader", False, False)
    assert HERLEV.plan.column_keys == ("what", "goal", "how", "when") and HERLEV.plan.fields


def _year(store: Store, year: int, now: dict[str, tuple[int, int]], sparring: int, trives: int | None) -> str:
    relative = plan_conversation(
        store, HERLEV, employee="Bo Berg", birth_year=1980, manager="Lis Leder", date=dt.date(year, 11, 20),
        time=dt.time(10), place="Rådhuset",
    )
    session = store.load(relative)
    session.status = Status.HELD
    for question_id, (current, wanted) in now.items():
        session.question(question_id).now, session.question(question_id).wanted = current, wanted
    session.question("sparring-fra-lederen").score = sparring
    if trives is None:
        session.question("trives-i-arbejdet").unknown = True
    else:
        session.question("trives-i-arbejdet").score = trives
    session.theme("kompetenceudvikling").seconds = 14 * 60
    session.plan.rows.append(
        PlanRow(id="1", what="Budgetlægning", goal="Lægge afdelingens budget", how="Kursus", when="Foråret",
                competence="faglige-kompetencer")
    )
    store.save(relative, session)
    store.commit(relative, session)
    return relative


@pytest.fixture
def two_years(tmp_path: Path) -> tuple[Store, str, str]:
    store = Store.open(tmp_path / "sessions")
    first = _year(store, 2025, {"faglige-kompetencer": (2, 4), "sociale-kompetencer": (3, 4)}, sparring=2, trives=4)
    second = _year(store, 2026, {"faglige-kompetencer": (3, 4), "sociale-kompetencer": (3, 5)}, sparring=4, trives=None)
    return store, first, second


def test_the_file_is_format_2_and_reads_back_the_same(two_years) -> None:  # noqa: ANN001
    store, _, second = two_years
    text = store.path_of(second).read_text(encoding="utf-8")
    assert text.startswith("schema_version = 2\n")
    session = loads(text)
    assert dumps(session) == text
    assert session.question("faglige-kompetencer").wanted == 4
    assert session.plan.rows[0].competence == "faglige-kompetencer"


def test_the_wheel_with_its_gaps_in_the_app_and_the_html(two_years) -> None:  # noqa: ANN001
    store, _, second = two_years
    session = store.load(second)
    wheel = spokes(session)
    assert [(spoke.label, spoke.gap) for spoke in wheel] == [
        ("Faglige kompetencer", 1), ("Sociale kompetencer", 2), ("Arbejdsmæssige kompetencer", None),
        ("Personlige kompetencer", None),
    ]
    assert compact_lines(wheel)[:2] == [
        "Faglige kompetencer  ██▒·  nu 3 → ønsket 4, gab +1",
        "Sociale kompetencer  ██▒▒  nu 3 → ønsket 5, gab +2",
    ]
    page = export_html(session, "employee", HERLEV)
    assert svg(wheel) in page and page.count("<svg") == 1
    assert '<polygon class="now"' in page and '<polygon class="wanted"' in page
    assert "Sociale kompetencer (+2)</text>" in page
    markdown = export_markdown(session, "employee", HERLEV)
    assert "| Kompetence | Nu | Ønsket | Gab |\n|---|---|---|---|\n| Faglige kompetencer | 3 | 4 | +1 |\n" in markdown
    assert "| Udviklingsmål | Hvad kan du bagefter? | Hvordan? (fx sidemandsoplæring, kursus, nye opgaver) | Hvornår? | Kompetence |" in markdown
    assert "| Budgetlægning | Lægge afdelingens budget | Kursus | Foråret | Faglige kompetencer |" in markdown
    assert "**Score:** Ved ikke / ikke relevant (skala 1–5)" in markdown


def test_the_wheel_and_the_plan_rows_competences_are_the_questions_whose_kind_is_on_the_wheel(
    two_years, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    """Which questions are competences is the kind's own answer (`Kind.wheel`), asked by the wheel and by
    the plan row's choice of competence alike; no part of musterm names the kind for it."""
    from musterm.model import kinds

    store, _, second = two_years
    session = store.load(second)
    competences = [question.id for question in session.competences()]
    assert competences == [
        "faglige-kompetencer", "sociale-kompetencer", "arbejdsmaessige-kompetencer", "personlige-kompetencer",
    ]
    assert [spoke.id for spoke in spokes(session)] == competences
    assert [kind.name for kind in kinds.kinds() if kind.wheel] == ["competence"]
    monkeypatch.setattr(kinds.get("competence"), "wheel", False)
    assert (session.competences(), spokes(session)) == ([], [])
    monkeypatch.setattr(kinds.get("score"), "wheel", True)
    assert "sparring-fra-lederen" in [question.id for question in session.competences()]


def test_trends_leave_out_the_view_of_the_leader_and_the_ved_ikke_answer(two_years) -> None:  # noqa: ANN001
    store, _, _ = two_years
    history = EmployeeHistory.of(store, "Bo Berg")
    trends = history.score_trends()
    assert "sparring-fra-lederen" not in trends and "tydelige-forventninger" not in trends
    assert [point.score for point in trends["faglige-kompetencer"].points] == [2, 3], "the competence as it is now"
    assert [point.score for point in trends["trives-i-arbejdet"].points] == [4, None], "ved ikke is no number"


def test_history_command_shows_no_leader_scores(two_years, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    store, _, _ = two_years
    assert main(["--sessions", str(store.root), "history", "Bo Berg"]) == 0
    shown = capsys.readouterr().out
    assert "Faglige kompetencer" in shown
    assert "sparring" not in shown.casefold()


def test_the_form_words_it_for_the_employee_and_reads_now_wanted_and_ved_ikke(two_years) -> None:  # noqa: ANN001
    store, _, second = two_years
    session = store.load(second)
    form = prep_form(session, HERLEV)
    assert "### [sparring-fra-lederen] Jeg får den sparring fra min leder, jeg har brug for.\n" in form
    assert "### [opgaver-mere-af] Nævn tre opgaver, du gerne vil have mere af.\n" in form
    assert "## [kompetenceudvikling] Kompetenceudvikling (obligatorisk)\n# Til samtalen: ca. 15 minutter.\n" in form
    assert '# - Nu: og Ønsket: skriv to tal fra skalaen, fx "Nu: 2" og "Ønsket: 4".\n' in form
    filled = form.replace("### [personlige-kompetencer]", "### [personlige-kompetencer]", 1)
    section = filled.index("### [personlige-kompetencer]")
    filled = filled[:section] + filled[section:].replace("Nu:\n", "Nu: 1\n", 1).replace("Ønsket:\n", "Ønsket: 3\n", 1)
    section = filled.index("### [balance]")
    filled = filled[:section] + filled[section:].replace("Score:\n", "Score: Ved ikke / ikke relevant\n", 1)
    imported = import_prep(session, filled, "skema.txt")
    assert (imported.question("personlige-kompetencer").own_now, imported.question("personlige-kompetencer").own_wanted) == (1, 3)
    assert imported.question("balance").own_unknown is True and imported.question("balance").own_score is None


def test_mandatory_themes_and_employee_only_questions_before_closing(two_years) -> None:  # noqa: ANN001
    store, _, second = two_years
    session = store.load(second)
    assert [theme.title for theme in session.open_mandatory_themes()] == [
        "Opfølgning fra sidst", "Nuværende og fremtidige arbejdsopgaver", "Forholdet til mål og værdier",
    ]
    session.theme("opfoelgning-fra-sidst").notes = "Aftalerne er holdt."
    assert "Opfølgning fra sidst" not in [theme.title for theme in session.open_mandatory_themes()]
    assert "opgaver-mere-af" not in [question.id for _, question in session.unanswered()]


def test_show_has_the_agenda_time_and_the_competences(two_years, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    store, _, second = two_years
    assert main(["--sessions", str(store.root), "show", store.path_of(second).as_posix()]) == 0
    shown = capsys.readouterr().out
    assert "    Kompetence: nu 3, ønsket 4, gab +1 på 1–5\n" in shown
    assert "    Score: Ved ikke / ikke relevant på 1–5\n" in shown
    assert "    Kompetence: Faglige kompetencer\n" in shown
