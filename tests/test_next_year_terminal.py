"""Next year's conversation through a real terminal, in every bundled framework.

Last year's conversation is closed with plan rows that have no status. This year's is made
with ctrl+n on the start screen (same name and number), or with `musterm new … --date` and
opened with `musterm open NAME`. Then, by keys at 80x24: the first follow-up row is given a
status, ctrl+q quits, and the session file is exactly what the keys said. (Comments, and the
status set back to "ikke vurderet", are typed in the Pilot tests of tests/app/test_next_year.py.)
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

import pytest

from musterm.formats.session_file import dumps, loads
from musterm.frameworks.catalog import BUNDLED, Catalog
from musterm.model.session import FollowUpStatus, Person, PlanRow, Status, new_session
from musterm.store.events import Event
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store
from tests.terminal import CTRL_Q, ENTER, REPO, Musterm, Terminal, terminals  # noqa: F401 - terminals is a fixture

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")]

CATALOG = Catalog.discover()
FRAMEWORKS = sorted(entry.framework.id for entry in CATALOG if entry.origin == BUNDLED)
EMPLOYEE = "Anna Sørensen"
NUMBER = "4711"
MANAGER = "Lis Leder"
THIS_YEAR = dt.date.today()
LAST_YEAR = THIS_YEAR - dt.timedelta(days=365)
TAB = b"\t"
DOWN = b"\x1b[B"
CTRL_N = b"\x0e"
CTRL_S = b"\x13"
FOCUSED_PREPARATION = "━ Din egen forberedelse (leder) ━".encode()  # a focused note's heavy border


@pytest.fixture
def store(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Store:  # noqa: ANN001
    monkeypatch.setenv("MUSTERM_MANAGER", MANAGER)
    store = Store.open(tmp_path / "sessions")
    return store


def closed_last_year(store: Store, framework_id: str, birth_year: int | None = None) -> str:
    relative = plan_conversation(
        store, CATALOG.get(framework_id), employee=EMPLOYEE, number=NUMBER, birth_year=birth_year, manager=MANAGER,
        date=LAST_YEAR,
    )
    session = store.load(relative)
    session.status = Status.CLOSED
    session.plan.rows = [PlanRow(id="1", what="Kursus i Excel", when="Foråret"), PlanRow(id="2", what="Mentor")]
    store.save(relative, session)
    store.commit(relative, session, Event.CLOSED)
    return relative


def musterm_new(store: Store, framework_id: str) -> str:
    """`musterm new` as the manager types it in the shell; returns the new file's path in the store."""
    result = subprocess.run(
        [sys.executable, "-m", "musterm", "new", "--employee", EMPLOYEE, "--number", NUMBER,
         "--framework", framework_id, "--date", THIS_YEAR.isoformat(), "--time", "10:00"],
        capture_output=True, text=True, check=False, cwd=store.root.parent,
        env={**os.environ, "MUSTERM_SESSIONS": str(store.root), "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    return os.path.relpath(result.stdout.strip().splitlines()[-1], store.root)


def assess_first_row_and_quit(app: Musterm, store: Store, relative: str) -> None:
    """The focus starts in the manager's preparation: tab to the first row's status, choose
    "Gennemført", quit. Each key waits for what it shows, as a person watching the screen."""
    terminal = app.terminal
    terminal.wait_for("ikke startet".encode())
    terminal.wait_for(FOCUSED_PREPARATION)
    mark = len(terminal.text())
    terminal.press(TAB)
    terminal.wait_for("╭─ Din egen forberedelse (leder)".encode(), since=mark)  # the focus left it
    mark = len(terminal.text())
    terminal.press(ENTER)
    terminal.wait_for("opgivet".encode(), since=mark)  # the list of statuses is open
    terminal.press(DOWN, ENTER)
    deadline = time.monotonic() + 20
    while loads(store.path_of(relative).read_text(encoding="utf-8")).followup[0].status != FollowUpStatus.DONE:
        assert time.monotonic() < deadline, "the chosen status never reached the disk"
        time.sleep(0.05)
    terminal.write(CTRL_Q)
    code, _ = app.wait_exit(time.monotonic())
    assert code == 0
    assert b"Traceback" not in terminal.text()


def expected(store: Store, framework_id: str, previous: str, at: dt.time | None, birth_year: int | None = None) -> str:
    session = new_session(
        CATALOG.get(framework_id), Person(name=EMPLOYEE, number=NUMBER, birth_year=birth_year), Person(name=MANAGER),
        THIS_YEAR, at,
        previous=store.load(previous),
    )
    assert [row.status for row in session.followup] == [None, None]
    session.followup[0].status = FollowUpStatus.DONE
    return dumps(session)


def this_years(previous: str) -> str:
    return f"{previous.split('/')[0]}/{THIS_YEAR.isoformat()}.toml"


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
def test_musterm_new_a_year_later_then_open(store, terminals, framework_id: str) -> None:  # noqa: ANN001, F811
    previous = closed_last_year(store, framework_id)
    relative = musterm_new(store, framework_id)
    assert relative == this_years(previous)
    app = Musterm(store, terminals(), args=("open", EMPLOYEE))
    terminals.apps.append(app)
    assess_first_row_and_quit(app, store, relative)
    assert store.path_of(relative).read_text(encoding="utf-8") == expected(store, framework_id, previous, dt.time(10))


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
def test_ctrl_n_with_the_same_name_and_number(store, terminals, framework_id: str) -> None:  # noqa: ANN001, F811
    previous = closed_last_year(store, framework_id, birth_year=1962)
    app = Musterm(store, terminals())
    terminals.apps.append(app)
    terminal = app.terminal
    terminal.wait_for("Anna Sørens".encode())
    terminal.settle()
    mark = len(terminal.text())
    terminal.press(CTRL_N)
    # The highlighted employee is filled in, the name field has the focus (its bar on the left).
    terminal.wait_for(f"▊{EMPLOYEE}".encode(), since=mark)
    terminal.wait_for(NUMBER.encode(), since=mark)  # the known employee's number is filled in
    terminal.wait_for(b"1962", since=mark)  # and the birth year (the senior offer depends on it)
    terminal.settle()
    mark = len(terminal.text())
    terminal.type(EMPLOYEE)  # over the selected name, as a manager who did not look
    terminal.wait_for(EMPLOYEE.encode(), since=mark)
    terminal.settle()
    terminal.press(CTRL_S)
    relative = this_years(previous)
    assess_first_row_and_quit(app, store, relative)
    assert store.path_of(relative).read_text(encoding="utf-8") == expected(store, framework_id, previous, None, birth_year=1962)
