"""Next year's conversation: last year's closed plan comes back for follow-up, in every bundled framework.

Last year's conversation is closed with plan rows that have no status yet (as every plan
does when it is agreed). This year's is started from the start screen with ctrl+n and the
same name and number, or by `musterm new` and opened directly (as `musterm open` does).
The follow-up rows must open, take a status and a comment from the keys, and be saved.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, Select

from musterm.app.app import MustermApp
from musterm.app.screens.conversation import ConversationScreen
from musterm.app.screens.new_conversation import NewConversationScreen
from musterm.formats.session_file import dumps
from musterm.frameworks.catalog import BUNDLED
from musterm.model.session import FollowUpStatus, Person, PlanRow, Status, new_session
from musterm.store.events import Event
from musterm.store.repository import Store

from .helpers import (
    CATALOG,
    EMPLOYEE,
    MANAGER,
    PLACE,
    TIME,
    file_text,
    make_store,
    new_app,
    plan,
    type_text,
    wait_until,
)

FRAMEWORKS = sorted(entry.framework.id for entry in CATALOG if entry.origin == BUNDLED)
NUMBER = "4711"
THIS_YEAR = dt.date.today()  # the new-conversation form starts on today's date
LAST_YEAR = THIS_YEAR - dt.timedelta(days=365)
PLAN_ROWS = [
    PlanRow(id="1", what="Kursus i Excel", goal="Kan lave budgettet selv", when="Foråret"),
    PlanRow(id="2", what="Mentor for en ny kollega", how="Sidemandsoplæring"),
]
COMMENT = "Kurset er taget; budgettet for næste år er lavet i Excel."


def closed_last_year(store: Store, framework_id: str, **person: object) -> str:
    """Last year's conversation, closed with plan rows that were never given a status."""
    relative = plan(store, framework_id, number=NUMBER, date=LAST_YEAR, **person)
    session = store.load(relative)
    session.status = Status.CLOSED
    session.plan.rows = [row.model_copy() for row in PLAN_ROWS]
    store.save(relative, session)
    store.commit(relative, session, Event.CLOSED)
    return relative


def test_every_bundled_framework_is_tried() -> None:
    assert FRAMEWORKS == ["haderslev", "herlev", "norddjurs", "randers", "ringkobing-skjern"]


async def tab_to_status(pilot) -> Select:  # noqa: ANN001
    """Tab from wherever the focus starts to the first follow-up row's status."""
    for _ in range(40):
        focused = pilot.app.focused
        if isinstance(focused, Select) and focused.has_class("followup-status"):
            return focused
        await pilot.press("tab")
    pytest.fail(f"tab never reached the follow-up status; focus is on {pilot.app.focused!r}")


async def assess_rows(pilot) -> None:  # noqa: ANN001
    """By keys only: status "Gennemført" and a comment on last year's first agreement; the second
    is set to "I gang" and back to "ikke vurderet"."""
    status = await tab_to_status(pilot)
    assert status.value is Select.NULL, "no status yet"
    assert "Status: ikke vurderet" in str(status.query_one("SelectCurrent #label").render())
    await pilot.press("enter", "down", "enter")
    assert status.value == FollowUpStatus.DONE.value
    await pilot.press("tab")
    assert isinstance(pilot.app.focused, Input) and pilot.app.focused.has_class("followup-comment")
    await type_text(pilot, COMMENT)
    await pilot.press("tab")
    second = pilot.app.focused
    assert isinstance(second, Select) and second is not status
    await pilot.press("enter", "down", "down", "enter")
    assert second.value == FollowUpStatus.IN_PROGRESS.value
    await pilot.press("enter", "up", "up", "enter")
    assert second.value is Select.NULL


def expected_this_year(store: Store, framework_id: str, previous: str, time: dt.time | None, place: str) -> str:
    expected = new_session(
        CATALOG.get(framework_id),
        Person(name=EMPLOYEE, number=NUMBER),
        Person(name=MANAGER),
        THIS_YEAR,
        time,
        place,
        previous=store.load(previous),
    )
    assert [row.status for row in expected.followup] == [None, None]
    expected.followup[0].status = FollowUpStatus.DONE
    expected.followup[0].comment = COMMENT
    return dumps(expected)


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
async def test_ctrl_n_with_the_same_name_and_number_opens_last_years_plan(
    tmp_path, monkeypatch: pytest.MonkeyPatch, framework_id: str  # noqa: ANN001
) -> None:
    monkeypatch.setenv("MUSTERM_MANAGER", MANAGER)
    store = make_store(tmp_path)
    previous = closed_last_year(store, framework_id)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None), what="the start screen's listing")
        await pilot.press("ctrl+n")
        await wait_until(lambda: isinstance(app.screen, NewConversationScreen), what="the form")
        await type_text(pilot, EMPLOYEE)
        form = app.screen
        assert form.query_one("#number", Input).value == NUMBER, "the known employee's number is filled in"
        assert form.query_one("#framework", Select).value == framework_id
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="next year's conversation", timeout=20,
                         app=app)
        screen = app.screen
        relative = screen.conversation.relative
        assert relative.split("/")[0] == previous.split("/")[0], "the same employee's folder"
        assert [row.what for row in screen.session.followup] == [row.what for row in PLAN_ROWS]
        await assess_rows(pilot)
        await pilot.press("ctrl+q")
    assert not app.is_running
    assert file_text(store, relative) == expected_this_year(store, framework_id, previous, None, "")


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
async def test_musterm_new_a_year_later_then_open(tmp_path, monkeypatch: pytest.MonkeyPatch, framework_id: str) -> None:  # noqa: ANN001
    """As `musterm new --date …` followed by `musterm open`: the conversation is opened directly."""
    monkeypatch.setenv("MUSTERM_MANAGER", MANAGER)
    store = make_store(tmp_path)
    previous = closed_last_year(store, framework_id)
    relative = plan(store, framework_id, number=NUMBER, date=THIS_YEAR)
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
        await assess_rows(pilot)
        await pilot.press("ctrl+q")
    assert not app.is_running
    assert file_text(store, relative) == expected_this_year(store, framework_id, previous, TIME, PLACE)
