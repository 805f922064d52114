"""Every printable key lands in a text field or gets a visible reason, on every screen.

tests/app/test_typing.py covers the conversation's own fields; here: a select and the buttons of
the new-conversation form, the buttons of the plan-row dialog and of the file dialogs, the start
screen's table (letters go to the filter), the trends screen, and a conversation closed with F9
while it is open (the footer offers to read notes, not to write them, and a key says how to
reopen).
"""

from __future__ import annotations

from textual.widgets import Button, DataTable, Footer, Input, Select

from musterm.app.app import MustermApp
from musterm.app.screens.conversation import ConversationScreen
from musterm.app.screens.dialogs import Choice
from musterm.app.screens.files import SaveOutputScreen
from musterm.app.screens.new_conversation import NewConversationScreen
from musterm.app.screens.plan_row import PlanRowScreen
from musterm.app.screens.trends import TrendsScreen
from musterm.app.tabs.notes import NotesIndex
from musterm.app.tabs.plan import PlanTable
from musterm.app.widgets.note_area import NoteArea
from musterm.formats.session_file import loads
from musterm.model.session import Status

from .helpers import CATALOG, file_text, make_store, new_app, notifications, plan, type_text, wait_for_file, wait_until

CLOSED = "Samtalen er afsluttet – tryk F9 for at genåbne"


def footer_descriptions(app: MustermApp) -> list[str]:
    return [key.description for key in app.screen.query_one(Footer).query("FooterKey")]


async def tab_until(pilot, wanted, limit: int = 20) -> None:  # noqa: ANN001
    for _ in range(limit):
        if wanted(pilot.app.focused):
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached it; the focus is on {pilot.app.focused!r}")


async def says(pilot, key: str, words: str) -> None:  # noqa: ANN001
    """`key` typed where the focus is: a notice with `words` is shown."""
    pilot.app.clear_notifications()
    await type_text(pilot, key)
    assert any(words in message for message in notifications(pilot.app)), notifications(pilot.app)


async def test_the_new_conversation_forms_select_and_buttons_say_where_text_goes(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None) is not None, what="the start screen")
        await pilot.press("ctrl+n")
        await wait_until(lambda: isinstance(app.screen, NewConversationScreen), what="the form")
        await tab_until(pilot, lambda widget: isinstance(widget, Select))
        await says(pilot, "x", "tager ikke tekst")
        await tab_until(pilot, lambda widget: isinstance(widget, Button))
        await says(pilot, "x", "tager ikke tekst")
        assert all(field.value in ("", app.screen.query_one("#date", Input).value)
                   for field in app.screen.query(Input)), "no letter landed in a field"


async def test_the_plan_row_dialogs_buttons_say_where_text_goes(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
        await pilot.press("f5")
        await wait_until(lambda: isinstance(app.focused, PlanTable), what="the plan table")
        await pilot.press("a")
        await wait_until(lambda: isinstance(app.screen, PlanRowScreen), what="the dialog")
        await tab_until(pilot, lambda widget: isinstance(widget, Button))
        await says(pilot, "x", "Knapperne tager ikke tekst")
        await pilot.press("escape")
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the dialog to close")
        await pilot.press("ctrl+q")


async def test_a_file_dialogs_buttons_say_where_text_goes(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
        app.push_screen(SaveOutputScreen("Gem", tmp_path, "x.txt", lambda: "x", store.root))
        await wait_until(lambda: isinstance(app.screen, SaveOutputScreen), what="the file dialog")
        await tab_until(pilot, lambda widget: isinstance(widget, Button))
        await says(pilot, "x", "tager ikke tekst")
        await pilot.press("escape")
        await pilot.press("ctrl+q")


async def test_letters_on_the_start_screens_table_go_to_the_filter(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    plan(store, "randers")
    plan(store, "randers", employee="Bo Ærø")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: len(getattr(app.screen, "shown", []) or []) == 2, what="the listing")
        await tab_until(pilot, lambda widget: isinstance(widget, DataTable))
        await type_text(pilot, "Bo")
        filter_field = app.screen.query_one("#filter", Input)
        assert filter_field.value == "Bo"
        assert app.focused is filter_field
        await wait_until(lambda: [s.employee for s in app.screen.shown] == ["Bo Ærø"], what="the filtered listing")


async def test_letters_on_the_trends_screen_say_how_to_go_back(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    plan(store, "randers")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None), what="the listing")
        await pilot.press("ctrl+t")
        await wait_until(lambda: isinstance(app.screen, TrendsScreen), what="the trends screen")
        await says(pilot, "x", "esc")


async def test_a_conversation_closed_with_f9_offers_reading_and_says_how_to_reopen(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
        screen = app.screen
        await pilot.press("f4")
        await wait_until(lambda: isinstance(app.focused, NotesIndex), what="the notes index")
        await wait_until(lambda: "Skriv noter" in footer_descriptions(app), what="the footer to offer writing")
        await pilot.press("f9", "f9")  # start, then close
        await wait_until(lambda: isinstance(app.screen, Choice), what="the closing question")
        await pilot.press("enter")
        await wait_until(lambda: app.screen is screen and screen.session.status == Status.CLOSED, what="closed")
        closed = await wait_for_file(store, relative, lambda text: loads(text).status == Status.CLOSED)
        await wait_until(lambda: screen.query(NotesIndex), what="the tabs rebuilt")
        await pilot.press("f2", "f4")
        await wait_until(lambda: isinstance(app.focused, NotesIndex), what="the notes index again")
        await wait_until(lambda: "Læs noter" in footer_descriptions(app), what="the footer to offer reading")
        assert "Skriv noter" not in footer_descriptions(app)
        await says(pilot, "abc", CLOSED)
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.focused, NoteArea), what="the (read-only) note")
        await says(pilot, "d", CLOSED)
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == closed
