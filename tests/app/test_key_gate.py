"""Keys that reach the app together are handled one at a time (app/keygate.py), in the app itself.

The pseudo-terminal tests (tests/test_key_bursts.py) type as SSH delivers; these post the same
kind of burst straight into the app's queue, all at once, as the driver does when it reads many
keys in one go, and run with the fast suite.
"""

from __future__ import annotations

from textual import events

from musterm.app.app import MustermApp
from musterm.formats.session_file import loads
from tests.app.helpers import CATALOG, file_text, into_first_note, make_store, plan, wait_for_file


def burst(app: MustermApp, *keys: str) -> None:
    """Every key in the app's queue before it handles the first (one character a key, or a key name)."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(key if key.isalnum() else "space" if key == " " else key, key))
        else:
            app.post_message(events.Key(key, "\r" if key == "enter" else None))


async def test_backspace_and_arrows_in_a_burst_edit_where_they_were_typed(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "ringkobing-skjern")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await into_first_note(pilot)
        # Søren, then back before the r for a second ø, one right, x rubbed out again, and !.
        burst(app, *"Sørne", "backspace", "backspace", *"en", "left", "left", "left", *"ø", "right", *"x",
              "backspace", *"!")
        await wait_for_file(store, relative, lambda text: "!" in text)
        await pilot.press("ctrl+q")
    assert loads(file_text(store, relative)).theme("indledende-dialog").notes == "Søør!en"


async def test_f8_and_f7_in_a_burst_move_between_notes_before_the_next_letter(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "ringkobing-skjern")
    app = MustermApp(store, CATALOG, initial=relative)
    async with app.run_test(size=(80, 24)) as pilot:
        await into_first_note(pilot)
        # F7 in a notes field is Textual's "select all" unless the conversation's F7 comes first.
        burst(app, "a", "f8", "b", "f8", "c", "f7", "d")
        await wait_for_file(store, relative, lambda text: '"bd"' in text and '"c"' in text)
        await pilot.press("ctrl+q")
    session = loads(file_text(store, relative))
    assert session.theme("indledende-dialog").notes == "a"
    assert session.question("bidrag-til-enhedens-maal").notes == "bd"
    assert session.theme("job-og-arbejdsindhold").notes == "c"


async def test_enter_f4_enter_and_text_from_the_overview_in_one_burst(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "ringkobing-skjern")
    app = MustermApp(store, CATALOG)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "enter", "f4", "enter", *"Fra start")
        await wait_for_file(store, relative, lambda text: "Fra start" in text)
        await pilot.press("ctrl+q")
    assert loads(file_text(store, relative)).theme("indledende-dialog").notes == "Fra start"
    assert app.keys.forced == 0, "no key needed the gate's time limit"
