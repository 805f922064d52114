"""The follow-up date: a date that is not one is shown as such at once, stays on screen, and keeps
the conversation from being closed until it is put right.

What the file holds meanwhile: what the field held the last time it held a date, or nothing. A
session file can only hold a date there, and a slip of the keys must not throw away the date the
two agreed (typed over a selected date: the file keeps it); the message under the field says
plainly what the file holds. An emptied field removes the date (deleted, then "Z" typed: no date).
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Static

from musterm.app.app import MustermApp
from musterm.app.screens.conversation import ConversationScreen
from musterm.app.screens.dialogs import Choice
from musterm.formats.session_file import dumps, loads
from musterm.model.session import Status
from musterm.store.events import Event

from .helpers import CATALOG, committed_text, file_text, make_store, notifications, plan, type_text, wait_for_file, wait_until

AGREED = dt.date(2027, 3, 1)
NOT_SAVED = "«Z» er ikke en dato: skriv den som ÅÅÅÅ-MM-DD, fx 2027-03-01. I filen står stadig 2027-03-01."
REFUSED = ("Samtalen er ikke afsluttet: opfølgningsdatoen «Z» er ikke en dato. "
           "Ret den (ÅÅÅÅ-MM-DD) eller slet den, og tryk F9 igen.")


def held_with_a_date(store) -> str:  # noqa: ANN001
    relative = plan(store, "randers")
    session = store.load(relative)
    session.status = Status.HELD
    session.started = dt.datetime(2026, 11, 23, 9, 31, 5)
    session.closing.followup_date = AGREED
    store.save(relative, session)
    store.commit(relative, session, Event.STARTED)
    return relative


def error_text(app: MustermApp) -> str:
    return str(app.screen.query_one("#followup-date-error", Static).render())


async def to_the_date(pilot) -> Input:  # noqa: ANN001
    app = pilot.app
    await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
    await pilot.press("f6")
    date = app.screen.query_one("#followup-date", Input)
    await wait_until(lambda: app.focused is not None and app.focused.parent is not None, what="the closing tab's focus")
    date.focus()
    await pilot.pause()
    assert app.focused is date
    return date


async def overwrite(pilot, date: Input, text: str) -> None:  # noqa: ANN001
    """Select the whole date (shift+home from its end) and type over it."""
    await pilot.press("end", "shift+home")
    await type_text(pilot, text)


async def delete_and_type(pilot, date: Input, text: str) -> None:  # noqa: ANN001
    await pilot.press("end", *["backspace"] * len(date.value))
    await type_text(pilot, text)


async def test_an_invalid_date_is_shown_at_once_kept_on_screen_and_keeps_f9_from_closing(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = held_with_a_date(store)
    before = file_text(store, relative)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        date = await to_the_date(pilot)
        await overwrite(pilot, date, "Z")
        assert error_text(app) == NOT_SAVED, "shown at once"
        assert date.value == "Z"
        await pilot.pause(2.0)
        assert file_text(store, relative) == before, "the agreed date is not replaced by a typing slip"

        await pilot.press("f9")
        await pilot.pause()
        assert not isinstance(app.screen, Choice), "no offer to close"
        assert app.screen.session.status == Status.HELD
        assert REFUSED in notifications(app)
        assert app.focused is date and date.value == "Z", "back in the field, the text as typed"

        await pilot.press("f2")
        await pilot.press("f6")
        assert date.value == "Z" and error_text(app) == NOT_SAVED, "never replaced by the old date"

        await pilot.press("ctrl+s")
        await pilot.pause(0.5)
        assert file_text(store, relative) == before
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == before
    assert committed_text(store, relative) == before


async def test_once_the_date_is_put_right_it_is_saved_and_f9_closes(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = held_with_a_date(store)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        date = await to_the_date(pilot)
        await overwrite(pilot, date, "Z")
        await pilot.press("f9")
        await pilot.pause()
        await overwrite(pilot, date, "2027-04-01")
        assert error_text(app) == ""
        await wait_for_file(store, relative, lambda text: "followup_date = 2027-04-01" in text)
        await pilot.press("f9")
        await wait_until(lambda: isinstance(app.screen, Choice), what="the closing question")
        await pilot.press("enter")
        await wait_until(lambda: loads(file_text(store, relative)).status == Status.CLOSED, what="closed on disk")
        await pilot.press("ctrl+q")
    session = loads(file_text(store, relative))
    assert session.closing.followup_date == dt.date(2027, 4, 1)
    assert file_text(store, relative) == dumps(session)


async def test_emptying_the_field_removes_the_date(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = held_with_a_date(store)
    expected = store.load(relative)
    expected.closing.followup_date = None
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        date = await to_the_date(pilot)
        await delete_and_type(pilot, date, "")
        assert error_text(app) == ""
        await wait_for_file(store, relative, lambda text: text == dumps(expected))
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == dumps(expected)


async def test_a_date_deleted_and_then_typed_wrong_leaves_no_date_and_says_so(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = held_with_a_date(store)
    expected = store.load(relative)
    expected.closing.followup_date = None
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        date = await to_the_date(pilot)
        await delete_and_type(pilot, date, "Z")
        assert error_text(app) == "«Z» er ikke en dato: skriv den som ÅÅÅÅ-MM-DD, fx 2027-03-01. Der er ingen dato i filen."
        await wait_for_file(store, relative, lambda text: text == dumps(expected))
        await pilot.press("f9")
        await pilot.pause()
        assert REFUSED in notifications(app) and app.screen.session.status == Status.HELD
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == dumps(expected)


LEAVING = ("Opfølgningsdatoen «Z» er ikke en dato, så den kan ikke gemmes; i filen står 2027-03-01.\n\n"
           "Hvis du lukker nu, går det, du skrev i feltet, tabt.")


async def test_leaving_with_a_date_that_is_no_date_asks_first(tmp_path) -> None:  # noqa: ANN001
    from musterm.app.screens.start import StartScreen

    store = make_store(tmp_path)
    relative = held_with_a_date(store)
    before = file_text(store, relative)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        date = await to_the_date(pilot)
        await overwrite(pilot, date, "Z")
        await pilot.press("f2")
        for key in ("ctrl+l", "ctrl+q"):
            await pilot.press(key)
            await wait_until(lambda: isinstance(app.screen, Choice), what=f"the question after {key}")
            choice = app.screen
            assert choice.message == LEAVING
            await pilot.press("escape")  # stay
            await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation again")
            await pilot.pause()
            assert app.focused is date and date.value == "Z", "back in the field to put it right"
        await pilot.press("ctrl+l")
        await wait_until(lambda: isinstance(app.screen, Choice), what="the question")
        await pilot.press("tab", "enter")  # "Luk alligevel"
        await wait_until(lambda: isinstance(app.screen, StartScreen), what="the start screen")
        await pilot.press("ctrl+q")
    assert not app.is_running
    assert file_text(store, relative) == before
