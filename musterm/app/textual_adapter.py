"""Every private Textual API musterm uses, in one place.

Textual keeps these names private (a leading underscore, or a module of its own that starts
with one), so a release may change them without notice. musterm uses nothing private of
Textual's outside this module, and tests/test_textual_adapter.py checks each name and
signature below against the installed Textual: when a release changes one, that test fails
and names it, instead of the app failing while someone types. That is what lets pyproject.toml
allow a range of Textual versions instead of one.

What each is for:
- `XTermParser`: the parser that turns terminal bytes into key events, for the driver that
  notices a terminal going away (app/driver.py).
- `driver_app`, `driver_debug`, `app_driver`: a driver's app and debug flag, an app's driver.
- `KeepsWrappedHeight`: a TextArea whose wrapped document remembers its height (notes).
- `still_busy`: whether the app is still handling what the last key set off (app/keygate.py):
  a message queued or being handled anywhere, a callback waiting for the screen's refresh, a
  worker whose result decides where the next key goes.
- `FoldedUntilOpened`: a Collapsible whose contents are built the first time it is unfolded
  (the framework's guidance in the Forberedelse tab).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from textual import events
from textual._xterm_parser import XTermParser
from textual.command import CommandPalette
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import Collapsible

if TYPE_CHECKING:
    from textual.app import App, ComposeResult
    from textual.driver import Driver
    from textual.widget import Widget

__all__ = [
    "PALETTE_SEARCH", "XTermParser", "FoldedUntilOpened", "KeepsWrappedHeight", "app_driver", "driver_app",
    "driver_debug", "still_busy",
]


# --- drivers -----------------------------------------------------------------------------------


def driver_app(driver: Driver) -> App[Any]:
    """The app a driver delivers events to."""
    return driver._app


def driver_debug(driver: Driver) -> bool:
    return driver._debug


def app_driver(app: App[Any]) -> Driver | None:
    """The driver an app runs on (None before it started)."""
    return app._driver


# --- notes: the wrapped document's height --------------------------------------------------------


class _HeightCachingDocument(WrappedDocument):
    """Textual's wrapped document, remembering its height between changes.

    TextArea asks for the height once for every row it draws, and Textual adds it up over every
    line each time: in a 2,000-line note that was a third of the work of each keystroke. Only
    wrap() and wrap_range() change the wrapping, so they forget the height.
    """

    _height: int | None = None

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._height = None
        super().wrap(width, tab_width)

    def wrap_range(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - as WrappedDocument.wrap_range
        self._height = None
        return super().wrap_range(*args, **kwargs)

    @property
    def height(self) -> int:
        if self._height is None:
            self._height = WrappedDocument.height.fget(self)
        return self._height


class KeepsWrappedHeight:
    """Mixed in before a TextArea: its wrapped document remembers its height (see above).

    TextArea builds a new wrapped document in `_set_document` (at start, and when the whole
    text is replaced); the new one gets the remembering class."""

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)  # type: ignore[misc]
        self.wrapped_document.__class__ = _HeightCachingDocument  # type: ignore[attr-defined]


# --- folded sections: the contents built when first unfolded ---------------------------------------


class FoldedUntilOpened(Collapsible):
    """A Collapsible that composes only its title (Collapsible._title); `unfold_with` builds its
    Contents the first time it is unfolded. Textual's Collapsible composes a Contents container for
    every section up front: a widget more per folded section, styled three times before the first
    paint (six sections in a Ringkøbing-Skjern conversation's Forberedelse tab)."""

    def compose(self) -> ComposeResult:
        yield self._title

    def has_contents(self) -> bool:
        return bool(self.query_children(Collapsible.Contents))

    def unfold_with(self, *widgets: Widget) -> None:
        """Build the contents (once): `widgets` in Textual's Contents container, under the title."""
        if not self.has_contents():
            self.mount(Collapsible.Contents(*widgets))


# --- the key gate: is the app done with what the last key set off? --------------------------------

_TYPED = (events.Key, events.Paste)

PALETTE_SEARCH: str = CommandPalette._GATHER_COMMANDS_GROUP
"""The worker group of the command palette's search: enter picks from what it found."""


def still_busy(app: App[Any], worker_groups: Collection[str], *, in_app_handler: bool = False) -> str | None:
    """What the app is still doing, or None once everything the keys so far set off is handled.

    Busy: any message pump (the app, a screen, a widget) with a message queued, one it is
    handling (it is not waiting on its queue), or a callback for after the current one; the
    screen shown with callbacks waiting for its next refresh (call_after_refresh: a tab takes
    its focus that way); a running worker of one of `worker_groups`. Keys and pastes just read
    from the terminal, queued for the app, don't count: the key gate sees each of them in turn. `in_app_handler`: asked
    from the app's own handler of a key, which is not work still to do.

    Each pump's queue is Textual's own (textual._queue.Queue): a pump that waits for its next
    message waits on the queue's ready_event (an asyncio.Event, whose waiters are futures).
    """
    for pump in (app, *list(app._registry)):
        if pump._closing or pump._closed:
            continue
        queue = pump.__dict__.get("_message_queue")  # a cached_property: made on the first message
        if queue is None:
            continue
        if pump is app:
            # Keys on their way back up (a binding of the app's to run) are work still to do.
            queued = any(not isinstance(message, _TYPED) or message.is_forwarded for message in queue.values)
        else:
            queued = not queue.empty()
        if queued or pump._pending_message is not None or pump._next_callbacks:
            return f"{pump!r} has messages"
        if pump is app and in_app_handler:
            continue
        if pump._running and not any(not waiter.done() for waiter in queue.ready_event._waiters):
            return f"{pump!r} is handling a message"
    try:
        screen = app.screen
    except Exception:  # noqa: BLE001 - no screen yet (starting) or any more (leaving)
        return "no screen"
    if screen._callbacks:
        return f"{screen!r} has callbacks for after its refresh"
    for worker in app.workers:
        if worker.group in worker_groups and not worker.is_finished:
            return f"worker {worker.group!r} of {worker.node!r}"
    return None
