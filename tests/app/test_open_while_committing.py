"""A conversation musterm is committing for a moment (a tidy-up of leftovers, a new conversation
still being committed, a preparation form imported) opens for editing once that commit is done:
its edit lock is a brief one (store/editlock.py), not another manager's open conversation.

This was the full suite's intermittent ctrl+n timeout: the tidy-up 0.5 s after the first paint
took the new file's lock, and the form's conversation opened as "already open" elsewhere.
"""

from __future__ import annotations

import threading

from musterm.app.app import MustermApp
from musterm.app.screens.conversation import ConversationScreen
from musterm.app.screens.dialogs import Choice
from musterm.store.repository import Store

from .helpers import make_store, new_app, open_from_start, plan, wait_until


def held_for(store: Store, relative: str, seconds: float, brief: bool, note: str | None = None) -> threading.Thread:
    """The conversation's edit lock, taken now by another musterm and released after `seconds` in
    another thread (after saving `note` in the file, as `musterm prep-import` does)."""
    other = Store.open(store.root)
    lock = other.lock_for_editing(relative, brief=brief)

    def done() -> None:
        if note is not None:
            session = other.load(relative)
            session.private.notes = note
            other.save(relative, session)
        lock.release()

    release = threading.Timer(seconds, done)
    release.start()
    return release


def one_conversation(tmp_path) -> tuple[Store, str]:  # noqa: ANN001
    store = make_store(tmp_path)
    return store, plan(store, "randers")


async def listed(app: MustermApp) -> None:
    await wait_until(lambda: getattr(app.screen, "shown", None), what="the start screen's listing")


async def test_a_conversation_being_committed_opens_for_editing_once_the_commit_is_done(tmp_path) -> None:  # noqa: ANN001
    store, relative = one_conversation(tmp_path)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await listed(app)
        release = held_for(store, relative, 0.8, brief=True, note="Indlæst fra forberedelsesskemaet")
        screen = await open_from_start(pilot)
        release.join()
        assert isinstance(screen, ConversationScreen)
        assert not screen.conversation.read_only
        assert screen.edit_lock is not None
        assert screen.session.private.notes == "Indlæst fra forberedelsesskemaet", "read again after the commit"


async def test_a_conversation_another_musterm_has_open_is_still_said_to_be_open(tmp_path) -> None:  # noqa: ANN001
    store, relative = one_conversation(tmp_path)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await listed(app)
        release = held_for(store, relative, 3, brief=False)
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, Choice), what="the 'already open' question")
        assert "er allerede åben hos" in app.screen.message
        release.join()
