"""git's diff driver follows the musterm that is installed now, not the one that created the repository.

The driver's command names a Python. After a reinstall (a new virtualenv, pipx, a moved
module) the one written at creation may be gone, and `git log -p` silently showed raw TOML
ever after. Every writable open now writes the current command when it differs.
"""

from __future__ import annotations

import datetime as dt
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.frameworks.catalog import Catalog
from musterm.model.session import Person, new_session
from musterm.store.repository import Store

TEXTCONV = "diff.musterm.textconv"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def readable(root: Path) -> bool:
    """Whether `git log -p` shows the readable rendering rather than the TOML."""
    log = git(root, "log", "-p", "--", "anna-sørensen/").splitlines()
    return "+MUS-samtale med Anna Sørensen" in log and not any(line.startswith("+schema_version") for line in log)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    store = Store.open(tmp_path / "sessions")
    framework = Catalog.discover().get("randers")
    session = new_session(framework, Person(name="Anna Sørensen"), Person(name="Lis Leder"), dt.date(2026, 11, 23), None, "")
    store.create(session)
    return store.root


def test_a_driver_left_by_an_earlier_install_is_rewritten_at_the_next_open(root: Path) -> None:
    current = git(root, "config", TEXTCONV)
    git(root, "config", TEXTCONV, current.strip().replace(sys.executable, "/gone/old-venv/bin/python"))
    assert not readable(root)  # what a manager saw after reinstalling musterm
    Store.open(root)
    assert git(root, "config", TEXTCONV) == current
    assert readable(root)


def test_a_read_only_open_leaves_git_config_alone(root: Path) -> None:
    old = "cat"
    git(root, "config", TEXTCONV, old)
    Store.open(root, writable=False)
    assert git(root, "config", TEXTCONV) == f"{old}\n"


def test_an_unchanged_driver_is_not_written_again(root: Path) -> None:
    config = root / ".git" / "config"
    before = (config.read_bytes(), config.stat().st_mtime_ns)
    Store.open(root)
    assert (config.read_bytes(), config.stat().st_mtime_ns) == before


def test_the_driver_works_from_a_python_whose_path_has_spaces_and_quotes(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    venv = tmp_path / "Lis' programmer" / "venv $HOME"  # the same virtualenv, reached by an odd path
    venv.parent.mkdir()
    venv.symlink_to(Path(sys.prefix))
    odd = venv / Path(sys.executable).relative_to(sys.prefix)
    monkeypatch.setattr(sys, "executable", str(odd))
    Store.open(root)
    assert shlex.quote(str(odd)) in git(root, "config", TEXTCONV)
    assert readable(root)
