"""Readable at every size: what the manager can read of the conversation at 40×12, 80×24 and 200×50,
in every bundled framework (issue 12, item 6). The snapshots in test_snapshots.py show the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList

from musterm.app.app import MustermApp
from musterm.app.screens.conversation import ConversationScreen
from musterm.model.labels import PLAN_COLUMNS

from .helpers import CATALOG, make_store, notifications, plan, wait_until

FRAMEWORKS = [entry.framework.id for entry in CATALOG]


async def _open(pilot, tab: str) -> ConversationScreen:  # noqa: ANN001
    await wait_until(lambda: isinstance(pilot.app.screen, ConversationScreen), what="the conversation")
    await pilot.press(tab)
    await pilot.pause()
    return pilot.app.screen


def _app(tmp_path: Path, framework_id: str) -> MustermApp:
    store = make_store(tmp_path)
    return MustermApp(store, CATALOG, initial=plan(store, framework_id, birth_year=1960))


# --- the plan's headings -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (200, 50)], ids=["40x12", "80x24", "200x50"])
@pytest.mark.parametrize("framework_id", FRAMEWORKS)
async def test_the_plan_headings_are_never_cut(tmp_path: Path, framework_id: str, size: tuple[int, int]) -> None:
    """A heading that does not fit is shortened to its question or to the plan's own word for the
    column (Hvad? / Mål? / Hvordan? / Hvornår? / Opfølgning), never cut off in the middle."""
    app = _app(tmp_path, framework_id)
    framework = CATALOG.get(framework_id)
    async with app.run_test(size=size) as pilot:
        screen = await _open(pilot, "f5")
        table = screen.query_one("#plan-table", DataTable)
        labels = [str(column.label) for column in table.ordered_columns][1:]
        for key, label in zip(framework.plan.column_keys, labels, strict=True):  # the framework's columns
            full = getattr(framework.plan.columns, key).heading
            assert "…" not in label, (key, label)
            assert label in (full, full.split("?")[0] + "?", PLAN_COLUMNS[key]), (key, label)
        if size == (80, 24):
            assert labels == list(PLAN_COLUMNS.values()) or framework_id != "ringkobing-skjern"
        await pilot.press("ctrl+q")


# --- the Noter index -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (200, 50)], ids=["40x12", "80x24", "200x50"])
@pytest.mark.parametrize("framework_id", FRAMEWORKS)
async def test_the_notes_index_never_shows_two_questions_alike(
    tmp_path: Path, framework_id: str, size: tuple[int, int]
) -> None:
    """Two questions that begin alike (Norddjurs: "Hvordan oplever du samarbejdet med …") differ on
    the screen: each line of the index as drawn, without its marks, is unique."""
    app = _app(tmp_path, framework_id)
    async with app.run_test(size=size) as pilot:
        screen = await _open(pilot, "f4")
        index = screen.query_one("#notes-index", OptionList)
        await pilot.pause()
        width = index.scrollable_content_region.width
        drawn = [_drawn(index, position, width) for position in range(index.option_count)]
        assert len(set(drawn)) == len(drawn), sorted(line for line in drawn if drawn.count(line) > 1)
        await pilot.press("ctrl+q")


def _drawn(index: OptionList, position: int, width: int) -> str:
    """The text of an option as the index draws it in `width` cells (marks ✓ ! · left out)."""
    from rich.console import Console

    console = Console(width=width, legacy_windows=False, color_system=None)
    prompt = index.get_option_at_index(position).prompt
    lines = console.render_lines(prompt, console.options.update_width(width), pad=False)
    text = "".join(segment.text for segment in lines[0]).strip()
    return text.lstrip("✓!· ")


# --- F1 ------------------------------------------------------------------------------------------


def _textual_descriptions() -> set[str]:
    """Every description Textual's own widgets give their bindings ("Toggle collapsible", "Scroll Up", …)."""
    import inspect

    import textual.widgets
    from textual.binding import Binding
    from textual.dom import DOMNode

    found: set[str] = set()
    classes = [getattr(textual.widgets, name) for name in textual.widgets.__all__]
    from textual.widgets._collapsible import CollapsibleTitle
    from textual.widgets._tabbed_content import ContentTabs

    for cls in [*classes, CollapsibleTitle, ContentTabs]:
        if not (inspect.isclass(cls) and issubclass(cls, DOMNode)):
            continue
        for base in cls.__mro__:
            for binding in base.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.description:
                    found.add(binding.description)
    return found


ENGLISH = _textual_descriptions()


async def _help_is_danish_and_whole(pilot, where: str) -> None:  # noqa: ANN001
    """F1 where the focus is now: no line in Textual's English, nothing beyond the screen at 80×24."""
    from musterm.app import commands
    from musterm.app.screens.help import HelpScreen

    await pilot.press("f1")
    await wait_until(lambda: isinstance(pilot.app.screen, HelpScreen), what=f"the help at {where}")
    await pilot.pause()
    screen = pilot.app.screen
    danish = {command.title for command in commands.by_id().values()} | set(commands.TEXTUAL_BINDINGS.values())
    for group in screen.groups:
        for _, text in group.keys:
            assert text not in ENGLISH and text in danish, (where, group.heading, text)
    body = screen.query_one("#help-body")
    assert body.max_scroll_y == 0, f"{where}: the help is {body.max_scroll_y} lines longer than the screen"
    await pilot.press("escape")
    await wait_until(lambda: not isinstance(pilot.app.screen, HelpScreen), what="the help to close")


def test_textual_has_english_descriptions_to_look_for() -> None:
    assert {"Toggle collapsible", "Scroll Up", "Move cursor left"} <= ENGLISH


def _one_of_each_kind(chain: list) -> list:
    """The first widget of each type in the focus chain: what tab reaches, each kind once (their
    keys, and so the help, come with the type)."""
    kinds: dict[type, object] = {}
    for widget in chain:
        kinds.setdefault(type(widget), widget)
    return list(kinds.values())


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
async def test_f1_is_danish_and_whole_wherever_the_focus_is(tmp_path: Path, framework_id: str) -> None:
    """Every tab, every place tab reaches on it (a folded guidance, a select, a checkbox, a note)."""
    app = _app(tmp_path, framework_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "f2")
        for tab in ("f2", "f3", "f4", "f5", "f6"):
            await pilot.press(tab)
            await pilot.pause()
            for widget in _one_of_each_kind(app.screen.focus_chain):
                widget.focus()
                await pilot.pause()
                await _help_is_danish_and_whole(pilot, f"{framework_id} {tab} {type(widget).__name__}")
            if tab == "f4":  # the question panels: a score, a choice, yes/no
                await pilot.press("f4", "down", "enter")
                await _help_is_danish_and_whole(pilot, f"{framework_id} first question")
        await pilot.press("ctrl+q")


async def test_f1_is_danish_and_whole_on_the_other_screens(tmp_path: Path) -> None:
    """The overview, the new-conversation form, the plan-row dialog."""
    store = make_store(tmp_path)
    plan(store, "ringkobing-skjern")
    app = MustermApp(store, CATALOG)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None), what="the overview")
        await _help_is_danish_and_whole(pilot, "the overview")
        await pilot.press("ctrl+n")
        await pilot.pause()
        for field in range(9):
            await _help_is_danish_and_whole(pilot, f"the new-conversation form, field {field}")
            await pilot.press("tab")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
        await pilot.press("f5", "a")
        await pilot.pause()
        await _help_is_danish_and_whole(pilot, "the plan-row dialog")
        await pilot.press("ctrl+q")


# --- 40×12 ---------------------------------------------------------------------------------------


async def test_the_new_conversation_form_scrolls_to_every_field_at_40x12(tmp_path: Path) -> None:
    """Tab brings each field into view, down to the buttons, and the text typed lands in it."""
    from textual.widgets import Button, Input, Select

    store = make_store(tmp_path)
    plan(store, "ringkobing-skjern")
    app = MustermApp(store, CATALOG)
    async with app.run_test(size=(40, 12)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None), what="the overview")
        await pilot.press("ctrl+n")
        await pilot.pause()
        dialog = app.screen.query_one("#new-dialog")
        visited = []
        for _ in range(9):
            await pilot.pause()
            field = app.screen.focused
            assert isinstance(field, Input | Select | Button), field
            visible = dialog.scrollable_content_region
            assert visible.y <= field.region.y and field.region.bottom <= visible.bottom, (field, field.region, visible)
            assert field.region.right <= visible.right, (field, field.region, visible)
            visited.append(field.id)
            await pilot.press("tab")
        assert visited == ["employee", "number", "birth-year", "framework", "date", "time", "place", "create", "cancel"]
        assert dialog.max_scroll_y > 0  # it did have to scroll
        await pilot.press("escape")


# --- not by colour alone -------------------------------------------------------------------------


def _look(app: MustermApp, widget) -> tuple[tuple[str, bool, bool, bool], ...]:  # noqa: ANN001
    """What `widget` shows on a monochrome terminal: each cell's character, bold, underline, reverse."""
    from textual.geometry import Region

    strips = app.screen._compositor.render_strips()
    region = widget.region.intersection(Region(0, 0, *app.size))
    assert region.area, f"{widget} is not on the screen"
    cells = []
    for y in range(region.y, region.bottom):
        for segment in strips[y].crop(region.x, region.right):
            style = segment.style
            attributes = (bool(style and style.bold), bool(style and style.underline), bool(style and style.reverse))
            cells += [(character, *attributes) for character in segment.text]
    return tuple(cells)


def _text(look: tuple[tuple[str, bool, bool, bool], ...]) -> str:
    return "".join(cell[0] for cell in look)


def _attributes(look: tuple[tuple[str, bool, bool, bool], ...]) -> set[tuple[bool, bool, bool]]:
    return {cell[1:] for cell in look if cell[0].strip()}


async def _focus_look(pilot, widget) -> tuple:  # noqa: ANN001
    widget.focus()
    await pilot.pause()
    return _look(pilot.app, widget)


THEMES = ["ansi-dark", "nord", "textual-light"]
"""musterm's default, and two whose own focus styles are colour only."""


@pytest.mark.parametrize("theme", THEMES)
async def test_choices_and_focus_show_without_colour_in_the_conversation(tmp_path: Path, theme: str) -> None:
    from textual.widgets import Checkbox, RadioButton, RadioSet, Tab
    from textual.widgets._collapsible import CollapsibleTitle

    from musterm.app.tabs.notes import NotesIndex, NotesTab

    store = make_store(tmp_path)
    relative = plan(store, "ringkobing-skjern", birth_year=1960)
    session = store.load(relative)
    session.question("oensker-seniorsamtale").answer = True
    session.closing.leader_signed = None
    store.save(relative, session)
    app = MustermApp(store, CATALOG, initial=relative)
    app.theme = theme
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, "f2")
        tabs = list(screen.query(Tab))
        active = [tab for tab in tabs if tab.has_class("-active")]
        assert len(active) == 1
        assert _attributes(_look(app, active[0])) != _attributes(_look(app, tabs[-1])), "the active tab"
        tab_bar = screen.query_one("ContentTabs")
        assert await _focus_look(pilot, tab_bar) != (tab_bar.blur(), await pilot.pause(), _look(app, tab_bar))[2]

        preparation = screen.query_one("PreparationTab")
        focused = await _focus_look(pilot, preparation)
        tab_bar.focus()
        await pilot.pause()
        assert focused != _look(app, preparation), "a focused tab (↑↓ scroll it)"

        title = screen.query(CollapsibleTitle).first()
        focused = await _focus_look(pilot, title)
        tab_bar.focus()
        await pilot.pause()
        assert focused != _look(app, title), "a focused folded section"

        await pilot.press("f4")
        await pilot.pause()
        notes = screen.query_one(NotesTab)
        notes.select("seniorsamtale", "oensker-seniorsamtale")
        await pilot.pause()
        radio_set = screen.query_one("#yesno", RadioSet)
        radio_set.scroll_visible(animate=False)
        await pilot.pause()
        yes, no = radio_set.query(RadioButton)
        assert yes.value and not no.value
        # By the mark itself: bold on a "●" is hard to see, and Textual draws both with one.
        assert _text(_look(app, yes)[:3]) == "▐●▌" and _text(_look(app, no)[:3]) == "▐ ▌", "the chosen answer"
        focused = await _focus_look(pilot, radio_set)
        index = screen.query_one(NotesIndex)
        index.focus()
        await pilot.pause()
        assert focused != _look(app, radio_set), "a focused radio set"
        panel = radio_set.parent
        focused = await _focus_look(pilot, panel)
        index.focus()
        await pilot.pause()
        assert focused != _look(app, panel), "a focused Noter panel"
        index_lines = _look(app, index)
        width = index.region.width
        highlighted = index.highlighted - index.scroll_offset.y
        rows = [index_lines[row * width:(row + 1) * width] for row in range(index.region.height)]
        assert _attributes(rows[highlighted]) != _attributes(rows[highlighted - 1]), "the index's highlighted line"

        await pilot.press("f6")
        await pilot.pause()
        leader, employee = screen.query(Checkbox)
        employee.scroll_visible(animate=False)
        await pilot.pause()
        assert _look(app, leader)[:3] == _look(app, employee)[:3]  # neither signed
        leader.value = True
        await pilot.pause()
        assert _text(_look(app, leader)[:3]) == "▐X▌" and _text(_look(app, employee)[:3]) == "▐ ▌", "a ticked checkbox"
        focused = await _focus_look(pilot, employee)
        leader.focus()
        await pilot.pause()
        assert focused != _look(app, employee), "a focused checkbox"
        await pilot.press("ctrl+q")


@pytest.mark.parametrize("theme", THEMES)
async def test_focus_shows_without_colour_in_the_form_and_the_overview(tmp_path: Path, theme: str) -> None:
    from textual.widgets import Button, DataTable, Select

    store = make_store(tmp_path)
    plan(store, "ringkobing-skjern")
    plan(store, "randers", employee="Bo Ærø")
    app = MustermApp(store, CATALOG)
    app.theme = theme
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None), what="the overview")
        table = app.screen.query_one("#sessions", DataTable)
        table.focus()
        await pilot.pause()
        table_look = _look(app, table)
        width = table.region.width
        header, first, second = (table_look[row * width:(row + 1) * width] for row in range(3))
        assert _attributes(first) != _attributes(second), "the overview's cursor row"

        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        employee = form.query_one("#employee")
        for widget in (form.query_one("#framework", Select), form.query_one("#create", Button)):
            focused = await _focus_look(pilot, widget)
            employee.focus()
            await pilot.pause()
            assert focused != _look(app, widget), widget
        await _focus_look(pilot, form.query_one("#framework", Select))
        await pilot.press("enter")  # the select's list of frameworks
        await pilot.pause()
        overlay = form.query_one("SelectOverlay")
        lines = _look(app, overlay)
        width = overlay.region.width
        rows = [_attributes(lines[row * width:(row + 1) * width]) for row in range(overlay.region.height)]
        assert len({frozenset(row) for row in rows if row}) > 1, "the highlighted framework in the list"
        await pilot.press("escape", "escape")


async def test_the_plan_row_dialog_fits_40x12(tmp_path: Path) -> None:
    """Its buttons side by side within the screen, and tab brings each column's field into view."""
    from textual.widgets import Button

    app = _app(tmp_path, "ringkobing-skjern")
    async with app.run_test(size=(40, 12)) as pilot:
        await _open(pilot, "f5")
        await pilot.press("a")
        await wait_until(lambda: app.screen.query("#row-dialog"), what="the plan-row dialog")
        await pilot.pause()
        dialog = app.screen.query_one("#row-dialog")
        for button in app.screen.query(Button):
            assert dialog.content_region.contains_region(button.region), (button, button.region, dialog.content_region)
        fields = app.screen.query_one("#row-fields")
        for _ in range(5):
            field = app.screen.focused
            assert fields.content_region.contains_region(field.region), (field, field.region)
            await pilot.press("tab")
            await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+q")


# --- smaller than 40×12 --------------------------------------------------------------------------


async def test_a_terminal_smaller_than_40x12_says_so_once_each_time_and_typing_goes_on(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(30, 8)) as pilot:
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
        await wait_until(lambda: notifications(app), what="a word about the small window")
        assert notifications(app) == ["Vinduet er kun 30×8 tegn; musterm er lavet til 40×12 eller større."]
        await pilot.resize_terminal(32, 8)  # dragged a little: still small, no second word
        await pilot.resize_terminal(80, 24)
        await pilot.resize_terminal(80, 11)
        await pilot.pause()
        assert notifications(app)[1:] == ["Vinduet er kun 80×11 tegn; musterm er lavet til 40×12 eller større."]
        assert isinstance(app.screen, ConversationScreen) and app.screen.focused is not None
        await pilot.press("ctrl+q")
