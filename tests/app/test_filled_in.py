"""What musterm knows, it fills in; what is empty stays empty.

ctrl+n on the start screen starts the highlighted employee's next conversation: name, number,
framework and birth year come from their latest one (the name is selected, so typing another
name replaces it). Typing a known employee's name fills in the same; typing on to a name
musterm does not know takes back what it filled in. The new file keeps the birth year (the
senior offer depends on it). A note of nothing but blank lines is saved as an empty note.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Select

from musterm.app.app import MustermApp
from musterm.app.screens.conversation import ConversationScreen
from musterm.app.screens.new_conversation import NewConversationScreen
from musterm.formats.session_file import dumps, loads
from musterm.model.session import Person, Status, new_session
from musterm.store.events import Event

from .helpers import (
    CATALOG,
    MANAGER,
    file_text,
    into_first_note,
    make_store,
    new_app,
    plan,
    type_text,
    wait_for_file,
    wait_until,
)

THIS_YEAR = dt.date.today()
LAST_YEAR = THIS_YEAR - dt.timedelta(days=365)


def closed(store, framework_id: str, employee: str, number: str, birth_year: int | None) -> str:  # noqa: ANN001
    relative = plan(store, framework_id, employee=employee, number=number, birth_year=birth_year, date=LAST_YEAR)
    session = store.load(relative)
    session.status = Status.CLOSED
    store.save(relative, session)
    store.commit(relative, session, Event.CLOSED)
    return relative


def two_employees(store) -> str:  # noqa: ANN001
    anna = closed(store, "haderslev", "Anna Sørensen", "4711", 1962)
    closed(store, "randers", "Bo Ærø", "12", None)
    return anna


def form_values(app: MustermApp) -> dict[str, object]:
    form = app.screen
    assert isinstance(form, NewConversationScreen)
    values: dict[str, object] = {name: form.query_one(f"#{name}", Input).value for name in ("employee", "number", "birth-year")}
    values["framework"] = form.query_one("#framework", Select).value
    return values


async def start_screen(pilot, employee: str) -> None:  # noqa: ANN001
    """The start screen's listing, with the cursor on `employee`'s row."""
    app = pilot.app
    await wait_until(lambda: getattr(app.screen, "shown", None), what="the start screen's listing")
    names = [summary.employee for summary in app.screen.shown]
    await pilot.press(*["down"] * names.index(employee))
    assert app.screen.selected().employee == employee


async def the_form(pilot) -> None:  # noqa: ANN001
    await pilot.press("ctrl+n")
    await wait_until(lambda: isinstance(pilot.app.screen, NewConversationScreen), what="the form")
    await wait_until(lambda: isinstance(pilot.app.focused, Input), what="the name field's focus")


def expected_file(store, previous: str, framework_id: str, number: str, birth_year: int | None) -> str:  # noqa: ANN001
    session = new_session(
        CATALOG.get(framework_id),
        Person(name="Anna Sørensen", number=number, birth_year=birth_year),
        Person(name=MANAGER),
        THIS_YEAR,
        previous=store.load(previous),
    )
    return dumps(session)


async def test_ctrl_n_on_a_highlighted_employee_fills_in_what_musterm_knows(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("MUSTERM_MANAGER", MANAGER)
    store = make_store(tmp_path)
    previous = two_employees(store)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_screen(pilot, "Anna Sørensen")
        await the_form(pilot)
        assert form_values(app) == {"employee": "Anna Sørensen", "number": "4711", "birth-year": "1962",
                                    "framework": "haderslev"}
        employee = app.screen.query_one("#employee", Input)
        assert employee.selected_text == "Anna Sørensen", "selected: typing another name replaces it"
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the new conversation", timeout=20)
        relative = app.screen.conversation.relative
        await pilot.press("ctrl+q")
    assert relative == f"{previous.split('/')[0]}/{THIS_YEAR.isoformat()}.toml"
    assert file_text(store, relative) == expected_file(store, previous, "haderslev", "4711", 1962)
    assert loads(file_text(store, relative)).employee.birth_year == 1962


async def test_typing_a_known_name_fills_in_and_typing_on_takes_it_back(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("MUSTERM_MANAGER", MANAGER)
    store = make_store(tmp_path)
    previous = two_employees(store)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_screen(pilot, "Bo Ærø")
        await the_form(pilot)
        assert form_values(app) == {"employee": "Bo Ærø", "number": "12", "birth-year": "", "framework": "randers"}
        await type_text(pilot, "Anna Sørensen")  # over the selected name
        assert form_values(app) == {"employee": "Anna Sørensen", "number": "4711", "birth-year": "1962",
                                    "framework": "haderslev"}
        await type_text(pilot, "-Holm")
        assert form_values(app)["number"] == "" and form_values(app)["birth-year"] == "", "not Anna's any more"
        for _ in "-Holm":
            await pilot.press("backspace")
        assert form_values(app)["number"] == "4711" and form_values(app)["birth-year"] == "1962"
        await pilot.press("tab", "tab")
        assert app.focused is app.screen.query_one("#birth-year", Input)
        await pilot.press("end", "backspace", "backspace")
        await type_text(pilot, "63")  # the manager knows better: kept
        await pilot.press("shift+tab", "shift+tab")
        await pilot.press("end")
        await type_text(pilot, "x")
        assert form_values(app)["birth-year"] == "1963", "what the manager typed is never taken back"
        await pilot.press("backspace", "ctrl+s")
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the new conversation", timeout=20)
        relative = app.screen.conversation.relative
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == expected_file(store, previous, "haderslev", "4711", 1963)


async def test_a_note_of_blank_lines_is_saved_empty(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    before = file_text(store, relative)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
        note = await into_first_note(pilot)
        await type_text(pilot, "Noget\n\n")
        await wait_for_file(store, relative, lambda text: "Noget" in text)
        await pilot.press(*["backspace"] * len("Noget\n\n"))
        await type_text(pilot, "\n \n")
        assert note.text == "\n \n", "on screen as typed"
        await wait_for_file(store, relative, lambda text: text == before)
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == before
    assert loads(before).theme("mig-som-medarbejder").notes == ""
