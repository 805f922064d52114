"""`musterm check` on broken frameworks: exact `FILE:LINE: key.path: message` lines, exit 1, no traceback.

Every case is a small valid framework (VALID) with one defect. The expected line
numbers refer to VALID's layout, which is spelled out beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.cli.main import main
from musterm.frameworks.catalog import check_files

REPO = Path(__file__).resolve().parent.parent

VALID = """\
id = "proeve"
name = "Prøveramme"
municipality = "Prøve Kommune"
version = "1"

[scales.fem]
min = 1
max = 5

[[themes]]
id = "trivsel"
title = "Trivsel"
scale = "fem"

[[themes.questions]]
id = "glad"
text = "Hvor glad er du?"
kind = "score"

[[themes.questions]]
id = "andet"
text = "Andet?"

[[themes]]
id = "udvikling"
title = "Udvikling"

[[themes.questions]]
id = "kurser"
text = "Hvilke kurser?"
kind = "text"
"""
# Lines:  1 id, 4 version, 6 [scales.fem], 7 min, 8 max,
#        10 [[themes]] trivsel, 11 id, 12 title, 13 scale,
#        15 [[themes.questions]] glad, 16 id, 17 text, 18 kind,
#        20 [[themes.questions]] andet, 21 id, 22 text,
#        24 [[themes]] udvikling, 25 id, 26 title,
#        28 [[themes.questions]] kurser, 29 id, 30 text, 31 kind. 32 is past the end.


def edited(old: str, new: str, text: str = VALID) -> str:
    """VALID with one change; fails loudly if the test's premise (the old text) is not there."""
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def run_check(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, list[str], str]:
    code = main(["check", *(str(arg) for arg in args)])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


# (case id, broken text, expected lines after "FILE")
CASES: list[tuple[str, str, list[str]]] = [
    # --- TOML syntax: tomllib's position, in Danish
    (
        "syntax-stray-quote",
        edited('version = "1"', 'version = 1"'),
        [":4: TOML-syntaksfejl: forventede linjeskift efter værdien"],
    ),
    (
        "syntax-unquoted-text",
        edited('title = "Trivsel"', "title = Trivsel"),
        [":12: TOML-syntaksfejl: ugyldig værdi (mangler der anførselstegn om en tekst?)"],
    ),
    (
        "syntax-key-twice",
        edited("max = 5", "max = 5\nmax = 6"),
        [":9: TOML-syntaksfejl: nøglen er angivet to gange"],
    ),
    (
        "syntax-table-twice",
        VALID + "\n[scales.fem]\nmin = 0\n",
        [":33: TOML-syntaksfejl: tabellen er angivet to gange"],
    ),
    (
        "syntax-unclosed-array-at-end",
        VALID + 'helpers = ["a",\n\n\n',
        # "at end of document": the last line with content, not the blank lines after it
        [":32: TOML-syntaksfejl: ugyldig værdi (mangler der anførselstegn om en tekst?)"],
    ),
    (
        "syntax-unterminated-string",
        edited('text = "Andet?"', 'text = "Andet?'),
        [':22: TOML-syntaksfejl: teksten mangler sit afsluttende anførselstegn (skriv """ om tekst over flere linjer)'],
    ),
    (
        "syntax-unclosed-table-header",
        edited("[scales.fem]", "[scales.fem"),
        [":6: TOML-syntaksfejl: tabelnavnet mangler sit afsluttende ']'"],
    ),
    (
        "syntax-control-character",
        edited('text = "Andet?"', 'text = "Andet\x01?"'),
        [":22: TOML-syntaksfejl: ugyldigt kontroltegn '\\x01'"],
    ),
    # --- missing fields: the line of the table that lacks them (line 1 for the top level)
    ("missing-top-level", edited('name = "Prøveramme"\n', ""), [":1: name: mangler"]),
    (
        "missing-in-question",
        edited('text = "Hvilke kurser?"\n', ""),
        [":28: themes[1].questions[0].text: mangler"],
    ),
    ("missing-theme-title", edited('title = "Udvikling"\n', ""), [":24: themes[1].title: mangler"]),
    ("missing-scale-max", edited("max = 5\n", ""), [":6: scales.fem.max: mangler"]),
    # --- wrong types
    (
        "text-where-number",
        edited("max = 5", 'max = "5"'),
        [":8: scales.fem.max: skal være et heltal, ikke teksten '5'"],
    ),
    (
        "number-where-text",
        edited('version = "1"', "version = 1"),
        [":4: version: skal være en tekst i anførselstegn, ikke tallet 1"],
    ),
    (
        "text-where-bool",
        edited('kind = "text"', 'kind = "text"\nmandatory = "ja"'),
        [":32: themes[1].questions[0].mandatory: skal være true eller false, ikke teksten 'ja'"],
    ),
    (
        "bool-where-text",
        edited('title = "Trivsel"', "title = true"),
        [":12: themes[0].title: skal være en tekst i anførselstegn, ikke en sandhedsværdi"],
    ),
    (
        "decimal-where-number",
        edited("min = 1", "min = 1.5"),
        [":7: scales.fem.min: skal være et heltal, ikke decimaltallet 1.5"],
    ),
    (
        "text-where-list",
        edited('text = "Andet?"', 'text = "Andet?"\nhelpers = "spørg ind"'),
        [":23: themes[0].questions[1].helpers: skal være en liste [ ... ], ikke teksten 'spørg ind'"],
    ),
    (
        "text-where-table",
        edited('version = "1"', 'version = "1"\nplan = "ja"'),
        [":5: plan: skal være en tabel, ikke teksten 'ja'"],
    ),
    (
        "long-text-is-cut-short",
        edited("max = 5", 'max = "' + "fem " * 30 + '"'),
        [":8: scales.fem.max: skal være et heltal, ikke teksten 'fem fem fem fem fem fem fem fem fem fem …'"],
    ),
    (
        "date-where-text",
        edited('version = "1"', "version = 2024-01-01"),
        [":4: version: skal være en tekst i anførselstegn, ikke en dato"],
    ),
    (
        "unknown-kind",
        edited('kind = "score"', 'kind = "skala"'),
        [
            ":18: themes[0].questions[0].kind: skal være en af 'score', 'text', 'yesno', 'choice', 'list' eller "
            "'competence', "
            "ikke 'skala'"
        ],
    ),
    ("unknown-format", "format = 2\n" + VALID, [":1: format: skal være en af 1, ikke 2"]),
    # --- unknown keys, with a hint when one is close
    (
        "unknown-top-level-key",
        edited('version = "1"', 'version = "1"\nverison = "2"'),
        [":5: verison: ukendt nøgle 'verison' (mente du 'version'?)"],
    ),
    (
        "unknown-key-in-question",
        edited('text = "Andet?"', 'text = "Andet?"\nhelper = ["spørg ind"]'),
        [":23: themes[0].questions[1].helper: ukendt nøgle 'helper' (mente du 'helpers'?)"],
    ),
    (
        "unknown-key-in-theme-without-hint",
        edited('title = "Udvikling"', 'title = "Udvikling"\nxyzzy = 1'),
        [":27: themes[1].xyzzy: ukendt nøgle 'xyzzy'"],
    ),
    (
        "unknown-key-in-scale-lists-the-keys",
        edited("max = 5", 'max = 5\nfarve = "rød"'),
        [":9: scales.fem.farve: ukendt nøgle 'farve' (mulige nøgler: min, max, label, low_label, high_label, steps, unknown)"],
    ),
    (
        "known-key-under-the-wrong-table",
        VALID + 'municipality = "Prøve Kommune"\n',
        [
            ":32: themes[1].questions[0].municipality: ukendt nøgle 'municipality' her "
            "(den hører til en anden tabel; står den under den rigtige [overskrift]?)"
        ],
    ),
    (
        "top-level-key-after-a-table",
        VALID + 'revised = "2026"\n',
        [
            ":32: themes[1].questions[0].revised: ukendt nøgle 'revised' her "
            "(den hører til en anden tabel; står den under den rigtige [overskrift]?)"
        ],
    ),
    (
        "unknown-key-with-line-break-stays-on-one-line",
        edited('title = "Trivsel"', 'title = "Trivsel"\n"a\\nb" = 1'),
        [':13: themes[0]."a\\nb": ukendt nøgle \'a\\nb\''],
    ),
    # --- ids
    (
        "bad-theme-id",
        edited('id = "trivsel"', 'id = "Trivsel 1"'),
        [
            ":11: themes[0].id: 'Trivsel 1' er ikke et gyldigt id: brug små bogstaver a-z, cifre, '-' og '_' "
            "(fx 'trivsel-1')"
        ],
    ),
    (
        "duplicate-theme-id",
        edited('id = "udvikling"', 'id = "trivsel"'),
        [":25: themes[1].id: tema-id 'trivsel' er brugt af et tidligere tema"],
    ),
    (
        "duplicate-question-id-across-themes",
        edited('id = "kurser"', 'id = "glad"'),
        [":29: themes[1].questions[0].id: spørgsmåls-id 'glad' er brugt før i temaet 'trivsel'"],
    ),
    (
        "duplicate-question-id-in-theme",
        edited('id = "andet"', 'id = "glad"'),
        [":21: themes[0].questions[1].id: spørgsmåls-id 'glad' er brugt før i temaet 'trivsel'"],
    ),
    # --- scales
    (
        "empty-scale-min-equals-max",
        edited("max = 5", "max = 1"),
        [":6: scales.fem: skalaen 1–1 er tom: max skal være større end min"],
    ),
    (
        "empty-scale-max-below-min",
        edited("max = 5", "max = 0"),
        [":6: scales.fem: skalaen 1–0 er tom: max skal være større end min"],
    ),
    (
        "scale-with-too-many-steps",
        edited("max = 5", "max = 30"),
        [":6: scales.fem: skalaen 1–30 har mere end 21 trin"],
    ),
    (
        "unknown-scale-on-theme",
        edited('scale = "fem"', 'scale = "seks"'),
        [":13: themes[0].scale: skalaen 'seks' findes ikke under [scales] (kendte: fem)"],
    ),
    (
        "unknown-scale-on-question",
        edited('kind = "text"', 'kind = "score"\nscale = "ti"'),
        [":32: themes[1].questions[0].scale: skalaen 'ti' findes ikke under [scales] (kendte: fem)"],
    ),
    (
        "score-question-without-scale",
        edited('scale = "fem"\n', ""),
        [':14: themes[0].questions[0].scale: et spørgsmål med kind = "score" skal have en skala'],
    ),
    # --- question kinds
    (
        "choice-with-one-option",
        edited(
            'kind = "text"',
            'kind = "choice"\n\n[[themes.questions.options]]\nid = "kursus"\nlabel = "Kursus"',
        ),
        [":33: themes[1].questions[0].options: et valgspørgsmål skal have mindst to valgmuligheder"],
    ),
    (
        "choice-without-options",
        edited('kind = "text"', 'kind = "choice"'),
        [":28: themes[1].questions[0].options: et valgspørgsmål skal have mindst to valgmuligheder"],
    ),
    (
        "options-on-a-text-question",
        edited('kind = "text"', 'kind = "text"\noptions = [{ id = "a", label = "A" }]'),
        [
            ':32: themes[1].questions[0].options: valgmuligheder passer ikke til kind = "text" '
            "(kun choice og score)"
        ],
    ),
    (
        "list-without-items",
        edited('kind = "text"', 'kind = "list"'),
        [":28: themes[1].questions[0].items: et listespørgsmål skal angive items (antal punkter)"],
    ),
    (
        "items-on-a-text-question",
        edited('kind = "text"', 'kind = "text"\nitems = 3'),
        [':32: themes[1].questions[0].items: items passer kun til kind = "list"'],
    ),
    (
        "too-many-items",
        edited('kind = "text"', 'kind = "list"\nitems = 50'),
        [":32: themes[1].questions[0].items: må højst være 20, ikke 50"],
    ),
    # --- themes
    (
        "to-year-before-from-year",
        edited('title = "Udvikling"', 'title = "Udvikling"\nfrom_year = 2026\nto_year = 2025'),
        [":28: themes[1].to_year: to_year 2025 ligger før from_year 2026"],
    ),
    (
        "offered-from-age-on-an-ordinary-theme",
        edited('title = "Udvikling"', 'title = "Udvikling"\noffered_from_age = 55'),
        [':27: themes[1].offered_from_age: offered_from_age passer kun til role = "senior"'],
    ),
    (
        "no-themes",
        edited('version = "1"', 'version = "1"\nthemes = []', VALID[: VALID.index("[[themes]]")]),
        [":5: themes: skal have mindst 1 element(er)"],
    ),
    # --- invitation, plan
    (
        "unknown-invitation-placeholder",
        VALID + '\n[invitation]\ntemplate = "Kære {navn}, vi ses {dato}"\n',
        [
            ":34: invitation.template: ukendt pladsholder {navn}; kendte er {dato}, {frist}, {kommune}, "
            "{leder}, {medarbejder}, {ramme}, {sted}, {tid} (skriv {{ og }} for krøllede parenteser)"
        ],
    ),
    (
        "unreadable-invitation-template",
        VALID + '\n[invitation]\ntemplate = "Kære {medarbejder"\n',
        [
            ":34: invitation.template: skabelonen kan ikke læses: en '{' uden en '}' efter ved »{medarbejder«; "
            "skriv {{ for en krøllet parentes"
        ],
    ),
    (
        "stray-closing-brace-in-invitation",
        VALID + '\n[invitation]\ntemplate = "Kære {medarbejder} :-}"\n',
        [
            ":34: invitation.template: skabelonen kan ikke læses: en '}' uden en '{' før ved »}«; "
            "skriv }} for en krøllet parentes"
        ],
    ),
    (
        "deadline-placeholder-without-deadline",
        VALID + '\n[invitation]\ntemplate = "Kære {medarbejder}, send noter senest {frist}"\n',
        [
            ":34: invitation.template: {frist} bruges i brevet, men prep_deadline_days er ikke sat under "
            "[invitation]; skriv fx prep_deadline_days = 5 (dage før samtalen), eller fjern {frist}"
        ],
    ),
    (
        "scale-on-a-question-without-kind-score",
        edited('text = "Andet?"', 'text = "Andet?"\nscale = "fem"'),
        [
            ':23: themes[0].questions[1].scale: scale passer kun til kind = "score" eller "competence"; '
            'spørgsmålet har kind = "text" og bliver aldrig scoret (skriv kind = "score" eller "competence", eller fjern scale)'
        ],
    ),
    (
        "missing-heading-in-super-table",
        VALID + '\n[plan.columns.what]\nhelp = "Hvad skal udvikles?"\n',
        [":33: plan.columns.what.heading: mangler"],
    ),
    (
        "plan-field-clashes-with-column",
        VALID + '\n[plan]\n\n[[plan.fields]]\nid = "goal"\nlabel = "Mål"\n',
        [":36: plan.fields[0].id: feltet 'goal' er brugt før i planen"],
    ),
    # --- the id itself
    ("id-is-a-number", edited('id = "proeve"', "id = 5"), [":1: id: skal være en tekst i anførselstegn, ikke tallet 5"]),
    ("empty-file", "", [":1: id: mangler (hver ramme skal have et id)"]),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_broken_framework_is_reported_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: list[str]
) -> None:
    file = tmp_path / "ramme.toml"
    file.write_text(text, encoding="utf-8")
    code, lines, err = run_check(capsys, file)
    assert lines == [f"{file}{line}" for line in expected]
    assert code == 1
    assert "Traceback" not in err


def test_the_cases_are_distinct() -> None:
    texts = [case[1] for case in CASES]
    assert len(set(texts)) == len(texts) >= 15
    assert len({case[0] for case in CASES}) == len(CASES)


def test_the_valid_base_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "ramme.toml"
    file.write_text(VALID, encoding="utf-8")
    code, lines, err = run_check(capsys, file)
    assert (code, lines) == (0, [])
    assert err == "1 fil(er) i orden.\n"


def test_several_problems_in_one_file_come_in_line_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = edited('kind = "text"', 'kind = "text"\nhelper = ["x"]', edited("max = 5", 'max = "5"'))
    text = edited('title = "Trivsel"\n', "", text)
    file = tmp_path / "ramme.toml"
    file.write_text(text, encoding="utf-8")
    code, lines, _ = run_check(capsys, file)
    assert code == 1
    assert lines == [
        f"{file}:8: scales.fem.max: skal være et heltal, ikke teksten '5'",
        f"{file}:10: themes[0].title: mangler",
        f"{file}:31: themes[1].questions[0].helper: ukendt nøgle 'helper' (mente du 'helpers'?)",
    ]


def test_semantic_problems_are_all_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = edited('id = "kurser"', 'id = "glad"', edited('scale = "fem"', 'scale = "seks"'))
    file = tmp_path / "ramme.toml"
    file.write_text(text, encoding="utf-8")
    _, lines, _ = run_check(capsys, file)
    assert lines == [
        f"{file}:13: themes[0].scale: skalaen 'seks' findes ikke under [scales] (kendte: fem)",
        f"{file}:29: themes[1].questions[0].id: spørgsmåls-id 'glad' er brugt før i temaet 'trivsel'",
    ]


# --- lines inside arrays of tables and super-tables


def test_line_of_a_key_in_the_third_question_of_the_second_theme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = VALID + '\n[[themes.questions]]\nid = "mere"\ntext = "Mere?"\n\n[[themes.questions]]\nid = "sidst"\nkind = 7\n'
    file = tmp_path / "ramme.toml"
    file.write_text(text, encoding="utf-8")
    _, lines, _ = run_check(capsys, file)
    assert lines == [
        f"{file}:37: themes[1].questions[2].text: mangler",
        f"{file}:39: themes[1].questions[2].kind: skal være en af 'score', 'text', 'yesno', 'choice', 'list' eller 'competence', ikke 7",
    ]


def test_line_of_a_question_written_as_an_inline_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = edited(
        '[[themes]]\nid = "udvikling"\ntitle = "Udvikling"\n',
        '[[themes]]\nid = "udvikling"\ntitle = "Udvikling"\nquestions = [\n  { id = "a", text = "A" },\n  { id = "b" },\n]\n',
        VALID[: VALID.index("\n[[themes.questions]]\nid = \"kurser\"")] + "\n",
    )
    file = tmp_path / "ramme.toml"
    file.write_text(text, encoding="utf-8")
    _, lines, _ = run_check(capsys, file)
    assert lines == [f"{file}:29: themes[1].questions[1].text: mangler"]


def test_missing_key_in_a_table_written_only_through_sub_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = VALID + (
        '\n[plan.columns.what]\nheading = "Hvad?"\n'
        '\n[plan.columns.goal]\nhelp = "Målet"\n'
        "\n[plan.columns.how]\nheading = 3\n"
    )
    file = tmp_path / "ramme.toml"
    file.write_text(text, encoding="utf-8")
    _, lines, _ = run_check(capsys, file)
    assert lines == [
        f"{file}:36: plan.columns.goal.heading: mangler",
        f"{file}:40: plan.columns.how.heading: skal være en tekst i anførselstegn, ikke tallet 3",
    ]


def test_unknown_column_in_a_super_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "ramme.toml"
    file.write_text(VALID + '\n[plan.columns.hvem]\nheading = "Hvem?"\n', encoding="utf-8")
    _, lines, _ = run_check(capsys, file)
    assert lines == [f"{file}:33: plan.columns.hvem: ukendt nøgle 'hvem' (mulige nøgler: what, goal, how, when, followup)"]


def test_line_inside_a_dotted_key_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = edited("[scales.fem]\nmin = 1\nmax = 5\n", "scales.fem.min = 1\nscales.fem.max = 5\nscales.tre = { min = 3, max = 3 }\n")
    file = tmp_path / "ramme.toml"
    file.write_text(text, encoding="utf-8")
    _, lines, _ = run_check(capsys, file)
    assert lines == [f"{file}:8: scales.tre: skalaen 3–3 er tom: max skal være større end min"]


# --- files that cannot be read at all


def test_invalid_utf8_names_the_line_and_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "latin1.toml"
    file.write_bytes(VALID.replace("Prøve Kommune", "Prøve Kommune").encode("latin-1"))
    code, lines, _ = run_check(capsys, file)
    assert code == 1
    assert lines == [f"{file}:2: er ikke gyldig UTF-8 (byte 0xf8); gem filen som UTF-8"]


def test_nul_character(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "nul.toml"
    file.write_bytes(VALID.encode() + b"\x00\x00")
    code, lines, _ = run_check(capsys, file)
    assert (code, lines) == (1, [f"{file}:32: indeholder et NUL-tegn; filen er beskadiget eller ikke en tekstfil"])


def test_byte_order_mark_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "bom.toml"
    file.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert run_check(capsys, file)[:2] == (0, [])


def test_file_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "findes-ikke.toml"
    code, lines, _ = run_check(capsys, file)
    assert (code, lines) == (1, [f"{file}: filen findes ikke"])


def test_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "rammer.toml"
    folder.mkdir()
    code, lines, _ = run_check(capsys, folder)
    assert (code, lines) == (1, [f"{folder}: er en mappe, ikke en fil"])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "laast.toml"
    file.write_text(VALID, encoding="utf-8")
    file.chmod(0)
    code, lines, _ = run_check(capsys, file)
    assert (code, lines) == (1, [f"{file}: kan ikke læses: Permission denied"])


def test_deeply_nested_value_is_a_syntax_error_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "dyb.toml"
    file.write_text(VALID + "helpers = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    code, lines, err = run_check(capsys, file)
    line = VALID.count("\n") + 1  # the line of `helpers = [[[...` (issue 13, item 10: deep nesting names its line)
    assert (code, lines) == (1, [f"{file}:{line}: TOML-syntaksfejl: lister eller tabeller er lagt for dybt inden i hinanden"])
    assert "uventet" not in err


# --- several files


def test_several_files_only_the_bad_ones_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "god.toml"
    good.write_text(edited('id = "proeve"', 'id = "god"'), encoding="utf-8")
    missing = tmp_path / "mangler.toml"
    bad_type = tmp_path / "type.toml"
    bad_type.write_text(edited('id = "proeve"', 'id = "type"', edited("max = 5", 'max = "5"')), encoding="utf-8")
    broken = tmp_path / "syntaks.toml"
    broken.write_text(edited('id = "proeve"', 'id = "syntaks', VALID), encoding="utf-8")
    also_good = tmp_path / "ogsaa-god.toml"
    also_good.write_text(edited('id = "proeve"', 'id = "ogsaa-god"'), encoding="utf-8")
    code, lines, err = run_check(capsys, good, missing, bad_type, broken, also_good)
    assert code == 1
    assert lines == [
        f"{missing}: filen findes ikke",
        f'{broken}:1: TOML-syntaksfejl: teksten mangler sit afsluttende anførselstegn (skriv """ om tekst over flere linjer)',
        f"{bad_type}:8: scales.fem.max: skal være et heltal, ikke teksten '5'",
    ]
    assert "Traceback" not in err


def test_all_valid_files_exit_0_with_nothing_on_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = []
    for name in ("a", "b", "c"):
        file = tmp_path / f"{name}.toml"
        file.write_text(edited('id = "proeve"', f'id = "{name}"'), encoding="utf-8")
        files.append(file)
    code, lines, err = run_check(capsys, *files)
    assert (code, lines) == (0, [])
    assert err == "3 fil(er) i orden.\n"


def test_the_same_file_twice_is_checked_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "ramme.toml"
    file.write_text(VALID, encoding="utf-8")
    assert run_check(capsys, file, tmp_path / "." / "ramme.toml")[:2] == (0, [])


def test_two_files_with_the_same_id_are_both_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "a.toml"
    first.write_text(VALID, encoding="utf-8")
    second = tmp_path / "b.toml"
    second.write_text(edited("max = 5", "max = 1"), encoding="utf-8")
    code, lines, _ = run_check(capsys, first, second)
    assert code == 1
    assert lines == [
        f"{second}:1: id: id 'proeve' bruges også af {first}",
        f"{second}:6: scales.fem: skalaen 1–1 er tom: max skal være større end min",
    ]


def test_a_checked_file_may_reuse_a_bundled_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "egen.toml"
    file.write_text(edited('id = "proeve"', 'id = "ringkobing-skjern"'), encoding="utf-8")
    assert run_check(capsys, file)[:2] == (0, [])


def test_check_files_returns_located_problems(tmp_path: Path) -> None:
    file = tmp_path / "ramme.toml"
    file.write_text(edited("max = 5", "max = 1"), encoding="utf-8")
    [problem] = check_files([file])
    assert (problem.file, problem.line, problem.path) == (file, 6, ("scales", "fem"))
    assert check_files([tmp_path / "ramme.toml"], [tmp_path]) == [problem]


# --- the real command, in a subprocess


def _subprocess_check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MUSTERM_")}
    return subprocess.run(
        [sys.executable, "-m", "musterm", "check", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60
    )


def test_command_reports_relative_paths_as_given(tmp_path: Path) -> None:
    (tmp_path / "rammer").mkdir()
    (tmp_path / "rammer" / "god.toml").write_text(VALID, encoding="utf-8")
    (tmp_path / "rammer" / "syntaks.toml").write_text(edited('version = "1"', 'version = 1"'), encoding="utf-8")
    (tmp_path / "rammer" / "skala.toml").write_text(
        edited('id = "proeve"', 'id = "skala"', edited("max = 5", "max = 1")), encoding="utf-8"
    )
    result = _subprocess_check(tmp_path, "rammer/god.toml", "rammer/syntaks.toml", "rammer/skala.toml")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "rammer/syntaks.toml:4: TOML-syntaksfejl: forventede linjeskift efter værdien",
        "rammer/skala.toml:6: scales.fem: skalaen 1–1 er tom: max skal være større end min",
    ]
    assert result.stderr == ""


def test_command_accepts_the_bundled_frameworks(tmp_path: Path) -> None:
    bundled = sorted(str(file) for file in (REPO / "frameworks").glob("*.toml"))
    result = _subprocess_check(tmp_path, *bundled)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == f"{len(bundled)} fil(er) i orden.\n"


def test_command_never_shows_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "binaer.toml").write_bytes(bytes(range(256)))
    (tmp_path / "dyb.toml").write_text("a = " + "{b = " * 2000 + "1" + "}" * 2000 + "\n", encoding="utf-8")
    (tmp_path / "mappe.toml").mkdir()
    result = _subprocess_check(tmp_path, "binaer.toml", "dyb.toml", "mappe.toml", "mangler.toml")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "binaer.toml:2: er ikke gyldig UTF-8 (byte 0x80); gem filen som UTF-8",
        "dyb.toml:1: TOML-syntaksfejl: lister eller tabeller er lagt for dybt inden i hinanden",
        "mappe.toml: er en mappe, ikke en fil",
        "mangler.toml: filen findes ikke",
    ]
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
