"""The plan-row dialog through a real terminal: what is typed in it is saved like any other text.

Three columns of a new agreement are typed into the dialog, nothing is saved with ctrl+s, and
the connection drops (SIGHUP, as when SSH goes): within 2 s of the last key the text is in the
session file, and after the hangup it is there exactly, as a row of the plan, and committed.
"""

from __future__ import annotations

import signal
import sys
import time

import pytest

from musterm.formats.session_file import dumps, loads
from musterm.model.session import PlanRow
from tests.terminal import (  # noqa: F401 - store, relative and terminals are fixtures
    ENTER,
    assert_all_committed,
    assert_lock_released,
    git,
    relative,
    start,
    store,
    terminals,
)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")]

F5 = b"\x1b[15~"
TAB = b"\t"
COLUMNS = ("Kursus i Excel: pivottabeller", "Kan lave budgettet selv", "Kommunens kursus, to dage")


def plan_rows_on_disk(store, relative: str) -> list[PlanRow]:  # noqa: ANN001
    return loads(store.path_of(relative).read_text(encoding="utf-8")).plan.rows


def open_conversation(store, terminals):  # noqa: ANN001, ANN201, F811
    """musterm started on the store, and enter on its conversation: the conversation is shown."""
    app = start(store, terminals)
    mark = len(app.terminal.text())
    app.terminal.press(ENTER)
    app.terminal.wait_for("ikke startet".encode(), since=mark)
    return app


def test_a_dropped_connection_keeps_what_the_plan_row_dialog_holds(store, relative, terminals) -> None:  # noqa: ANN001, F811
    before = store.load(relative)
    app = open_conversation(store, terminals)
    terminal = app.terminal
    mark = len(terminal.text())
    terminal.press(F5)
    terminal.wait_for("Ingen aftaler endnu".encode(), since=mark)
    mark = len(terminal.text())
    terminal.press(b"a")
    terminal.wait_for("Ny aftale".encode(), since=mark)
    for position, column in enumerate(COLUMNS):
        if position:
            terminal.press(TAB)
        mark = len(terminal.text())
        terminal.type(column)
        terminal.wait_for(column.encode(), since=mark)
    typed = time.monotonic()
    draft = PlanRow(id="1", what=COLUMNS[0], goal=COLUMNS[1], how=COLUMNS[2])
    while plan_rows_on_disk(store, relative) != [draft]:
        assert time.monotonic() - typed < 2.0, f"not saved within 2 s: {plan_rows_on_disk(store, relative)!r}"
        time.sleep(0.05)
    print(f"the dialog's draft was on disk {time.monotonic() - typed:.2f} s after the last key was drawn")

    code, _ = app.wait_exit(app.signal(signal.SIGHUP))
    assert code == 0
    before.plan.rows = [draft]
    assert store.path_of(relative).read_text(encoding="utf-8") == dumps(before)
    assert_all_committed(store, relative)
    assert_lock_released(store, relative)
    last = git(store, "log", "-1", "-p", "--format=%s")
    assert last.startswith("Anna Sørensen 2026-11-23: udviklingsplan ændret\n")
    for heading, column in zip(("Hvad?", "Mål?", "Hvordan?"), COLUMNS, strict=True):
        assert f"+    {heading}: {column}\n" in last  # as git's diff driver shows the file (textconv)


def test_a_hangup_right_after_a_burst_into_the_plan_row_dialog_keeps_it(store, relative, terminals) -> None:  # noqa: ANN001, F811
    """Over SSH the keys come in one packet: F5, a, and three columns in one write, then the
    connection drops as soon as the last column is drawn, long before the draft's autosave."""
    before = store.load(relative)
    app = open_conversation(store, terminals)
    terminal = app.terminal
    mark = len(terminal.text())
    terminal.write(F5 + b"a" + TAB.join(column.encode() for column in COLUMNS))
    terminal.wait_for(COLUMNS[-1].encode(), since=mark)

    code, _ = app.wait_exit(app.signal(signal.SIGHUP))
    assert code == 0
    before.plan.rows = [PlanRow(id="1", what=COLUMNS[0], goal=COLUMNS[1], how=COLUMNS[2])]
    assert store.path_of(relative).read_text(encoding="utf-8") == dumps(before)
    assert_all_committed(store, relative)
    assert_lock_released(store, relative)
