"""Shared fixtures: every test runs as on a fresh machine, away from the developer's own setup."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "frameworks"


@pytest.fixture(autouse=True)
def fresh_machine(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global git identity, no MUSTERM_* variables, a private HOME: as on a new server account."""
    home = tmp_path_factory.mktemp("home")
    empty_gitconfig = home / ".gitconfig"
    empty_gitconfig.write_text("")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty_gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("MUSTERM_SESSIONS", "MUSTERM_FRAMEWORKS", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TZ", "Europe/Copenhagen")
