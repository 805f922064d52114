"""The README's promises name their tests (issue 13): every promise has a *Tests:* part, and every
test file and test function it names exists, so a renamed or deleted test cannot leave a promise
without the test that holds it."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def promises() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## What musterm guarantees, and what it does not", 1)[1].split("\nIt does not guarantee that:")[0]
    bullets = section.split("musterm guarantees that:", 1)[1].split("\n- ")[1:]
    return [bullet.split("\n\n")[0] for bullet in bullets]


def test_every_promise_names_its_tests() -> None:
    found = promises()
    assert len(found) >= 8
    for promise in found:
        assert "*Tests:*" in promise, promise[:80]


def test_every_test_a_promise_names_exists() -> None:
    named = 0
    for promise in promises():
        tests_part = " ".join(promise.split("*Tests:*", 1)[1].split())
        # `tests/x.py` or `tests/x.py::name`, and `tests/x.py` (`name`, `name`) groups
        for file, rest in re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", tests_part):
            source = (REPO / file).read_text(encoding="utf-8")
            names = [rest] if rest else []
            group = re.search(re.escape(f"`{file}`") + r" \(([^)]*)\)", tests_part)
            if group and not rest:
                names += re.findall(r"`(test_\w+)`", group.group(1))
            for name in names:
                assert re.search(rf"^(async )?def {name}\(", source, re.MULTILINE), f"{file}::{name}"
                named += 1
            named += 1
    assert named > 40
