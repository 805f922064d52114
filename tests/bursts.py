"""Keys as SSH delivers them after a stall: the real app in a pseudo-terminal (tests/terminal.py),
a key sequence written as one `os.write` burst, or split into a few writes at chosen points.

A case brings the app, slowly and watching the screen, to where the burst starts (its prelude),
then sends the burst, then ends musterm with SIGTERM (which saves and commits everything) and
compares every session file it names with what it should be, byte for byte. Nothing waits a
fixed time for the app: each step waits for the screen or the disk to show it is done.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from musterm.formats.session_file import dumps, loads
from musterm.frameworks.catalog import Catalog
from musterm.model.session import Session
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store
from tests.terminal import ENTER, F4, Musterm, Terminal

# What an xterm sends for each key (Textual's parser reads these).
TAB = b"\t"
BACKSPACE = b"\x7f"
LEFT = b"\x1b[D"
RIGHT = b"\x1b[C"
DOWN = b"\x1b[B"
F1 = b"\x1bOP"
F2 = b"\x1bOQ"
F3 = b"\x1bOR"
F5 = b"\x1b[15~"
F6 = b"\x1b[17~"
F7 = b"\x1b[18~"
F8 = b"\x1b[19~"
F9 = b"\x1b[20~"
CTRL_L = b"\x0c"
CTRL_N = b"\x0e"
CTRL_P = b"\x10"
CTRL_S = b"\x13"

FRAMEWORK = "ringkobing-skjern"
ANNA = "anna-sørensen/2026-11-23.toml"
BO = "bo-berg/2026-11-24.toml"
FIRST_THEME = "indledende-dialog"
QUESTIONS = ("bidrag-til-enhedens-maal", "glad-for-job", "klaedt-paa-til-jobbet")
"""The first three scored questions of Ringkøbing-Skjern's framework, in order."""


def keys(*parts: bytes | str) -> list[bytes]:
    """Keys in order: bytes are one key each, a str is one key per character."""
    out: list[bytes] = []
    for part in parts:
        out.extend([part] if isinstance(part, bytes) else [char.encode("utf-8") for char in part])
    return out


@dataclass
class Run:
    """One musterm on its own sessions folder and terminal."""

    store: Store
    terminal: Terminal
    app: Musterm
    started: float = field(default_factory=time.time)

    def wait_for(self, text: str, since: int, timeout: float = 30.0) -> None:
        self.terminal.wait_for(text.encode("utf-8"), since=since, timeout=timeout)

    def mark(self) -> int:
        return len(self.terminal.text())

    def step(self, key: bytes, shows: str, timeout: float = 30.0) -> None:
        """Press one key and wait until the screen shows `shows`."""
        mark = self.mark()
        self.terminal.write(key)
        self.wait_for(shows, mark, timeout)
        self.terminal.settle(quiet=0.2)

    def session(self, relative: str) -> Session:
        return loads(self.store.path_of(relative).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Case:
    """A burst and what each session file must hold once musterm has handled it."""

    name: str
    prelude: Callable[[Run], None]
    burst: Sequence[bytes]
    expect: Callable[[Run], dict[str, str]]
    """Run before the burst: the exact text each named file must have at the end."""
    conversations: tuple[str, ...] = (ANNA,)
    finish: Callable[[Run, dict[str, str]], dict[str, str]] | None = None
    """After the app has gone: fills in what only the app can know (the start time of F9)."""
    shows: str = ""
    """What the screen shows once the burst is handled, when the files alone don't tell."""


def plan(store: Store, relative: str) -> None:
    catalog = Catalog.discover()
    if relative == ANNA:
        plan_conversation(store, catalog.get(FRAMEWORK), employee="Anna Sørensen", manager="Lis Leder",
                          date="2026-11-23", time="09:30")
    elif relative == BO:
        plan_conversation(store, catalog.get(FRAMEWORK), employee="Bo Berg", manager="Lis Leder",
                          date="2026-11-24", time="10:00")


def split(burst: Sequence[bytes], cuts: Sequence[int]) -> list[bytes]:
    """The burst's bytes in pieces, cut before each key index in `cuts` (never inside a key)."""
    pieces, start = [], 0
    for cut in sorted(set(cuts)):
        if 0 < cut < len(burst):
            pieces.append(b"".join(burst[start:cut]))
            start = cut
    pieces.append(b"".join(burst[start:]))
    return pieces


def play(case: Case, cuts: Sequence[int] = (), gaps: Sequence[float] = ()) -> None:
    """Run `case` in a fresh sessions folder: prelude, burst (in pieces at `cuts`, `gaps` seconds
    apart), SIGTERM, then compare the files."""
    with tempfile.TemporaryDirectory(prefix="musterm-burst-") as folder:
        store = Store.open(Path(folder) / "sessions")
        for relative in case.conversations:
            plan(store, relative)
        terminal = Terminal()
        app = Musterm(store, terminal)
        try:
            run = Run(store, terminal, app)
            run.wait_for("Anna Sørens", 0, timeout=60)
            terminal.settle()
            case.prelude(run)
            expected = case.expect(run)
            mark = run.mark()
            pieces = split(case.burst, cuts)
            for number, piece in enumerate(pieces):
                terminal.write(piece)
                if number < len(pieces) - 1 and gaps:
                    time.sleep(gaps[number % len(gaps)])
            if case.shows:
                run.wait_for(case.shows, mark)
            wait_for_files(run, expected)
            code, _ = app.wait_exit(app.signal(signal.SIGTERM), limit=15)
            assert code == 0, f"musterm exited with {code}"
            if case.finish is not None:
                expected = case.finish(run, expected)
            assert_files(run, expected)
        finally:
            app.stop()
            terminal.close()


def wait_for_files(run: Run, expected: dict[str, str], timeout: float = 20.0) -> None:
    """Until each file holds what it should (saving follows typing within two seconds), or the
    timeout: the exact comparison after musterm has gone tells what is wrong."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(_comparable(run, relative) == text for relative, text in expected.items()):
            return
        time.sleep(0.05)


def _comparable(run: Run, relative: str) -> str | None:
    """The file as the expectation describes it (started left out: only the app knows it)."""
    path = run.store.path_of(relative)
    if not path.exists():
        return None
    session = loads(path.read_text(encoding="utf-8"))
    session.started = None
    return dumps(session)


def assert_files(run: Run, expected: dict[str, str]) -> None:
    problems = []
    for relative, text in expected.items():
        path = run.store.path_of(relative)
        actual = path.read_text(encoding="utf-8") if path.exists() else "(no file)\n"
        if actual != text:
            diff = "".join(difflib.unified_diff(text.splitlines(True), actual.splitlines(True), "expected", "on disk"))
            problems.append(f"{relative}:\n{diff}")
    if problems:
        pytest.fail("the session files are not what the keys should have made:\n" + "\n".join(problems), pytrace=False)


def with_started(relative: str) -> Callable[[Run, dict[str, str]], dict[str, str]]:
    """The expected file gets the start time the app wrote, once that is shown to lie within the run."""

    def finish(run: Run, expected: dict[str, str]) -> dict[str, str]:
        started = run.session(relative).started
        assert started is not None, "F9 did not start the conversation"
        now = _local_now()
        took = dt.timedelta(seconds=time.time() - run.started + 5)
        assert now - took <= started <= now + dt.timedelta(seconds=5), f"started {started} is not during the test ({now})"
        session = loads(expected[relative])
        session.started = started
        return {**expected, relative: dumps(session)}

    return finish


def _local_now() -> dt.datetime:
    """Now, as the app's clock reads it (it runs in $TZ, which conftest sets)."""
    zone = os.environ.get("TZ")
    return dt.datetime.now(ZoneInfo(zone)).replace(tzinfo=None) if zone else dt.datetime.now()


def expected(run: Run, relative: str, change: Callable[[Session], None]) -> str:
    """The file as it is now, changed as the keys should change it (and without started, as compared)."""
    session = run.session(relative)
    change(session)
    session.started = None
    return dumps(session)


# --- preludes: where each burst starts ---------------------------------------------------------


def open_conversation(run: Run) -> None:
    """Enter on the overview: the conversation shows (its status line says it has not started)."""
    run.step(ENTER, "ikke startet")


def open_notes_index(run: Run) -> None:
    """F4: the index has the focus once the footer offers its enter."""
    open_conversation(run)
    run.step(F4, "Skriv noter")


def open_first_note(run: Run) -> None:
    """The cursor in the first theme's notes (the footer drops the index's enter, keeps the note's ctrl+o)."""
    open_notes_index(run)
    run.step(ENTER, "Tidligere noter")
