"""The README's run command, `make run`, keeps conversations out of the checkout.

A conversation is started, typed in and saved through `make run` in a pseudo-terminal, with HOME
in tmp_path: the conversation is in the account's data folder, and the project's `sessions/`
holds nothing but its README (no untracked file, and no ignored one either).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.terminal import CTRL_Q, CTRL_S, REPO, Terminal

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a pty"),
    pytest.mark.skipif(shutil.which("make") is None, reason="needs make"),
    pytest.mark.skipif(not (REPO / ".git").exists(), reason="needs the git checkout"),
]

CTRL_N = b"\x0e"


def project_sessions_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--ignored", "--", "sessions/"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout


def test_make_run_writes_nothing_into_the_projects_sessions_folder(tmp_path: Path) -> None:
    assert project_sessions_status() == "", "sessions/ held something before the test"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("MUSTERM_", "XDG_")) and key != "TEXTUAL"}
    env.update(HOME=str(tmp_path), TERM="xterm-256color", MUSTERM_MANAGER="Lis Leder", PYTHONPATH=str(REPO))
    terminal = Terminal()
    # The venv the tests run in stands in for .venv (-o: make does not rebuild it).
    command = ["make", "-s", "-o", ".venv/.musterm-installed", "run", f"BIN={Path(sys.executable).parent}"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdin=terminal.slave, stdout=terminal.slave,
                               stderr=terminal.slave, start_new_session=True)
    os.close(terminal.slave)
    terminal.slave = -1
    try:
        terminal.wait_for("Der er ingen samtaler endnu".encode())
        terminal.settle()
        terminal.press(CTRL_N)
        terminal.wait_for("Fulde navn".encode())
        terminal.type("Test Person")
        terminal.wait_for("Test Person".encode())
        terminal.settle()
        mark = len(terminal.text())
        terminal.press(CTRL_S)
        terminal.wait_for("ikke startet".encode(), since=mark)
        terminal.wait_for("━ Din egen forberedelse (leder) ━".encode(), since=mark)  # the focus is there
        terminal.settle()
        terminal.type("Spørg til vagtplanen")
        saved = tmp_path / ".local/share/musterm/sessions/test-person"
        deadline = time.monotonic() + 10
        while not any("Spørg til vagtplanen" in path.read_text(encoding="utf-8") for path in saved.glob("*.toml")):
            assert time.monotonic() < deadline, f"the note never reached {saved}: {list(saved.glob('*'))}"
            time.sleep(0.05)
        terminal.write(CTRL_Q)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 9)
            process.wait()
        terminal.close()
    assert project_sessions_status() == ""
    assert sorted(path.name for path in (REPO / "sessions").iterdir()) == ["README.md"]
