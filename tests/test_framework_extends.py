"""Local tailoring end to end: a child framework `extends` its parent by id.

The parent (PARENT, in its own folder) has mandatory questions; children live in
another folder, so `musterm check` needs `--frameworks` to find the parent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from musterm.cli.main import main
from musterm.frameworks.catalog import Catalog, check_files, load_files
from musterm.model.framework import Framework

PARENT = """\
id = "kommune"
name = "Kommunens MUS"
municipality = "Prøve Kommune"
version = "2024"
notes_label = "Noter"

[scales.fem]
min = 1
max = 5
label = "1-5"

[[themes]]
id = "trivsel"
title = "Trivsel"
scale = "fem"

[[themes.questions]]
id = "glad"
text = "Hvor glad er du for dit arbejde?"
kind = "score"
mandatory = true

[[themes.questions]]
id = "stress"
text = "Oplever du stress?"
kind = "yesno"

[[themes.questions]]
id = "balance"
text = "Er der balance mellem arbejde og fritid?"
mandatory = true

[[themes]]
id = "udvikling"
title = "Udvikling"

[[themes.questions]]
id = "kurser"
text = "Hvilke kurser ønsker du?"
mandatory = true

[[themes.questions]]
id = "karriere"
text = "Hvor vil du hen?"

[[themes]]
id = "loen"
title = "Løn"
role = "salary"

[[themes.questions]]
id = "loenforventning"
text = "Forventninger til løn?"

[[themes]]
id = "andet"
title = "Andet"
role = "other"

[[themes.questions]]
id = "andre-emner"
text = "Andre emner?"
"""

HEAD = 'id = "afdeling"\nextends = "kommune"\n'


@pytest.fixture
def parents(tmp_path: Path) -> Path:
    folder = tmp_path / "kommune"
    folder.mkdir()
    (folder / "kommune.toml").write_text(PARENT, encoding="utf-8")
    return folder


def write_child(tmp_path: Path, body: str, name: str = "afdeling.toml", head: str = HEAD) -> Path:
    folder = tmp_path / "afdeling"
    folder.mkdir(exist_ok=True)
    file = folder / name
    file.write_text(head + body, encoding="utf-8")
    return file


def tailored(parents: Path, child: Path) -> Framework:
    entries, errors = load_files([(parents / "kommune.toml", "kommune"), (child, "afdeling")])
    assert [str(error) for error in errors] == []
    assert check_files([child], [parents]) == []
    return entries["afdeling"].framework


def layout(framework: Framework) -> list[tuple[str, list[str]]]:
    return [(theme.id, [question.id for question in theme.questions]) for theme in framework.themes]


def check(capsys: pytest.CaptureFixture[str], child: Path, parents: Path | None = None) -> tuple[int, list[str]]:
    extra = ["--frameworks", str(parents)] if parents else []
    code = main(["check", str(child), *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out.splitlines()


def problems(child: Path, parents: Path) -> list[str]:
    return [str(problem).removeprefix(f"{child}") for problem in check_files([child], [parents])]


# --- tailoring that works


def test_an_empty_child_is_its_parent_under_another_id(tmp_path: Path, parents: Path) -> None:
    framework = tailored(parents, write_child(tmp_path, ""))
    parent = load_files([(parents / "kommune.toml", "kommune")])[0]["kommune"].framework
    assert framework.id == "afdeling"
    assert framework.model_dump(exclude={"id"}) == parent.model_dump(exclude={"id"})


def test_metadata_is_overridden_and_scales_merge(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path,
        'name = "Afdelingens MUS"\nversion = "2025-1"\nnotes_label = "Stikord"\n'
        '\n[scales.ti]\nmin = 1\nmax = 10\n\n[scales.fem]\nmin = 0\nmax = 4\n',
    )
    framework = tailored(parents, child)
    assert (framework.name, framework.version, framework.notes_label) == ("Afdelingens MUS", "2025-1", "Stikord")
    assert framework.municipality == "Prøve Kommune"
    assert sorted(framework.scales) == ["fem", "ti"]
    # a scale the child writes replaces the parent's scale of that id as a whole
    assert (framework.scales["fem"].min, framework.scales["fem"].max, framework.scales["fem"].label) == (0, 4, "")
    assert framework.scales["ti"].max == 10


def test_adding_a_question_to_a_parent_theme(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path,
        '\n[scales.ti]\nmin = 1\nmax = 10\n'
        '\n[[themes]]\nid = "trivsel"\n\n[[themes.questions]]\nid = "energi"\ntext = "Hvor meget energi har du?"\n'
        'kind = "score"\nscale = "ti"\n',
    )
    framework = tailored(parents, child)
    assert layout(framework)[0] == ("trivsel", ["glad", "stress", "balance", "energi"])
    theme, question = framework.questions()[3]
    assert framework.scale_of(theme, question).max == 10
    assert framework.themes[0].title == "Trivsel"


def test_replacing_a_question_keeps_its_place(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path,
        '\n[[themes]]\nid = "trivsel"\ntitle = "Trivsel og arbejdsmiljø"\n'
        '\n[[themes.questions]]\nid = "glad"\ntext = "Hvor glad er du for din arbejdsdag?"\nkind = "score"\nmandatory = true\n'
        '\n[[themes.questions]]\nid = "stress"\ntext = "Hvordan har du det med travlheden?"\n',
    )
    framework = tailored(parents, child)
    trivsel = framework.themes[0]
    assert trivsel.title == "Trivsel og arbejdsmiljø"
    assert trivsel.scale == "fem"
    assert [(q.id, q.text, q.mandatory, q.kind) for q in trivsel.questions] == [
        ("glad", "Hvor glad er du for din arbejdsdag?", True, "score"),
        ("stress", "Hvordan har du det med travlheden?", False, "text"),
        ("balance", "Er der balance mellem arbejde og fritid?", True, "text"),
    ]


def test_removing_a_question_and_a_theme(tmp_path: Path, parents: Path) -> None:
    framework = tailored(parents, write_child(tmp_path, 'remove = ["stress", "loen", "karriere"]\n'))
    assert layout(framework) == [
        ("trivsel", ["glad", "balance"]),
        ("udvikling", ["kurser"]),
        ("andet", ["andre-emner"]),
    ]


def test_reordering_themes_and_questions(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path,
        'theme_order = ["andet", "nyt", "udvikling"]\n'
        '\n[[themes]]\nid = "trivsel"\nquestion_order = ["balance", "ekstra", "glad"]\n'
        '\n[[themes.questions]]\nid = "ekstra"\ntext = "Ekstra?"\n'
        '\n[[themes]]\nid = "nyt"\ntitle = "Nyt tema"\n\n[[themes.questions]]\nid = "nyt-spoergsmaal"\ntext = "Nyt?"\n',
    )
    framework = tailored(parents, child)
    # listed ids first, in the given order; the rest keep their order after them
    assert layout(framework) == [
        ("andet", ["andre-emner"]),
        ("nyt", ["nyt-spoergsmaal"]),
        ("udvikling", ["kurser", "karriere"]),
        ("trivsel", ["balance", "ekstra", "glad", "stress"]),
        ("loen", ["loenforventning"]),
    ]


def test_moving_a_question_to_another_theme(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path,
        'remove = ["karriere"]\n\n[[themes]]\nid = "andet"\n\n[[themes.questions]]\nid = "karriere"\n'
        'text = "Hvor vil du hen om fem år?"\n',
    )
    framework = tailored(parents, child)
    assert layout(framework)[1] == ("udvikling", ["kurser"])
    assert layout(framework)[3] == ("andet", ["andre-emner", "karriere"])


def test_a_rotating_theme_added_by_the_child(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path,
        '\n[[themes]]\nid = "arbejdsmiljoe-2026"\ntitle = "Årets tema: arbejdsmiljø"\nfrom_year = 2026\nto_year = 2027\n'
        '\n[[themes.questions]]\nid = "arbejdsstilling"\ntext = "Hvordan er din arbejdsstilling?"\nkind = "score"\n'
        'scale = "fem"\n',
    )
    framework = tailored(parents, child)
    assert "arbejdsmiljoe-2026" not in [theme.id for theme in framework.themes_for(2025)]
    assert [theme.id for theme in framework.themes_for(2026)][-1] == "arbejdsmiljoe-2026"
    assert "arbejdsmiljoe-2026" in [theme.id for theme in framework.themes_for(2027)]
    assert "arbejdsmiljoe-2026" not in [theme.id for theme in framework.themes_for(2028)]
    assert [q.id for _, q in framework.questions(2025)] == [q.id for _, q in framework.questions(2028)]


def test_a_chain_of_three_keeps_the_grandparents_mandatory_questions(tmp_path: Path, parents: Path) -> None:
    middle = write_child(tmp_path, 'remove = ["loen"]\n', name="afdeling.toml")
    leaf = write_child(
        tmp_path, 'remove = ["stress"]\n', name="team.toml", head='id = "team"\nextends = "afdeling"\n'
    )
    entries, errors = load_files([(parents / "kommune.toml", "k"), (middle, "a"), (leaf, "t")])
    assert errors == []
    assert layout(entries["team"].framework) == [
        ("trivsel", ["glad", "balance"]),
        ("udvikling", ["kurser", "karriere"]),
        ("andet", ["andre-emner"]),
    ]
    bad_leaf = write_child(tmp_path, 'remove = ["kurser"]\n', name="team.toml", head='id = "team"\nextends = "afdeling"\n')
    code = main(["check", str(bad_leaf), "--frameworks", str(parents), "--frameworks", str(middle.parent)])
    assert code == 1
    assert [str(p) for p in check_files([bad_leaf], [parents, middle.parent])] == [
        f"{bad_leaf}:3: remove[0]: fjerner det obligatoriske spørgsmål 'kurser' (Hvilke kurser ønsker du?) fra 'afdeling'"
    ]
    assert problems(bad_leaf, parents)[0].startswith(":2: extends: rammen 'afdeling' findes ikke")


def test_a_child_of_a_bundled_framework(tmp_path: Path) -> None:
    child = write_child(tmp_path, 'remove = ["andre-emner"]\n', head='id = "rks-afdeling"\nextends = "ringkobing-skjern"\n')
    assert check_files([child]) == []
    catalog = Catalog.discover([child.parent])
    assert "andre-emner" not in [theme.id for theme in catalog.get("rks-afdeling").themes]
    assert [theme.id for theme in catalog.get("ringkobing-skjern").themes][-1] == "andre-emner"


def test_catalog_discovers_parent_and_child_in_different_folders(tmp_path: Path, parents: Path) -> None:
    child = write_child(tmp_path, 'name = "Afdelingen"\n')
    catalog = Catalog.discover([parents, child.parent], include_bundled=False)
    assert catalog.errors == []
    assert [entry.framework.id for entry in catalog] == ["afdeling", "kommune"]
    assert catalog.entry("afdeling").file == child


def test_command_finds_the_parent_with_frameworks_option(
    tmp_path: Path, parents: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = write_child(tmp_path, 'remove = ["stress"]\n')
    assert check(capsys, child, parents) == (0, [])


def test_command_finds_the_parent_through_the_environment(
    tmp_path: Path, parents: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    child = write_child(tmp_path, 'remove = ["stress"]\n')
    monkeypatch.setenv("MUSTERM_FRAMEWORKS", str(parents))
    assert check(capsys, child) == (0, [])


def test_parent_and_child_checked_together(tmp_path: Path, parents: Path, capsys: pytest.CaptureFixture[str]) -> None:
    child = write_child(tmp_path, 'remove = ["stress"]\n')
    code = main(["check", str(parents / "kommune.toml"), str(child)])
    assert (code, capsys.readouterr().out) == (0, "")


# --- where extends points


def test_extends_to_a_missing_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    child = write_child(tmp_path, "", head='id = "afdeling"\nextends = "kommunen"\n')
    known = ", ".join(sorted(entry.framework.id for entry in Catalog.discover()))
    assert check(capsys, child) == (1, [f"{child}:2: extends: rammen 'kommunen' findes ikke (kendte rammer: {known})"])


def test_without_the_frameworks_option_the_parent_is_missing(
    tmp_path: Path, parents: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = write_child(tmp_path, "")
    code, lines = check(capsys, child)
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"{child}:2: extends: rammen 'kommune' findes ikke (kendte rammer: ")


def test_extends_loop_between_two_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write_child(tmp_path, "", name="a.toml", head='# a\nid = "a"\nextends = "b"\n')
    b = write_child(tmp_path, "", name="b.toml", head='id = "b"\n\nextends = "a"\n')
    code = main(["check", str(a), str(b)])
    assert code == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{a}:3: extends: extends danner en løkke: a → b → a",
        f"{b}:3: extends: extends danner en løkke: b → a → b",
    ]


def test_extends_loop_with_the_other_file_in_a_frameworks_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "andre"
    elsewhere.mkdir()
    (elsewhere / "b.toml").write_text('id = "b"\nextends = "c"\n', encoding="utf-8")
    (elsewhere / "c.toml").write_text('id = "c"\nextends = "a"\n', encoding="utf-8")
    a = write_child(tmp_path, "", name="a.toml", head='id = "a"\nextends = "b"\n')
    assert check(capsys, a, elsewhere) == (1, [f"{a}:2: extends: extends danner en løkke: a → b → c → a"])


def test_extends_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    child = write_child(tmp_path, "", head='id = "selv"\nname = "Selv"\nextends = "selv"\n')
    assert check(capsys, child) == (1, [f"{child}:3: extends: extends danner en løkke: selv → selv"])


def test_a_child_leading_into_a_loop_it_is_not_part_of(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "andre"
    elsewhere.mkdir()
    (elsewhere / "b.toml").write_text('id = "b"\nextends = "b"\n', encoding="utf-8")
    a = write_child(tmp_path, "", name="a.toml", head='id = "a"\nextends = "b"\n')
    assert check(capsys, a, elsewhere) == (1, [f"{a}:2: extends: rammen 'b' har selv fejl ({elsewhere / 'b.toml'})"])


def test_loading_a_loop_gives_errors_not_a_crash(tmp_path: Path) -> None:
    a = write_child(tmp_path, "", name="a.toml", head='id = "a"\nextends = "b"\n')
    b = write_child(tmp_path, "", name="b.toml", head='id = "b"\nextends = "a"\n')
    entries, errors = load_files([(a, "x"), (b, "x")])
    assert entries == {}
    assert [str(error) for error in errors] == [
        f"{a}:2: extends: extends danner en løkke: a → b → a",
        f"{b}:2: extends: extends danner en løkke: b → a → b",
    ]


def test_a_child_whose_parent_has_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "kommune"
    broken.mkdir()
    parent = broken / "kommune.toml"
    parent.write_text(PARENT.replace("max = 5", "max = 1"), encoding="utf-8")
    child = write_child(tmp_path, 'remove = ["stress"]\n')
    assert check(capsys, child, broken) == (1, [f"{child}:2: extends: rammen 'kommune' har selv fejl ({parent})"])
    code = main(["check", str(parent), str(child)])
    assert code == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{parent}:7: scales.fem: skalaen 1–1 er tom: max skal være større end min",
        f"{child}:2: extends: rammen 'kommune' har selv fejl ({parent})",
    ]


def test_a_parent_with_a_syntax_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "kommune"
    broken.mkdir()
    parent = broken / "kommune.toml"
    parent.write_text(PARENT.replace('version = "2024"', "version = 2024-"), encoding="utf-8")
    child = write_child(tmp_path, "")
    # the parent's id cannot be read, but its file name gives it away
    assert check(capsys, child, broken) == (
        1,
        [f"{child}:2: extends: rammen 'kommune' findes ikke; {parent} kunne være den, men har selv fejl"],
    )
    entries, errors = load_files([(parent, "k"), (child, "a")])
    assert entries == {}
    assert [str(error) for error in errors] == [
        f"{parent}:4: TOML-syntaksfejl: forventede linjeskift efter værdien",
        f"{child}:2: extends: rammen 'kommune' findes ikke; {parent} kunne være den, men har selv fejl",
    ]


def test_bad_extends_values(tmp_path: Path, parents: Path) -> None:
    child = write_child(tmp_path, "", head='id = "afdeling"\nextends = 5\n')
    assert problems(child, parents) == [":2: extends: skal være en tekst i anførselstegn, ikke tallet 5"]
    child = write_child(tmp_path, "", head='id = "afdeling"\nextends = "Kommune"\n')
    assert problems(child, parents) == [
        ":2: extends: 'Kommune' er ikke et gyldigt id: brug små bogstaver a-z, cifre, '-' og '_' (fx 'trivsel-1')"
    ]


# --- mandatory questions


def test_removing_a_mandatory_question_names_it(
    tmp_path: Path, parents: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = write_child(tmp_path, 'remove = [\n  "stress",\n  "kurser",\n]\n')
    assert check(capsys, child, parents) == (
        1,
        [f"{child}:5: remove[1]: fjerner det obligatoriske spørgsmål 'kurser' (Hvilke kurser ønsker du?) fra 'kommune'"],
    )


def test_removing_a_theme_with_mandatory_questions_names_them(tmp_path: Path, parents: Path) -> None:
    child = write_child(tmp_path, 'remove = ["loen", "trivsel"]\n')
    assert problems(child, parents) == [
        ":3: remove[1]: fjerner de obligatoriske spørgsmål 'glad' (Hvor glad er du for dit arbejde?), "
        "'balance' (Er der balance mellem arbejde og fritid?) fra 'kommune'"
    ]


def test_setting_mandatory_false_is_an_error(tmp_path: Path, parents: Path, capsys: pytest.CaptureFixture[str]) -> None:
    child = write_child(
        tmp_path,
        '\n[[themes]]\nid = "udvikling"\n\n[[themes.questions]]\nid = "kurser"\ntext = "Hvilke kurser?"\nmandatory = false\n',
    )
    assert check(capsys, child, parents) == (
        1,
        [
            f"{child}:10: themes[0].questions[0].mandatory: det obligatoriske spørgsmål 'kurser' (Hvilke kurser?) "
            "må ikke gøres valgfrit; skriv mandatory = true"
        ],
    )


def test_replacing_a_mandatory_question_without_mandatory_is_an_error(tmp_path: Path, parents: Path) -> None:
    child = write_child(tmp_path, '\n[[themes]]\nid = "trivsel"\n\n[[themes.questions]]\nid = "balance"\ntext = "Balance?"\n')
    assert problems(child, parents) == [
        ":7: themes[0].questions[0].mandatory: det obligatoriske spørgsmål 'balance' (Balance?) "
        "må ikke gøres valgfrit; skriv mandatory = true"
    ]


def test_a_question_may_be_made_mandatory_by_the_child(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path, '\n[[themes]]\nid = "trivsel"\n\n[[themes.questions]]\nid = "stress"\ntext = "Stress?"\nmandatory = true\n'
    )
    assert [q.id for _, q in tailored(parents, child).questions() if q.mandatory] == ["glad", "stress", "balance", "kurser"]


# --- ids that are not there


def test_unknown_ids_in_remove_question_order_and_theme_order(
    tmp_path: Path, parents: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = write_child(
        tmp_path,
        'remove = ["stres"]\ntheme_order = ["udvikling", "trivsl"]\n'
        '\n[[themes]]\nid = "trivsel"\nquestion_order = ["glad", "kurser"]\n',
    )
    assert check(capsys, child, parents) == (
        1,
        [
            f"{child}:3: remove[0]: 'stres' er hverken et tema eller et spørgsmål i 'kommune'",
            f"{child}:4: theme_order[1]: 'trivsl' findes ikke blandt temaerne og kan ikke flyttes",
            f"{child}:8: themes[0].question_order[1]: 'kurser' findes ikke i temaet 'trivsel' og kan ikke flyttes",
        ],
    )


def test_a_removed_theme_cannot_be_ordered(tmp_path: Path, parents: Path) -> None:
    child = write_child(tmp_path, 'remove = ["loen"]\ntheme_order = ["loen"]\n')
    assert problems(child, parents) == [":4: theme_order[0]: 'loen' findes ikke blandt temaerne og kan ikke flyttes"]


def test_removing_what_the_child_also_changes(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path,
        'remove = ["loen", "stress", "loen"]\n\n[[themes]]\nid = "loen"\ntitle = "Løn og vilkår"\n'
        '\n[[themes]]\nid = "trivsel"\n\n[[themes.questions]]\nid = "stress"\ntext = "Stress?"\n',
    )
    assert problems(child, parents) == [
        ":3: remove[0]: temaet 'loen' fjernes, men filen ændrer det også under [[themes]]; vælg det ene",
        ":3: remove[1]: spørgsmålet 'stress' fjernes, men filen erstatter det også i temaet 'trivsel'; vælg det ene",
        ":3: remove[2]: 'loen' står allerede tidligere i remove",
    ]


def test_question_order_in_a_theme_the_parent_does_not_have(tmp_path: Path, parents: Path) -> None:
    child = write_child(tmp_path, '\n[[themes]]\nid = "trivsl"\nquestion_order = ["glad"]\n')
    assert problems(child, parents) == [
        ":4: themes[0].title: mangler",
        ":6: themes[0].question_order: temaet 'trivsl' findes ikke i 'kommune', så der er ingen spørgsmål at flytte; "
        "et nyt tema har spørgsmålene i den rækkefølge, de står i filen",
    ]


# --- problems inside what the child writes point at the child's own lines


def test_error_in_a_child_added_question(tmp_path: Path, parents: Path, capsys: pytest.CaptureFixture[str]) -> None:
    child = write_child(
        tmp_path,
        'name = "Afdelingen"\n'  # 3
        '\n[[themes]]\nid = "udvikling"\n'  # 5, 6
        '\n[[themes.questions]]\nid = "mentor"\ntext = "Ønsker du en mentor?"\nkind = "yesno"\n'  # 8..11
        '\n[[themes.questions]]\nid = "maal"\ntext = "Dine mål?"\nkind = "list"\nitem = 3\n',  # 13..17
    )
    assert check(capsys, child, parents) == (
        1,
        [f"{child}:17: themes[0].questions[1].item: ukendt nøgle 'item' (mente du 'items'?)"],
    )


def test_semantic_error_in_a_child_added_question(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path,
        '\n[[themes]]\nid = "andet"\n\n[[themes]]\nid = "trivsel"\n'
        '\n[[themes.questions]]\nid = "energi"\ntext = "Energi?"\nkind = "score"\nscale = "ti"\n'
        '\n[[themes.questions]]\nid = "valg"\ntext = "Vælg"\nkind = "choice"\n',
    )
    assert problems(child, parents) == [
        ":14: themes[1].questions[0].scale: skalaen 'ti' findes ikke under [scales] (kendte: fem)",
        ":16: themes[1].questions[1].options: et valgspørgsmål skal have mindst to valgmuligheder",
    ]


def test_error_in_a_child_added_theme(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path,
        '\n[[themes]]\nid = "nyt"\nrole = "senior"\nfrom_year = 2030\nto_year = 2029\n'
        '\n[[themes.questions]]\nid = "pension"\n',
    )
    assert problems(child, parents) == [
        ":4: themes[0].title: mangler",
        ":10: themes[0].questions[0].text: mangler",
    ]
    child = write_child(tmp_path, '\n[[themes]]\nid = "nyt"\ntitle = "Nyt"\nfrom_year = 2030\nto_year = 2029\n')
    assert problems(child, parents) == [":8: themes[0].to_year: to_year 2029 ligger før from_year 2030"]


def test_error_in_a_patched_theme(tmp_path: Path, parents: Path) -> None:
    child = write_child(tmp_path, '\n[[themes]]\nid = "loen"\ntitle = ""\nrole = "loen"\n')
    assert problems(child, parents) == [
        ":6: themes[0].title: må ikke være tom",
        ":7: themes[0].role: skal være en af 'theme', 'opening', 'organisation', 'values', 'self_assessment', "
        "'tasks', 'salary', 'last_mus', 'leader', 'senior', 'other' eller 'goals', ikke 'loen'",
    ]


def test_error_in_the_childs_metadata_and_scales(tmp_path: Path, parents: Path) -> None:
    child = write_child(tmp_path, 'name = 5\nmunicipalty = "x"\n\n[scales.ti]\nmin = 10\nmax = 1\n')
    assert problems(child, parents) == [
        ":3: name: skal være en tekst i anførselstegn, ikke tallet 5",
        ":4: municipalty: ukendt nøgle 'municipalty' (mente du 'municipality'?)",
        ":6: scales.ti: skalaen 10–1 er tom: max skal være større end min",
    ]


def test_a_child_question_reusing_a_parent_id_in_another_theme(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path,
        '\n[[themes]]\nid = "trivsel"\n\n[[themes.questions]]\nid = "karriere"\ntext = "Karriere?"\n'
        '\n[[themes]]\nid = "nyt"\ntitle = "Nyt"\n\n[[themes.questions]]\nid = "glad"\ntext = "Glad?"\n',
    )
    assert problems(child, parents) == [
        ":8: themes[0].questions[0].id: spørgsmåls-id 'karriere' bruges allerede i temaet 'udvikling' i 'kommune'",
        ":16: themes[1].questions[0].id: spørgsmåls-id 'glad' er brugt før i temaet 'trivsel'",
    ]


def test_two_new_themes_with_the_same_id(tmp_path: Path, parents: Path) -> None:
    child = write_child(tmp_path, '\n[[themes]]\nid = "nyt"\ntitle = "Nyt"\n\n[[themes]]\nid = "nyt"\ntitle = "Igen"\n')
    assert problems(child, parents) == [":9: themes[1].id: tema-id 'nyt' er brugt af et tidligere tema"]


def test_controls_of_the_wrong_type(tmp_path: Path, parents: Path) -> None:
    child = write_child(tmp_path, 'remove = "stress"\ntheme_order = [1]\nthemes = 3\n')
    assert problems(child, parents) == [
        ":3: remove: skal være en liste [ ... ], ikke teksten 'stress'",
        ":4: theme_order[0]: skal være en tekst i anførselstegn, ikke tallet 1",
        ":5: themes: skal være en liste [ ... ], ikke tallet 3",
    ]


ODD_CHILDREN = {
    "theme-id-is-a-list": (
        '\n[[themes]]\nid = ["x"]\n',
        [":4: themes[0].title: mangler", ":5: themes[0].id: skal være en tekst i anførselstegn, ikke en liste"],
    ),
    "questions-not-a-list": (
        '\n[[themes]]\nid = "trivsel"\nquestions = 5\n',
        [":6: themes[0].questions: skal være en liste af spørgsmål"],
    ),
    "question-order-not-a-list": (
        '\n[[themes]]\nid = "trivsel"\nquestion_order = "glad"\n',
        [":6: themes[0].question_order: skal være en liste [ ... ], ikke teksten 'glad'"],
    ),
    "question-not-a-table-then-patched-again": (
        '\n[[themes]]\nid = "trivsel"\nquestions = ["a"]\n'
        '\n[[themes]]\nid = "trivsel"\n\n[[themes.questions]]\nid = "x"\ntext = "x"\n',
        [":6: themes[0].questions[0]: skal være en tabel, ikke teksten 'a'"],
    ),
    "question-without-id-then-patched-again": (
        '\n[[themes]]\nid = "trivsel"\n\n[[themes.questions]]\ntext = "uden id"\n'
        '\n[[themes]]\nid = "trivsel"\n\n[[themes.questions]]\nid = "x"\ntext = "x"\n',
        [":7: themes[0].questions[0].id: mangler"],
    ),
    "number-as-question-with-a-removal": (
        'remove = ["karriere"]\n\n[[themes]]\nid = "udvikling"\nquestions = [7]\n',
        [":7: themes[0].questions[0]: skal være en tabel, ikke tallet 7"],
    ),
    "removal-beside-a-new-theme-without-questions": (
        'remove = ["karriere"]\n\n[[themes]]\ntheme_order = ["andet"]\n',
        [":5: themes[0].id: mangler", ":5: themes[0].title: mangler", ":6: themes[0].theme_order: ukendt nøgle "
         "'theme_order' her (den hører til en anden tabel; står den under den rigtige [overskrift]?)"],
    ),
}


@pytest.mark.parametrize(("body", "expected"), list(ODD_CHILDREN.values()), ids=list(ODD_CHILDREN))
def test_odd_child_content_is_reported_not_crashed_on(
    tmp_path: Path, parents: Path, capsys: pytest.CaptureFixture[str], body: str, expected: list[str]
) -> None:
    child = write_child(tmp_path, body)
    assert problems(child, parents) == expected
    code, lines = check(capsys, child, parents)
    assert (code, lines) == (1, [f"{child}{line}" for line in expected])


def test_limiting_the_years_of_a_theme_with_mandatory_questions(tmp_path: Path, parents: Path) -> None:
    child = write_child(
        tmp_path, '\n[[themes]]\nid = "udvikling"\nfrom_year = 2027\n\n[[themes]]\nid = "loen"\nto_year = 2026\n'
    )
    assert problems(child, parents) == [
        ":6: themes[0].from_year: temaet 'udvikling' har obligatoriske spørgsmål ('kurser' (Hvilke kurser ønsker du?)) "
        "og må ikke bruges i færre år end i 'kommune'"
    ]


def test_a_rotating_parent_theme_with_mandatory_questions_may_not_shrink(tmp_path: Path) -> None:
    folder = tmp_path / "kommune"
    folder.mkdir()
    (folder / "kommune.toml").write_text(
        PARENT.replace('title = "Udvikling"\n', 'title = "Udvikling"\nfrom_year = 2025\nto_year = 2030\n'),
        encoding="utf-8",
    )
    wider = write_child(tmp_path, '\n[[themes]]\nid = "udvikling"\nfrom_year = 2024\nto_year = 2031\n')
    assert check_files([wider], [folder]) == []
    narrower = write_child(tmp_path, '\n[[themes]]\nid = "udvikling"\nfrom_year = 2025\nto_year = 2029\n')
    assert problems(narrower, folder) == [
        ":7: themes[0].to_year: temaet 'udvikling' har obligatoriske spørgsmål ('kurser' (Hvilke kurser ønsker du?)) "
        "og må ikke bruges i færre år end i 'kommune'"
    ]


def test_a_mandatory_theme_can_be_neither_removed_nor_made_optional(tmp_path: Path) -> None:
    """Herlev's required topics are mandatory themes without questions (issue 16, item 4)."""
    folder = tmp_path / "herlev-forvaltning"
    folder.mkdir()
    child = folder / "team.toml"
    child.write_text('id = "team"\nextends = "herlev"\nremove = ["maal-og-vaerdier"]\n', encoding="utf-8")
    assert [str(p).removeprefix(str(child)) for p in check_files([child])] == [
        ":3: remove[0]: fjerner det obligatoriske tema 'maal-og-vaerdier' (Forholdet til mål og værdier) fra 'herlev'"
    ]
    child.write_text(
        'id = "team"\nextends = "herlev"\n\n[[themes]]\nid = "opfoelgning-fra-sidst"\nmandatory = false\n', encoding="utf-8"
    )
    assert [str(p).removeprefix(str(child)) for p in check_files([child])] == [
        ":6: themes[0].mandatory: det obligatoriske tema 'opfoelgning-fra-sidst' (Opfølgning fra sidst) må ikke "
        "gøres valgfrit; skriv mandatory = true"
    ]
