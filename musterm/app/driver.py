"""Drivers that notice when the terminal, or the browser, goes away.

Textual's input loop spins on end-of-file (stdin closed) and panics with a
traceback on EIO (the pseudo-terminal hung up). Here both mean one thing: the
terminal is gone, so the app is told to save, commit and exit.

Under `textual serve` (a browser on the same machine) Textual's web driver ends the app
at once when the browser tab closes; here that too is a terminal going away, so what was
typed is saved and committed first.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.drivers.web_driver import WebDriver

from musterm.app.textual_adapter import XTermParser, driver_app, driver_debug

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""What `textual serve` (textual-serve) puts in $TEXTUAL_DRIVER for the app it starts."""


def driver_for(environ: os._Environ | dict[str, str] = os.environ) -> type[Driver] | None:
    """The driver to run on: ours for a terminal or textual-serve's browser; None leaves the
    choice to Textual (another $TEXTUAL_DRIVER)."""
    wanted = environ.get("TEXTUAL_DRIVER", "")
    if not wanted:
        return HangupAwareDriver
    if wanted == WEB_DRIVER:
        return BrowserDriver
    return None


def wants_terminal(environ: os._Environ | dict[str, str] = os.environ) -> bool:
    """musterm draws on a terminal, unless it was started to be shown elsewhere (textual serve)."""
    return not environ.get("TEXTUAL_DRIVER")


class HangupAwareDriver(LinuxDriver):
    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(driver_debug(self))
        decode = getincrementaldecoder("utf-8")().decode
        try:
            while not self.exit_event.is_set():
                for _key, mask in selector.select(0.1):
                    if not mask & selectors.EVENT_READ:
                        continue
                    data = self._read()
                    if not data:
                        _terminal_lost(self, "terminalen lukkede")
                        return
                    for event in parser.feed(decode(data)):
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()

    def _read(self) -> bytes:
        try:
            return os.read(self.fileno, 4096)
        except OSError:
            return b""


class BrowserDriver(WebDriver):
    """textual-serve's driver; closing the browser tab (its "quit") saves and commits first."""

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "quit" and _terminal_lost(self, "browseren blev lukket"):
            return
        super().on_meta(packet_type, payload)


def _terminal_lost(driver: Driver, reason: str) -> bool:
    app = driver_app(driver)
    on_lost = getattr(app, "terminal_lost", None)
    if on_lost is None:
        return False
    app.call_later(on_lost, reason)
    return True
