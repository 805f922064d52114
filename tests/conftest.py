"""Shared fixtures: every test runs as on a fresh machine, away from the developer's own setup."""

from __future__ import annotations

from pathlib import Path

import pytest

import musterm.history.search  # noqa: F401 - tells the index what it reads of a conversation, as the CLI and app do

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "frameworks"

XDG_FOLDERS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_STATE_HOME": ".local/state",
    "XDG_CACHE_HOME": ".cache",
}
MUSTERM_VARIABLES = (
    "MUSTERM_SESSIONS", "MUSTERM_FRAMEWORKS", "MUSTERM_CONFIG", "MUSTERM_MANAGER", "MUSTERM_MANAGER_EMAIL",
    "MUSTERM_THEME", "MUSTERM_DEBUG",
)


@pytest.fixture(autouse=True)
def fresh_machine(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global git identity, no MUSTERM_* variables, a private HOME: as on a new server account.

    The XDG folders point into that HOME as well, so no test ever reads or writes the developer's
    own config file, sessions or crash reports (platformdirs prefers $XDG_* to HOME).
    """
    home = tmp_path_factory.mktemp("home")
    empty_gitconfig = home / ".gitconfig"
    empty_gitconfig.write_text("")
    monkeypatch.setenv("HOME", str(home))
    for name, folder in XDG_FOLDERS.items():
        monkeypatch.setenv(name, str(home / folder))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty_gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in (*MUSTERM_VARIABLES, "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TZ", "Europe/Copenhagen")
