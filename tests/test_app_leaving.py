"""Leaving the real app in a pseudo-terminal when not everything could be kept (issue 13, items 3, 4, 6).

- "alt er gemt" only when it is: after a failed final save (a real full disk, or the file
  changed on disk by another program) SIGHUP and SIGTERM say what was not saved and where the
  text went (an emergency copy in .git/musterm/rescue/, 0600, when it can be written), exit 1.
- Quitting with a change git refused to commit says so, exit 3.
- A hang-up right after a burst of 3,000 typed characters is never lost.
- After a kill -9, `musterm open NAME` makes the recovery commit.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from musterm.formats.session_file import loads
from musterm.frameworks.catalog import Catalog
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store
from tests.terminal import (  # noqa: F401 - store, relative and terminals are fixtures
    CTRL_Q,
    ESCAPE_SEQUENCE,
    REPO,
    Musterm,
    assert_kept,
    git,
    notes_on_disk,
    open_first_note,
    relative,
    start,
    store,
    terminals,
    wait_for_disk,
)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")]

NOTE_THEME = "mig-som-medarbejder"


def plan(store: Store) -> str:
    return plan_conversation(store, Catalog.discover().get("randers"), employee="Anna Sørensen",
                             manager="Lis Leder", date="2026-11-23", time="09:30")


def printed_after(app: Musterm, mark: int) -> str:
    """What the app printed on the normal screen after `mark`, with the terminal's line wrapping undone."""
    app.terminal.settle(quiet=0.3, timeout=3)
    output = app.terminal.text()[mark:]
    output = output[output.rfind(b"\x1b[?1049l"):]  # after leaving the alternate screen
    return ESCAPE_SEQUENCE.sub(b"", output).decode("utf-8", "replace").replace("\r\n", "")


def refuse_commits(root: Path) -> None:
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'politikken kræver et sagsnummer' >&2\nexit 1\n")
    hook.chmod(0o700)


# --- a full disk ------------------------------------------------------------------------------------

DISK_FULL_SITECUSTOMIZE = """
    # Installed by tests/test_app_leaving.py where no tmpfs can be mounted: once the flag file
    # exists, every write to a file inside the sessions folder fails as on a full disk.
    import errno, os
    _flag, _root = os.environ["MUSTERM_TEST_DISK_FULL"], os.environ["MUSTERM_SESSIONS"]
    _write = os.write

    def _full(fd, data):
        if os.path.exists(_flag):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                target = ""
            if target.startswith(_root):
                raise OSError(errno.ENOSPC, "No space left on device")
        return _write(fd, data)

    os.write = _full
"""


class FullDisk:
    """A real, small tmpfs that can be filled, or (where mounting is not allowed) a patched write."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir()
        mounted = os.geteuid() == 0 and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(folder)], capture_output=True
        ).returncode == 0
        self.kind = "a real 8 MB tmpfs, filled up" if mounted else "a patched os.write (no tmpfs could be mounted)"
        self.mounted = mounted
        self.env: dict[str, str] = {}
        self.flag = folder.parent / "disk-is-full"
        if not mounted:
            site = folder.parent / "site"
            site.mkdir()
            (site / "sitecustomize.py").write_text(textwrap.dedent(DISK_FULL_SITECUSTOMIZE))
            self.env = {"MUSTERM_TEST_DISK_FULL": str(self.flag), "PYTHONPATH": f"{site}{os.pathsep}{REPO}"}
        print(f"full disk: {self.kind}")

    def fill(self) -> None:
        if not self.mounted:
            self.flag.touch()
            return
        filler = self.folder / "filler"
        with open(filler, "wb") as out:
            block = b"\0" * 65536
            try:
                while True:
                    out.write(block)
                    out.flush()
            except OSError as error:
                assert error.errno == errno.ENOSPC
        for size in (4096, 512, 1):  # the last pages too
            try:
                with open(filler, "ab") as out:
                    while True:
                        out.write(b"\0" * size)
                        out.flush()
            except OSError:
                pass

    def free(self) -> None:
        if self.mounted:
            (self.folder / "filler").unlink(missing_ok=True)
        else:
            self.flag.unlink(missing_ok=True)

    def remove(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], capture_output=True)


@pytest.fixture
def full_disk(tmp_path: Path):  # noqa: ANN201
    disk = FullDisk(tmp_path / "disk")
    yield disk
    disk.remove()


def test_sigterm_after_a_failed_save_on_a_full_disk_says_nothing_is_kept_and_exits_1(full_disk, terminals) -> None:  # noqa: ANN001
    store = Store.open(full_disk.folder / "sessions")
    relative = plan(store)
    app = start(store, terminals, env=full_disk.env)
    open_first_note(app)
    app.terminal.type("Gemt før disken blev fuld")
    wait_for_disk(store, relative, "Gemt før disken blev fuld")
    full_disk.fill()
    mark = len(app.terminal.text())
    app.terminal.type(". Dette når ikke disken")
    app.terminal.wait_for(b"IKKE GEMT", since=mark)
    mark = len(app.terminal.text())
    code, _ = app.wait_exit(app.signal(signal.SIGTERM))
    assert code == 1
    path = store.path_of(relative)
    rescue = store.git.git_dir / "musterm" / "rescue"
    said = printed_after(app, mark)
    assert said.startswith(
        "musterm: musterm blev bedt om at lukke, men ikke alt er gemt:"
        f"  {relative} er IKKE gemt (Disken er fuld: {path} kunne ikke gemmes), og en nødkopi kunne heller "
        f"ikke skrives (Disken er fuld: "
    ), said
    assert said.endswith(" kunne ikke gemmes). Det, der er skrevet siden sidste gem, er tabt."), said
    assert "alt er gemt." not in said
    assert not rescue.exists() or list(rescue.iterdir()) == []
    full_disk.free()
    assert notes_on_disk(store, relative) == "Gemt før disken blev fuld", "the old file is intact"


def test_sighup_after_the_file_changed_on_disk_keeps_the_text_in_an_emergency_copy(store, relative, terminals) -> None:  # noqa: ANN001
    app = start(store, terminals)
    open_first_note(app)
    app.terminal.type("Min tekst")
    wait_for_disk(store, relative, "Min tekst")
    file = store.path_of(relative)
    theirs = file.read_text(encoding="utf-8").replace('notes = "Min tekst"', 'notes = "Skrevet af et andet program"')
    file.write_text(theirs, encoding="utf-8")  # as an editor would
    mark = len(app.terminal.text())
    app.terminal.type(" og mere")
    app.terminal.wait_for("ændret et andet sted".encode(), since=mark)
    mark = len(app.terminal.text())
    code, _ = app.wait_exit(app.signal(signal.SIGHUP))
    assert code == 1
    rescue = sorted((store.git.git_dir / "musterm" / "rescue").iterdir())
    assert len(rescue) == 1
    assert rescue[0].stat().st_mode & 0o777 == 0o600
    assert loads(rescue[0].read_text(encoding="utf-8")).theme(NOTE_THEME).notes == "Min tekst og mere"
    assert printed_after(app, mark) == (
        "musterm: forbindelsen blev afbrudt, men ikke alt er gemt:"
        f"  {relative} er IKKE gemt ({relative} er ændret udenfor dette vindue (fx af en anden musterm, en editor "
        f"eller git) siden den blev åbnet). Teksten er gemt i nødkopien {rescue[0]}."
    )
    assert file.read_text(encoding="utf-8") == theirs, "the other program's version is untouched"


def test_quitting_with_a_change_git_refused_says_so_and_exits_3(store, relative, terminals) -> None:  # noqa: ANN001
    refuse_commits(store.root)
    app = start(store, terminals)
    open_first_note(app)
    app.terminal.type("Ikke committet")
    wait_for_disk(store, relative, "Ikke committet")
    mark = len(app.terminal.text())
    app.terminal.write(CTRL_Q)
    code, _ = app.wait_exit(time.monotonic())
    assert code == 3
    assert printed_after(app, mark) == (
        f"musterm: ikke alt er gemt:  {relative} er gemt, men ikke committet i git (politikken kræver et "
        "sagsnummer); den committes, næste gang musterm startes."
    )


# --- a hang-up after a burst of input -----------------------------------------------------------------

BURST_RUNS = 6  # for each of SIGHUP and SIGTERM


def test_a_hangup_right_after_a_burst_of_typing_is_never_lost(tmp_path: Path, terminals) -> None:  # noqa: ANN001
    """3,000 characters in one write to the pty, the signal 0.3 s later: every time, the app saves,
    commits and exits (asyncio's own wake-up pipe is full after such a burst and drops the signal)."""
    burst = ("abcdefghij" * 300)[:3000]
    lost = []
    for run in range(2 * BURST_RUNS):
        number = (signal.SIGHUP, signal.SIGTERM)[run % 2]
        store = Store.open(tmp_path / f"sessions-{run}")
        relative = plan(store)
        app = start(store, terminals)
        open_first_note(app)
        app.terminal.type("Før stormen ")
        wait_for_disk(store, relative, "Før stormen")
        app.terminal.write(burst.encode())
        time.sleep(0.3)
        sent = app.signal(number)
        try:
            app.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            lost.append(f"run {run}: {signal.Signals(number).name} ignored")
            app.stop()
            continue
        took = time.monotonic() - sent
        on_disk = notes_on_disk(store, relative)
        print(f"run {run}: {signal.Signals(number).name}, exit {app.process.returncode} after {took:.2f} s, "
              f"{len(on_disk) - len('Før stormen')} of the burst's characters saved")
        assert app.process.returncode == 0
        assert took < 5.0
        assert on_disk.startswith("Før stormen") and ("Før stormen " + burst).startswith(on_disk)
        assert_kept(store, relative, on_disk)
    assert lost == []


# --- kill -9, then musterm open NAME -----------------------------------------------------------------


def test_after_kill_9_musterm_open_name_makes_the_recovery_commit(store, relative, terminals) -> None:  # noqa: ANN001
    app = start(store, terminals)
    open_first_note(app)
    app.terminal.type("Skrevet før kill -9")
    wait_for_disk(store, relative, "Skrevet før kill -9")  # saved; the autosave does not commit
    app.signal(signal.SIGKILL)
    app.process.wait(timeout=10)
    assert git(store, "status", "--porcelain", "--", relative) == f" M {relative}\n"

    again = start(store, terminals, args=("open", "Anna Sørensen"))
    deadline = time.monotonic() + 20
    recovered = "Anna Sørensen 2026-11-23: ændringer, der ikke nåede at blive committet, er committet\n"
    while git(store, "log", "-1", "--format=%s") != recovered:
        assert time.monotonic() < deadline, "no recovery commit while the conversation is open"
        time.sleep(0.1)
    assert again.process.poll() is None
    again.terminal.write(CTRL_Q)
    code, _ = again.wait_exit(time.monotonic())
    assert code == 0
    assert_kept(store, relative, "Skrevet før kill -9")
