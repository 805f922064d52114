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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual._xterm_parser import XTermParser
from textual.document._wrapped_document import WrappedDocument

if TYPE_CHECKING:
    from textual.app import App
    from textual.driver import Driver

__all__ = ["XTermParser", "KeepsWrappedHeight", "app_driver", "driver_app", "driver_debug"]


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
