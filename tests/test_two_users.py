"""Two managers on one server: each has their own sessions repository, 0700, and neither can read
anything of the other's: conversations, git objects, musterm's index, caches, locks, temp files.

Real OS users, made with useradd for the test and removed after it (needs root; skipped, saying
why, without it). Each runs musterm as an installed copy would, with the default folders.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="useradd og runuser kræver root"),
    pytest.mark.skipif(shutil.which("useradd") is None or shutil.which("runuser") is None,
                       reason="useradd/runuser mangler"),
]

SCRIPT = r"""
import os, subprocess, sys
def musterm(*args):
    done = subprocess.run([sys.executable, "-m", "musterm", *args], capture_output=True, text=True)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout
musterm("config", "set", "manager.email", os.environ["USER"] + "@kommune.dk")
musterm("config", "set", "manager.name", "Leder " + os.environ["USER"])
path = musterm("new", "--employee", os.environ["EMPLOYEE"], "--framework", "randers", "--date", "2026-11-23").strip()
musterm("list")
from musterm.store.repository import Store
from musterm.locations import default_sessions_dir
store = Store.open(default_sessions_dir())
relative = store.relative(__import__("pathlib").Path(path))
session = store.load(relative)
session.themes[0].notes = os.environ["SECRET"]
store.save(relative, session)       # saved (index, own-write record), not committed: a leftover
lock = store.lock_for_editing(relative)   # an edit lock held by a process that then dies
os._exit(0)
"""

PROBE = r"""
import os, sys
readable = []
for path in sys.stdin.read().splitlines():
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            with open(path, "rb") as handle:
                handle.read(1)
        readable.append(path)
    except OSError:
        pass
print("\n".join(readable))
"""


def _interpreter(user: str) -> tuple[str, dict[str, str]] | None:
    """A Python the test users can run with musterm importable: this one, or the system's of the
    same version with this environment's packages on PYTHONPATH (a venv under /root is not theirs)."""
    paths = f"{REPO}:{sysconfig.get_paths()['purelib']}"
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    system = [(f"{folder}/{version}", {"PYTHONPATH": paths}) for folder in ("/usr/bin", "/usr/local/bin")]
    for candidate, env in ((sys.executable, {}), *system):
        if not os.path.exists(candidate):
            continue
        check = subprocess.run(["runuser", "-u", user, "--", "env", *(f"{k}={v}" for k, v in env.items()), candidate,
                                "-c", "import musterm.cli.main, git_filter_repo"], capture_output=True, cwd="/")
        if check.returncode == 0:
            return candidate, env
    return None


@pytest.fixture
def users():  # noqa: ANN201
    made = []
    for who in ("lis", "per"):
        name = f"mus{who}{secrets.token_hex(3)}"
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", name], check=True, capture_output=True)
        made.append(name)
    try:
        yield made
    finally:
        for name in made:
            subprocess.run(["userdel", "--remove", name], capture_output=True)


def _run_as(user: str, python: str, extra: dict[str, str], code: str, env: dict[str, str], stdin: str = "") -> str:
    home = Path("/home") / user
    variables = {"HOME": str(home), "USER": user, "LOGNAME": user, "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8",
                 "GIT_CONFIG_NOSYSTEM": "1", "TZ": "Europe/Copenhagen", **extra, **env}
    done = subprocess.run(["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in variables.items()),
                           python, "-c", code], capture_output=True, text=True, input=stdin, cwd=str(home))
    assert done.returncode == 0, done.stderr
    return done.stdout


def _tree(user: str) -> list[Path]:
    home = Path("/home") / user
    found = []
    for top in (".local/share/musterm", ".config/musterm", ".cache/musterm", ".local/state/musterm"):
        base = home / top
        if base.exists():
            found.append(base)
            for folder, dirs, files in os.walk(base):
                found += [Path(folder) / name for name in dirs + files]
    return found


def test_two_managers_on_one_server_cannot_read_each_other(users) -> None:
    lis, per = users
    found = _interpreter(lis)
    if found is None:
        pytest.skip("ingen Python, som testbrugerne kan køre musterm med (projektet ligger et sted, de ikke kan læse)")
    python, extra = found
    for user, employee, secret in ((lis, "Anna Lund", "Lis' hemmelige note"), (per, "Bo Berg", "Pers hemmelige note")):
        _run_as(user, python, extra, SCRIPT, {"EMPLOYEE": employee, "SECRET": secret})

    for owner, other in ((lis, per), (per, lis)):
        tree = _tree(owner)
        sessions = Path("/home") / owner / ".local/share/musterm/sessions"
        assert sessions / ".git" / "musterm" / "index.sqlite" in tree
        assert any(path.parent.name == "edit-locks" for path in tree)
        assert Path("/home") / owner / ".cache/musterm" in tree and Path("/home") / owner / ".config/musterm/config.toml" in tree
        # Everything musterm made is the owner's alone: folders 0700, files 0600 (git's objects 0400).
        loose = [f"{oct(stat.S_IMODE(p.lstat().st_mode))} {p}" for p in tree if stat.S_IMODE(p.lstat().st_mode) & 0o077]
        assert loose == []
        assert all(p.lstat().st_uid == int(subprocess.check_output(["id", "-u", owner])) for p in tree)
        # The other manager can open none of it, not even by its exact name.
        readable = _run_as(other, python, extra, PROBE, {}, stdin="\n".join(map(str, tree)))
        assert readable.strip() == ""
        # Pointed at it, musterm refuses (a Danish message, no traceback).
        code = ("import subprocess, sys; d = subprocess.run([sys.executable, '-m', 'musterm', '--sessions', "
                f"'{sessions}', 'list'], capture_output=True, text=True); print(d.returncode); print(d.stderr)")
        out = _run_as(other, python, extra, code, {})
        assert out.startswith("1\n") and "Traceback" not in out
        assert "anden bruger" in out or "Ingen adgang" in out or "ikke læses" in out
    # No temporary file of either is left in the shared temp folders.
    for user in (lis, per):
        left = subprocess.run(["find", "/tmp", "/var/tmp", "/dev/shm", "-user", user], capture_output=True, text=True)
        assert left.stdout.strip() == ""
