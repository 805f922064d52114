"""The start screen reads its rows from the index a page at a time: as the cursor nears the end
of what is loaded, and anew when the filter changes; it never holds every conversation."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from textual.widgets import DataTable

from musterm.app.screens.start import PAGE, StartScreen
from musterm.formats.session_file import dumps
from musterm.model.session import Person, new_session
from tests.app.helpers import CATALOG, make_store, new_app, type_text, wait_until

COUNT = PAGE * 2 + 30


def fill(root: Path) -> None:
    """COUNT conversations of COUNT employees, written and committed at once (the store would
    make a commit for each)."""
    framework = CATALOG.get("randers")
    for number in range(COUNT):
        name = "Bo Hansen" if number % 10 == 0 else f"Medarbejder {number:03d}"
        date = dt.date(2020, 1, 1) + dt.timedelta(days=number)
        session = new_session(framework, Person(name=name, number=str(number)), Person(name="Lis Leder"), date)
        folder = root / f"m-{number:03d}"
        folder.mkdir()
        (folder / f"{date.isoformat()}.toml").write_text(dumps(session), encoding="utf-8")
    for args in (["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x"]):
        subprocess.run(["git", *args], cwd=root, check=True)


async def test_rows_come_a_page_at_a_time_and_the_filter_asks_the_index(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    fill(store.root)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, StartScreen)
        table = screen.query_one("#sessions", DataTable)
        await wait_until(lambda: table.row_count == PAGE, what="the first page")
        assert screen.matching == COUNT and len(screen.shown) == PAGE
        newest = f"m-{COUNT - 1:03d}/{(dt.date(2020, 1, 1) + dt.timedelta(days=COUNT - 1)).isoformat()}.toml"
        assert screen.shown[0].path == newest
        for _ in range(PAGE // 2 + 1):
            await pilot.press("down")
        await wait_until(lambda: table.row_count == 2 * PAGE, what="the second page")
        assert len({summary.path for summary in screen.shown}) == 2 * PAGE
        await type_text(pilot, "bo hansen")
        await wait_until(lambda: screen.matching == len(range(0, COUNT, 10)), what="the filtered rows")
        await wait_until(lambda: table.row_count == len(range(0, COUNT, 10)), what="the filtered table")
        assert {summary.employee for summary in screen.shown} == {"Bo Hansen"}
