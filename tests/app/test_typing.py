"""Typing in a conversation: every printable key lands in a text field or gets a visible reason.

Right after opening, the focus is in the manager's own preparation field (not on a folded
guidance text), so the first letters typed are kept. A key typed where no text goes (a
select, the plan table, a score) says how to get to a text field; in a closed conversation
it says how to reopen it, and the footer does not offer to write notes.
"""

from __future__ import annotations

import pytest
from textual.widgets import Footer, Select

from musterm.app.app import MustermApp
from musterm.app.tabs.notes import NotesIndex
from musterm.app.tabs.plan import PlanTable
from musterm.app.tabs.scoring import ScoreRow
from musterm.app.widgets.note_area import NoteArea
from musterm.formats.session_file import loads
from musterm.model.session import Status
from musterm.store.events import Event

from .helpers import CATALOG, file_text, make_store, notifications, plan, type_text, wait_for_file, wait_until
from .test_next_year import FRAMEWORKS, closed_last_year

CLOSED = "Samtalen er afsluttet – tryk F9 for at genåbne"


def footer_descriptions(app: MustermApp) -> list[str]:
    return [key.description for key in app.screen.query_one(Footer).query("FooterKey")]


async def opened(pilot, relative: str) -> None:  # noqa: ANN001
    from musterm.app.screens.conversation import ConversationScreen

    await wait_until(lambda: isinstance(pilot.app.screen, ConversationScreen), what="the conversation")
    await wait_until(lambda: pilot.app.focused is not None, what="the first focus")


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
async def test_typing_right_after_opening_lands_in_the_managers_preparation(tmp_path, framework_id: str) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, framework_id)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, relative)
        focused = app.focused
        assert isinstance(focused, NoteArea) and focused.attribute == "manager_notes"
        assert focused.region.height > 0, "scrolled into view"
        await type_text(pilot, "Spørg til vagtplanen\n")
        await wait_for_file(store, relative, lambda text: "Spørg til vagtplanen" in text)
        await pilot.press("ctrl+q")
    assert loads(file_text(store, relative)).preparation.manager_notes == "Spørg til vagtplanen\n"


async def test_a_key_where_no_text_goes_says_where_text_goes(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    closed_last_year(store, "ringkobing-skjern")
    relative = plan(store, "ringkobing-skjern", number="4711")
    before = file_text(store, relative)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, relative)
        await pilot.press("tab")
        assert isinstance(app.focused, Select)
        await pilot.press("x")
        assert any("tager ikke tekst" in message and "tab" in message for message in notifications(app))

        app.clear_notifications()
        await pilot.press("f3")
        await wait_until(lambda: isinstance(app.focused, ScoreRow), what="a score row")
        await pilot.press("x")
        assert any("0–9" in message for message in notifications(app))

        app.clear_notifications()
        await pilot.press("f5")
        await wait_until(lambda: isinstance(app.focused, PlanTable), what="the plan table")
        await pilot.press("x")
        assert any("a tilføjer en aftale" in message for message in notifications(app))
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == before


async def test_typing_into_a_closed_conversation_says_how_to_reopen_it(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    session = store.load(relative)
    session.status = Status.CLOSED
    store.save(relative, session)
    store.commit(relative, session, Event.CLOSED)
    before = file_text(store, relative)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, relative)
        await type_text(pilot, "abc")
        assert CLOSED in notifications(app)
        assert notifications(app).count(CLOSED) == 1, "one notice for a word, not one per letter"

        await pilot.press("f4")
        await wait_until(lambda: isinstance(app.focused, NotesIndex), what="the notes index")
        await wait_until(lambda: "Læs noter" in footer_descriptions(app), what="the footer to offer reading")
        assert "Skriv noter" not in footer_descriptions(app)
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.focused, NoteArea), what="the (read-only) note")
        app.clear_notifications()
        await type_text(pilot, "d")
        assert CLOSED in notifications(app)
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == before


async def test_the_footer_offers_to_write_notes_in_an_open_conversation(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, relative)
        await pilot.press("f4")
        await wait_until(lambda: isinstance(app.focused, NotesIndex), what="the notes index")
        await wait_until(lambda: "Skriv noter" in footer_descriptions(app), what="the footer to offer writing")
        assert "Læs noter" not in footer_descriptions(app)
        await pilot.press("ctrl+q")


async def test_a_key_on_a_dialogs_buttons_says_how_to_answer(tmp_path) -> None:  # noqa: ANN001
    from musterm.app.screens.dialogs import Choice

    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, relative)
        await pilot.press("f9", "f9")  # start, then ask to close
        await wait_until(lambda: isinstance(app.screen, Choice), what="the closing question")
        await pilot.press("j")
        assert any(message.startswith("Vælg et svar") for message in notifications(app))
        assert isinstance(app.screen, Choice), "still asking"
        await pilot.press("escape", "ctrl+q")
    assert loads(file_text(store, relative)).status == Status.HELD
