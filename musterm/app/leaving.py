"""Leaving the app safely: hang-up signals that are never lost, the final save of every open
conversation, an exit status and message that say exactly what was kept, and a deadline so a
dead terminal or a stuck git cannot keep musterm running.

Signals: asyncio's `add_signal_handler` wakes the loop through the same pipe that every
`call_soon_threadsafe` writes to; after a burst of input that pipe is full, the signal's byte
is dropped, and the hang-up is never handled. Here SIGHUP and SIGTERM wake a thread of their
own through `signal.set_wakeup_fd` on a private pipe that nothing else writes to (and the
thread keeps it drained), and that thread asks the loop to leave and arms the deadline.

Exit status: 0 everything saved and committed; 1 some text is not in its conversation file
(the message says where the emergency copy is, or that there is none); 3 saved, but not all
committed (the next start commits it).
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from musterm.app.autosave import COMMIT, AutoSaver, SaveResult

EXIT_OK = 0
EXIT_NOT_SAVED = 1
EXIT_NOT_COMMITTED = 3
EXIT_DEADLINE_SECONDS = 4.0
AFTER_SAVING_SECONDS = 1.0

SIGNAL_REASONS = {
    signal.SIGHUP: "forbindelsen blev afbrudt",
    signal.SIGTERM: "musterm blev bedt om at lukke",
}


@dataclass(frozen=True)
class Kept:
    """What the final save of one open conversation did."""

    relative: str
    result: SaveResult | None


def exit_status(kept: list[Kept]) -> int:
    results = [item.result for item in kept if item.result is not None]
    if any(result.error and result.stage != COMMIT for result in results):
        return EXIT_NOT_SAVED
    if any(result.error for result in results):
        return EXIT_NOT_COMMITTED
    return EXIT_OK


def exit_message(reason: str | None, kept: list[Kept]) -> str | None:
    """'musterm: REASON; alt er gemt.', or what was not saved or committed and where the text went."""
    problems = [_problem(item.relative, item.result) for item in kept if item.result is not None and item.result.error]
    if not problems:
        return f"musterm: {reason}; alt er gemt." if reason else None
    head = f"musterm: {reason}, men ikke alt er gemt:" if reason else "musterm: ikke alt er gemt:"
    return "\n".join([head, *(f"  {problem}" for problem in problems)])


def _problem(relative: str, result: SaveResult) -> str:
    if result.stage == COMMIT:
        return (f"{relative} er gemt, men ikke committet i git ({result.reason or first_sentence(result.error)}); "
                "den committes, næste gang musterm startes.")
    cause = first_sentence(result.error)
    if result.rescued:
        return f"{relative} er IKKE gemt ({cause}). Teksten er gemt i nødkopien {result.rescued}."
    return (f"{relative} er IKKE gemt ({cause}), og en nødkopi kunne heller ikke skrives "
            f"({first_sentence(result.rescue_error) or 'ukendt fejl'}). Det, der er skrevet siden sidste gem, er tabt.")


def first_sentence(text: str) -> str:
    return text.split(". ", 1)[0].rstrip(".")


# --- the deadline ----------------------------------------------------------------------------


class Departure:
    """The way out once it has begun: a deadline that ends the process, with the right status
    and message, if the final saves or the terminal take too long."""

    def __init__(self, driver, savers: Callable[[], list[tuple[str, AutoSaver]]]) -> None:  # noqa: ANN001
        self._driver = driver
        self._savers = savers
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._deadline = 0.0
        self.reason: str | None = None
        self.kept: list[Kept] | None = None

    def arm(self, reason: str | None, seconds: float = EXIT_DEADLINE_SECONDS) -> None:
        with self._lock:
            if self._timer is not None:
                return
            self.reason = reason
            self._deadline = time.monotonic() + seconds
            self._start_timer(seconds)

    def seconds_left(self) -> float:
        """Until the deadline ends the process (the whole of it before `arm`)."""
        with self._lock:
            return self._deadline - time.monotonic() if self._timer is not None else EXIT_DEADLINE_SECONDS

    def done(self, kept: list[Kept]) -> None:
        """The final saves are over: Textual gets a moment to leave cleanly (it may still have a
        burst of typed keys to work through, which nobody will see), then the process ends."""
        with self._lock:
            self.kept = kept
            if self._timer is None:
                return
            self._timer.cancel()
            self._start_timer(max(0.0, min(self._deadline - time.monotonic(), AFTER_SAVING_SECONDS)))

    def _start_timer(self, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self._give_up)
        self._timer.daemon = True
        self._timer.start()

    def _give_up(self) -> None:
        """The saves are on disk before this fires, unless the loop never got to them; a commit
        still waiting for a busy git is committed at the next start."""
        kept = self.kept
        if kept is None:
            kept = [Kept(relative, saver.final_result()) for relative, saver in self._savers()]
        _restore_terminal(self._driver)
        message = exit_message(self.reason, kept)
        if message and terminal_still_there():
            try:
                os.write(sys.__stderr__.fileno(), (message + "\n").encode("utf-8"))
            except (AttributeError, OSError, ValueError):
                pass
        os._exit(exit_status(kept))


# --- signals ---------------------------------------------------------------------------------


class SignalWatcher:
    """SIGHUP and SIGTERM, each handled once by `on_signal(reason)` on the loop, and never lost."""

    def __init__(self, loop: asyncio.AbstractEventLoop, on_signal: Callable[[str], None],
                 arm: Callable[[str], None]) -> None:
        self._loop = loop
        self._on_signal = on_signal
        self._arm = arm

    def start(self) -> None:
        """Call from the main thread, with the loop running."""
        read_end, write_end = os.pipe()
        os.set_blocking(write_end, False)
        for number in SIGNAL_REASONS:
            signal.signal(number, _noted)  # a Python handler, so the C handler writes the wake-up byte
        signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
        threading.Thread(target=self._watch, args=(read_end,), name="musterm-signals", daemon=True).start()

    def _watch(self, read_end: int) -> None:
        while True:
            try:
                data = os.read(read_end, 512)
            except InterruptedError:
                continue
            except OSError:
                return
            if not data:
                return
            for number in data:
                reason = SIGNAL_REASONS.get(number)  # other signals (SIGWINCH) wake this thread too
                if reason is None:
                    continue
                self._arm(reason)  # even a loop that never runs again cannot keep musterm alive
                try:
                    self._loop.call_soon_threadsafe(self._on_signal, reason)
                except RuntimeError:
                    pass  # the loop has closed: musterm is leaving already


def _noted(number: int, frame: object) -> None:
    """The work happens in SignalWatcher's thread; this only keeps the default action (death) away."""


# --- the terminal ----------------------------------------------------------------------------


def terminal_still_there() -> bool:
    """False once the terminal has hung up (Textual writes to stderr)."""
    try:
        poller = select.poll()
        poller.register(sys.__stderr__.fileno(), select.POLLOUT)
        return not any(events & (select.POLLHUP | select.POLLERR) for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):
        return True


_LEAVE_APPLICATION_MODE = "\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1003l\x1b[?1006l\x1b[?2004l"


def _restore_terminal(driver) -> None:  # noqa: ANN001
    """A terminal that is still there gets back its normal screen, cursor and line mode."""
    fileno = getattr(driver, "fileno", None)
    attributes = getattr(driver, "attrs_before", None)
    if fileno is None or getattr(driver, "is_web", False):  # a browser's stdout carries packets, not a screen
        return
    try:
        os.write(fileno, _LEAVE_APPLICATION_MODE.encode())
        if attributes is not None:
            import termios

            termios.tcsetattr(fileno, termios.TCSANOW, attributes)
    except (OSError, ValueError):
        pass  # the terminal is gone
