"""The plan-row dialog keeps what is typed in it: saved as it is typed, and esc never throws text
away without asking.

While the dialog is open, its text is part of every save of the conversation (as the row it will
become), so a pause, a quit or a dropped connection keeps it (tests/test_plan_row_terminal.py
drops the connection). Esc on an untouched dialog just closes it; once something is typed it asks,
in Danish, whether to keep the agreement, throw the typing away, or go on writing.
"""

from __future__ import annotations

from textual.widgets import Button

from musterm.app.app import MustermApp
from musterm.app.screens.conversation import ConversationScreen
from musterm.app.screens.dialogs import Choice
from musterm.app.screens.plan_row import ColumnArea, PlanRowScreen
from musterm.app.tabs.plan import PlanTable
from musterm.formats.session_file import dumps, loads
from musterm.model.session import PlanRow
from musterm.store.events import Event

from .helpers import CATALOG, committed_text, file_text, make_store, plan, type_text, wait_for_file, wait_until

ROW = PlanRow(id="1", what="Kursus i Excel", goal="Kan lave budgettet selv", when="Foråret")


def with_rows(store, relative: str, rows: list[PlanRow]) -> str:  # noqa: ANN001
    session = store.load(relative)
    session.plan.rows = rows
    return dumps(session)


async def open_plan(pilot, store, relative: str) -> None:  # noqa: ANN001
    app = pilot.app
    await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
    await pilot.press("f5")
    await wait_until(lambda: isinstance(app.focused, PlanTable), what="the plan table")


async def open_dialog(pilot, key: str) -> PlanRowScreen:  # noqa: ANN001
    await pilot.press(key)
    await wait_until(lambda: isinstance(pilot.app.screen, PlanRowScreen), what="the plan row dialog")
    await wait_until(lambda: isinstance(pilot.app.focused, ColumnArea), what="the first column")
    return pilot.app.screen


async def question(pilot) -> Choice:  # noqa: ANN001
    await wait_until(lambda: isinstance(pilot.app.screen, Choice), what="the question")
    await wait_until(lambda: isinstance(pilot.app.focused, Button), what="the question's answers")
    return pilot.app.screen


def answers(choice: Choice) -> list[str]:
    return [str(button.label) for button in choice.query(Button)]


async def test_a_new_rows_draft_is_saved_as_it_is_typed_and_esc_asks_before_throwing_it_away(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    before = file_text(store, relative)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, store, relative)
        dialog = await open_dialog(pilot, "a")
        await type_text(pilot, "Kursus i Excel")
        await pilot.press("tab")
        await type_text(pilot, "Kan lave budgettet selv")
        draft = with_rows(store, relative, [PlanRow(id="1", what="Kursus i Excel", goal="Kan lave budgettet selv")])
        await wait_for_file(store, relative, lambda text: text == draft, timeout=2.5)

        await pilot.press("escape")
        choice = await question(pilot)
        assert choice.title_text == "Gem aftalen?"
        assert "Du har skrevet i aftalen" in choice.message
        assert answers(choice) == ["Gem aftalen", "Kassér det skrevne", "Skriv videre"]
        await pilot.press("escape")  # esc on the question: back to writing, nothing lost
        await wait_until(lambda: app.screen is dialog, what="the dialog again")
        assert [area.text for area in dialog.query(ColumnArea)][:2] == ["Kursus i Excel", "Kan lave budgettet selv"]
        assert isinstance(app.focused, ColumnArea)

        await pilot.press("escape")
        await question(pilot)
        await pilot.press("tab", "enter")  # "Kassér det skrevne"
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation again")
        await wait_for_file(store, relative, lambda text: text == before, timeout=2.5)
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == before
    assert committed_text(store, relative) == before


async def test_enter_on_the_question_keeps_the_agreement(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, store, relative)
        await open_dialog(pilot, "a")
        await type_text(pilot, "Mentor")
        await pilot.press("escape")
        await question(pilot)
        await pilot.press("enter")  # the first answer, and the one with the focus: keep it
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation again")
        assert [row.what for row in app.screen.session.plan.rows] == ["Mentor"]
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == with_rows(store, relative, [PlanRow(id="1", what="Mentor")])


async def test_esc_on_an_untouched_dialog_closes_it_without_asking(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    session = store.load(relative)
    session.plan.rows = [ROW.model_copy()]
    store.save(relative, session)
    store.commit(relative, session, Event.NOTES)
    before = file_text(store, relative)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, store, relative)
        await open_dialog(pilot, "a")
        await pilot.press("escape")
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the dialog to close")
        await open_dialog(pilot, "enter")
        await pilot.press("tab", "escape")  # moved about, typed nothing
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the dialog to close")
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == before


async def test_an_edit_is_saved_as_it_is_typed_and_can_be_thrown_away(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    session = store.load(relative)
    session.plan.rows = [ROW.model_copy(), PlanRow(id="2", what="Mentor")]
    store.save(relative, session)
    store.commit(relative, session, Event.NOTES)
    before = file_text(store, relative)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, store, relative)
        await open_dialog(pilot, "enter")  # the first row
        await pilot.press("end")
        await type_text(pilot, " og Word")
        edited = ROW.model_copy(update={"what": "Kursus i Excel og Word"})
        draft = with_rows(store, relative, [edited, PlanRow(id="2", what="Mentor")])
        await wait_for_file(store, relative, lambda text: text == draft, timeout=2.5)
        await pilot.press("escape")
        choice = await question(pilot)
        assert "Du har ændret aftalen" in choice.message
        assert answers(choice) == ["Gem ændringerne", "Kassér ændringerne", "Skriv videre"]
        await pilot.press("tab", "enter")
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation again")
        await wait_for_file(store, relative, lambda text: text == before, timeout=2.5)

        await open_dialog(pilot, "enter")
        await pilot.press("end")
        await type_text(pilot, " og Word")
        await pilot.press("ctrl+s")  # saved for real this time
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation again")
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == draft
    assert committed_text(store, relative) == draft
    assert loads(draft).plan.rows[0].what == "Kursus i Excel og Word"


async def test_the_undo_button_asks_like_esc(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, store, relative)
        dialog = await open_dialog(pilot, "a")
        await type_text(pilot, "Mentor")
        dialog.query_one("#cancel", Button).press()
        choice = await question(pilot)
        assert answers(choice)[1] == "Kassér det skrevne"
        await pilot.press("escape")
        await wait_until(lambda: app.screen is dialog, what="the dialog again")
        await pilot.press("ctrl+q")
    assert file_text(store, relative) == with_rows(store, relative, [PlanRow(id="1", what="Mentor")])


async def test_ctrl_q_while_the_dialog_holds_text_keeps_it(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot, store, relative)
        await open_dialog(pilot, "a")
        await type_text(pilot, "Mentor")
        await pilot.press("ctrl+q")  # at once: no autosave has run yet
    expected = with_rows(store, relative, [PlanRow(id="1", what="Mentor")])
    assert file_text(store, relative) == expected
    assert committed_text(store, relative) == expected
