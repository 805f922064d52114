"""Promises checked in the app itself: a refused commit is shown, a full disk is shown and
survived, and a file someone edited by hand is never rewritten without asking."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from musterm.app.screens.conversation import ConversationScreen
from musterm.app.screens.dialogs import Choice
from musterm.formats.session_file import loads
from musterm.store import durable
from tests.app.helpers import (
    committed_text,
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


def _failing_pre_commit_hook(root: Path) -> Path:
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'politikken kræver et sagsnummer' >&2\nexit 1\n")
    hook.chmod(0o700)
    return hook


async def test_a_refused_commit_is_shown_and_the_next_commit_takes_the_text(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    commits_before = len(subjects(store))
    hook = _failing_pre_commit_hook(store.root)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await into_first_note(pilot)
        await type_text(pilot, "Gode dage med borgerne")
        await pilot.press("ctrl+s")
        await wait_until(lambda: "Gemt, ikke committet" in status_text(app), what="the commit failure in the status line")
        # A notification reaches the app's list through a message of its own, a moment after the status line.
        await wait_until(lambda: any("politikken kræver et sagsnummer" in message for message in notifications(app)),
                         what="the hook's own words in a notification")
        assert "Gode dage med borgerne" in file_text(store, relative), "the text is on disk"
        assert len(subjects(store)) == commits_before, "nothing was committed"

        hook.unlink()
        await type_text(pilot, ".")
        await pilot.press("ctrl+s")
        await wait_until(lambda: len(subjects(store)) == commits_before + 1, what="the next commit")
        await pilot.press("ctrl+q")
    assert "Gode dage med borgerne." in committed_text(store, relative)


async def test_a_full_disk_is_shown_the_text_kept_and_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC from the real write path (not a stand-in for the store)."""
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    real_write = os.write
    disk_full = {"on": False}

    def write(fd: int, data) -> int:  # noqa: ANN001
        if disk_full["on"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(durable.os, "write", write)
    before = file_text(store, relative)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        note = await into_first_note(pilot)
        disk_full["on"] = True
        await type_text(pilot, "Skal ikke gå tabt")
        await wait_until(lambda: any("Disken er fuld" in m for m in notifications(app)), what="the disk-full message")
        assert "IKKE GEMT" in status_text(app)
        assert note.text == "Skal ikke gå tabt", "the text stays on screen"
        assert file_text(store, relative) == before, "the old file is intact"
        assert not [p for p in (store.root / relative).parent.iterdir() if p.name.endswith(durable.TEMP_SUFFIX)]

        disk_full["on"] = False
        await type_text(pilot, "!")
        await wait_for_file(store, relative, lambda text: "Skal ikke gå tabt!" in text, timeout=30)
        await pilot.press("ctrl+q")


async def test_a_hand_edited_file_is_opened_read_only_on_request_and_left_as_it_is(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    path = store.root / relative
    edited = "# Rettet af HR: stavefejl i stedet\n" + path.read_text()
    path.write_text(edited)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None), what="the listing")
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, Choice), what="the question about the hand edit")
        assert "kommentarer (linje 1)" in app.screen.message
        await pilot.press("tab", "enter")  # "Åbn skrivebeskyttet"
        await wait_until(lambda: isinstance(app.screen, ConversationScreen), what="the conversation")
        assert app.screen.conversation.read_only
        await pilot.press("f4", "enter")
        await type_text(pilot, "forsøg")
        await pilot.press("ctrl+q")
    assert path.read_text() == edited


async def test_a_hand_edited_file_is_rewritten_only_after_edit_anyway(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    path = store.root / relative
    edited = "# en kommentar\n" + path.read_text()
    path.write_text(edited)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: getattr(app.screen, "shown", None), what="the listing")
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, Choice), what="the question about the hand edit")
        assert path.read_text() == edited, "nothing is written while the question is open"
        await pilot.press("enter")  # "Redigér alligevel"
        await into_first_note(pilot)
        await type_text(pilot, "Ny note")
        await wait_for_file(store, relative, lambda text: "Ny note" in text)
        await pilot.press("ctrl+q")
    rewritten = path.read_text()
    assert "# en kommentar" not in rewritten
    assert loads(rewritten).theme("mig-som-medarbejder").notes == "Ny note"
