"""Keys that arrive together land in order, where they would have landed typed slowly (issue 12, item 2).

Over SSH, keys arrive in bursts after a stall. Each case here (tests/bursts.py) brings the real
app in a pseudo-terminal to a starting point, writes its key sequence as ONE `os.write`, and
checks every session file byte for byte after musterm has saved and gone. The same sequences are
also written in pieces, split between keys at points hypothesis chooses, a few milliseconds apart.

The transitions: the tab keys, F7/F8, F9 (start, close through its dialog, reopen), enter on the
overview then F4 and text, the whole new-conversation form, the plan-row editor, the palette's
jump then text, F1 open and close, ctrl+l and into another conversation, and backspace and arrows
inside text.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musterm.config import resolve
from musterm.formats.session_file import loads
from musterm.frameworks.catalog import Catalog
from musterm.model.session import PlanRow, Status
from musterm.store.gitrepo import Identity
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store
from tests.bursts import (
    ANNA,
    BACKSPACE,
    BO,
    CTRL_L,
    CTRL_N,
    CTRL_P,
    CTRL_S,
    DOWN,
    F1,
    F2,
    F3,
    F5,
    F6,
    F7,
    F8,
    F9,
    FIRST_THEME,
    FRAMEWORK,
    LEFT,
    QUESTIONS,
    RIGHT,
    TAB,
    Case,
    Run,
    expected,
    keys,
    open_conversation,
    open_first_note,
    play,
    with_started,
)
from tests.terminal import ENTER, F4

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")]


def notes(*changes: tuple[str, str]):  # noqa: ANN201
    """Expect these (theme or question id, notes) in Anna's conversation."""

    def expect(run: Run) -> dict[str, str]:
        def change(session) -> None:  # noqa: ANN001
            for item_id, text in changes:
                (session.theme(item_id) or session.question(item_id)).notes = text

        return {ANNA: expected(run, ANNA, change)}

    return expect


def _scores_and_notes(scores: dict[str, int], theme_notes: str = "", status: Status | None = None):  # noqa: ANN202
    def expect(run: Run) -> dict[str, str]:
        def change(session) -> None:  # noqa: ANN001
            for question_id, score in scores.items():
                session.question(question_id).score = score
            if theme_notes:
                session.theme(FIRST_THEME).notes = theme_notes
            if status is not None:
                session.status = status

        return {ANNA: expected(run, ANNA, change)}

    return expect


# --- the cases ---------------------------------------------------------------------------------


def _noop(run: Run) -> None:
    pass


def _new_conversation_form(run: Run) -> dict[str, str]:
    """The file musterm new would make of the same answers, with the app's own manager (the form
    opens with the first framework, Haderslev, chosen; the burst's Tab passes the select)."""
    settings = resolve(str(run.store.root))
    scratch = Store.open(run.store.root.parent / "expected", manager=Identity(settings.manager.name, settings.manager.email))
    relative = plan_conversation(
        scratch, Catalog.discover().get("haderslev"), employee="Søren Ærø", number="4711", birth_year=1962,
        date="2026-12-01", time="10:00", place="Mødelokale 2",
    )
    return {relative: scratch.path_of(relative).read_text(encoding="utf-8")}


def _plan_row(run: Run) -> dict[str, str]:
    def change(session) -> None:  # noqa: ANN001
        session.plan.rows.append(PlanRow(id=session.plan.next_row_id(), what="Kursus i Excel", goal="Bedre regneark",
                                         how="To dage på AMU", when="Foråret 2027", followup="Ved næste MUS"))

    return {ANNA: expected(run, ANNA, change)}


def _two_conversations(run: Run) -> dict[str, str]:
    anna = expected(run, ANNA, lambda s: setattr(s.theme(FIRST_THEME), "notes", "Anna først"))
    bo = expected(run, BO, lambda s: setattr(s.theme(FIRST_THEME), "notes", "Så Bo"))
    return {ANNA: anna, BO: bo}


def _open_anna_of_two(run: Run) -> None:
    """Bo's conversation is newer, so the overview lists it first: down to Anna, open, F4, enter."""
    run.step(DOWN, "Anna Sørensen")
    run.terminal.settle()
    open_first_note_here(run)


def open_first_note_here(run: Run) -> None:
    open_first_note(run)


def _started(run: Run) -> None:
    """Open the conversation and start it (F9), slowly: the burst closes and reopens it."""
    open_conversation(run)
    run.step(F9, "Holdt")


CASES = [
    Case("backspace inside text", open_first_note, keys("Sørne", BACKSPACE, BACKSPACE, "en"),
         notes((FIRST_THEME, "Søren"))),
    Case("backspace after three letters", open_first_note, keys("abc", BACKSPACE, "d"), notes((FIRST_THEME, "abd"))),
    Case("arrows inside text", open_first_note, keys("Søen", LEFT, LEFT, "r", RIGHT, RIGHT, "!"),
         notes((FIRST_THEME, "Søren!"))),
    Case("every tab key", open_first_note, keys("a", F2, F5, F6, F3, "3", F4, "b"),
         _scores_and_notes({QUESTIONS[0]: 3}, theme_notes="ab")),
    Case("F7 and F8 under Scoring", open_conversation, keys(F3, "4", F8, "5", F8, "6", F7, "2"),
         _scores_and_notes({QUESTIONS[0]: 4, QUESTIONS[1]: 2, QUESTIONS[2]: 6})),
    Case("F7 and F8 under Noter", open_first_note, keys("a", F8, "b", F8, "c", F7, "d"),
         notes((FIRST_THEME, "a"), (QUESTIONS[0], "bd"), ("job-og-arbejdsindhold", "c"))),
    Case("F9 then scores and a note", open_conversation,
         keys(F9, F3, "4", F8, "5", F8, "6", F4, ENTER, "Et godt år."),
         _scores_and_notes({QUESTIONS[0]: 4, QUESTIONS[1]: 5, QUESTIONS[2]: 6}, theme_notes="Et godt år.",
                           status=Status.HELD), finish=with_started(ANNA)),
    Case("F9 closes through its dialog, F9 reopens", _started, keys(F9, ENTER, F9, F4, ENTER, "Genåbnet"),
         _scores_and_notes({}, theme_notes="Genåbnet", status=Status.REOPENED), finish=with_started(ANNA)),
    Case("enter on the overview, F4, enter and text", _noop, keys(ENTER, F4, ENTER, "Fra start"),
         notes((FIRST_THEME, "Fra start"))),
    Case("enter on the overview, then text: the manager's own preparation", _noop, keys(ENTER, "Spørg om vagter"),
         lambda run: {ANNA: expected(run, ANNA, lambda s: setattr(s.preparation, "manager_notes", "Spørg om vagter"))}),
    Case("the whole new-conversation form", _noop,
         keys(CTRL_N, "Søren Ærø", TAB, "4711", TAB, "1962", TAB, TAB, "2026-12-01", TAB, "10:00", TAB,
              "Mødelokale 2", CTRL_S),
         _new_conversation_form, shows="ikke startet"),
    Case("the plan-row editor", lambda run: (open_conversation(run), run.step(F5, "Ingen aftaler endnu")),
         keys("a", "Kursus i Excel", TAB, "Bedre regneark", TAB, "To dage på AMU", TAB, "Foråret 2027", TAB,
              "Ved næste MUS", CTRL_S),
         _plan_row),
    Case("the palette's jump, then text", open_conversation,
         keys(CTRL_P, "glad for dit job", ENTER, "Meget glad"), notes((QUESTIONS[1], "Meget glad"))),
    Case("F1 opens and closes help", open_first_note, keys("før", F1, F1, " efter"), notes((FIRST_THEME, "før efter"))),
    Case("ctrl+l and into another conversation", _open_anna_of_two,
         keys("Anna først", CTRL_L, "Bo", ENTER, F4, ENTER, "Så Bo"), _two_conversations, conversations=(ANNA, BO)),
]
IDS = [case.name for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_one_burst(case: Case) -> None:
    play(case)


@pytest.mark.parametrize("case", CASES, ids=IDS)
@settings(max_examples=2, deadline=None, derandomize=False, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_burst_in_pieces(case: Case, data: st.DataObject) -> None:
    count = len(case.burst)
    cuts = data.draw(st.lists(st.integers(1, count - 1), min_size=1, max_size=4, unique=True), label="cuts")
    gaps = data.draw(st.lists(st.floats(0.0, 0.03), min_size=1, max_size=4), label="gaps")
    play(case, cuts, gaps)
