"""Readable at every size: what the manager can read of the conversation at 40×12, 80×24 and 200×50,
in every bundled framework (issue 12, item 6). The snapshots in test_snapshots.py show the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList

from musterm.app.app import MustermApp
from musterm.app.screens.conversation import ConversationScreen
from musterm.model.labels import PLAN_COLUMNS

from .helpers import CATALOG, make_store, plan, wait_until

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
        for key, label in zip(PLAN_COLUMNS, labels, strict=True):
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
