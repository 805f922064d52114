"""The app and a session file that lost its end (issue 13, item 2): the conversation is not opened,
the message names the file and its last line, and nothing is written over it. A file an older
musterm wrote (without the end line) opens as before, without being called a hand edit."""

from __future__ import annotations

import subprocess
from pathlib import Path

from musterm.app.screens.conversation import ConversationScreen
from musterm.app.screens.dialogs import Choice, Message
from musterm.formats.session_file import END_MARKER
from tests.app.helpers import git, make_store, new_app, plan, wait_until


async def test_a_cut_off_file_is_not_opened_and_stays_as_it_is(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    path = store.root / relative
    lines = path.read_bytes().splitlines(keepends=True)
    cut = b"".join(lines[: len(lines) - 5])
    path.write_bytes(cut)
    app = new_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None), what="the listing")
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, Message), what="the refusal")
        assert app.screen.message.startswith(f"{path}:{len(lines) - 5}: filen er afkortet: den slutter ved linje")
        assert app.screen.message.endswith("Filen er ikke ændret.")
        await pilot.press("enter")
        assert not isinstance(app.screen, ConversationScreen)
        await pilot.press("ctrl+q")
    assert path.read_bytes() == cut
    assert git(store.root, "log", "--format=%s").count("\n") == 2  # the archive and the conversation, nothing more


async def test_a_file_from_before_the_end_line_opens_without_a_question(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    path = store.root / relative
    path.write_bytes(path.read_bytes().removesuffix(f"\n{END_MARKER}\n".encode()))
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "older musterm", "--",
                    relative], cwd=store.root, check=True)
    app = new_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None), what="the listing")
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, (ConversationScreen, Choice)), what="the conversation")
        assert isinstance(app.screen, ConversationScreen)
        assert not app.screen.conversation.read_only
        await pilot.press("ctrl+q")


async def test_a_file_with_windows_line_endings_is_rewritten_only_after_asking(tmp_path: Path) -> None:
    """Issue 13, item 10: CRLF (and a BOM) are named in the hand-edit question; read-only leaves the bytes."""
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    path = store.root / relative
    windows = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(windows)
    app = new_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None), what="the listing")
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, Choice), what="the question about the hand edit")
        assert "har et byte order mark (BOM) først i filen og Windows-linjeskift (CRLF)." in app.screen.message
        await pilot.press("tab", "enter")  # "Åbn skrivebeskyttet"
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
        assert app.screen.conversation.read_only
        await pilot.press("ctrl+q")
    assert path.read_bytes() == windows
