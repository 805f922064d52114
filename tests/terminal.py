"""The real app in a pseudo-terminal, for tests: a pty drained by a thread, `python -m musterm` on it,
the bytes a terminal sends for keys, and checks of what is on disk, in git and on the screen.

Each app runs with its terminal on a pty (80x24, TERM=xterm-256color) and a sessions repository
in tmp_path. A thread keeps the pty drained so the app never blocks on output.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from musterm.formats.session_file import loads
from musterm.frameworks.catalog import Catalog
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store

REPO = Path(__file__).resolve().parent.parent
EXIT_SECONDS = 5.0
CLK_TCK = os.sysconf("SC_CLK_TCK")

# What an xterm sends for the keys used here (Textual's parser reads these).
ENTER = b"\r"
ESCAPE = b"\x1b"
F4 = b"\x1bOS"
F9 = b"\x1b[20~"
CTRL_Q = b"\x11"
CTRL_S = b"\x13"

TAKE_TERMINAL_AND_RUN = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.executable, [sys.executable, '-m', 'musterm'])"
)

ESCAPE_SEQUENCE = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78])")

CURSOR_TO_COLUMN = re.compile(rb"\x1b\[\d+;(\d+)H")

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"
ENTER_ALTERNATE_SCREEN = b"\x1b[?1049h"


class Terminal:
    """One end of a pty pair, drained by a thread into `output`."""

    def __init__(self, rows: int = 24, columns: int = 80) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.modes_before = termios.tcgetattr(self.slave)
        self.output = bytearray()
        self._lock = threading.Lock()
        self._last_output = time.monotonic()
        self._closed = False
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        # Never block in read(): a thread blocked there keeps the pty open after close(), and the
        # app would never see its terminal go away.
        while not self._closed:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: every slave end is closed
                return
            if not data:
                return
            with self._lock:
                self.output.extend(data)
                self._last_output = time.monotonic()

    def text(self) -> bytes:
        with self._lock:
            return bytes(self.output)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait_for(self, wanted: bytes, timeout: float = 20.0, since: int = 0) -> None:
        """Wait until the terminal shows `wanted` (escape sequences between its characters ignored)."""
        deadline = time.monotonic() + timeout
        while True:
            output = self.text()[since:]
            if wanted in output or wanted in ESCAPE_SEQUENCE.sub(b"", output):
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the terminal never showed {wanted!r}; last output: {output[-600:]!r}")
            time.sleep(0.02)

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> None:
        """Wait until the app has drawn its response: no output for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        time.sleep(0.05)
        while time.monotonic() < deadline:
            with self._lock:
                idle = time.monotonic() - self._last_output
            if idle >= quiet:
                return
            time.sleep(0.02)

    def press(self, *keys: bytes) -> None:
        """Keys one at a time, each drawn before the next (as a person types)."""
        for key in keys:
            self.write(key)
            self.settle()
            if key == ESCAPE:
                time.sleep(0.2)  # a lone ESC is only an escape key once nothing follows it

    def type(self, text: str) -> None:
        self.write(text.encode("utf-8"))

    def close_master(self) -> None:
        """Hang up: the app's end of the pty sees end-of-file (and its session a SIGHUP, if it is controlling)."""
        if not self._closed:
            self._closed = True
            self._reader.join()
            os.close(self.master)

    def close(self) -> None:
        if self.slave >= 0:
            os.close(self.slave)
            self.slave = -1
        self.close_master()


class Musterm:
    """`python -m musterm` running in one (or two) pseudo-terminals."""

    def __init__(
        self,
        store: Store,
        terminal: Terminal,
        *,
        input_terminal: Terminal | None = None,
        controlling: bool = False,
        args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        self.terminal = terminal
        stdin = (input_terminal or terminal).slave
        extra_env = env or {}
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": "80",
            "LINES": "24",
            "MUSTERM_SESSIONS": str(store.root),
            "PYTHONPATH": str(REPO),
        }
        env.pop("TEXTUAL", None)
        env.update(extra_env)
        command = [sys.executable, "-m", "musterm", *args]
        if controlling:  # after setsid, make the pty the session's controlling terminal, then become musterm
            command = [sys.executable, "-c", TAKE_TERMINAL_AND_RUN]
        self.process = subprocess.Popen(
            command,
            stdin=stdin,
            stdout=terminal.slave,
            stderr=terminal.slave,
            env=env,
            cwd=store.root.parent,
            start_new_session=True,  # no controlling terminal unless `controlling`: closing it sends no signal
        )
        # Only the app holds the slave ends now, so closing the master is a hangup for it alone.
        for term in (terminal, input_terminal):
            if term is not None and term.slave >= 0:
                os.close(term.slave)
                term.slave = -1

    @property
    def pid(self) -> int:
        return self.process.pid

    def signal(self, number: int) -> float:
        sent = time.monotonic()
        os.kill(self.pid, number)
        return sent

    def wait_exit(self, since: float, limit: float = EXIT_SECONDS) -> tuple[int, float]:
        try:
            code = self.process.wait(timeout=limit + 5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"musterm did not exit within {limit + 5} s")
        took = time.monotonic() - since
        print(f"musterm exited with status {code} {took:.2f} s after the signal or hangup")
        assert took < limit, f"musterm took {took:.2f} s to exit"
        return code, took

    def cpu_seconds(self) -> float | None:
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            return None
        if fields[0] == "Z":
            return None
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "sessions")


@pytest.fixture
def relative(store: Store) -> str:
    return plan_conversation(
        store,
        Catalog.discover().get("randers"),
        employee="Anna Sørensen",
        manager="Lis Leder",
        date="2026-11-23",
        time="09:30",
    )


@pytest.fixture
def terminals():  # noqa: ANN201
    made: list[Terminal] = []
    apps: list[Musterm] = []

    def make(rows: int = 24, columns: int = 80) -> Terminal:
        made.append(Terminal(rows, columns))
        return made[-1]

    make.apps = apps  # type: ignore[attr-defined]
    yield make
    for app in apps:
        app.stop()
    for terminal in made:
        terminal.close()


def start(store: Store, terminals, **kwargs) -> Musterm:  # noqa: ANN001, ANN003
    terminal = kwargs.pop("terminal", None) or terminals()
    app = Musterm(store, terminal, **kwargs)
    terminals.apps.append(app)
    # "Anna Sørens": now and then (under load) Textual's DataTable sizes the first listing's
    # columns to their headings and cuts the name, until the next redraw.
    terminal.wait_for("Anna Sørens".encode())
    terminal.settle()
    return app


def open_first_note(app: Musterm, keyboard: Terminal | None = None) -> None:
    """From the start screen: open the conversation, F4, enter on the first theme: the cursor is in its notes.

    `keyboard` is the terminal the app reads its keys from, when that is not the one it draws on.
    """
    screen, keys = app.terminal, keyboard or app.terminal
    mark = len(screen.text())
    keys.press(ENTER)
    screen.wait_for("ikke startet".encode(), since=mark)
    screen.settle()
    mark = len(screen.text())
    keys.press(F4)
    # The index has the focus once the footer offers its enter (at 40x12 too: it is the first
    # binding). (F4 right after opening once flipped back to the first tab on a busy machine;
    # the key gate, app/keygate.py, holds it until the conversation has taken its focus.)
    screen.wait_for("Skriv noter".encode(), since=mark, timeout=30)
    keys.press(ENTER)
    screen.settle()


def notes_on_disk(store: Store, relative: str) -> str:
    return loads(store.path_of(relative).read_text(encoding="utf-8")).theme("mig-som-medarbejder").notes


def wait_for_disk(store: Store, relative: str, text: str, timeout: float = 10.0) -> float:
    """Seconds until `text` is in the note on disk."""
    began = time.monotonic()
    while text not in notes_on_disk(store, relative):
        if time.monotonic() - began > timeout:
            pytest.fail(f"{text!r} never reached the disk; the note there is {notes_on_disk(store, relative)!r}")
        time.sleep(0.02)
    return time.monotonic() - began


def git(store: Store, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=store.root, capture_output=True, text=True, check=True).stdout


def committed_notes(store: Store, relative: str) -> str:
    return loads(git(store, "show", f"HEAD:{relative}")).theme("mig-som-medarbejder").notes


def assert_all_committed(store: Store, relative: str) -> None:
    assert git(store, "status", "--porcelain", "--", relative) == "", "the file on disk is committed"
    assert git(store, "show", f"HEAD:{relative}") == store.path_of(relative).read_text(encoding="utf-8")


def assert_lock_released(store: Store, relative: str) -> None:
    store.lock_for_editing(relative).release()


def assert_kept(store: Store, relative: str, note: str) -> None:
    """After the app has gone: `note` is the note on disk and committed, and the conversation is free."""
    assert notes_on_disk(store, relative) == note
    assert committed_notes(store, relative) == note
    assert_all_committed(store, relative)
    assert_lock_released(store, relative)


def assert_terminal_restored(terminal: Terminal, since: int = 0) -> None:
    output = terminal.text()
    assert ENTER_ALTERNATE_SCREEN in output
    tail = output[since:]
    assert LEAVE_ALTERNATE_SCREEN in tail and SHOW_CURSOR in tail
    assert tail.rindex(LEAVE_ALTERNATE_SCREEN) > tail.rfind(ENTER_ALTERNATE_SCREEN)
    modes = termios.tcgetattr(terminal.master)
    assert modes[3] & (termios.ICANON | termios.ECHO) == terminal.modes_before[3] & (termios.ICANON | termios.ECHO)
