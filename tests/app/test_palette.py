"""The command palette (ctrl+p): jump to any question or theme by part of its text, and the
before/after documents written where the user chooses, never into the archive."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandInput, CommandList, CommandPalette

from musterm.app.screens.files import ChooseFileScreen, SaveOutputScreen
from musterm.app.screens.new_conversation import NewConversationScreen
from musterm.app.tabs.notes import NotesIndex
from musterm.app.widgets.note_area import NoteArea
from musterm.documents.prepform import prep_form
from musterm.formats.session_file import loads
from tests.app.helpers import (
    CATALOG,
    explanation_shown,
    file_text,
    make_store,
    new_app,
    open_from_start,
    plan,
    type_text,
    wait_until,
)

PRIVATE_MARKER = "KUN-FOR-LEDEREN-7731"


def _archive_files(root: Path) -> list[str]:
    """Everything in the archive outside .git (git's own files change with every commit)."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if ".git" not in path.relative_to(root).parts)


def _top_hit(palette: CommandPalette) -> str | None:
    """The title of the hit enter would run now, if any."""
    hits = palette.query_one(CommandList)
    if hits.highlighted is None:
        return None
    return hits.get_option_at_index(hits.highlighted).hit.text


async def _palette(pilot, query: str, title: str) -> None:  # noqa: ANN001
    """ctrl+p, type `query`, wait until the palette's search has put `title` on top, and run it with enter."""
    await pilot.press("ctrl+p")
    await wait_until(lambda: CommandPalette.is_open(pilot.app), what="the palette")
    palette = pilot.app.screen
    await type_text(pilot, query)
    await wait_until(
        lambda: palette.query_one(CommandInput).value == query and _top_hit(palette) == title,
        what=f"{title!r} on top of the palette's hits for {query!r}",
    )
    await pilot.press("enter")


async def test_typing_part_of_a_question_jumps_to_its_notes(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "ringkobing-skjern")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await _palette(
            pilot, "balance mellem dit arbejdsliv", "10. I hvor høj grad er der balance mellem dit arbejdsliv og dit fritidsliv?"
        )
        await wait_until(lambda: isinstance(app.focused, NoteArea), what="the question's notes")
        assert screen.query_one("#tabs").active == "noter"
        assert app.focused.owner.id == "balance-arbejdsliv-fritidsliv"
        index = screen.query_one(NotesIndex)
        assert index.get_option_at_index(index.highlighted).id == "q:balance-arbejdsliv-fritidsliv"
        await type_text(pilot, "Mere fri om fredagen")
        await pilot.press("ctrl+q")
    assert loads(file_text(store, relative)).question("balance-arbejdsliv-fritidsliv").notes == "Mere fri om fredagen"


async def test_a_theme_is_found_by_a_danish_word_in_its_title(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    plan(store, "ringkobing-skjern")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await _palette(pilot, "tema: forventningssamtale om løn", "Tema: Forventningssamtale om løn")
        await wait_until(lambda: isinstance(app.focused, NoteArea), what="the theme's notes")
        assert app.focused.owner.id == "forventningssamtale-om-loen"
        assert "Det er ikke en lønforhandling." in str(screen.query_one("#panel-t-forventningssamtale-om-loen").query(".notice").first().render())
        await pilot.press("ctrl+q")


async def test_the_employees_copy_is_written_where_chosen_without_private_notes(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "ringkobing-skjern")
    session = store.load(relative)
    session.private.notes = PRIVATE_MARKER
    session.question("glad-for-job").notes = "Glad for de nye opgaver."
    store.save(relative, session)
    store.commit(relative, session)
    out = tmp_path / "udskrifter"
    out.mkdir()
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await _palette(pilot, "medarbejderens kopi html", "Eksportér medarbejderens kopi (HTML til print/PDF)")
        await wait_until(lambda: isinstance(app.screen, SaveOutputScreen), what="the save dialog")
        app.screen.query_one("#folder").value = str(out)
        await pilot.press("enter")
        await wait_until(lambda: not isinstance(app.screen, SaveOutputScreen), what="the file to be written")
        await pilot.press("ctrl+q")
    written = list(out.iterdir())
    assert [path.name for path in written] == ["mus-anna-sørensen-2026-11-23-medarbejder.html"]
    html = written[0].read_text()
    assert "Glad for de nye opgaver." in html and "<table" in html
    assert PRIVATE_MARKER not in html
    assert written[0].stat().st_mode & 0o077 == 0


async def test_an_export_into_the_archive_is_refused(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    plan(store, "ringkobing-skjern")
    before = _archive_files(store.root)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await _palette(pilot, "invitation tekst", "Invitation (tekst til en mail)")
        await wait_until(lambda: isinstance(app.screen, SaveOutputScreen), what="the save dialog")
        app.screen.query_one("#folder").value = str(store.root)
        await pilot.press("enter")
        error = app.screen.query_one("#file-error")
        await wait_until(lambda: "samtalearkivet" in str(error.render()), what="the refusal")
        assert isinstance(app.screen, SaveOutputScreen), "the dialog stays open to choose another folder"
        await pilot.press("escape", "ctrl+q")
    assert _archive_files(store.root) == before


async def test_the_preparation_form_is_read_in_from_the_palette(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "ringkobing-skjern")
    form = prep_form(store.load(relative), CATALOG.get("ringkobing-skjern"))
    filled = form.replace("Score:\n", "Score: 5\n", 1)
    form_file = tmp_path / "forberedelse.txt"
    form_file.write_text(filled)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await _palette(pilot, "indlæs medarbejderens forberedelse", "Indlæs medarbejderens forberedelse")
        await wait_until(lambda: isinstance(app.screen, ChooseFileScreen), what="the file dialog")
        app.screen.query_one("#path").value = str(form_file)
        await pilot.press("enter")
        await wait_until(lambda: screen.session.questions()[0][1].own_score == 5, what="the own score")
        await pilot.press("ctrl+q")
    assert loads(file_text(store, relative)).questions()[0][1].own_score == 5


async def test_the_start_screen_palette_starts_a_new_conversation(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: explanation_shown(app), what="the start screen")
        await _palette(pilot, "ny samtale", "Ny samtale")
        await wait_until(lambda: isinstance(app.screen, NewConversationScreen), what="the form")
        await pilot.press("escape", "ctrl+q")


async def test_the_invitation_of_a_framework_without_one_is_a_message_not_a_letter(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    plan(store, "norddjurs")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await _palette(pilot, "invitation tekst", "Invitation (tekst til en mail)")
        await wait_until(
            lambda: any("har ingen invitation" in str(n.message) for n in app._notifications), what="the message"
        )
        assert not isinstance(app.screen, SaveOutputScreen)
        await pilot.press("ctrl+q")
