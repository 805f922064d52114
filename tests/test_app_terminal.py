"""The real app in a pseudo-terminal: hangups, SIGTERM, a terminal that goes away, a second musterm.

Each test starts `python -m musterm` with its terminal on a pty (tests/terminal.py), types
with the bytes a terminal sends, and then hangs up, signals or closes the terminal.

The promises checked (issue 4 and 7):
- SIGHUP while typing notes: everything typed more than 2 s earlier is on disk,
  parses and is committed; the app exits within 5 s with status 0.
- SIGHUP and SIGTERM: save, commit, restore the terminal, exit within 5 s.
- The terminal's input closes without a signal: save and exit, no CPU spinning.
- A second musterm on the same conversation is warned before it can write.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import sys
import termios
import time

import pytest

from musterm.formats.session_file import loads
from tests.terminal import (  # noqa: F401 - store, relative and terminals are fixtures
    CTRL_Q,
    CTRL_S,
    CURSOR_TO_COLUMN,
    ENTER,
    F4,
    F9,
    LEAVE_ALTERNATE_SCREEN,
    SHOW_CURSOR,
    Musterm,
    assert_kept,
    assert_lock_released,
    assert_terminal_restored,
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


# --- signals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "reason"),
    [(signal.SIGHUP, "forbindelsen blev afbrudt"), (signal.SIGTERM, "musterm blev bedt om at lukke")],
)
def test_signal_after_typing_saves_commits_restores_and_exits(store, relative, terminals, number, reason) -> None:  # noqa: ANN001
    app = start(store, terminals)
    open_first_note(app)
    note = "Noter fra samtalen: æøå ÆØÅ \"citat\" / 😀"
    app.terminal.type(note)
    wait_for_disk(store, relative, note)  # saved, not yet committed: the signal must commit it
    mark = len(app.terminal.text())
    code, took = app.wait_exit(app.signal(number))
    assert code == 0
    assert_kept(store, relative, note)
    assert git(store, "log", "-1", "--format=%s") == "Anna Sørensen 2026-11-23: noter opdateret\n"
    assert_terminal_restored(app.terminal, since=mark)
    app.terminal.wait_for(f"musterm: {reason}; alt er gemt.".encode(), since=mark, timeout=2)


def test_sighup_right_after_typing_keeps_what_was_typed_two_seconds_before(store, relative, terminals) -> None:  # noqa: ANN001
    app = start(store, terminals)
    open_first_note(app)
    part_a = "Del A er skrevet i god tid. "
    part_b = "Del B kommer lige før afbrydelsen"
    app.terminal.type(part_a)
    time.sleep(2.5)
    for char in part_b:  # still typing when the connection drops
        app.terminal.type(char)
        time.sleep(0.01)
    code, took = app.wait_exit(app.signal(signal.SIGHUP))
    assert code == 0
    on_disk = notes_on_disk(store, relative)
    assert on_disk.startswith(part_a.rstrip())
    assert (part_a + part_b).startswith(on_disk), "nothing but what was typed, in order"
    assert_kept(store, relative, on_disk)


def test_sighup_during_the_conversation_keeps_the_status_and_the_note(store, relative, terminals) -> None:  # noqa: ANN001
    """Started (F9) and typing: after the hangup the file says held, with the start and the note committed."""
    app = start(store, terminals)
    open_first_note(app)
    app.terminal.press(F9)
    app.terminal.type("Efter start")
    wait_for_disk(store, relative, "Efter start")
    code, _ = app.wait_exit(app.signal(signal.SIGHUP))
    assert code == 0
    session = loads(store.path_of(relative).read_text(encoding="utf-8"))
    assert session.status == "held" and session.started is not None
    assert_kept(store, relative, "Efter start")
    subjects = git(store, "log", "--format=%s").splitlines()
    assert subjects[:2] == ["Anna Sørensen 2026-11-23: noter opdateret", "Anna Sørensen 2026-11-23: samtale startet"]


def test_sighup_while_git_is_busy_still_exits_within_five_seconds(store, relative, terminals) -> None:  # noqa: ANN001
    """Another git holds .git/index.lock when the hangup comes: the note is on disk and the app still leaves in time.

    The commit cannot happen then; the file is left modified for the next commit.
    """
    app = start(store, terminals)
    open_first_note(app)
    app.terminal.type("Mens git er optaget")
    wait_for_disk(store, relative, "Mens git er optaget")
    app.terminal.type(", og lidt mere")
    app.terminal.settle(quiet=0.2)  # drawn, so typed into the note (the autosaver may or may not have it yet)
    lock = store.root / ".git" / "index.lock"
    mark = len(app.terminal.text())
    with open(lock, "w"):  # held open: a live lock that musterm waits for (up to 15 s) rather than removes
        code, took = app.wait_exit(app.signal(signal.SIGHUP))
    lock.unlink()
    assert code == 3, "saved, not committed: the exit status says so"
    app.terminal.wait_for(f"{relative} er gemt, men ikke committet i git (git nåede det ikke inden for "
                          "fristen)".encode(), since=mark, timeout=2)
    assert notes_on_disk(store, relative) == "Mens git er optaget, og lidt mere"
    assert_lock_released(store, relative)


def _hang_up_while_git_is_busy(store, relative: str, terminals) -> None:  # noqa: ANN001
    """A note typed and saved, then a hangup while git's index is locked: saved, not committed."""
    app = start(store, terminals)
    open_first_note(app)
    app.terminal.type("Gemt, men ikke committet")
    wait_for_disk(store, relative, "Gemt, men ikke committet")
    lock = store.root / ".git" / "index.lock"
    with open(lock, "w"):
        app.wait_exit(app.signal(signal.SIGHUP))
    lock.unlink()
    assert git(store, "status", "--porcelain", "--", relative) != "", "left uncommitted by the hangup"


def test_what_a_busy_git_kept_from_the_hangup_commit_is_committed_on_the_next_start(store, relative, terminals) -> None:  # noqa: ANN001
    _hang_up_while_git_is_busy(store, relative, terminals)

    again = start(store, terminals)  # the next start: the start screen, then quit
    again.terminal.write(CTRL_Q)
    again.wait_exit(time.monotonic())
    assert_kept(store, relative, "Gemt, men ikke committet")


@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_right_after_the_first_paint_still_commits_what_a_busy_git_kept(store, relative, terminals, number) -> None:  # noqa: ANN001
    """The tidy-up starts a moment after the first paint (TIDY_UP_DELAY_SECONDS): a hangup or
    SIGTERM before that moment commits the leftovers all the same, as ctrl+q does."""
    _hang_up_while_git_is_busy(store, relative, terminals)

    terminal = terminals()
    again = Musterm(store, terminal)  # the next start, and a signal as soon as its screen is there
    terminals.apps.append(again)
    terminal.wait_for("Anna Sørens".encode())
    code, _ = again.wait_exit(again.signal(number))
    assert code == 0
    assert_kept(store, relative, "Gemt, men ikke committet")


# --- the terminal goes away ------------------------------------------------------------------------


def sample_cpu(app: Musterm, seconds: float) -> tuple[float | None, float]:
    """CPU seconds the app used over up to `seconds` of wall time (None if it exited at once)."""
    began = time.monotonic()
    first = app.cpu_seconds()
    last = first
    while time.monotonic() - began < seconds and app.process.poll() is None:
        time.sleep(0.05)
        now = app.cpu_seconds()
        if now is not None:
            last = now
    if first is None or last is None:
        return None, time.monotonic() - began
    return last - first, time.monotonic() - began


def test_terminal_closing_without_a_signal_saves_and_exits(store, relative, terminals) -> None:  # noqa: ANN001
    """The pty goes away (master closed) but the app has no controlling terminal, so no SIGHUP comes."""
    app = start(store, terminals)
    open_first_note(app)
    note = "Skrevet før terminalen forsvandt"
    app.terminal.type(note)
    wait_for_disk(store, relative, note)
    closed = time.monotonic()
    app.terminal.close_master()
    used, over = sample_cpu(app, 1.0)
    code, took = app.wait_exit(closed)
    assert code == 0
    if used is not None and over > 0.5:
        assert used < 0.5 * over, f"used {used:.2f} s CPU in {over:.2f} s after the terminal closed"
    assert_kept(store, relative, note)


def test_input_closing_with_output_still_there(store, relative, terminals) -> None:  # noqa: ANN001
    """stdin reaches end-of-file while the screen is still there: save, restore the screen, exit, no spinning."""
    screen, keyboard = terminals(), terminals()
    app = start(store, terminals, terminal=screen, input_terminal=keyboard)
    open_first_note(app, keyboard)
    note = "Tastaturet forsvinder"
    keyboard.type(note)
    wait_for_disk(store, relative, note)
    mark = len(screen.text())
    closed = time.monotonic()
    keyboard.close_master()
    used, over = sample_cpu(app, 1.0)
    code, took = app.wait_exit(closed)
    assert code == 0
    if used is not None and over > 0.5:
        assert used < 0.5 * over, f"used {used:.2f} s CPU in {over:.2f} s after the input closed"
    assert_kept(store, relative, note)
    screen.wait_for(b"musterm: terminalen lukkede; alt er gemt.", since=mark, timeout=2)
    output = screen.text()[mark:]
    assert LEAVE_ALTERNATE_SCREEN in output and SHOW_CURSOR in output


def test_ssh_drop_hangs_up_the_controlling_terminal(store, relative, terminals) -> None:  # noqa: ANN001
    """As when an SSH connection drops: the controlling terminal hangs up (kernel SIGHUP, then EIO)."""
    app = start(store, terminals, controlling=True)
    open_first_note(app)
    note = "Forbindelsen røg"
    app.terminal.type(note)
    wait_for_disk(store, relative, note)
    closed = time.monotonic()
    app.terminal.close_master()
    code, took = app.wait_exit(closed)
    assert code == 0, f"exit status {code}"
    assert_kept(store, relative, note)


# --- a second musterm ------------------------------------------------------------------------------


def test_a_second_musterm_is_warned_before_it_can_write(store, relative, terminals) -> None:  # noqa: ANN001
    first = start(store, terminals)
    open_first_note(first)
    first.terminal.type("Den første skriver")
    wait_for_disk(store, relative, "Den første skriver")
    before = store.path_of(relative).read_bytes()
    commits = git(store, "rev-list", "--count", "HEAD")

    second = start(store, terminals)
    mark = len(second.terminal.text())
    second.terminal.press(ENTER)
    second.terminal.wait_for("allerede åben".encode(), since=mark)
    second.terminal.wait_for(f"proces {first.pid}".encode(), since=mark)
    second.terminal.press(ENTER)  # "Åbn skrivebeskyttet"
    second.terminal.wait_for("kun læsning".encode(), since=mark)
    second.terminal.press(F4, ENTER)
    second.terminal.type("Den anden må ikke skrive")
    second.terminal.press(CTRL_S, F9)
    second.terminal.settle(quiet=1.0)
    quit_mark = len(second.terminal.text())
    second.terminal.write(CTRL_Q)
    code, _ = second.wait_exit(time.monotonic())
    assert code == 0
    assert LEAVE_ALTERNATE_SCREEN in second.terminal.text()[quit_mark:]
    assert store.path_of(relative).read_bytes() == before
    assert git(store, "rev-list", "--count", "HEAD") == commits

    first.terminal.type(", og gemmer")
    wait_for_disk(store, relative, "Den første skriver, og gemmer")
    first.terminal.write(CTRL_Q)
    code, _ = first.wait_exit(time.monotonic())
    assert code == 0
    assert_kept(store, relative, "Den første skriver, og gemmer")


# --- hostile input through a real terminal -----------------------------------------------------------


def resize(app: Musterm, rows: int, columns: int) -> None:
    """As a terminal window being resized: the new size on the pty, and SIGWINCH (the kernel sends it
    only to a terminal's controlling session, which these apps have not got)."""
    fcntl.ioctl(app.terminal.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    os.kill(app.pid, signal.SIGWINCH)


def test_tiny_terminal_resized_while_typing_and_a_100_kb_paste(store, relative, terminals) -> None:  # noqa: ANN001
    terminal = terminals(rows=12, columns=40)
    app = start(store, terminals, terminal=terminal)
    open_first_note(app)
    typed = ""
    for rows, columns in ((30, 100), (12, 40), (6, 20), (12, 40)):
        chunk = f"{columns}x{rows} æøå \"citat\" / 😀. "
        for char in chunk:
            terminal.type(char)
            time.sleep(0.005)
        typed += chunk
        mark = len(terminal.text())
        resize(app, rows, columns)
        terminal.settle(quiet=0.2)
        if columns > 40:  # the app saw the new size: it draws beyond the old width
            drawn_to = max((int(column) for column in CURSOR_TO_COLUMN.findall(terminal.text()[mark:])), default=0)
            assert drawn_to > 40, f"not redrawn for {columns} columns"
    line = 'Linje med æøå, "citater", / og \\ og 😀 – slut'
    pasted = "\n".join(f"{number:05d} {line}" for number in range(2000))
    assert len(pasted.encode("utf-8")) > 100_000
    terminal.write(b"\x1b[200~" + pasted.encode("utf-8") + b"\x1b[201~")  # bracketed paste
    terminal.type(" Slut")
    expected = typed + pasted + " Slut"
    wait_for_disk(store, relative, pasted[-200:] + " Slut", timeout=30)
    assert app.process.poll() is None, "still running"
    quit_mark = len(terminal.text())
    terminal.write(CTRL_Q)
    code, _ = app.wait_exit(time.monotonic())
    assert code == 0
    assert_kept(store, relative, expected)
    assert_terminal_restored(terminal, since=quit_mark)
