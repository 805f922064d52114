"""Keys go to the app one at a time: each once the app is done with all the one before set off.

Over SSH keys often arrive together, after a stall. Textual hands each key to the widget that
has the focus the moment the app reads it, and lets the widget's queue and the app's bindings
run later. So keys read in one burst went wrong in two ways (issue 12, item 2):

- a focused widget's own bound keys (backspace, the arrows, tab) run as bindings only once the
  key has bubbled back up to the app, after the printable keys behind them were already typed
  ("Sørne⌫⌫en" saved "Sørne"; upstream Textual issue #6605);
- a key that moves the focus (a tab key, F7/F8, F9, a dialog or screen opening or closing,
  enter on a list, ctrl+l, the palette) moves it a moment later, while the keys behind it had
  already gone to the old focus.

The gate lets a key (or paste) through only when nothing earlier is still pending: no message
queued or being handled anywhere, no callback waiting for the screen's refresh, no worker
running whose result decides where keys go (app/textual_adapter.still_busy). Otherwise it holds
the key, and the ones behind it, in order, and lets the first through once the app is at rest,
then the next. Each key so lands where it would have, typed slowly. A key typed into an idle
app passes at once, at the cost of one look over the app's message queues; the gate only polls
while it holds keys.

Nothing is dropped: held keys keep their order and are all delivered. Should the app somehow
never come to rest, a held key goes through after MAX_HOLD_SECONDS all the same.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING

from textual import events

from musterm.app.textual_adapter import PALETTE_SEARCH, still_busy

if TYPE_CHECKING:
    from textual.app import App

POLL_SECONDS = 0.001
MAX_HOLD_SECONDS = 10.0

KEY_WORKER_GROUPS = frozenset({
    "create",  # ctrl+s in the new-conversation form: the conversation opens when it is made
    "listing",  # the overview's conversations: enter opens the highlighted one
    "page",  # the overview filtered by what was typed
    "rebuild",  # the conversation's tabs rebuilt after F9 closed or reopened it
    PALETTE_SEARCH,  # the palette's search: enter picks from what it found
})
"""Workers whose result decides where the next key goes; other workers (saving, git, history)
run on while keys pass."""


class KeyGate:
    def __init__(self, app: App) -> None:
        self._app = app
        self._held: deque[events.Event] = deque()
        self._released: events.Event | None = None
        self._since = 0.0
        self._polling = False
        self.passed = 0
        """How many keys and pastes the app has been given so far."""
        self.longest_hold = 0.0
        """The longest a key waited (seconds)."""
        self.forced = 0
        """How many keys MAX_HOLD_SECONDS let through while the app was still busy."""

    @property
    def idle(self) -> bool:
        """No key held back (with `passed`, tests wait for this after posting many keys)."""
        return not self._held and self._released is None

    @staticmethod
    def gates(event: events.Event) -> bool:
        """Keys and pastes from the terminal (not those bubbling back up to the app)."""
        return isinstance(event, events.Key | events.Paste) and not event.is_forwarded

    def admit(self, event: events.Event) -> bool:
        """Called from the app's handler of `event`: whether to handle it now; if not, it is held
        and comes to the app again later."""
        if event is self._released:
            self._released = None
            self.passed += 1
            return True
        if self.idle and still_busy(self._app, KEY_WORKER_GROUPS, in_app_handler=True) is None:
            self.passed += 1
            return True
        if self.idle:
            self._since = time.monotonic()
        self._held.append(event)
        self._poll_soon()
        return False

    def _poll_soon(self) -> None:
        if not self._polling:
            self._polling = True
            asyncio.get_running_loop().call_later(POLL_SECONDS, self._poll)

    def _poll(self) -> None:
        self._polling = False
        if not self._held:
            return
        if self._released is not None:  # the one let through last has not reached the app yet
            self._poll_soon()
            return
        waited = time.monotonic() - self._since
        busy = still_busy(self._app, KEY_WORKER_GROUPS)
        if busy is not None:
            if waited < MAX_HOLD_SECONDS:
                self._poll_soon()
                return
            self.forced += 1
            self._app.log.warning(f"keys: let a key through after {waited:.1f} s; the app was still busy: {busy}")
        self.longest_hold = max(self.longest_hold, waited)
        event = self._held.popleft()
        self._released = event
        self._since = time.monotonic()
        self._app.post_message(event)
        if self._held:
            self._poll_soon()
