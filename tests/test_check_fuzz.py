"""Fuzzing `musterm check`: generated and mutated frameworks never crash it.

Whatever the files hold, the check returns problems (never raises), the command
exits 0 or 1, and every line it prints is `FILE: ...` or `FILE:LINE: ...` with a
line inside the file. "Traceback" and "uventet fejl" (the command's last-resort
message for bugs) never appear.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musterm.cli.main import main
from musterm.errors import LocatedProblem
from musterm.frameworks.catalog import check_files, load_files
from musterm.model.framework import INVITATION_PLACEHOLDERS, QuestionKind, ThemeRole

REPO = Path(__file__).resolve().parent.parent
BUNDLED = {file.name: file.read_text(encoding="utf-8") for file in sorted((REPO / "frameworks").glob("*.toml"))}

# A child of a bundled framework that uses every tailoring control, so mutations reach `extends` too.
CHILD = """\
id = "rks-skole"
extends = "ringkobing-skjern"
name = "MUS på skolerne"
remove = ["andre-emner", "kvalitet-i-ydelser"]
theme_order = ["arbejdsliv", "indledende-dialog"]

[scales.ti]
min = 1
max = 10

[[themes]]
id = "arbejdsliv"
question_order = ["balance-arbejdsliv-fritidsliv", "samarbejde-med-kolleger"]

[[themes.questions]]
id = "samarbejde-med-kolleger"
text = "Hvordan fungerer samarbejdet i teamet?"
kind = "score"

[[themes.questions]]
id = "foraeldresamarbejde"
text = "Hvordan går samarbejdet med forældrene?"
kind = "score"
scale = "ti"

[[themes]]
id = "undervisning"
title = "Undervisning"
from_year = 2026

[[themes.questions]]
id = "fag"
text = "Hvilke fag ønsker du?"
kind = "list"
items = 3
"""
SEEDS = {**BUNDLED, "child.toml": CHILD}

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MANY = settings(FUZZ, max_examples=300)  # the slow runs of the same checks (CI runs them; 600 took 100 s of its 10 minutes)


# --- the invariants


def assert_clean_problems(problems: list[LocatedProblem], files: dict[Path, bytes]) -> None:
    for problem in problems:
        assert isinstance(problem, LocatedProblem)
        text = str(problem)
        assert "\n" not in text and "\r" not in text
        assert problem.line is None or 1 <= problem.line <= _line_count(files.get(Path(problem.file)))


def assert_clean_command(files: dict[Path, bytes], *extra: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", *(str(file) for file in files), *extra])
    assert code in (0, 1), err.getvalue()
    assert "Traceback" not in out.getvalue() + err.getvalue()
    assert "uventet fejl" not in err.getvalue()
    lines = out.getvalue().splitlines()
    assert (code == 0) == (lines == [])
    shape = re.compile("(" + "|".join(re.escape(str(file)) for file in files) + r")(?::([1-9][0-9]*))?: \S.*")
    for line in lines:
        match = shape.fullmatch(line)
        assert match, line
        if match.group(2):
            assert int(match.group(2)) <= _line_count(files[Path(match.group(1))]), line
    if code == 0:
        assert err.getvalue() == f"{len(files)} fil(er) i orden.\n"


def _line_count(data: bytes | None) -> int:
    if data is None:
        return 10**9  # a file the test did not write (a parent found elsewhere)
    return data.count(b"\n") + 1


def check_everything(files: dict[Path, bytes], search: list[Path]) -> None:
    for file, data in files.items():
        file.write_bytes(data)
    assert_clean_problems(check_files(list(files), search), files)
    entries, errors = load_files([(file, "fuzz") for file in files])
    assert all(str(error) for error in errors)
    for error in errors:
        assert_clean_problems(error.problems, files)
    extra = [option for folder in search for option in ("--frameworks", str(folder))]
    assert_clean_command(files, *extra)


# --- (a) generated frameworks: plausible shapes, with wrong types and unknown keys mixed in

def _bundled_ids() -> list[str]:
    """Framework, theme, question and scale ids of the bundled frameworks: what children patch and remove."""
    found: list[str] = []
    for text in BUNDLED.values():
        data = tomllib.loads(text)
        found += [data["id"], *data.get("scales", {})]
        for theme in data["themes"]:
            found += [theme["id"], *(question["id"] for question in theme.get("questions", []))]
    return sorted(set(found))


BUNDLED_IDS = _bundled_ids()
MANDATORY_IDS = sorted(
    {match for text in BUNDLED.values() for match in re.findall(r'id = "([^"]+)"\n(?:[^\[]*\n)*?mandatory = true', text)}
)
ID_POOL = [*BUNDLED_IDS[:40], "kommune", "afdeling", "fem", "x", "Bad Id", "", "ø"]
ids = st.one_of(
    st.sampled_from(ID_POOL),
    st.sampled_from(BUNDLED_IDS),
    st.sampled_from(MANDATORY_IDS or ["x"]),
    st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True),
)
texts = st.text(max_size=12) | st.sampled_from(["Trivsel", "Hvor glad er du?", "{medarbejder}", '"""', "\\", "\n"])
scalars = st.one_of(
    texts,
    st.integers(-(2**63), 2**63 - 1),
    st.integers(-3, 30),
    st.booleans(),
    st.floats(allow_nan=True),
    st.dates(),
    st.datetimes(),
    st.times(),
)
anything = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def usually(good: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly (nine times in ten) the right kind of value, sometimes anything at all."""
    return st.integers(0, 9).flatmap(lambda roll: anything if roll == 0 else good)


def table(required: dict, optional: dict) -> st.SearchStrategy:
    """A TOML table, now and then with a misspelt or foreign key."""
    base = st.fixed_dictionaries(required, optional=optional)
    extra = st.dictionaries(st.sampled_from(["titel", "helper", "mandatroy", "", "a.b", "spørgsmål"]), anything, max_size=1)
    return st.builds(lambda table, more: {**table, **more}, base, extra)


options = table({"id": usually(ids), "label": usually(texts)}, {"description": usually(texts)})
questions = table(
    {"id": usually(ids)},
    {
        "text": usually(texts),
        "kind": usually(st.sampled_from([*QuestionKind, "skala"])),
        "scale": usually(st.sampled_from(["fem", "ti", "score-1-6", "nope"])),
        "mandatory": usually(st.booleans()),
        "options": usually(st.lists(options, max_size=3)),
        "items": usually(st.integers(-1, 30)),
        "helpers": usually(st.lists(texts, max_size=2)),
        "number": usually(texts),
    },
)
themes = table(
    {"id": usually(ids)},
    {
        "title": usually(texts),
        "role": usually(st.sampled_from([*ThemeRole, "loen"])),
        "scale": usually(st.sampled_from(["fem", "ti", "score-1-6", "nope"])),
        "from_year": usually(st.integers(1800, 2300)),
        "to_year": usually(st.integers(1800, 2300)),
        "offered_from_age": usually(st.integers(0, 100)),
        "questions": usually(st.lists(questions, max_size=4)),
        "question_order": usually(st.lists(ids, max_size=3)),
    },
)
scales = table({"min": usually(st.integers(-5, 30)), "max": usually(st.integers(-5, 30))}, {"label": usually(texts)})
templates = st.lists(
    st.sampled_from(sorted(INVITATION_PLACEHOLDERS) + ["navn", "", "0", "dato!r"]).map(lambda name: "{" + name + "}")
    | st.sampled_from(["Kære ", "{", "}", "{{", "}}", "\n"]),
    max_size=5,
).map("".join)
invitations = table({"template": usually(templates)}, {"prep_deadline_days": usually(st.integers(-1, 100))})
plan_columns = st.dictionaries(
    st.sampled_from(["what", "goal", "hvem"]), usually(table({}, {"heading": usually(texts)})), max_size=2
)
frameworks = table(
    {"id": usually(ids)},
    {
        "format": usually(st.just(1)),
        "name": usually(texts),
        "municipality": usually(texts),
        "version": usually(texts),
        "extends": usually(ids),
        "remove": usually(st.lists(ids, max_size=3)),
        "theme_order": usually(st.lists(ids, max_size=3)),
        "scales": usually(st.dictionaries(ids, scales, max_size=3)),
        "themes": usually(st.lists(themes, max_size=4)),
        "invitation": usually(invitations),
        "plan": usually(table({}, {"columns": usually(plan_columns)})),
        "closing": usually(table({}, {"signatures": usually(st.lists(texts, max_size=3))})),
    },
)


def dumped(framework: dict) -> bytes:
    return tomli_w.dumps(framework).encode("utf-8")


def check_generated(generated: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = {Path(folder) / f"ramme-{index}.toml": dumped(framework) for index, framework in enumerate(generated)}
        check_everything(files, [])


@FUZZ
@given(generated=st.lists(frameworks, min_size=1, max_size=3))
def test_generated_frameworks_never_crash_the_check(generated: list[dict]) -> None:
    check_generated(generated)


@FUZZ
@given(parent=st.sampled_from(sorted(BUNDLED)), child=frameworks, same_id=st.booleans())
def test_generated_child_of_a_real_parent_in_another_folder(parent: str, child: dict, same_id: bool) -> None:
    """A generated child extends a bundled framework copied as 'kommune', found only through --frameworks."""
    with tempfile.TemporaryDirectory() as folder:
        parents, children = Path(folder) / "kommune", Path(folder) / "afdeling"
        parents.mkdir()
        children.mkdir()
        text = re.sub(r'^id = "[^"]*"', 'id = "kommune"', BUNDLED[parent], count=1, flags=re.MULTILINE)
        (parents / "kommune.toml").write_text(text, encoding="utf-8")
        child = {**child, "extends": "kommune"} | ({"id": "kommune"} if same_id else {})
        check_everything({children / "afdeling.toml": dumped(child)}, [parents])


@FUZZ
@given(child=frameworks, parent=st.sampled_from(sorted(BUNDLED)))
def test_generated_child_of_a_bundled_framework(child: dict, parent: str) -> None:
    parent_id = tomllib.loads(BUNDLED[parent])["id"]
    with tempfile.TemporaryDirectory() as folder:
        check_everything({Path(folder) / "afdeling.toml": dumped({**child, "extends": parent_id})}, [])


# --- (b) mutations of real framework text

MUTATION_VALUES = [
    "1", "-5", "0", "1.5", "true", "false", '"x"', '""', "[]", '["a", 1]', "{}", "{ min = 1 }", "2024-01-01",
    '"""', "'", "[", "{", "nan", '"Bad Id"', '"score-1-6"', '"nope"', "99999999999999999999",
]  # fmt: skip
NOISE = st.text(alphabet=st.sampled_from(list("[]{}\"'=.,#\\\n \tabcxyz019-_æøå\u2028\x00\x7f")), min_size=1, max_size=6)
HEADERS = ["[[themes]]\n", "[[themes.questions]]\n", "[themes]\n", "[scales]\n", "[plan.columns.what]\n", "[[guidance]]\n"]
ASSIGNMENT = re.compile(r"^(\s*[\w.\"-]+\s*=\s*).*$")


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    lines = SEEDS[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "insert", "value", "key", "header"]))
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[at]
        elif op == "duplicate":
            lines.insert(at, lines[at])
        elif op == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif op == "truncate":
            cut = draw(st.integers(0, len(lines[at])))
            lines = [*lines[:at], lines[at][:cut]]
        elif op == "insert":
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + draw(NOISE) + lines[at][column:]
        elif op == "value":
            assignments = [index for index, line in enumerate(lines) if ASSIGNMENT.match(line)]
            if assignments:
                index = draw(st.sampled_from(assignments))
                value = draw(st.sampled_from(MUTATION_VALUES))
                lines[index] = ASSIGNMENT.sub(lambda m: m.group(1) + value, lines[index].rstrip("\n")) + "\n"
        elif op == "key":
            assignments = [index for index, line in enumerate(lines) if ASSIGNMENT.match(line)]
            if assignments:
                index = draw(st.sampled_from(assignments))
                key, _, rest = lines[index].partition("=")
                lines[index] = key.strip()[:-1] + " =" + rest  # a misspelt key: one letter short
        elif op == "header":
            lines.insert(at, draw(st.sampled_from(HEADERS)))
    data = "".join(lines).encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # now and then raw bytes that are not UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return name, data


def check_mutated(case: tuple[str, bytes]) -> None:
    name, data = case
    with tempfile.TemporaryDirectory() as folder:
        check_everything({Path(folder) / name: data}, [])


@FUZZ
@given(case=mutated())
def test_mutated_frameworks_never_crash_the_check(case: tuple[str, bytes]) -> None:
    check_mutated(case)


@FUZZ
@given(parent=mutated(), child=mutated())
def test_mutated_parent_and_child_checked_together(parent: tuple[str, bytes], child: tuple[str, bytes]) -> None:
    """A mutated (perhaps broken) parent under a child that names it."""
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "a", Path(folder) / "b"
        first.mkdir()
        second.mkdir()
        parent_id = re.search(rb'^id = "([^"\n]*)"', parent[1], re.MULTILINE)
        head = f'id = "barn"\nextends = "{parent_id.group(1).decode("utf-8", "replace") if parent_id else "x"}"\n'
        child_data = head.encode() + re.sub(rb"^(id|extends) = .*$", b"", child[1], count=2, flags=re.MULTILINE)
        (first / parent[0]).write_bytes(parent[1])
        check_everything({second / "child.toml": child_data}, [first])
        check_everything({first / parent[0]: parent[1], second / "child.toml": child_data}, [])


def test_unmutated_seeds_are_valid(tmp_path: Path) -> None:
    files = {tmp_path / name: text.encode("utf-8") for name, text in SEEDS.items()}
    for file, data in files.items():
        file.write_bytes(data)
    assert check_files(list(files)) == []


@pytest.mark.slow
@MANY
@given(case=mutated())
def test_many_mutated_frameworks_never_crash_the_check(case: tuple[str, bytes]) -> None:
    check_mutated(case)


@pytest.mark.slow
@MANY
@given(generated=st.lists(frameworks, min_size=1, max_size=3))
def test_many_generated_frameworks_never_crash_the_check(generated: list[dict]) -> None:
    check_generated(generated)
