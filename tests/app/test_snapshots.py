"""Each tab of a conversation at 80×24, 40×12 and 200×50, as the manager sees it (Ringkøbing-Skjern,
second year), and F1 at 80×24.

Review changes with `pytest tests/app/test_snapshots.py --snapshot-report` before
accepting them with `--snapshot-update`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from musterm.app.app import MustermApp
from musterm.app.tabs.plan import PlanTable
from musterm.frameworks.catalog import Catalog
from musterm.model.session import FollowUpStatus, PlanRow
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store

from .helpers import wait_until

SIZE = (80, 24)


def _conversations(root: Path) -> tuple[Store, Catalog, str]:
    """Last year's conversation with a plan, and this year's with a few answers filled in."""
    store = Store.open(root)
    catalog = Catalog.discover()
    framework = catalog.get("ringkobing-skjern")
    person = dict(employee="Anna Sørensen", birth_year=1968, manager="Lars Leder", place="Mødelokale 2")
    last_year = plan_conversation(store, framework, date=dt.date(2025, 11, 20), time=dt.time(10), **person)
    earlier = store.load(last_year)
    earlier.question("glad-for-job").score = 4
    earlier.question("balance-arbejdsliv-fritidsliv").score = 3
    earlier.plan.rows.append(
        PlanRow(id="1", what="Excel", goal="Kunne lave et budget i Excel", how="Kursus på aftenskole", when="Foråret 2026")
    )
    store.save(last_year, earlier)
    store.commit(last_year, earlier)

    this_year = plan_conversation(store, framework, date=dt.date(2026, 11, 23), time=dt.time(10), **person)
    session = store.load(this_year)
    session.question("glad-for-job").score = 5
    session.question("glad-for-job").own_score = 4
    session.question("glad-for-job").notes = "Glad for de nye opgaver.\nTravlt i efteråret."
    session.question("balance-arbejdsliv-fritidsliv").own_score = 3
    session.followup[0].status = FollowUpStatus.DONE
    session.followup[0].comment = "Budgettet for 2026 er lavet i Excel."
    session.preparation.manager_notes = "Tal om ny rolle i teamet."
    session.plan.rows.append(
        PlanRow(id="1", what="Mentorordning", goal="Være mentor for en ny kollega", how="Sidemandsoplæring",
                when="Januar–marts 2027", followup="Ved 1:1 i april")
    )
    session.plan.rows.append(PlanRow(id="2", what="Projektledelse", goal="Lede et mindre projekt", when="2027"))
    session.closing.followup_date = dt.date(2027, 4, 15)
    store.save(this_year, session)
    store.commit(this_year, session)
    return store, catalog, this_year


@pytest.fixture
def app(tmp_path: Path) -> MustermApp:
    store, catalog, relative = _conversations(tmp_path / "sessions")
    return MustermApp(store, catalog, initial=relative)


async def _history_loaded(pilot) -> None:  # noqa: ANN001
    """Earlier scores appear once the employee's history is read in a worker."""
    await wait_until(
        lambda: getattr(getattr(pilot.app.screen, "conversation", None), "history", None) is not None,
        what="the employee's history",
    )
    await pilot.pause()


def _shown(keys: list[str]):  # noqa: ANN202
    """Press `keys` once history is read, and wait until the tab they lead to has settled."""

    async def run_before(pilot) -> None:  # noqa: ANN001
        await _history_loaded(pilot)
        await pilot.press(*keys)
        if keys[-1:] == ["f5"]:
            # The plan tab is built when first shown; then it focuses its table, and the focus
            # scrolls the table into view (at 40×12), both later than the key: wait for them.
            await wait_until(lambda: isinstance(pilot.app.focused, PlanTable), what="the plan's table in focus")
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()

    return run_before


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param([], id="forberedelse"),
        pytest.param(["f3"], id="scoring"),
        pytest.param(["f4", "down", "down", "down"], id="noter"),
        pytest.param(["f5"], id="plan"),
        pytest.param(["f6"], id="afslutning"),
    ],
)
def test_tab(snap_compare, app: MustermApp, keys: list[str]) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=_shown(keys))


TABS_AND_NOTE = [
    pytest.param([], id="forberedelse"),
    pytest.param(["f3"], id="scoring"),
    pytest.param(["f4", "down", "down", "down"], id="noter"),
    pytest.param(["f4", "down", "down", "down", "enter"], id="notefelt"),
    pytest.param(["f5"], id="plan"),
    pytest.param(["f6"], id="afslutning"),
]


@pytest.mark.parametrize("keys", TABS_AND_NOTE)
def test_tab_at_40x12(snap_compare, app: MustermApp, keys: list[str]) -> None:
    """The smallest terminal musterm is made for: the note is wider than two characters."""
    assert snap_compare(app, terminal_size=(40, 12), run_before=_shown(keys))


@pytest.mark.parametrize("keys", TABS_AND_NOTE)
def test_tab_at_200x50(snap_compare, app: MustermApp, keys: list[str]) -> None:
    """A large terminal: the Noter index and the note use the space."""
    assert snap_compare(app, terminal_size=(200, 50), run_before=_shown(keys))


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["f3", "f1"], id="scoring"),
        pytest.param(["f4", "f1"], id="noter"),
        pytest.param(["f4", "enter", "f1"], id="notefelt"),
        pytest.param(["f5", "f1"], id="plan"),
        pytest.param(["f6", "f1"], id="afslutning"),
    ],
)
def test_help(snap_compare, app: MustermApp, keys: list[str]) -> None:
    """F1: the keys of where you are and the area's help, in Danish, whole at 80×24."""
    assert snap_compare(app, press=keys, terminal_size=SIZE, run_before=_history_loaded)
