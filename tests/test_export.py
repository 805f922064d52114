"""Exporting a conversation: exact Markdown, printable HTML, and what never leaves the manager."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

import pytest

from musterm.cli.main import main
from musterm.documents.export import PRINT_CSS, export_html, export_markdown
from musterm.errors import MustermError
from musterm.frameworks.catalog import Catalog
from musterm.model.framework import Framework
from musterm.model.session import (
    Closing,
    FollowUpRow,
    FollowUpStatus,
    Person,
    PlanRow,
    Preparation,
    Private,
    Session,
    Status,
    new_session,
)
from musterm.store.repository import Store

SMALL_TOML = '''
format = 1
id = "lille"
name = "Lille MUS"
municipality = "Testby Kommune"
version = "2"
notes_label = "Stikord"

[scales.s]
min = 1
max = 5

[[themes]]
id = "trivsel"
title = "Trivsel"
scale = "s"

[[themes.questions]]
id = "glad"
number = "1"
text = "Hvor glad er du for dit job?"
kind = "score"

[[themes.questions]]
id = "ledelse"
number = "2"
text = "Hvilken ledelse passer dig?"
kind = "choice"

[[themes.questions.options]]
id = "stoettende"
label = "Støttende"

[[themes.questions.options]]
id = "delegerende"
label = "Delegerende"

[[themes]]
id = "fremtid"
title = "Fremtid"
notes_label = "Aftaler om fremtiden"

[[themes.questions]]
id = "opgaver"
text = "Dine vigtigste opgaver?"
kind = "list"
items = 3

[[themes.questions]]
id = "senior"
text = "Ønsker du en seniorsamtale?"
kind = "yesno"

[plan]
title = "Kompetenceudviklingsplan"

[plan.columns.what]
heading = "Hvad skal udvikles?"

[[plan.fields]]
id = "andre-aftaler"
label = "Andre aftaler"
'''
FW = Framework.model_validate(tomllib.loads(SMALL_TOML))
PRIVATE = "PRIVAT-7QX-bekymret for sygefravær"
MANAGER_PREP = "LEDERPREP-3KZ-husk lønsedlen"
AUDIENCES = ("employee", "personnel-file")


def full_session() -> Session:
    """A closed conversation with something in every part of the file."""
    s = new_session(
        FW,
        Person(name="Anna Sørensen", number="1234"),
        Person(name="Bo Hansen"),
        dt.date(2026, 11, 23),
        dt.time(10, 0),
        "Mødelokale 2",
    )
    trivsel, fremtid = s.themes
    glad, ledelse = trivsel.questions
    opgaver, senior = fremtid.questions
    trivsel = trivsel.model_copy(
        update={
            "employee_notes": "Travlt efterår.",
            "notes": "Vi taler om *travlhed* igen i marts.",
            "questions": [
                glad.model_copy(
                    update={
                        "score": 4,
                        "own_score": 3,
                        "employee_notes": "Glad for kollegerne.\nMindre for <systemerne>.",
                        "notes": "# Ikke en overskrift\n- ikke en liste\n\nNyt afsnit.",
                    }
                ),
                ledelse.model_copy(update={"choice": "delegerende"}),
            ],
        }
    )
    fremtid = fremtid.model_copy(
        update={
            "questions": [
                opgaver.model_copy(update={"items": ["Bogføring", "", "Budget 2027"]}),
                senior.model_copy(update={"answer": False, "notes": "Ikke aktuelt."}),
            ]
        }
    )
    plan = s.plan.model_copy(
        update={
            "rows": [
                PlanRow(
                    id="1",
                    what="Excel",
                    goal="Kunne lave budget | regnskab",
                    how="Kursus\npå aftenskole",
                    when="1. marts 2027",
                    followup="1/6-2027",
                ),
                PlanRow(id="2"),
                PlanRow(id="3", what="Sidemandsoplæring", when="i foråret"),
            ],
            "fields": [s.plan.fields[0].model_copy(update={"text": "Hjemmearbejde om fredagen."})],
        }
    )
    return s.model_copy(
        update={
            "status": Status.CLOSED,
            "preparation": Preparation(
                manager_notes=MANAGER_PREP,
                employee_notes="Jeg vil tale om hjemmearbejde.",
                employee_submitted=dt.date(2026, 11, 18),
            ),
            "followup": [
                FollowUpRow(
                    session=dt.date(2025, 11, 20),
                    row="1",
                    what="Førstehjælp",
                    goal="Kunne førstehjælp",
                    status="done",
                    comment="Gennemført i marts.",
                )
            ],
            "themes": [trivsel, fremtid],
            "plan": plan,
            "closing": Closing(
                evaluation="God samtale.",
                followup_date=dt.date(2027, 5, 3),
                leader_signed=dt.date(2026, 11, 24),
                employee_signed=dt.date(2026, 11, 25),
            ),
            "private": Private(notes=PRIVATE),
        }
    )


EMPLOYEE_COPY = r"""# MUS-samtale med Anna Sørensen

*Medarbejderens kopi*

- **Dato:** mandag den 23. november 2026 kl. 10.00
- **Sted:** Mødelokale 2
- **Medarbejder:** Anna Sørensen
- **Medarbejdernummer:** 1234
- **Leder:** Bo Hansen
- **Ramme:** Lille MUS (version 2)
- **Status:** afsluttet

## Forberedelse

Medarbejderens forberedelse modtaget onsdag den 18. november 2026.

**Personlige noter til forberedelse:**
Jeg vil tale om hjemmearbejde.

## Opfølgning på sidste udviklingsplan

### Aftale 1 fra 20. november 2025: gennemført

**Hvad skal udvikles?**
Førstehjælp

**Mål?**
Kunne førstehjælp

**Kommentar:**
Gennemført i marts.

## Trivsel

**Medarbejderens noter:**
Travlt efterår.

**Stikord:**
Vi taler om \*travlhed\* igen i marts.

### 1. Hvor glad er du for dit job?

**Score:** 4 (skala 1–5)
**Medarbejderens egen score:** 3 (skala 1–5)

**Medarbejderens noter:**
Glad for kollegerne.
Mindre for \<systemerne\>.

**Stikord:**
\# Ikke en overskrift
\- ikke en liste

Nyt afsnit.

### 2. Hvilken ledelse passer dig?

**Valgt:** Delegerende

## Fremtid

### Dine vigtigste opgaver?

1. Bogføring
2. Budget 2027

### Ønsker du en seniorsamtale?

**Svar:** Nej

**Aftaler om fremtiden:**
Ikke aktuelt.

## Kompetenceudviklingsplan

| Hvad skal udvikles? | Mål? | Hvordan? | Hvornår? | Opfølgning |
|---|---|---|---|---|
| Excel | Kunne lave budget \| regnskab | Kursus<br>på aftenskole | 1. marts 2027 | 1/6-2027 |
| Sidemandsoplæring |  |  | i foråret |  |

### Andre aftaler

Hjemmearbejde om fredagen.

## Afslutning

**Opfølgning aftalt:** mandag den 3. maj 2027

**Evaluering af samtalen:**
God samtale.

## Underskrifter

|  | Leder | Medarbejder |
|---|---|---|
| Navn | Bo Hansen | Anna Sørensen |
| Dato | 24. november 2026 | 25. november 2026 |
| Underskrift |  |  |
"""

PERSONNEL_FILE = r"""# MUS-samtale med Anna Sørensen

*Til personalemappen*

- **Dato:** mandag den 23. november 2026 kl. 10.00
- **Sted:** Mødelokale 2
- **Medarbejder:** Anna Sørensen
- **Medarbejdernummer:** 1234
- **Leder:** Bo Hansen
- **Ramme:** Lille MUS (version 2)
- **Status:** afsluttet

## Kompetenceudviklingsplan

| Hvad skal udvikles? | Mål? | Hvordan? | Hvornår? | Opfølgning |
|---|---|---|---|---|
| Excel | Kunne lave budget \| regnskab | Kursus<br>på aftenskole | 1. marts 2027 | 1/6-2027 |
| Sidemandsoplæring |  |  | i foråret |  |

### Andre aftaler

Hjemmearbejde om fredagen.

## Afslutning

**Opfølgning aftalt:** mandag den 3. maj 2027

## Underskrifter

|  | Leder | Medarbejder |
|---|---|---|
| Navn | Bo Hansen | Anna Sørensen |
| Dato | 24. november 2026 | 25. november 2026 |
| Underskrift |  |  |
"""


def test_exact_markdown_for_the_employees_copy() -> None:
    assert export_markdown(full_session(), "employee", FW) == EMPLOYEE_COPY


def test_exact_markdown_for_the_personnel_file() -> None:
    assert export_markdown(full_session(), "personnel-file", FW) == PERSONNEL_FILE


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("render", [export_markdown, export_html])
@pytest.mark.parametrize("with_framework", [True, False])
def test_the_managers_private_notes_are_in_no_export(audience: str, render, with_framework: bool) -> None:  # noqa: ANN001
    document = render(full_session(), audience, FW if with_framework else None)
    for secret in (PRIVATE, MANAGER_PREP, "PRIVAT-7QX", "LEDERPREP-3KZ", "sygefravær", "lønsedlen"):
        assert secret not in document
    assert "Private noter" not in document and "Lederens forberedelse" not in document


@pytest.mark.parametrize("render", [export_markdown, export_html])
def test_the_personnel_file_has_no_notes_about_wellbeing(render) -> None:  # noqa: ANN001
    document = render(full_session(), "personnel-file", FW)
    for personal in (
        "Travlt efterår",
        "kollegerne",
        "travlhed",
        "hjemmearbejde.",
        "Hvor glad er du",
        "Gennemført i marts",
        "God samtale",
        "Delegerende",
        "Bogføring",
    ):
        assert personal not in document
    assert "Excel" in document and "Hjemmearbejde om fredagen." in document


def test_html_has_the_plan_table_and_the_print_css() -> None:
    page = export_html(full_session(), "employee", FW)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n")
    assert "<title>MUS-samtale med Anna Sørensen, 23. november 2026</title>" in page
    assert PRINT_CSS in page
    assert "size: A4;" in PRINT_CSS and "margin: 18mm 16mm 20mm 16mm;" in PRINT_CSS
    assert "section.plan { break-before: page; page-break-before: always; }" in PRINT_CSS
    assert "tr, td, th { break-inside: avoid; page-break-inside: avoid; }" in PRINT_CSS
    assert "th, td { border: 1px solid #444;" in PRINT_CSS
    plan = page[page.index('<section class="plan">') :]
    plan = plan[: plan.index("</section>")]
    assert "<h2>Kompetenceudviklingsplan</h2>" in plan
    assert (
        "<thead>\n<tr>\n<th>Hvad skal udvikles?</th>\n<th>Mål?</th>\n<th>Hvordan?</th>\n<th>Hvornår?</th>\n"
        "<th>Opfølgning</th>\n</tr>\n</thead>"
    ) in plan
    assert (
        "<tr>\n<td>Excel</td>\n<td>Kunne lave budget | regnskab</td>\n<td>Kursus<br>på aftenskole</td>\n"
        "<td>1. marts 2027</td>\n<td>1/6-2027</td>\n</tr>"
    ) in plan
    assert "<tr>\n<td>Sidemandsoplæring</td>\n<td></td>\n<td></td>\n<td>i foråret</td>\n<td></td>\n</tr>" in plan
    assert plan.count("<tr>") == 3  # the empty row 2 is left out
    assert "<h3>Andre aftaler</h3>\n<p>Hjemmearbejde om fredagen.</p>" in plan
    signatures = page[page.index('<section class="signatures">') :]
    assert "<td>Dato</td>\n<td>24. november 2026</td>\n<td>25. november 2026</td>" in signatures
    assert "<td>Underskrift</td>\n<td></td>\n<td></td>" in signatures


def test_html_sections_in_order_and_the_personnel_file_starts_the_plan_on_page_one() -> None:
    page = export_html(full_session(), "employee", FW)
    kinds = [part.split('"', 1)[0] for part in page.split('<section class="')[1:]]
    assert kinds == ["header", "preparation", "followup", "theme", "theme", "plan", "closing", "signatures"]
    assert '<body class="employee">' in page
    personnel = export_html(full_session(), "personnel-file", FW)
    assert '<body class="personnel-file">' in personnel
    assert "body.personnel-file section.plan { break-before: auto;" in PRINT_CSS


def test_user_text_is_escaped_in_html() -> None:
    session = full_session()
    glad = session.question("glad").model_copy(
        update={"employee_notes": "<script>alert(1)</script> & [link](http://x) `kode` **fed**\n    indrykket\n> citat"}
    )
    trivsel = session.themes[0].model_copy(update={"questions": [glad, session.themes[0].questions[1]]})
    employee = session.employee.model_copy(update={"name": "Anna <b>Sørensen</b> & co"})
    rows = [session.plan.rows[0].model_copy(update={"what": "<img src=x onerror=alert(1)>"})]
    session = session.model_copy(
        update={
            "themes": [trivsel, session.themes[1]],
            "employee": employee,
            "plan": session.plan.model_copy(update={"rows": rows}),
        }
    )
    page = export_html(session, "employee", FW)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; [link](http://x) `kode` **fed**<br />" in page
    assert "\u00a0\u00a0\u00a0\u00a0indrykket<br />\n&gt; citat</p>" in page
    assert "<h1>MUS-samtale med Anna &lt;b&gt;Sørensen&lt;/b&gt; &amp; co</h1>" in page
    assert "<title>MUS-samtale med Anna &lt;b&gt;Sørensen&lt;/b&gt; &amp; co, 23. november 2026</title>" in page
    assert "<td>&lt;img src=x onerror=alert(1)&gt;</td>" in page
    assert "<pre>" not in page and "<blockquote>" not in page and "<a " not in page and "<code>" not in page


def test_without_framework_default_titles_and_signatures() -> None:
    document = export_markdown(full_session(), "personnel-file")
    assert "## Udviklingsplan\n" in document
    assert "|  | Leder | Medarbejder |\n" in document
    assert "**Stikord:**" not in export_markdown(full_session(), "employee")
    assert "**Noter:**" in export_markdown(full_session(), "employee")


def test_a_framework_without_signatures_gets_no_signature_lines() -> None:
    randers = Catalog.discover().get("randers")
    session = new_session(randers, Person(name="Anna"), Person(name="Bo"), dt.date(2026, 11, 23))
    document = export_markdown(session, "personnel-file", randers)
    assert "Underskrift" not in document
    assert "Der er ikke aftalt nogen punkter i planen." in document


def test_row_status_gets_a_column_only_when_some_row_has_one() -> None:
    session = full_session()
    rows = [session.plan.rows[0].model_copy(update={"status": FollowUpStatus.IN_PROGRESS}), *session.plan.rows[1:]]
    session = session.model_copy(update={"plan": session.plan.model_copy(update={"rows": rows})})
    document = export_markdown(session, "personnel-file", FW)
    assert "| Hvad skal udvikles? | Mål? | Hvordan? | Hvornår? | Opfølgning | Status |\n|---|---|---|---|---|---|" in document
    assert "| 1/6-2027 | i gang |" in document and "| i foråret |  |  |" in document


def test_unknown_audience() -> None:
    with pytest.raises(MustermError, match="Ukendt modtager 'chef'"):
        export_markdown(full_session(), "chef")


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    root = tmp_path / "sessions"
    store = Store.open(root)
    relative = store.create(new_session(
        FW, Person(name="Anna Sørensen", number="1234"), Person(name="Bo Hansen"), dt.date(2026, 11, 23)
    ))
    store.save(relative, full_session())
    store.commit(relative, full_session())
    return root


def test_export_command_writes_markdown_to_stdout_and_html_to_a_file(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lille = tmp_path / "rammer"
    lille.mkdir()
    (lille / "lille.toml").write_text(SMALL_TOML, encoding="utf-8")
    base = ["--sessions", str(sessions), "--frameworks", str(lille)]
    assert main([*base, "export", "Anna Sørensen"]) == 0
    assert capsys.readouterr().out == EMPLOYEE_COPY
    target = tmp_path / "til-personalemappen.html"
    assert main([*base, "export", "1234", "--format", "html", "--for", "personnel-file", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == export_html(full_session(), "personnel-file", FW)
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert main([*base, "export", "Anna Sørensen", "-o", str(sessions / "kopi.md")]) == 1
    assert "ligger i samtalearkivet" in capsys.readouterr().err
    assert not (sessions / "kopi.md").exists()


def test_export_command_works_when_the_framework_is_gone(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--sessions", str(sessions), "export", "Anna Sørensen", "--for", "personnel-file"]) == 0
    assert capsys.readouterr().out == export_markdown(full_session(), "personnel-file", None)
