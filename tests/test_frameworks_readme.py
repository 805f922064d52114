"""frameworks/README.md documents the format HR writes; its examples must be valid and complete.

Every ```toml block in the README is a whole framework file: either a plain
framework or a tailoring (`extends`) whose parent is another block or a bundled
framework. The README must also name every key of the format, so a key added to
the model without documentation fails here.
"""

from __future__ import annotations

import re
import string
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from musterm.formats.tomlsource import known_keys
from musterm.frameworks.catalog import check_files, load_files
from musterm.model.framework import (
    DEFAULT_NOTES_LABEL,
    INVITATION_PLACEHOLDERS,
    PLAN_COLUMN_KEYS,
    Closing,
    Framework,
    Invitation,
    Phase,
    Plan,
    PlanColumns,
    QuestionKind,
    ThemeRole,
)

REPO = Path(__file__).resolve().parent.parent
README = REPO / "frameworks" / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```toml\n(.*?)^```\s*$", TEXT, re.DOTALL | re.MULTILINE)
DATA = [tomllib.loads(block) for block in BLOCKS]
TAILORING_KEYS = ("extends", "remove", "theme_order", "question_order")


@pytest.fixture
def block_dir(tmp_path: Path) -> Path:
    """Every README block saved as `<id>.toml` in one folder, as HR would save them."""
    for block, data in zip(BLOCKS, DATA, strict=True):
        (tmp_path / f"{data['id']}.toml").write_text(block, encoding="utf-8")
    return tmp_path


def test_readme_has_plain_and_tailoring_examples() -> None:
    assert len(BLOCKS) >= 2
    assert any("extends" not in data for data in DATA)
    assert any("extends" in data for data in DATA)
    ids = [data["id"] for data in DATA]
    assert len(ids) == len(set(ids)), "each example needs its own id"


@pytest.mark.parametrize("index", range(len(BLOCKS)), ids=[str(data.get("id")) for data in DATA])
def test_each_block_is_a_valid_framework(index: int, block_dir: Path) -> None:
    file = block_dir / f"{DATA[index]['id']}.toml"
    problems = check_files([file], search_dirs=[block_dir])
    assert problems == [], "\n".join(str(problem) for problem in problems)


def test_musterm_check_accepts_every_block(block_dir: Path) -> None:
    files = sorted(str(file) for file in block_dir.glob("*.toml"))
    result = subprocess.run(
        [sys.executable, "-m", "musterm", "check", *files], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def _resolved(block_dir: Path) -> dict[str, Framework]:
    entries, errors = load_files([(file, "readme") for file in sorted(block_dir.glob("*.toml"))])
    assert errors == []
    return {framework_id: entry.framework for framework_id, entry in entries.items()}


@pytest.mark.parametrize(
    "index", [i for i, data in enumerate(DATA) if "extends" in data], ids=lambda i: str(DATA[i]["id"])
)
def test_tailoring_examples_do_what_they_say(index: int, block_dir: Path) -> None:
    data = DATA[index]
    frameworks = _resolved(block_dir)
    tailored = frameworks[data["id"]]
    theme_ids = [theme.id for theme in tailored.themes]
    question_ids = {question.id for _, question in tailored.questions()}
    for removed in data.get("remove", []):
        assert removed not in theme_ids and removed not in question_ids, removed
    order = data.get("theme_order", [])
    assert theme_ids[: len(order)] == order
    for entry in data.get("themes", []):
        theme = next(theme for theme in tailored.themes if theme.id == entry["id"])
        questions = [question.id for question in theme.questions]
        wanted = entry.get("question_order", [])
        assert questions[: len(wanted)] == wanted
        for question in entry.get("questions", []):
            assert question["id"] in questions
    for key, value in data.get("scales", {}).items():
        assert tailored.scales[key].model_dump(exclude_defaults=True) == value


def test_documented_mandatory_error_is_what_check_says(block_dir: Path) -> None:
    """The README shows the error for removing a mandatory question from the tailoring example."""
    shown = re.search(r"^hjemmeplejen\.toml:(\d+): remove\[0\]: .*'(\S+)'.* fra '(\S+)'$", TEXT, re.MULTILINE)
    assert shown is not None
    line, question_id, parent_id = int(shown[1]), shown[2], shown[3]
    index = next(i for i, data in enumerate(DATA) if data.get("extends") == parent_id)
    broken, count = re.subn(r"^remove = .*$", f'remove = ["{question_id}"]', BLOCKS[index], flags=re.MULTILINE)
    assert count == 1
    file = block_dir / "hjemmeplejen.toml"
    (block_dir / f"{DATA[index]['id']}.toml").unlink()
    file.write_text(broken, encoding="utf-8")
    problems = check_files([file], search_dirs=[block_dir])
    assert [(problem.line, problem.path) for problem in problems] == [(line, ("remove", 0))]
    assert question_id in problems[0].message


def _field_names(model: type[BaseModel]) -> set[str]:
    return known_keys(model)


def test_every_key_of_the_format_is_documented() -> None:
    missing = sorted(name for name in _field_names(Framework) if f"`{name}`" not in TEXT)
    assert missing == []


@pytest.mark.parametrize(
    "value",
    [
        *(f"`{role.value}`" for role in ThemeRole),
        *(f"`{kind.value}`" for kind in QuestionKind),
        *(f"`{phase.value}`" for phase in Phase),
        *(f"`{{{name}}}`" for name in sorted(INVITATION_PLACEHOLDERS)),
        *(f"`{key}`" for key in PLAN_COLUMN_KEYS),
        *(f"`{key}`" for key in TAILORING_KEYS),
        "`musterm check",
        "`--frameworks",
        "`MUSTERM_FRAMEWORKS`",
    ],
)
def test_every_value_and_name_is_documented(value: str) -> None:
    assert value in TEXT


def test_documented_defaults_match_the_model() -> None:
    defaults: list[Any] = [
        DEFAULT_NOTES_LABEL,
        Plan().title,
        Invitation.model_fields["subject"].default,
        *(getattr(PlanColumns(), key).heading for key in PLAN_COLUMN_KEYS),
    ]
    for value in defaults:
        assert f"`{value}`" in TEXT or f'`"{value}"`' in TEXT, value
    signatures = ", ".join(f'"{name}"' for name in Closing().signatures)
    assert f"`[{signatures}]`" in TEXT


def test_documented_placeholders_are_exactly_the_known_ones() -> None:
    documented = set(re.findall(r"^\| `\{(\w+)\}` \|", TEXT, re.MULTILINE))
    assert documented == set(INVITATION_PLACEHOLDERS)
    for data in DATA:
        template = data.get("invitation", {}).get("template", "")
        used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert used <= INVITATION_PLACEHOLDERS


def _github_anchor(heading: str) -> str:
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_links_inside_the_readme_lead_somewhere() -> None:
    outside_code = re.sub(r"^```.*?^```", "", TEXT, flags=re.DOTALL | re.MULTILINE)
    anchors = {_github_anchor(heading) for heading in re.findall(r"^#+ (.+)$", outside_code, re.MULTILINE)}
    links = set(re.findall(r"\]\(#([^)]+)\)", TEXT))
    assert links
    assert sorted(links - anchors) == []
