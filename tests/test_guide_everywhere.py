"""Every element of each bundled framework reaches `show`, the export (md and html) and the preparation form.

Issue 16: descriptions, helpers, notices, the mandatory flag, the scale's own label, the options'
explanations, the revision note, the source, the plan's intro, the evaluation prompt and the
signatures were carried by the frameworks but reached no document. The elements are read from
the framework (tests/guide_elements.py); the screen's share is tests/app/test_guide_on_screen.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from musterm.cli.main import main
from musterm.documents.export import export_html, export_markdown
from musterm.documents.prepform import prep_form
from musterm.frameworks.catalog import Catalog
from musterm.model.session import PlanRow
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store

from tests.guide_elements import (
    YEAR,
    closing_elements,
    conversation_elements,
    framework_elements,
    missing,
    plan_elements,
    preparation_elements,
    signature_elements,
)

CATALOG = Catalog.discover()
BUNDLED = sorted(entry.framework.id for entry in CATALOG if entry.origin == "indbygget")


@pytest.fixture(params=BUNDLED)
def held(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201
    """A conversation of the framework, with a plan row and every plan field written in."""
    framework = CATALOG.get(request.param)
    store = Store.open(tmp_path / "sessions")
    relative = plan_conversation(
        store, framework, employee="Anna Sørensen", birth_year=1960, manager="Lis Leder",
        date=dt.date(YEAR, 11, 23), time=dt.time(10), place="Mødelokale 2",
    )
    session = store.load(relative)
    session.plan.rows.append(PlanRow(id="1", what="Kursus", goal="Kunne mere", how="Hos FOA", when="Foråret", followup="Juni"))
    for field in session.plan.fields:
        field.text = f"Aftalt om {field.label}"
    store.save(relative, session)
    return framework, store, session


def test_the_bundled_frameworks_are_all_covered() -> None:
    assert {"randers", "norddjurs", "ringkobing-skjern", "haderslev"} <= set(BUNDLED)


def test_show_has_every_element(held, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    framework, store, _ = held
    assert main(["--sessions", str(store.root), "show", "Anna Sørensen"]) == 0
    shown = capsys.readouterr().out
    elements = conversation_elements(framework) + framework_elements(framework)
    elements += plan_elements(framework, with_fields=True)[1:] + closing_elements(framework)
    assert missing(elements, shown) == []


@pytest.mark.parametrize("render", [export_markdown, export_html], ids=["md", "html"])
def test_the_employees_copy_has_every_element(held, render) -> None:  # noqa: ANN001
    framework, _, session = held
    document = render(session, "employee", framework)
    elements = conversation_elements(framework) + framework_elements(framework) + plan_elements(framework)
    elements += closing_elements(framework) + signature_elements(framework)
    assert missing(elements, document) == []


def test_the_export_command_finds_the_framework(held, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    framework, store, _ = held
    assert main(["--sessions", str(store.root), "export", "Anna Sørensen", "--format", "html"]) == 0
    assert missing(conversation_elements(framework) + framework_elements(framework), capsys.readouterr().out) == []


def test_the_personnel_file_has_the_plan_and_the_signatures_but_no_themes(held) -> None:  # noqa: ANN001
    framework, _, session = held
    document = export_markdown(session, "personnel-file", framework)
    assert missing(plan_elements(framework) + signature_elements(framework) + framework_elements(framework), document) == []
    assert ("## Underskrifter" in document) == bool(framework.closing.signatures)


def test_the_preparation_form_has_every_element(held) -> None:  # noqa: ANN001
    framework, _, session = held
    form = prep_form(session, framework)
    elements = conversation_elements(framework, form=True) + framework_elements(framework) + preparation_elements(framework)
    assert missing(elements, form) == []


def test_the_salary_question_says_it_is_no_negotiation_in_every_document(capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's example: Ringkøbing-Skjern's exported salary question lacked its notice."""
    framework = CATALOG.get("ringkobing-skjern")
    from musterm.model.session import Person, new_session

    session = new_session(framework, Person(name="Anna"), Person(name="Lis"), dt.date(YEAR, 11, 23))
    markdown = export_markdown(session, "employee", framework)
    assert (
        "### 14. Afklaring og forventninger omkring de kommende lønforhandlinger.\n\n"
        "**OBS:** (Det er ikke en lønforhandling)\n" in markdown
    )
    assert "- **Ramme:** MUS i Ringkøbing-Skjern Kommune (version 2024-01, Revideret 01/2024)\n" in markdown
    form = prep_form(session, framework)
    assert "### [glad-for-job] 2. Hvor glad er du for dit job?\n# Skriv et tal fra 1 til 6 (6 = top). Scores fra 1-6 med 6 som top.\n" in form


def test_without_the_framework_the_documents_show_what_the_session_holds(held) -> None:  # noqa: ANN001
    framework, _, session = held
    document = export_markdown(session, "employee", None)
    assert framework.name in document
    if framework.revised:
        assert framework.revised not in document
