"""A printable key that no text field takes and no binding runs: say why, instead of dropping it.

A widget can name what it does take in `TYPING_HINT` (the score takes digits, the plan table
takes a for a new agreement); the conversation adds why a read-only conversation takes nothing.
"""

from __future__ import annotations

import time

from textual import events
from textual.screen import Screen

NOTICE_SECONDS = 4.0
"""One notice for a word typed into the same field, not one per letter."""


def key_is_bound(screen: Screen, key: str) -> bool:
    """A binding of the focused widget, its containers, the screen or the app will run this key."""
    active = screen.active_bindings.get(key)
    return active is not None and active.enabled


class ExplainsUnusedKeys:
    """Mixed into a screen: printable keys that would vanish get a notice saying where text goes."""

    NO_TEXT_HERE = "Feltet med fokus tager ikke tekst: tab går til næste felt."
    _unused_key_notice: tuple[object, str, float] | None = None

    def why_no_text(self) -> str:
        return getattr(self.focused, "TYPING_HINT", self.NO_TEXT_HERE)

    def on_key(self, event: events.Key) -> None:
        # Keys a field took (text, digits on a score) were stopped before they bubbled up here.
        if not event.is_printable or key_is_bound(self, event.key):
            return
        message = self.why_no_text()
        now = time.monotonic()
        last = self._unused_key_notice
        if last is not None and last[:2] == (self.focused, message) and now - last[2] < NOTICE_SECONDS:
            return
        self._unused_key_notice = (self.focused, message, now)
        self.notify(message, timeout=NOTICE_SECONDS)
