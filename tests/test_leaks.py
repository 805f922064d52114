"""Nothing confidential leaves the sessions folder: not through the process list, not through /tmp,
not through a symbolic link (issue 13, item 7).

Names, dates and notes never reach a git command line: every command line of every process that
musterm starts is recorded with strace, and another OS user reads /proc while commits run. The
textconv driver's temporary files stay inside the repository when musterm runs git; what a
person's own `git log -p` does is checked too, as the README describes it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pwd
import re
import secrets
import shutil
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from musterm.cli.main import main
from musterm.frameworks.catalog import Catalog
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store

REPO = Path(__file__).resolve().parent.parent
EMPLOYEE = "Anna Testesen"
MANAGER = "Lis Hemmeligsen"
NOTE = "Fortroligt: sygdom i familien"
# What a command line must never hold: the names (as typed and as a folder), the date, the note.
SECRETS = ("Anna", "Testesen", "anna-testesen", "Hemmeligsen", "2026-11-23", "Fortroligt")

LIFECYCLE = """
    import os, sys
    from pathlib import Path
    from musterm.cli.main import main
    from musterm.history.log import log_entries
    from musterm.store.repository import Store

    root = Path(os.environ["LEAK_ROOT"])
    form = Path(os.environ["LEAK_FORM"])
    assert main(["--sessions", str(root), "new", "--employee", os.environ["LEAK_EMPLOYEE"],
                 "--framework", "randers", "--date", "2026-11-23", "--manager", os.environ["LEAK_MANAGER"]]) == 0
    store = Store.open(root)
    relative = store.find(os.environ["LEAK_EMPLOYEE"])
    session = store.load(relative)
    session.private.notes = os.environ["LEAK_NOTE"]
    store.save(relative, session)
    store.commit(relative, session)
    session.private.notes += " og mere"
    store.save(relative, session)            # saved, not committed: for the start-up tidy-up
    again = Store.open(root)
    again.commit_leftovers()
    again._last_committed(relative)          # reads the committed version back from git
    log_entries(again, relative.split("/")[0])
    for command in (["log", os.environ["LEAK_EMPLOYEE"]], ["show", os.environ["LEAK_EMPLOYEE"]],
                    ["history", os.environ["LEAK_EMPLOYEE"]], ["list"],
                    ["prep-form", os.environ["LEAK_EMPLOYEE"], "-o", str(form)]):
        assert main(["--sessions", str(root), *command]) == 0, command
    assert main(["--sessions", str(root), "prep-import", relative, str(form)]) == 0
    print("done", flush=True)
"""

_OCTAL = re.compile(rb"\\([0-7]{1,3})")
_EXECVE = re.compile(r'^\d+\s+execve\("([^"]*)", \[(.*)\]', re.MULTILINE)


def strace_command_lines(output: str) -> list[str]:
    """The argv of every execve strace saw, each as one string (strace escapes bytes as octal)."""
    found = []
    for program, argv in _EXECVE.findall(output):
        raw = _OCTAL.sub(lambda match: bytes([int(match.group(1), 8)]), argv.encode("ascii", "backslashreplace"))
        found.append(f"{program}: {raw.decode('utf-8', 'replace')}")
    return found


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (.ci/run installs it)")
def test_no_command_line_musterm_starts_holds_a_name_a_date_or_a_note(tmp_path: Path) -> None:
    """strace records every process (git, textconv, shells) of a whole lifecycle: new, save, commit,
    the tidy-up, reading the committed version, log, show, history, list and a preparation form."""
    trace = tmp_path / "trace"
    script = tmp_path / "lifecycle.py"
    script.write_text(textwrap.dedent(LIFECYCLE))
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "LEAK_ROOT": str(tmp_path / "sessions"),
        "LEAK_FORM": str(tmp_path / "skema.txt"),
        "LEAK_EMPLOYEE": EMPLOYEE,
        "LEAK_MANAGER": MANAGER,
        "LEAK_NOTE": NOTE,
    }
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=execve", "-s", "65536", "-o", str(trace), sys.executable, str(script)],
        env=env, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("done\n")
    lines = strace_command_lines(trace.read_text(encoding="ascii", errors="replace"))
    git_lines = [line for line in lines if "git" in line.split(":", 1)[0]]
    assert len(git_lines) >= 10, "strace saw the git processes"
    leaks = [line for line in lines if any(secret in line for secret in SECRETS)]
    assert leaks == []


# --- another OS user reads /proc while commits run ----------------------------------------------

SPY = """
    import os, sys, time
    seen, gits = set(), 0
    stop = time.monotonic() + float(sys.argv[2])
    while time.monotonic() < stop and not os.path.exists(sys.argv[3]):
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    line = handle.read()
            except OSError:
                continue
            if b"git" in line:
                gits += 1
                seen.add(line.replace(b"\\0", b" ").decode("utf-8", "replace"))
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write(f"{gits}\\n" + "\\n".join(sorted(seen)))
"""


@pytest.fixture
def other_user():  # noqa: ANN201
    """A throwaway OS account (root only), removed afterwards."""
    if os.geteuid() != 0:
        pytest.skip("creating a second OS user needs root")
    if shutil.which("useradd") is None or shutil.which("setpriv") is None:
        pytest.skip("useradd and setpriv are needed to run as a second OS user")
    name = f"mustspy{os.getpid() % 100000}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True,
                   capture_output=True)
    try:
        yield pwd.getpwnam(name)
    finally:
        subprocess.run(["userdel", name], capture_output=True)


@pytest.mark.slow
def test_another_user_reading_proc_while_commits_run_never_sees_a_name(tmp_path: Path, other_user) -> None:  # noqa: ANN001
    # Other processes on the machine (other tests) show names too: this run's are unique.
    token = "Q" + secrets.token_hex(4).upper()
    python = shutil.which("python3", path="/usr/bin:/bin")
    if python is None:
        pytest.skip("the second user needs a Python it may run (/usr/bin/python3)")
    spy_dir = Path(tempfile.mkdtemp(prefix="musterm-spy-"))  # /tmp/pytest-of-root is closed to other users
    try:
        os.chown(spy_dir, other_user.pw_uid, other_user.pw_gid)
        script = spy_dir / "spy.py"
        script.write_text(textwrap.dedent(SPY))
        script.chmod(0o644)
        report, done = spy_dir / "seen.txt", spy_dir / "stop"
        spy = subprocess.Popen(
            ["setpriv", f"--reuid={other_user.pw_uid}", f"--regid={other_user.pw_gid}", "--clear-groups",
             python, "-I", str(script), str(report), "120", str(done)],
            cwd="/",
        )
        try:
            store = Store.open(tmp_path / "sessions")
            relative = plan_conversation(store, Catalog.discover().get("randers"), employee=f"Anna {token}",
                                         manager=f"Lis {token}", date="2026-11-23")
            session = store.load(relative)
            for index in range(25):
                session.private.notes = f"{NOTE} {token} {index}"
                store.save(relative, session)
                store.commit(relative, session)
                store._committed.clear()  # read the committed version back from git each time
        finally:
            done.touch()
            spy.wait(timeout=60)
        assert spy.returncode == 0
        seen_text = report.read_text(encoding="utf-8")
    finally:
        shutil.rmtree(spy_dir, ignore_errors=True)
    count, *seen = seen_text.split("\n")
    print(f"the other user read {count} git command lines, {len(seen)} different")
    assert int(count) > 0, "the other user could read the command lines of musterm's git processes"
    assert [line for line in seen if token in line or token.lower() in line] == []


# --- temporary files ------------------------------------------------------------------------------

IN_CREATE, IN_MOVED_TO = 0x100, 0x80


class CreatedIn:
    """Every name created in a folder while the block runs (inotify), so even a file made and
    removed at once is seen."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: list[str] = []

    def __enter__(self) -> CreatedIn:
        self._libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK)
        assert self._fd >= 0
        assert self._libc.inotify_add_watch(self._fd, bytes(self.folder), IN_CREATE | IN_MOVED_TO) >= 0
        return self

    def __exit__(self, *exc: object) -> None:
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                break
            offset = 0
            while offset < len(data):
                _, _, _, length = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16 : offset + 16 + length].rstrip(b"\0").decode("utf-8", "replace")
                self.names.append(name)
                offset += 16 + length
        os.close(self._fd)


pytestmark_linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


@pytest.fixture
def watched_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A TMPDIR of the test's own: /tmp itself is shared with every other process on the machine."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


@pytest.fixture
def history(tmp_path: Path) -> tuple[Store, str]:
    """A conversation with three committed versions."""
    store = Store.open(tmp_path / "sessions")
    relative = plan_conversation(store, Catalog.discover().get("randers"), employee=EMPLOYEE,
                                 manager=MANAGER, date="2026-11-23")
    session = store.load(relative)
    for note in ("Første udgave", "Anden udgave"):
        session.private.notes = note
        store.save(relative, session)
        store.commit(relative, session)
    return store, relative


@pytestmark_linux
def test_git_run_by_musterm_keeps_textconvs_temporary_files_inside_the_repository(
    history: tuple[Store, str], watched_tmp: Path
) -> None:
    store, relative = history
    with CreatedIn(watched_tmp) as created:
        shown = store.git.run(["log", "-p", "-1"])
    assert " == Private noter (kun for lederen) ==\n-    Første udgave\n+    Anden udgave\n" in shown.stdout, (
        "the textconv driver rendered both versions"
    )
    assert created.names == [], "nothing was created in TMPDIR"
    assert list(watched_tmp.iterdir()) == []
    private = store.git.git_dir / "musterm" / "tmp"
    assert private.is_dir() and private.stat().st_mode & 0o777 == 0o700
    assert list(private.iterdir()) == [], "git removed its temporary files"


@pytestmark_linux
def test_a_persons_own_git_log_p_leaves_nothing_behind_in_tmpdir(history: tuple[Store, str], watched_tmp: Path) -> None:
    """What the README says of `git log -p` run by hand: git hands each version to the textconv
    driver in a file of its own (0600, in a 0700 folder under $TMPDIR), and removes it, also when
    the reader stops early."""
    store, _ = history
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_") or key == "GIT_CONFIG_GLOBAL"}
    with CreatedIn(watched_tmp) as created:
        whole = subprocess.run(["git", "log", "-p"], cwd=store.root, env=env, capture_output=True, text=True, check=True)
        cut = subprocess.run("git log -p | head -n 3", shell=True, cwd=store.root, env=env, capture_output=True)
    assert cut.returncode == 0
    assert "Anden udgave" in whole.stdout
    assert created.names and all(name.startswith("git-blob-") for name in created.names)
    assert list(watched_tmp.iterdir()) == [], "every temporary file was removed"


# --- symbolic links inside the sessions folder ------------------------------------------------------


@pytest.fixture
def musterm(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setenv("MUSTERM_MANAGER", MANAGER)

    def run(*args: str) -> tuple[int, str, str]:
        umask = os.umask(0o077)
        os.umask(umask)
        try:
            code = main(list(args))
        finally:
            os.umask(umask)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_an_employee_folder_replaced_by_a_symlink_is_never_written_through(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    root = tmp_path / "sessions"
    code, out, _ = musterm("--sessions", str(root), "new", "--employee", EMPLOYEE, "--framework", "randers",
                           "--date", "2026-11-23")
    assert code == 0
    relative = Path(out.strip()).relative_to(root).as_posix()
    folder = root / relative.split("/")[0]
    code, _, _ = musterm("--sessions", str(root), "prep-form", relative, "-o", str(tmp_path / "skema.txt"))
    assert code == 0
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(folder, elsewhere)
    shutil.rmtree(folder)
    folder.symlink_to(elsewhere, target_is_directory=True)
    before = snapshot(elsewhere)

    code, out, err = musterm("--sessions", str(root), "prep-import", relative, str(tmp_path / "skema.txt"))
    assert code == 1
    assert out == ""
    assert err == (
        f"musterm: {folder} er et symbolsk link. musterm læser og skriver ikke gennem links i samtalearkivet; "
        "erstat linket med den rigtige mappe.\n"
    )
    code, _, err = musterm("--sessions", str(root), "new", "--employee", EMPLOYEE, "--framework", "randers",
                           "--date", "2027-11-23")
    assert code == 1
    assert "er et symbolsk link" in err
    assert snapshot(elsewhere) == before, "nothing was written through the link"


def test_a_session_file_that_is_a_symlink_is_refused(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    root = tmp_path / "sessions"
    code, out, _ = musterm("--sessions", str(root), "new", "--employee", EMPLOYEE, "--framework", "randers",
                           "--date", "2026-11-23")
    file = Path(out.strip())
    outside = tmp_path / "outside.toml"
    outside.write_bytes(file.read_bytes())
    file.unlink()
    file.symlink_to(outside)
    code, out, err = musterm("--sessions", str(root), "show", str(file))
    assert code == 1
    assert err == (
        f"musterm: {file} er et symbolsk link. musterm læser og skriver ikke gennem links i samtalearkivet; "
        "erstat linket med den rigtige fil.\n"
    )
