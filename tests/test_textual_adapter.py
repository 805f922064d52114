"""The private Textual APIs behind musterm/app/textual_adapter.py are still there, as the adapter uses them.

pyproject.toml allows a range of Textual versions; a Textual release that renames or changes any
of these fails here, naming what changed, before a manager meets it while typing. The last test
proves nothing outside the adapter reaches into Textual's private names.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.drivers.headless_driver import HeadlessDriver
from textual.drivers.linux_driver import LinuxDriver
from textual.drivers.web_driver import WebDriver
from textual.widgets import TextArea

from musterm.app import textual_adapter

PACKAGE = Path(textual_adapter.__file__).resolve().parent.parent
TEXTUAL = version("textual")


def require(condition: object, what: str) -> None:
    if not condition:
        pytest.fail(
            f"Textual {TEXTUAL} changed what musterm/app/textual_adapter.py uses: {what}. "
            "Adapt the adapter to this Textual (or keep the pin in pyproject.toml below this version).",
            pytrace=False,
        )


def parameters(function: object) -> list[str]:
    return [name for name in inspect.signature(function).parameters if name != "self"]


def test_the_xterm_parser_reads_keys_as_the_driver_feeds_it() -> None:
    parser_class = textual_adapter.XTermParser
    require(parameters(parser_class.__init__)[:1] == ["debug"], "textual._xterm_parser.XTermParser(debug)")
    parser = parser_class(False)
    require(callable(getattr(parser, "feed", None)) and callable(getattr(parser, "tick", None)),
            "XTermParser.feed(text) and .tick()")
    events = [*parser.feed("ø\x1bOS\x7f"), *parser.tick()]
    require([getattr(event, "key", None) for event in events] == ["ø", "f4", "backspace"],
            f"XTermParser.feed('ø', F4, backspace) gave {events!r}")


async def test_drivers_have_their_app_and_debug_flag_and_the_methods_musterm_overrides() -> None:
    app = App()
    require(textual_adapter.app_driver(app) is None, "App._driver (None before the app runs)")
    driver = HeadlessDriver(app, debug=True)
    require(textual_adapter.driver_app(driver) is app, "Driver._app")
    require(textual_adapter.driver_debug(driver) is True, "Driver._debug")
    require(parameters(LinuxDriver.run_input_thread) == [], "LinuxDriver.run_input_thread()")
    require(callable(getattr(LinuxDriver, "process_message", None)), "Driver.process_message(event)")
    for attribute in ("fileno", "exit_event", "attrs_before"):
        require(re.search(rf"self\.{attribute}\b[^=\n]*=", inspect.getsource(LinuxDriver.__init__)), f"LinuxDriver.{attribute}")
    require(parameters(WebDriver.on_meta) == ["packet_type", "payload"], "WebDriver.on_meta(packet_type, payload)")
    require('packet_type == "quit"' in inspect.getsource(WebDriver.on_meta), 'WebDriver.on_meta("quit")')


def test_the_wrapped_document_and_set_document_as_keeps_wrapped_height_uses_them() -> None:
    from textual.document._wrapped_document import WrappedDocument

    require(parameters(TextArea._set_document) == ["text", "language"], "TextArea._set_document(text, language)")
    require(parameters(WrappedDocument.wrap)[:2] == ["width", "tab_width"], "WrappedDocument.wrap(width, tab_width)")
    require(callable(getattr(WrappedDocument, "wrap_range", None)), "WrappedDocument.wrap_range")
    require(isinstance(inspect.getattr_static(WrappedDocument, "height"), property), "WrappedDocument.height (a property)")


class _Notes(textual_adapter.KeepsWrappedHeight, TextArea):
    pass


class _NotesApp(App):
    def compose(self) -> ComposeResult:
        yield _Notes("en linje\n" * 30, soft_wrap=True)


async def test_keeps_wrapped_height_gives_the_same_height_as_textual_and_follows_edits() -> None:
    from textual.document._wrapped_document import WrappedDocument

    app = _NotesApp()
    async with app.run_test(size=(40, 20)) as pilot:
        require(textual_adapter.app_driver(app) is not None, "App._driver (the driver, once running)")
        area = app.query_one(_Notes)
        document = area.wrapped_document
        require(type(document).__name__ == "_HeightCachingDocument", "TextArea.wrapped_document, set in _set_document")
        assert document.height == WrappedDocument.height.fget(document) == 31
        area.insert("en meget lang linje, der må brydes over flere linjer i et smalt felt\n", (0, 0))
        await pilot.pause()
        assert document.height == WrappedDocument.height.fget(document) > 32
        area.load_text("kort")
        await pilot.pause()
        require(type(area.wrapped_document).__name__ == "_HeightCachingDocument", "load_text goes through _set_document")
        assert area.wrapped_document.height == 1


async def test_still_busy_sees_what_the_key_gate_waits_for() -> None:
    """The message pumps' queues, pending and next callbacks, the screen's after-refresh callbacks,
    the app's registry of nodes and the palette's worker group, as still_busy reads them."""
    from textual._queue import Queue
    from textual.command import CommandPalette
    from textual.message_pump import MessagePump
    from textual.screen import Screen

    require(type(inspect.getattr_static(MessagePump, "_message_queue")).__name__ == "cached_property",
            "MessagePump._message_queue (a cached_property, kept in the instance's __dict__)")
    queue = Queue()
    require(hasattr(queue, "ready_event") and hasattr(queue.ready_event, "_waiters") and hasattr(queue, "empty"),
            "textual._queue.Queue.ready_event (an asyncio.Event with _waiters)")
    for name in ("_pending_message", "_next_callbacks", "_running", "_closing", "_closed"):
        require(re.search(rf"self\.{name}\b[^=\n]*=", inspect.getsource(MessagePump.__init__)), f"MessagePump.{name}")
    require(re.search(r"self\._callbacks\b[^=\n]*=", inspect.getsource(Screen.__init__)), "Screen._callbacks")
    require(isinstance(getattr(CommandPalette, "_GATHER_COMMANDS_GROUP", None), str),
            "CommandPalette._GATHER_COMMANDS_GROUP")
    require(textual_adapter.PALETTE_SEARCH == CommandPalette._GATHER_COMMANDS_GROUP, "the palette's worker group")

    app = _NotesApp()
    async with app.run_test(size=(40, 20)) as pilot:
        require(hasattr(app, "_registry") and app.query_one(_Notes) in app._registry, "App._registry")
        await pilot.pause()
        assert await _settles(app), "an idle app is not busy"
        area = app.query_one(_Notes)
        area.post_message(events.Key("x", "x"))
        assert textual_adapter.still_busy(app, ()) is not None, "a queued key is work"
        assert await _settles(app)
        ran: list[str] = []
        area.call_after_refresh(lambda: ran.append("after the refresh"))
        assert textual_adapter.still_busy(app, ()) is not None, "a callback for after the refresh is work"
        assert await _settles(app)
        assert ran, "settled only once the callback had run"
        worker = app.run_worker(asyncio.sleep(0.3), group="wanted")
        assert textual_adapter.still_busy(app, ("wanted",)) is not None, "a worker of a named group is work"
        await worker.wait()
        assert await _settles(app, ("wanted",))


class _FoldedApp(App[None]):
    def compose(self) -> ComposeResult:
        yield textual_adapter.FoldedUntilOpened(title="Vejledning", collapsed=True)


async def test_folded_until_opened_has_only_its_title_until_unfolded_and_then_its_contents() -> None:
    from textual.widgets import Collapsible, Static
    from textual.widgets._collapsible import CollapsibleTitle

    require(isinstance(Collapsible(title="x")._title, CollapsibleTitle), "Collapsible._title (its CollapsibleTitle)")
    app = _FoldedApp()
    async with app.run_test(size=(40, 10)) as pilot:
        folded = app.query_one(textual_adapter.FoldedUntilOpened)
        assert [type(child) for child in folded.children] == [CollapsibleTitle]
        assert not folded.has_contents()
        folded.query_one(CollapsibleTitle).focus()
        await pilot.press("enter")
        assert not folded.collapsed
        folded.unfold_with(Static("Teksten", id="text"))
        folded.unfold_with(Static("Igen"))  # built once only
        await pilot.pause()
        assert folded.has_contents()
        assert [type(child) for child in folded.children] == [CollapsibleTitle, Collapsible.Contents]
        assert str(app.query_one("#text", Static).render()) == "Teksten"
        assert app.query_one("#text").region.height == 1, "shown while unfolded"
        await pilot.press("enter")
        await pilot.pause()
        assert folded.collapsed and not app.query_one("#text").region, "hidden again once folded"


async def _settles(app: App, groups: tuple[str, ...] = (), seconds: float = 5.0) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while textual_adapter.still_busy(app, groups) is not None:
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.001)
    return True


PRIVATE_TEXTUAL = re.compile(r"\btextual(?:\.\w+)*\._\w|\b_set_document\b|\bapp\._driver\b|\bdriver\._(?:app|debug)\b")


def test_no_module_but_the_adapter_uses_private_textual_names() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "textual_adapter.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PRIVATE_TEXTUAL.search(line):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert not offenders, "private Textual APIs belong in musterm/app/textual_adapter.py:\n" + "\n".join(offenders)
