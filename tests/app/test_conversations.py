"""A whole conversation held with keys only, for each bundled framework.

Each test plans a draft in a real store (real git in tmp_path), opens it from the
start screen and holds the conversation the way a manager would: F9 starts it,
digits score it (F3), the Noter tab (F4) takes notes, choices, yes/no and list
answers, the Plan tab (F5) gets two agreements, the Afslutning tab (F6) a
follow-up date, an evaluation and both sign-offs, F9 closes it and ctrl+q quits.
Then the session file must be exactly what the keys said, and the commits must
be the ones the autosaver promises, in order.

The clock is frozen in the two app modules that read it (start time, sign-off
date), so the expected file is exact.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioSet

from musterm.app.screens.conversation import ConversationScreen
from musterm.app.screens.plan_row import ColumnArea, PlanRowScreen
from musterm.app.tabs.notes import PRIVATE, NotesIndex
from musterm.app.tabs.plan import PlanTable
from musterm.app.tabs.scoring import ScoreRow
from musterm.app.widgets.note_area import NoteArea
from musterm.formats.session_file import dumps, loads
from musterm.model.session import Closing, Person, PlanRow, Session, Status, new_session

from .helpers import (
    CATALOG,
    DATE,
    EMPLOYEE,
    MANAGER,
    PLACE,
    STARTED,
    TIME,
    TODAY,
    committed_text,
    file_text,
    freeze_clock,
    is_clean,
    make_store,
    new_app,
    open_from_start,
    plan,
    subjects,
    type_text,
    wait_until,
)

FOLLOWUP_DATE = dt.date(2027, 3, 1)
PLAN_ROWS = [
    ("Kursus i konflikthåndtering", "Tryg i svære samtaler", "2 dage hos FOA", "Foråret 2027", "1:1 i juni"),
    ("Sidemandsoplæring af Ole", "Ole kan selv vagtplanen", "Følges ad", "Q1", "Status på personalemødet"),
]


# Each test types a whole conversation through Textual's key handling: 10-40 s apiece.
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_clock(monkeypatch)


def subjects_for(events: list[str]) -> list[str]:
    return ["Samtalearkiv oprettet af musterm", *[f"{EMPLOYEE} {DATE.isoformat()}: {event}" for event in events]]


def expected_draft(framework_id: str, birth_year: int | None = None) -> Session:
    """The draft as `musterm new` writes it, built here from the framework rather than read from the app."""
    return new_session(
        CATALOG.get(framework_id),
        Person(name=EMPLOYEE, birth_year=birth_year),
        Person(name=MANAGER),
        DATE,
        TIME,
        PLACE,
    )


ALL_COLUMNS = ("what", "goal", "how", "when", "followup")


def held_and_closed(session: Session, evaluation: str, signed: bool = True, columns: tuple[str, ...] = ALL_COLUMNS) -> None:
    """What every test does at the start and at the end: F9, the plan's two rows (in the framework's
    columns), the closing tab, F9."""
    session.status = Status.CLOSED
    session.started = STARTED
    session.plan.rows = [
        PlanRow(id=str(number), **{key: value for key, value in zip(ALL_COLUMNS, row, strict=True) if key in columns})
        for number, row in enumerate(PLAN_ROWS, start=1)
    ]
    session.closing = Closing(
        evaluation=evaluation,
        followup_date=FOLLOWUP_DATE,
        leader_signed=TODAY if signed else None,
        employee_signed=TODAY if signed else None,
    )


def give_scores(session: Session, digits: list[str]) -> None:
    """The digits typed on the Scoring tab (see score), as the scores of the scored questions in order."""
    scored = [question for _, question in session.questions() if question.scale is not None]
    assert len(scored) == len(digits), f"{len(scored)} scored questions, {len(digits)} digits"
    for question, digit in zip(scored, digits, strict=True):
        question.score = int(digit)


# --- keys ------------------------------------------------------------------------------------------


def focused(pilot: Pilot) -> object:
    return pilot.app.focused


async def tab_to(pilot: Pilot, wanted, limit: int = 40) -> None:  # noqa: ANN001
    """Press tab until the focused widget satisfies `wanted` (a predicate)."""
    for _ in range(limit):
        if wanted(focused(pilot)):
            return
        await pilot.press("tab")
    pytest.fail(f"tab never reached the wanted widget; focus is on {focused(pilot)!r}")


async def start_conversation(pilot: Pilot, screen: ConversationScreen) -> None:
    assert screen.session.status == Status.DRAFT
    await pilot.press("f9")
    assert screen.session.status == Status.HELD
    await wait_until(lambda: subjects(screen.saver.store)[-1].endswith("samtale startet"), what="the start commit")


async def score(pilot: Pilot, digits: list[str]) -> None:
    """On the Scoring tab: a digit for each scored question, moving down between them."""
    await pilot.press("f3")
    await wait_until(lambda: isinstance(focused(pilot), ScoreRow), what="the first score row to take focus")
    rows = list(pilot.app.screen.query(ScoreRow))
    assert len(rows) == len(digits), "one digit per scored question"
    for position, digit in enumerate(digits):
        assert focused(pilot) is rows[position]
        await pilot.press(digit)
        await pilot.press("down")


async def open_notes_tab(pilot: Pilot) -> NotesIndex:
    await pilot.press("f4")
    await wait_until(lambda: isinstance(focused(pilot), NotesIndex), what="the notes index to take focus")
    return pilot.app.screen.query_one(NotesIndex)


async def go_to(pilot: Pilot, item_id: str) -> None:
    """In the notes index: arrow to the theme, question or private notes, and enter its notes area."""
    index = pilot.app.screen.query_one(NotesIndex)
    if focused(pilot) is not index:
        await pilot.press("escape")
    assert focused(pilot) is index, "escape goes back to the index"
    steps = index.get_option_index(item_id) - (index.highlighted or 0)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    await pilot.press("enter")
    await wait_until(lambda: isinstance(focused(pilot), NoteArea), what=f"the notes area of {item_id}")


async def write_note(pilot: Pilot, item_id: str, text: str) -> None:
    await go_to(pilot, item_id)
    await type_text(pilot, text)


async def choose(pilot: Pilot, radio_set_id: str, downs: int) -> None:
    """From a question's notes area, shift+tab back to its radio buttons and pick one with the arrows."""
    await pilot.press("shift+tab")
    radio_set = focused(pilot)
    assert isinstance(radio_set, RadioSet) and radio_set.id == radio_set_id
    await pilot.press(*["down"] * downs, "enter")
    await pilot.press("tab")
    assert isinstance(focused(pilot), NoteArea)


async def add_plan_rows(pilot: Pilot, columns: tuple[str, ...] = ALL_COLUMNS) -> None:
    await pilot.press("f5")
    await wait_until(lambda: isinstance(focused(pilot), PlanTable), what="the plan table to take focus")
    for whole in PLAN_ROWS:
        row = [value for key, value in zip(ALL_COLUMNS, whole, strict=True) if key in columns]
        await pilot.press("a")
        await wait_until(lambda: isinstance(pilot.app.screen, PlanRowScreen), what="the plan row form")
        for position, column in enumerate(row):
            assert isinstance(focused(pilot), ColumnArea)
            await type_text(pilot, column)
            if position < len(row) - 1:
                await pilot.press("tab")
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(pilot.app.screen, ConversationScreen), what="the plan row form to close")
    assert isinstance(focused(pilot), PlanTable)


async def close_out(pilot: Pilot, screen: ConversationScreen, evaluation: str, signed: bool = True) -> None:
    """The Afslutning tab: follow-up date, evaluation, both sign-offs (a framework without signatures has
    none to give); then F9 and enter to close."""
    await pilot.press("f6")
    await tab_to(pilot, lambda widget: isinstance(widget, Input) and widget.id == "followup-date")
    await type_text(pilot, FOLLOWUP_DATE.isoformat())
    await pilot.press("tab")
    assert isinstance(focused(pilot), NoteArea)
    await type_text(pilot, evaluation)
    if signed:
        await pilot.press("tab")
        assert isinstance(focused(pilot), Checkbox) and focused(pilot).id == "leader-signed"
        await pilot.press("space", "tab")
        assert isinstance(focused(pilot), Checkbox) and focused(pilot).id == "employee-signed"
        await pilot.press("space")
    else:
        assert not screen.query(Checkbox), "the framework asks for no signatures"
    await pilot.press("f9")
    await wait_until(lambda: pilot.app.screen is not screen, what="the closing dialog")
    await pilot.press("enter")
    await wait_until(lambda: pilot.app.screen is screen, what="the dialog to close")
    assert screen.session.status == Status.CLOSED
    await wait_until(lambda: subjects(screen.saver.store)[-1].endswith("samtale afsluttet"), what="the close commit")


async def save_and_commit(pilot: Pilot, screen: ConversationScreen) -> None:
    """ctrl+s: save and commit now; wait for the commit so the history is the same on every run."""
    count = len(subjects(screen.saver.store))
    await pilot.press("ctrl+s")
    await wait_until(lambda: len(subjects(screen.saver.store)) > count, what="the ctrl+s commit")


def assert_stored(store, relative: str, expected: Session, events: list[str]) -> None:  # noqa: ANN001
    text = file_text(store, relative)
    assert text == dumps(expected)
    assert loads(text) == expected
    assert subjects(store) == subjects_for(events)
    assert committed_text(store, relative) == text
    assert is_clean(store)
    # The edit lock went with the app: the conversation can be opened for editing again.
    store.lock_for_editing(relative).release()


HELD_EVENTS = ["samtale oprettet", "samtale startet", "noter opdateret", "samtale afsluttet"]


# --- the four frameworks -----------------------------------------------------------------------------


async def test_randers_whole_conversation(tmp_path) -> None:  # noqa: ANN001
    """Randers: no scores, three themes with notes only; compared with a literal file."""
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await start_conversation(pilot, screen)
        await pilot.press("f3")
        assert not screen.query(ScoreRow), "Randers has nothing to score"
        await open_notes_tab(pilot)
        await write_note(pilot, "t:mig-som-medarbejder", "Gode dage: når vagtplanen holder.\nDårlige dage: mange afbud.")
        await write_note(pilot, "t:faglighed", 'Vil gerne lære "Cura" bedre')
        await write_note(pilot, "t:relationer", "Godt samarbejde med Ole/Lis")
        await write_note(pilot, PRIVATE, "Tal med HR om seniorordning")
        await save_and_commit(pilot, screen)
        await add_plan_rows(pilot)
        await close_out(pilot, screen, "God samtale", signed=False)
        await pilot.press("ctrl+q")
    assert not app.is_running

    assert file_text(store, relative) == '''\
schema_version = 1
status = "closed"
date = 2026-11-23
time = 09:30:00
place = "Mødelokale 2"
started = 2026-11-23 09:31:05

[framework]
id = "randers"
name = "MUS-samtale i Randers Kommune"
version = "1"

[employee]
name = "Anna Sørensen"

[manager]
name = "Lis Leder"

[[themes]]
id = "mig-som-medarbejder"
title = "Mig som medarbejder"
notes = """
Gode dage: når vagtplanen holder.
Dårlige dage: mange afbud."""

[[themes]]
id = "faglighed"
title = "Faglighed"
notes = "Vil gerne lære \\"Cura\\" bedre"

[[themes]]
id = "relationer"
title = "Relationer"
notes = "Godt samarbejde med Ole/Lis"

[[plan.rows]]
id = "1"
what = "Kursus i konflikthåndtering"
goal = "Tryg i svære samtaler"
how = "2 dage hos FOA"
when = "Foråret 2027"
followup = "1:1 i juni"

[[plan.rows]]
id = "2"
what = "Sidemandsoplæring af Ole"
goal = "Ole kan selv vagtplanen"
how = "Følges ad"
when = "Q1"
followup = "Status på personalemødet"

[closing]
evaluation = "God samtale"
followup_date = 2027-03-01

[private]
notes = "Tal med HR om seniorordning"

# musterm: slut på filen
'''
    expected = expected_draft("randers")
    held_and_closed(expected, "God samtale", signed=False)
    expected.theme("mig-som-medarbejder").notes = "Gode dage: når vagtplanen holder.\nDårlige dage: mange afbud."
    expected.theme("faglighed").notes = 'Vil gerne lære "Cura" bedre'
    expected.theme("relationer").notes = "Godt samarbejde med Ole/Lis"
    expected.private.notes = "Tal med HR om seniorordning"
    assert_stored(store, relative, expected, HELD_EVENTS)


async def test_norddjurs_whole_conversation(tmp_path) -> None:  # noqa: ANN001
    """Norddjurs: wellbeing 1–10, leadership style, three tasks, values, self-assessment, senior yes/no, plan fields."""
    store = make_store(tmp_path)
    relative = plan(store, "norddjurs", birth_year=1965)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await start_conversation(pilot, screen)
        await score(pilot, ["8"])
        await open_notes_tab(pilot)
        await write_note(pilot, "q:samarbejdet-i-afdelingen", "Godt – især om aftenen 😀")
        await write_note(pilot, "q:ledelsestype", "Vil gerne inddrages mere")
        await choose(pilot, "choice", downs=1)
        await write_note(pilot, "q:tre-vigtigste-opgaver", "Prioriteret med leder")
        for _ in range(3):
            await pilot.press("shift+tab")
        assert isinstance(focused(pilot), Input) and focused(pilot).id == "item-0"
        for position, task in enumerate(["Vagtplan", "Oplæring af nye", "Kvalitetsmåling"]):
            assert focused(pilot).id == f"item-{position}"
            await type_text(pilot, task)
            await pilot.press("tab")
        await write_note(pilot, "q:tillid", "Høj tillid i teamet")
        await pilot.press("f8")  # straight on to the next question's notes
        await wait_until(lambda: isinstance(focused(pilot), NoteArea) and focused(pilot).owner.id == "ordentlighed")
        await type_text(pilot, "Ordentlig tone")
        await write_note(pilot, "q:deler-min-viden", "Deler gerne på tavlemøder")
        await write_note(pilot, "q:oensker-seniorudviklingssamtale", "Efter sommerferien")
        await choose(pilot, "yesno", downs=0)
        await write_note(pilot, PRIVATE, "Overvej nedsat tid")
        await save_and_commit(pilot, screen)
        await add_plan_rows(pilot, columns=("what", "followup"))  # the guide's two agreement boxes
        await pilot.press("tab")
        assert isinstance(focused(pilot), NoteArea) and focused(pilot).attribute == "text"
        await type_text(pilot, "Den gode stemning")
        await pilot.press("tab")
        await type_text(pilot, "Sparring med Ole")
        await close_out(pilot, screen, "Rart at bruge hjulet", signed=False)  # its plan page has "Dato:" only
        await pilot.press("ctrl+q")

    expected = expected_draft("norddjurs", birth_year=1965)
    held_and_closed(expected, "Rart at bruge hjulet", signed=False, columns=("what", "followup"))
    expected.question("arbejdsmaessig-trivsel").score = 8
    expected.question("samarbejdet-i-afdelingen").notes = "Godt – især om aftenen 😀"
    leadership = expected.question("ledelsestype")
    leadership.notes = "Vil gerne inddrages mere"
    leadership.choice = "traenende"
    tasks = expected.question("tre-vigtigste-opgaver")
    tasks.notes = "Prioriteret med leder"
    tasks.items = ["Vagtplan", "Oplæring af nye", "Kvalitetsmåling"]
    expected.question("tillid").notes = "Høj tillid i teamet"
    expected.question("ordentlighed").notes = "Ordentlig tone"
    expected.question("deler-min-viden").notes = "Deler gerne på tavlemøder"
    senior = expected.question("oensker-seniorudviklingssamtale")
    senior.notes = "Efter sommerferien"
    senior.answer = True
    expected.private.notes = "Overvej nedsat tid"
    fields = {field.id: field for field in expected.plan.fields}
    fields["vigtigt-at-fastholde"].text = "Den gode stemning"
    fields["andre-aftaler"].text = "Sparring med Ole"
    assert_stored(store, relative, expected, HELD_EVENTS)


async def test_ringkobing_skjern_whole_conversation(tmp_path) -> None:  # noqa: ANN001
    """Ringkøbing-Skjern: 13 questions on 1–6, salary, last MUS, senior yes/no, the manager's preparation."""
    store = make_store(tmp_path)
    relative = plan(store, "ringkobing-skjern", birth_year=1968)
    app = new_app(store)
    digits = ["5", "4", "6", "3", "2", "1", "5", "4", "6", "3", "2", "5", "4"]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await pilot.press("f2")
        await tab_to(pilot, lambda widget: isinstance(widget, NoteArea))
        await type_text(pilot, "Spørg til efteråret")
        await start_conversation(pilot, screen)
        await score(pilot, digits)
        await open_notes_tab(pilot)
        await write_note(pilot, "q:forventninger-til-loen", "Forventer nyt tillæg (5 %)")
        await write_note(pilot, "q:erfaringer-fra-forrige-plan", "Kurset blev aflyst")
        await write_note(pilot, "q:oensker-seniorsamtale", "Ikke endnu")
        await choose(pilot, "yesno", downs=1)
        await write_note(pilot, "t:andre-emner", "Parkering")
        await save_and_commit(pilot, screen)
        await add_plan_rows(pilot)
        await close_out(pilot, screen, "Vi nåede det hele")
        await pilot.press("ctrl+q")

    expected = expected_draft("ringkobing-skjern", birth_year=1968)
    held_and_closed(expected, "Vi nåede det hele")
    expected.preparation.manager_notes = "Spørg til efteråret"
    give_scores(expected, digits)
    expected.question("forventninger-til-loen").notes = "Forventer nyt tillæg (5 %)"
    expected.question("erfaringer-fra-forrige-plan").notes = "Kurset blev aflyst"
    senior = expected.question("oensker-seniorsamtale")
    senior.notes = "Ikke endnu"
    senior.answer = False
    expected.theme("andre-emner").notes = "Parkering"
    assert_stored(store, relative, expected, HELD_EVENTS)


async def test_haderslev_whole_conversation(tmp_path) -> None:  # noqa: ANN001
    """Haderslev: 22 statements on 0–5 (0 included), the life phase as options, goals as notes."""
    store = make_store(tmp_path)
    relative = plan(store, "haderslev", birth_year=1990)
    app = new_app(store)
    digits = [str(position % 6) for position in range(22)]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await start_conversation(pilot, screen)
        await score(pilot, digits)
        await open_notes_tab(pilot)
        await write_note(pilot, "q:livsfase-indflydelse", "Små børn; henter kl. 15")
        await choose(pilot, "choice", downs=2)
        await write_note(pilot, "q:trivsel-generelt", "Trives")
        await write_note(pilot, "q:fokusomraader-kommende-aar", "Dokumentation\nDigitale værktøjer")
        await save_and_commit(pilot, screen)
        await add_plan_rows(pilot)
        await close_out(pilot, screen, "Kort og godt")
        await pilot.press("ctrl+q")

    expected = expected_draft("haderslev", birth_year=1990)
    held_and_closed(expected, "Kort og godt")
    give_scores(expected, digits)
    phase = expected.question("livsfase-indflydelse")
    phase.notes = "Små børn; henter kl. 15"
    phase.choice = "familieliv"
    expected.question("trivsel-generelt").notes = "Trives"
    expected.question("fokusomraader-kommende-aar").notes = "Dokumentation\nDigitale værktøjer"
    assert_stored(store, relative, expected, HELD_EVENTS)
