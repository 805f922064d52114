"""A Linux/macOS driver that notices when the terminal goes away.

Textual's input loop spins on end-of-file (stdin closed) and panics with a
traceback on EIO (the pseudo-terminal hung up). Here both mean one thing: the
terminal is gone, so the app is told to save, commit and exit.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver


class HangupAwareDriver(LinuxDriver):
    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        try:
            while not self.exit_event.is_set():
                for _key, mask in selector.select(0.1):
                    if not mask & selectors.EVENT_READ:
                        continue
                    data = self._read()
                    if not data:
                        self._terminal_lost()
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

    def _terminal_lost(self) -> None:
        on_lost = getattr(self._app, "terminal_lost", None)
        if on_lost is not None:
            self._app.call_later(on_lost, "terminalen lukkede")
