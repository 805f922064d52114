"""When git does not commit (issue 13, item 6): the next autosave tries again, quitting says so,
and the start-up tidy-up commits what a killed musterm left, the open conversation included,
without ever calling a person's hand edit "recovered"."""

from __future__ import annotations

from pathlib import Path

from musterm.app.app import MustermApp
from tests.app.helpers import (
    CATALOG,
    file_text,
    git,
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

RECOVERED = "ændringer, der ikke nåede at blive committet, er committet"


def refuse_commits(root: Path) -> Path:
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'politikken kræver et sagsnummer' >&2\nexit 1\n")
    hook.chmod(0o700)
    return hook


async def test_after_a_refused_commit_the_next_autosave_commits_without_ctrl_s(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    commits = len(subjects(store))
    hook = refuse_commits(store.root)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await into_first_note(pilot)
        await type_text(pilot, "Gode dage")
        await pilot.press("ctrl+s")
        await wait_until(lambda: "Gemt, ikke committet" in status_text(app), what="the commit failure")
        await wait_until(lambda: any("Den committes ved næste gem." in message for message in notifications(app)),
                         what="the notification that the next save commits it")
        hook.unlink()
        await type_text(pilot, " med borgerne")  # no ctrl+s: the autosave alone
        await wait_until(lambda: len(subjects(store)) == commits + 1, timeout=20, what="the commit after the next save")
        assert "Gode dage med borgerne" in git(store.root, "show", f"HEAD:{relative}")
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_quitting_with_a_change_git_refused_exits_with_status_3(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    refuse_commits(store.root)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_start(pilot)
        await into_first_note(pilot)
        await type_text(pilot, "Ikke i historikken")
        await wait_for_file(store, relative, lambda text: "Ikke i historikken" in text)
        await pilot.press("ctrl+q")
    assert app.return_code == 3
    assert "Ikke i historikken" in file_text(store, relative)


def killed_after_saving(store, relative: str, note: str) -> None:  # noqa: ANN001
    """As a musterm killed (-9) between its autosave and the commit."""
    session = store.load(relative)
    session.private.notes = note
    store.save(relative, session)


async def test_musterm_open_name_after_a_kill_makes_the_recovery_commit(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    killed_after_saving(store, relative, "Skrevet før kill -9")
    restarted = make_store(tmp_path)
    app = MustermApp(restarted, CATALOG, initial=restarted.find("Anna Sørensen"))  # musterm open "Anna Sørensen"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: subjects(store)[-1] == f"Anna Sørensen 2026-11-23: {RECOVERED}", timeout=20,
                         what="the recovery commit while the conversation is open")
        assert "Skrevet før kill -9" in git(store.root, "show", f"HEAD:{relative}")
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_the_tidy_up_leaves_a_hand_edit_alone_and_says_so(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    relative = plan(store, "randers")
    file = store.path_of(relative)
    edited = "# rettet af HR\n" + file.read_text(encoding="utf-8")
    file.write_text(edited, encoding="utf-8")
    before = subjects(store)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: any("Ændret udenfor musterm" in message for message in notifications(app)),
                         timeout=20, what="the note about the hand edit")
        assert any(relative in message for message in notifications(app))
        await pilot.press("ctrl+q")
    assert subjects(store) == before
    assert file.read_text(encoding="utf-8") == edited
