"""Every part of musterm asks the question kinds' registry: a kind registered in a test alone works end to end.

`traffic_light.py` (in this folder) defines a traffic-light kind that nothing in musterm names,
registers it in a fresh interpreter and holds two conversations a year apart with the `musterm`
commands, answering through the employee's preparation form. What each command wrote is asserted
here, exactly: the session file, check, prep-form and prep-import, show, export (Markdown and HTML),
diff, search (whose fast reader must hand the file to the parser) and history's trends.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from musterm.frameworks.catalog import check_files

HERE = Path(__file__).resolve().parent
QUESTION = "1. Hvordan står det til med opgaverne?"


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("trafiklys")
    (folder / "gitconfig").write_text("")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MUSTERM_", "GIT_", "XDG_"))}
    env.update(HOME=str(folder), GIT_CONFIG_GLOBAL=str(folder / "gitconfig"), GIT_CONFIG_NOSYSTEM="1", TZ="Europe/Copenhagen")
    completed = subprocess.run(
        [sys.executable, str(HERE / "traffic_light.py"), str(folder)],
        capture_output=True, text=True, env=env, cwd=folder, check=False, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def output(steps: dict[str, Any], name: str) -> str:
    step = steps[name]
    assert step["code"] == 0, step["err"]
    return step["out"]


def test_without_registering_it_musterm_does_not_know_the_kind(tmp_path: Path) -> None:
    from traffic_light import FRAMEWORK

    file = tmp_path / "lys.toml"
    file.write_text(FRAMEWORK, encoding="utf-8")
    assert [str(problem) for problem in check_files([file])] == [
        f"{file}:15: themes[0].questions[0].kind: skal være en af 'score', 'text', 'yesno', 'choice', 'list' eller 'competence', "
        "ikke 'trafiklys'"
    ]


def test_check_accepts_a_framework_with_the_registered_kind(steps: dict[str, Any]) -> None:
    assert steps["check"] == {"code": 0, "out": "", "err": "1 fil(er) i orden.\n"}


def test_the_session_file_holds_the_answer_as_the_kind_declares_it(steps: dict[str, Any]) -> None:
    assert steps["file 2026"].endswith(
        '[[themes.questions]]\nid = "status"\nnumber = "1"\ntext = "Hvordan står det til med opgaverne?"\n'
        'kind = "trafiklys"\nlight = "gul"\n\n# musterm: slut på filen\n'
    )


def test_the_preparation_form_asks_for_it_and_reads_it_back(steps: dict[str, Any]) -> None:
    form = steps["form 2025"]
    assert '# - Nummererede linjer (1., 2., 3.): skriv ét punkt efter hvert nummer.\n' in form
    assert '# - Lys: skriv grøn, gul eller rød efter "Lys:".\n' in form
    assert form.endswith(f"### [status] {QUESTION}\n# Skriv grøn, gul eller rød.\nLys:\nNoter:\n")
    assert output(steps, "prep-import 2025") == "Medarbejderens forberedelse er indlæst: 1 trafiklys.\n"
    assert 'light = "grøn"\n' in steps["file 2025"]


def test_a_wrong_answer_in_the_form_is_refused_with_its_line(steps: dict[str, Any], tmp_path: Path) -> None:
    wrong = steps["prep-import wrong"]
    line = steps["form 2026"].split("\n").index("Lys:") + 1
    assert wrong["code"] == 1
    assert wrong["err"].endswith(f"skema-forkert.txt:{line}: »blå« er hverken grøn, gul eller rød\n")
    assert steps["file after wrong"] == steps["file 2026"]


def test_show_renders_the_answer(steps: dict[str, Any]) -> None:
    assert output(steps, "show") == (
        "MUS-samtale med Anna Sørensen\n"
        "Dato: 2026-11-20\n"
        "Leder: Lis Leder\n"
        "Ramme: Lysramme (version 1)\n"
        "Status: kladde\n"
        "\n"
        "== Forberedelse ==\n"
        f"Medarbejderens forberedelse modtaget: {dt.date.today().isoformat()}\n"
        "\n"
        "== Opgaver ==\n"
        "\n"
        f"{QUESTION}\n"
        "    Lys: gul\n"
    )


def test_the_export_has_the_answer_in_markdown_and_html(steps: dict[str, Any]) -> None:
    assert f"## Opgaver\n\n### {QUESTION}\n\n**Lys:** gul\n\n## Individuel kompetenceudviklingsplan\n" in output(
        steps, "export md"
    )
    assert (
        f'<section class="theme">\n<h2>Opgaver</h2>\n<h3>{QUESTION}</h3>\n<p><strong>Lys:</strong> gul</p>\n</section>\n'
        in output(steps, "export html")
    )


def test_diff_compares_the_answers(steps: dict[str, Any]) -> None:
    assert output(steps, "diff") == (
        "Anna Sørensen: 2025-11-20 → 2026-11-20\n"
        "\n"
        "== Samtalen ==\n"
        "  Dato: 2025-11-20 → 2026-11-20\n"
        "\n"
        "== Opgaver ==\n"
        f"  {QUESTION}\n"
        "      Lys: grøn → gul\n"
    )


def test_search_finds_the_answer_in_a_file_musterm_wrote(steps: dict[str, Any]) -> None:
    assert output(steps, "search") == (
        '1 fund for "gul" i 1 samtale:\n'
        "\n"
        "Anna Sørensen 2026-11-20  (anna-sørensen/2026-11-20.toml)\n"
        f"  Opgaver › {QUESTION} › Lys: gul\n"
    )


def test_the_trends_count_what_the_kind_scores(steps: dict[str, Any]) -> None:
    assert output(steps, "history").endswith(
        "Scorer pr. år (aftalt score; medarbejderens egen i parentes)\n"
        "  Spørgsmål                              Skala   2025   2026\n"
        f"  {QUESTION} 1–3        3      2\n"
    )
