"""Shared helpers for driving MustermApp with keys against a real store in tmp_path."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot

from musterm.app.app import MustermApp
from musterm.app.screens.conversation import ConversationScreen
from musterm.app.tabs.notes import NotesIndex
from musterm.app.widgets.note_area import NoteArea
from musterm.app.widgets.status_line import StatusLine
from musterm.frameworks.catalog import Catalog
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store

CATALOG = Catalog.discover()
MANAGER = "Lis Leder"
EMPLOYEE = "Anna Sørensen"
DATE = dt.date(2026, 11, 23)
TIME = dt.time(9, 30)
PLACE = "Mødelokale 2"
# What the frozen clock says while a conversation is held (see freeze_clock).
STARTED = dt.datetime(2026, 11, 23, 9, 31, 5)
TODAY = dt.date(2026, 11, 23)

def make_store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "sessions")


def plan(
    store: Store,
    framework_id: str,
    *,
    employee: str = EMPLOYEE,
    birth_year: int | None = None,
    number: str = "",
    date: dt.date = DATE,
) -> str:
    """A draft conversation, as `musterm new` makes it; returns its path in the store."""
    return plan_conversation(
        store,
        CATALOG.get(framework_id),
        employee=employee,
        number=number,
        birth_year=birth_year,
        manager=MANAGER,
        date=date,
        time=TIME,
        place=PLACE,
    )


def new_app(store: Store) -> MustermApp:
    return MustermApp(store, CATALOG)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` into the focused widget, one key event per character.

    Each character becomes the key event a terminal's input parser makes of it (the
    same event Pilot.press sends; tab goes through Pilot.press, as it moves focus).
    Pilot.press waits for the app to go idle twice after every key, about 80 ms a
    character; the events here are queued in order and the app is waited for once,
    which keeps a whole conversation typed key by key within seconds. It also types
    what Pilot.press cannot: emoji, typographic quotes and dashes.
    """
    gate = getattr(pilot.app, "keys", None)
    expected = (gate.passed if gate is not None else 0) + len(text)
    for char in text:
        if char == "\t":
            await pilot.press("tab")
            continue
        if char == "\n":
            event = events.Key("enter", "\r")
        elif char == " ":
            event = events.Key("space", " ")
        else:
            event = events.Key(char if char.isalnum() else _character_to_key(char), char)
        pilot.app.post_message(event)
    # The app takes the keys one at a time (app/keygate.py): pilot.pause alone may return between two.
    if gate is not None:
        await wait_until(lambda: gate.passed >= expected and gate.idle, timeout=15 + 0.05 * len(text),
                         what="the app to take every typed key")
    await pilot.pause()


async def wait_until(predicate: Callable[[], object], timeout: float = 15.0, what: str = "condition",
                     app: App | None = None) -> None:
    """Let the app run until `predicate()` is true; fail after `timeout` seconds.

    Given the `app`, the failure says what it was doing, for a timeout seen only in a busy full run.
    """
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            state = f"\n{describe_app(app)}" if app is not None else ""
            pytest.fail(f"timed out after {timeout} s waiting for {what}{state}")
        await asyncio.sleep(0.02)


def describe_app(app: App) -> str:
    """The screen stack, focus, workers and messages of a running app, for a failure message."""
    gate = getattr(app, "keys", None)
    lines = [
        f"screens: {[type(screen).__name__ for screen in app.screen_stack]}",
        f"focused: {app.focused!r}",
        f"workers: {[(worker.name, worker.state.name) for worker in app.workers]}",
        f"notifications: {[notification.message for notification in getattr(app, '_notifications', [])]}",
        f"key gate: {vars(gate) if gate is not None else None}",
    ]
    return "\n".join(lines)


def file_text(store: Store, relative: str) -> str:
    return store.path_of(relative).read_text(encoding="utf-8")


async def wait_for_file(store: Store, relative: str, predicate: Callable[[str], bool], timeout: float = 15.0) -> str:
    """Wait until the session file's text satisfies `predicate`; return that text."""
    found: list[str] = []

    def check() -> bool:
        try:
            text = file_text(store, relative)
        except FileNotFoundError:
            return False
        found[:] = [text]
        return predicate(text)

    await wait_until(check, timeout, f"{relative} to hold the expected text")
    return found[0]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def subjects(store: Store) -> list[str]:
    """Commit subjects, oldest first."""
    return git(store.root, "log", "--reverse", "--format=%s").splitlines()


def committed_text(store: Store, relative: str) -> str:
    return git(store.root, "show", f"HEAD:{relative}")


def is_clean(store: Store) -> bool:
    return git(store.root, "status", "--porcelain") == ""


def conversation_screen(app: MustermApp) -> ConversationScreen:
    screen = app.screen
    assert isinstance(screen, ConversationScreen), f"expected the conversation, got {screen!r}"
    return screen


async def open_from_start(pilot: Pilot, row: int = 0) -> ConversationScreen:
    """On the start screen: wait for the listing, move to `row` and open it with enter."""
    app = pilot.app
    await wait_until(lambda: getattr(app.screen, "shown", None), what="the start screen's listing")
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation screen")
    await pilot.pause()
    return conversation_screen(app)


async def into_first_note(pilot: Pilot) -> NoteArea:
    """From the conversation: F4, enter on the first theme, and the focus is in its notes."""
    await pilot.press("f4")
    await wait_until(lambda: isinstance(pilot.app.focused, NotesIndex), what="the notes index")
    await pilot.press("enter")
    await wait_until(lambda: isinstance(pilot.app.focused, NoteArea), what="the notes area")
    return pilot.app.focused


def explanation_shown(app: MustermApp) -> bool:
    """The start screen explains how to begin (an archive without conversations; built when first shown)."""
    found = app.screen.query("#empty")
    # Its text is the Markdown's `source` only once the widget is mounted and has parsed it.
    return bool(found) and found.first().display and bool(found.first().source)


def notifications(app: MustermApp) -> list[str]:
    return [notification.message for notification in app._notifications]  # noqa: SLF001


def status_text(app: MustermApp) -> str:
    """The right-hand side of the status line: the conversation's state and whether it is saved."""
    return app.screen.query_one(StatusLine)._right_text()


class _FrozenDateTime(dt.datetime):
    @classmethod
    def now(cls, tz=None):  # noqa: ANN001, ANN206
        return STARTED


class _FrozenDate(dt.date):
    @classmethod
    def today(cls):  # noqa: ANN206
        return TODAY


class _FrozenDt:
    """Stands in for the `datetime` module inside the app modules that read the clock."""

    datetime = _FrozenDateTime
    date = _FrozenDate
    time = dt.time
    timedelta = dt.timedelta
    timezone = dt.timezone


def freeze_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The conversation starts at STARTED and sign-offs are dated TODAY, whatever the real clock says."""
    from musterm.app.screens import conversation
    from musterm.app.tabs import closing as closing_tab

    monkeypatch.setattr(conversation, "dt", _FrozenDt)
    monkeypatch.setattr(closing_tab, "dt", _FrozenDt)
