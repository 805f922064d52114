"""How the app behaves around the conversation: the start screen, the new-conversation form,
locks and read-only conversations, when it saves and commits, save errors, and hostile input
(a tiny or resized terminal, a 100 KB paste, names full of æøå, emoji, quotes and slashes).

Real store with real git in tmp_path, driven with keys through Textual's Pilot.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time

import pytest
from textual import events
from textual.widgets import DataTable, Input, Markdown, Select, TabbedContent

from musterm.app import autosave
from musterm.app.screens.conversation import ConversationScreen
from musterm.app.screens.dialogs import Choice
from musterm.app.screens.new_conversation import NewConversationScreen
from musterm.app.screens.start import StartScreen
from musterm.app.tabs.notes import NotesIndex
from musterm.app.tabs.scoring import ScoreRow
from musterm.app.widgets.note_area import NoteArea
from musterm.errors import StoreError
from musterm.formats.session_file import loads
from musterm.model.session import Status
from musterm.store.editlock import SessionInUse
from musterm.store.events import Event
from musterm.store.repository import Store

from .helpers import (
    committed_text,
    explanation_shown,
    file_text,
    into_first_note,
    make_store,
    new_app,
    notifications,
    open_from_start,
    plan,
    status_text,
    subjects,
    type_text,
    wait_for_file,
    wait_until,
)


def table_employees(app) -> list[str]:  # noqa: ANN001
    table = app.screen.query_one("#sessions", DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


# --- the start screen ------------------------------------------------------------------------------


async def test_empty_store_explains_what_to_do(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: explanation_shown(app), what="the explanation", app=app)
        assert not app.screen.query_one("#sessions").display
        markdown = app.screen.query_one("#empty", Markdown)
        assert "Der er ingen samtaler endnu" in markdown.source
        assert "ctrl+n" in markdown.source
        assert str(store.root) in markdown.source
        await pilot.press("enter", "down", "ctrl+o")  # nothing to open: no crash, still here
        assert isinstance(app.screen, StartScreen)


async def test_start_screen_filters_as_you_type(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    plan(store, "norddjurs", employee="Anna Sørensen")
    plan(store, "haderslev", employee="Bo Ærø", date=dt.date(2025, 5, 2))
    plan(store, "randers", employee="Carl Nielsen", number="4711")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: len(table_employees(app)) == 3, what="three conversations listed")
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        await type_text(pilot, "ærø")
        assert table_employees(app) == ["Bo Ærø"]
        await pilot.press("backspace", "backspace", "backspace")
        assert len(table_employees(app)) == 3
        await type_text(pilot, "2026 randers")  # every word must match, in any field
        assert table_employees(app) == ["Carl Nielsen"]
        await pilot.press("escape")
        assert len(table_employees(app)) == 3
        await type_text(pilot, "4711")  # the employee number
        assert table_employees(app) == ["Carl Nielsen"]
        await pilot.press("escape")
        await type_text(pilot, "ANNA")  # case does not matter
        assert table_employees(app) == ["Anna Sørensen"]
        await pilot.press("enter")  # enter in the filter opens the one that is left
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
        assert app.screen.session.employee.name == "Anna Sørensen"
        await pilot.press("ctrl+l")
        await wait_until(lambda: isinstance(app.screen, StartScreen), what="the start screen again")
        await pilot.press("escape")
        await type_text(pilot, "ingen sådan")
        assert table_employees(app) == []
        await pilot.press("enter")  # nothing selected: nothing happens
        assert isinstance(app.screen, StartScreen)


async def test_new_conversation_form_creates_and_opens(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: explanation_shown(app), what="the start screen")
        await pilot.press("ctrl+n")
        await wait_until(lambda: isinstance(app.screen, NewConversationScreen), what="the form")
        assert app.focused.id == "employee"
        await type_text(pilot, "Bo Ærø")
        await pilot.press("tab")
        await type_text(pilot, "77")
        await pilot.press("tab")
        await type_text(pilot, "1960")
        await pilot.press("tab")
        assert isinstance(app.focused, Select) and app.focused.value == "haderslev"
        await pilot.press("enter", "down", "down", "down", "down", "enter")  # open the list, pick the fifth
        assert app.screen.query_one("#framework", Select).value == "ringkobing-skjern"
        await pilot.press("tab")
        assert app.focused.id == "date"
        await type_text(pilot, "2027-01-15")  # focus selects the prefilled date; typing replaces it
        await pilot.press("tab")
        await type_text(pilot, "25:99")
        await pilot.press("ctrl+s")
        assert "'25:99' er ikke et klokkeslæt" in str(app.screen.query_one("#new-error").render())
        assert isinstance(app.screen, NewConversationScreen), "a bad time keeps the form open"
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "9.30")  # the Danish way, as the command line accepts it
        await pilot.press("tab")
        await type_text(pilot, "Mødelokale 2")
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the new conversation", timeout=20)
        relative = app.screen.conversation.relative
        assert not app.screen.conversation.read_only
        await pilot.press("ctrl+q")

    assert relative == "bo-ærø-77/2027-01-15.toml"
    session = loads(file_text(store, relative))
    assert (session.employee.name, session.employee.number, session.employee.birth_year) == ("Bo Ærø", "77", 1960)
    assert (session.framework.id, session.date, session.time, session.place) == (
        "ringkobing-skjern", dt.date(2027, 1, 15), dt.time(9, 30), "Mødelokale 2"
    )
    assert session.status == Status.DRAFT
    assert subjects(store)[1:] == ["Bo Ærø 2027-01-15: samtale oprettet"]


async def test_new_conversation_form_needs_a_name_and_escape_cancels(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: explanation_shown(app), what="the start screen")
        await pilot.press("ctrl+n")
        await wait_until(lambda: isinstance(app.screen, NewConversationScreen), what="the form")
        await pilot.press("ctrl+s")
        assert "Skriv medarbejderens navn." in str(app.screen.query_one("#new-error").render())
        await pilot.press("escape")
        assert isinstance(app.screen, StartScreen)
    assert subjects(store) == ["Samtalearkiv oprettet af musterm"]
    assert [entry.name for entry in store.root.iterdir() if not entry.name.startswith(".")] == ["README.md"]


async def test_new_conversation_form_without_any_framework_asks_for_one(tmp_path) -> None:  # noqa: ANN001
    """No framework found at all: the form opens with nothing chosen (not a crash) and says what is missing."""
    from musterm.app.app import MustermApp
    from musterm.frameworks.catalog import Catalog

    store = make_store(tmp_path)
    app = MustermApp(store, Catalog({}, []))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: explanation_shown(app), what="the start screen")
        await pilot.press("ctrl+n")
        await wait_until(lambda: isinstance(app.screen, NewConversationScreen), what="the form")
        assert app.screen.query_one("#framework", Select).value is Select.NULL
        await type_text(pilot, "Bo Ærø")
        await pilot.press("ctrl+s")
        assert "Vælg en ramme." in str(app.screen.query_one("#new-error").render())
        await pilot.press("escape")
    assert subjects(store) == ["Samtalearkiv oprettet af musterm"]


# --- locks and read-only ---------------------------------------------------------------------------


async def test_conversation_open_elsewhere_warns_and_offers_read_only(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    before = store.path_of(relative).read_bytes()
    before_stat = os.stat(store.path_of(relative))
    other = store.lock_for_editing(relative)  # "another musterm" has it open
    try:
        app = new_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(lambda: getattr(app.screen, "shown", None), what="the listing")
            await pilot.press("enter")
            await wait_until(lambda: isinstance(app.screen, Choice), what="the warning")
            assert app.screen.title_text == "Samtalen er allerede åben"
            assert f"proces {os.getpid()}" in app.screen.message
            assert app.focused.id == "answer-read"
            await pilot.press("escape")  # cancel: back on the start screen, nothing opened
            assert isinstance(app.screen, StartScreen)

            await pilot.press("enter")
            await wait_until(lambda: isinstance(app.screen, Choice), what="the warning again")
            await pilot.press("enter")  # "Åbn skrivebeskyttet"
            await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the read-only conversation")
            screen = app.screen
            assert screen.conversation.read_only and screen.saver is None
            assert "kun læsning" in status_text(app)
            await pilot.press("f4", "enter")
            await type_text(pilot, "skal ikke gemmes")
            await pilot.press("f9", "ctrl+s")
            assert screen.session.status == Status.DRAFT
            assert not any(area.text for area in screen.query(NoteArea))
            await pilot.pause(1.5)  # longer than the autosaver's idle time
            await pilot.press("ctrl+q")
    finally:
        other.release()
    assert store.path_of(relative).read_bytes() == before
    assert os.stat(store.path_of(relative)).st_mtime_ns == before_stat.st_mtime_ns
    assert subjects(store)[-1].endswith("samtale oprettet")


async def test_a_closed_conversation_opens_read_only(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "haderslev")
    session = store.load(relative)
    session.status = Status.CLOSED
    session.question("trivsel-generelt").score = 4
    store.save(relative, session)
    store.commit(relative, session, Event.CLOSED)
    before = store.path_of(relative).read_bytes()
    count = len(subjects(store))
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        assert screen.conversation.read_only
        assert "Afsluttet (kun læsning)" in status_text(app)
        await pilot.press("f3")
        await wait_until(lambda: isinstance(app.focused, ScoreRow), what="a score row")
        await pilot.press("2", "backspace", "right")
        assert screen.session.question("trivsel-generelt").score == 4
        assert "Samtalen er skrivebeskyttet." in notifications(app)
        await into_first_note(pilot)
        await type_text(pilot, "skal ikke gemmes")
        assert app.focused.text == ""
        await pilot.press("f6", "tab", "space", "ctrl+s")
        await pilot.pause(1.5)
        assert store.path_of(relative).read_bytes() == before
        await pilot.press("ctrl+q")
    assert store.path_of(relative).read_bytes() == before
    assert len(subjects(store)) == count


# --- when it saves and commits ---------------------------------------------------------------------

DISK_FULL = "Disken er fuld: der er ikke plads til samtalen. Intet er ændret i filen."


def disk_full(self, relative, session):  # noqa: ANN001, ANN202
    """Stands in for Store.save on a full disk."""
    raise StoreError(DISK_FULL)


async def test_typing_is_saved_within_two_seconds_of_stopping(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await into_first_note(pilot)
        await type_text(pilot, "Første afsnit om trivsel")
        stopped = time.monotonic()
        await wait_for_file(store, relative, lambda text: "Første afsnit om trivsel" in text, timeout=10)
        waited = time.monotonic() - stopped
        assert waited < 2.0, f"saved {waited:.2f} s after typing stopped"
        await wait_until(lambda: "Gemt" in status_text(app), what="the status line to say saved")
        await pilot.press("ctrl+q")
    assert loads(file_text(store, relative)).theme("mig-som-medarbejder").notes == "Første afsnit om trivsel"


async def test_continuous_typing_is_saved_every_few_seconds(tmp_path) -> None:  # noqa: ANN001
    """Typing without pause never leaves more than about two seconds of text unsaved."""
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await into_first_note(pilot)
        await type_text(pilot, "Del A.")
        typed_a = time.monotonic()
        while time.monotonic() - typed_a < 2.5:
            await pilot.press("x")  # one key at a time, never idle for the autosaver's pause
        assert "Del A." in file_text(store, relative)
        await pilot.press("ctrl+q")


async def test_changing_tab_saves_at_once(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    # No saving on pauses: only the tab change can have written the note.
    monkeypatch.setattr(autosave, "IDLE_SECONDS", 3600.0)
    monkeypatch.setattr(autosave, "MAX_DIRTY_SECONDS", 3600.0)
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await into_first_note(pilot)
        await type_text(pilot, "Skrevet før fanen skiftes")
        await pilot.pause(0.6)
        assert "Skrevet før" not in file_text(store, relative)
        await pilot.press("f5")
        await wait_for_file(store, relative, lambda text: "Skrevet før fanen skiftes" in text, timeout=5)
        assert subjects(store)[-1].endswith("samtale oprettet"), "a tab change saves but does not commit"
        await pilot.press("ctrl+q")


async def test_ctrl_s_saves_and_commits(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(autosave, "IDLE_SECONDS", 3600.0)
    monkeypatch.setattr(autosave, "MAX_DIRTY_SECONDS", 3600.0)
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await into_first_note(pilot)
        await type_text(pilot, "Aftalt med ctrl+s")
        await pilot.press("ctrl+s")
        await wait_until(lambda: len(subjects(store)) == 3, what="the ctrl+s commit")
        assert subjects(store)[-1] == "Anna Sørensen 2026-11-23: noter opdateret"
        assert "Aftalt med ctrl+s" in committed_text(store, relative)
        assert committed_text(store, relative) == file_text(store, relative)
        await pilot.press("ctrl+q")
    assert len(subjects(store)) == 3, "quitting with everything committed adds no commit"


async def test_typing_is_committed_periodically(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """Without ctrl+s, saved text is committed every COMMIT_EVERY_SECONDS (five minutes; here one)."""
    monkeypatch.setattr(autosave, "COMMIT_EVERY_SECONDS", 1.0)
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await into_first_note(pilot)
        await type_text(pilot, "Committes af sig selv")
        await wait_until(lambda: "Committes af sig selv" in committed_text(store, relative), what="the periodic commit")
        assert subjects(store)[-1] == "Anna Sørensen 2026-11-23: noter opdateret"
        count = len(subjects(store))
        await pilot.pause(2.5)
        assert len(subjects(store)) == count, "nothing new typed: no new commit"
        await pilot.press("ctrl+q")
    assert len(subjects(store)) == count


async def test_a_save_error_is_shown_and_the_next_save_writes_everything(
    tmp_path, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    real_save = Store.save
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        note = await into_first_note(pilot)
        monkeypatch.setattr(Store, "save", disk_full)
        await type_text(pilot, "Vigtig note")
        await wait_until(lambda: DISK_FULL in notifications(app), what="the error to be shown")
        assert "IKKE GEMT" in status_text(app)
        assert note.text == "Vigtig note"
        assert "Vigtig note" not in file_text(store, relative)

        monkeypatch.setattr(Store, "save", real_save)
        await type_text(pilot, " om ferie")
        await wait_for_file(store, relative, lambda text: "Vigtig note om ferie" in text)
        await wait_until(lambda: "Gemt" in status_text(app), what="the status line to say saved")
        assert "IKKE GEMT" not in status_text(app)
        await pilot.press("ctrl+q")
    assert "Vigtig note om ferie" in committed_text(store, relative)


@pytest.mark.parametrize("leave_key", ["ctrl+l", "ctrl+q"])
async def test_leaving_after_a_save_error_offers_to_stay_and_saving_goes_on(
    tmp_path, monkeypatch: pytest.MonkeyPatch, leave_key: str  # noqa: ANN001
) -> None:
    """ctrl+l or ctrl+q with a failing disk asks first; staying keeps the autosaver and the edit lock."""
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    real_save = Store.save
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await into_first_note(pilot)
        monkeypatch.setattr(Store, "save", disk_full)
        await type_text(pilot, "Må ikke tabes")
        await pilot.press(leave_key)
        await wait_until(lambda: isinstance(app.screen, Choice), what="the offer to stay")
        assert DISK_FULL in app.screen.message
        assert "Teksten er stadig her på skærmen" in app.screen.message
        await pilot.press("enter")  # "Bliv og prøv igen"
        assert app.screen is screen and app.is_running
        with pytest.raises(SessionInUse):
            store.lock_for_editing(relative)
        monkeypatch.setattr(Store, "save", real_save)
        await type_text(pilot, "!")
        await wait_for_file(store, relative, lambda text: "Må ikke tabes!" in text)
        await pilot.press(leave_key)
        if leave_key == "ctrl+l":
            await wait_until(lambda: isinstance(app.screen, StartScreen), what="the start screen")
            store.lock_for_editing(relative).release()
            await pilot.press("ctrl+q")
    assert not app.is_running
    assert "Må ikke tabes!" in committed_text(store, relative)


async def test_leaving_anyway_after_a_save_error(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """'Luk alligevel' leaves without the unsaved text (the dialog said so) and frees the conversation."""
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    before = file_text(store, relative)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await into_first_note(pilot)
        monkeypatch.setattr(Store, "save", disk_full)
        await type_text(pilot, "Går tabt")
        await pilot.press("ctrl+q")
        await wait_until(lambda: isinstance(app.screen, Choice), what="the offer to stay")
        await pilot.press("tab")
        assert app.focused.id == "answer-leave"
        await pilot.press("enter")  # "Luk alligevel"
        await wait_until(lambda: not app.is_running, what="the app to quit")
    assert file_text(store, relative) == before
    store.lock_for_editing(relative).release()


async def test_saving_goes_on_while_a_commit_waits_for_a_busy_git(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    lock = store.root / ".git" / "index.lock"
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await into_first_note(pilot)
        with open(lock, "w") as held:  # another process (not this one: musterm ignores its own) holds git's lock
            holder = subprocess.Popen(["sleep", "60"], stdin=held)
        try:
            await type_text(pilot, "Først")
            await pilot.press("ctrl+s")  # the commit now waits for the lock
            await pilot.pause(0.5)
            await type_text(pilot, " og så mere")
            await wait_for_file(store, relative, lambda text: "Først og så mere" in text, timeout=3.0)
            assert "Først" not in committed_text(store, relative), "the commit is still waiting for git"
        finally:
            holder.kill()
            holder.wait()
            lock.unlink()
        await pilot.press("ctrl+q")
    assert "Først og så mere" in committed_text(store, relative), "committed once git was free"


# --- hostile input ---------------------------------------------------------------------------------

ODD_NAME = 'Åse "Bølle" Ærø-O\'Brien / Ødegård \\ 😀'
ODD_TEXT = 'Sagde: "nej" – \'måske\' / \\n er ikke et linjeskift 😀👍🏽 ÆØÅ æøå'


@pytest.mark.slow
async def test_tiny_terminal_and_resizing_while_typing(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "norddjurs", employee=ODD_NAME, birth_year=1960)
    app = new_app(store)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await open_from_start(pilot)
        for key in ("f2", "f3", "f5", "f6", "f4"):  # every tab renders at 40×12
            await pilot.press(key)
        await pilot.press("f9")
        await into_first_note(pilot)
        await type_text(pilot, "Før. ")
        for width, height in ((120, 40), (40, 12), (20, 6), (80, 24), (40, 12)):
            await pilot.resize_terminal(width, height)
            await type_text(pilot, f"{width}x{height} {ODD_TEXT}. ")
        await pilot.press("f5", "a")
        await type_text(pilot, "Smal aftale")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConversationScreen)
        await pilot.press("f9")
        await pilot.press("enter")
        await wait_until(lambda: screen.session.status == Status.CLOSED, what="the conversation to close")
        await pilot.press("ctrl+q")
    session = loads(file_text(store, relative))
    notes = session.theme("relationer-og-samarbejde").notes
    expected = "Før. " + "".join(f"{w}x{h} {ODD_TEXT}. " for w, h in ((120, 40), (40, 12), (20, 6), (80, 24), (40, 12)))
    assert notes == expected.rstrip()
    assert session.plan.rows[0].what == "Smal aftale"
    assert session.status == Status.CLOSED
    assert committed_text(store, relative) == file_text(store, relative)


async def test_a_tab_chosen_before_the_first_paint_stays_chosen(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """F4 typed ahead, arriving as the conversation is mounted: the opening focus on the first
    tab, asked for earlier, must not switch back to it (not even for a moment)."""
    store = make_store(tmp_path)
    plan(store, "randers")
    mounted = ConversationScreen.on_mount
    switch = TabbedContent._watch_active
    tabs_shown: list[str] = []

    def mount_then_f4(screen: ConversationScreen) -> None:
        mounted(screen)
        screen.app.post_message(events.Key("f4", None))

    def record(tabs: TabbedContent, active: str) -> None:
        tabs_shown.append(active)
        switch(tabs, active)

    monkeypatch.setattr(ConversationScreen, "on_mount", mount_then_f4)
    monkeypatch.setattr(TabbedContent, "_watch_active", record)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await wait_until(lambda: isinstance(app.focused, NotesIndex), what="the notes index")
        await pilot.pause(0.3)
        assert tabs_shown[tabs_shown.index("noter"):] == ["noter"]
        assert screen.query_one(TabbedContent).active == "noter"
        assert isinstance(app.focused, NotesIndex)
        await pilot.press("ctrl+q")


async def test_keys_typed_right_behind_enter_land_in_the_note(tmp_path) -> None:  # noqa: ANN001
    """Enter on a theme and a word arriving in one burst (a fast typist, or a slow SSH link) are
    all queued for the index before the focus moves: the word must still reach the note."""
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await pilot.press("f4")
        await wait_until(lambda: isinstance(app.focused, NotesIndex), what="the notes index")
        burst = [events.Key("enter", "\r"), *(events.Key(c, c) for c in "Hurtigt")]
        for event in burst:  # as the driver's input thread posts them, without waiting in between
            app.post_message(event)
        await wait_for_file(store, relative, lambda text: "Hurtigt" in text)
        await pilot.press("ctrl+q")
    assert loads(file_text(store, relative)).theme("mig-som-medarbejder").notes == "Hurtigt"


async def test_a_100_kb_paste_into_a_note(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    line = 'Linje med æøå, "citater", \'apostroffer\', / og \\ og 😀 – '
    pasted = "\n".join(f"{number:05d} {line}" for number in range(1700))
    assert len(pasted.encode("utf-8")) > 100_000
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        note = await into_first_note(pilot)
        await type_text(pilot, "Indsat:\n")
        app.post_message(events.Paste(pasted))  # as the terminal's bracketed paste arrives
        await wait_until(lambda: note.text.endswith(pasted[-40:]), what="the paste in the note")
        await type_text(pilot, "\nSlut")
        await wait_for_file(store, relative, lambda text: '\nSlut"""' in text, timeout=20)
        await pilot.press("ctrl+q")
    notes = loads(file_text(store, relative)).theme("mig-som-medarbejder").notes
    assert notes == "Indsat:\n" + "\n".join(part.rstrip() for part in pasted.split("\n")) + "\nSlut"
    assert committed_text(store, relative) == file_text(store, relative)


async def test_odd_names_through_the_form_and_back(tmp_path) -> None:  # noqa: ANN001
    """A name with æøå, emoji, quotes, backslash and slashes: typed into the form, listed, opened, saved."""
    store = make_store(tmp_path)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: explanation_shown(app), what="the start screen")
        await pilot.press("ctrl+n")
        await wait_until(lambda: isinstance(app.screen, NewConversationScreen), what="the form")
        await type_text(pilot, ODD_NAME)
        await pilot.press("tab")
        await type_text(pilot, "../7/8")
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        await type_text(pilot, 'Lokale "Ø/2"')
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the new conversation", timeout=20)
        relative = app.screen.conversation.relative
        await into_first_note(pilot)
        await type_text(pilot, ODD_TEXT)
        await pilot.press("ctrl+l")
        await wait_until(lambda: isinstance(app.screen, StartScreen), what="the start screen")
        await wait_until(lambda: table_employees(app) == [ODD_NAME], what="the odd name in the listing")
        await type_text(pilot, "ødegård 😀")
        assert table_employees(app) == [ODD_NAME]
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation again")
        await pilot.press("ctrl+q")

    folder, name = relative.split("/")
    assert "/" not in folder and ".." not in folder and not folder.startswith(".")
    assert (store.root / folder).parent == store.root
    session = loads(file_text(store, relative))
    assert (session.employee.name, session.employee.number, session.place) == (ODD_NAME, "../7/8", 'Lokale "Ø/2"')
    assert session.framework.id == "haderslev"  # the form's first framework
    assert session.theme("trivsel").notes == ODD_TEXT
    assert subjects(store)[1] == f"{ODD_NAME} {dt.date.today().isoformat()}: samtale oprettet"
    assert committed_text(store, relative) == file_text(store, relative)
