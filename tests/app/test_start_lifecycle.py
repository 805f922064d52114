"""The start screen and the remote: where the repository stands, who has left, and sync in a worker."""

from __future__ import annotations

import subprocess
from pathlib import Path

from textual.widgets import DataTable, Static

from musterm.store.remote import set_remote, sync
from musterm.store.repository import Store
from musterm.store.retention import record_leaving
from tests.app.helpers import new_app, notifications, wait_until
from tests.lifecycle_data import ERASED, KEPT, build


def _rows(app) -> list[str]:  # noqa: ANN001
    table = app.screen.query_one("#sessions", DataTable)
    return [str(table.get_row_at(index)[0]) for index in range(table.row_count)]


async def test_the_start_screen_shows_the_remote_and_who_has_left_and_syncs_in_a_worker(tmp_path: Path) -> None:
    import datetime as dt

    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(bare)], check=True)
    store = build(tmp_path / "sessions")
    set_remote(store, str(bare))
    sync(store)
    record_leaving(store, ERASED, dt.date(2020, 1, 31))  # one commit not pushed yet
    app = new_app(Store.open(store.root))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(lambda: app.screen.loaded, what="the listing")
        title = str(app.screen.query_one("#start-title", Static).render())
        assert "fjernrepo: ↑1 at skubbe" in title
        await wait_until(lambda: len(_rows(app)) == 7, what="the rows")
        assert f"{ERASED} (fratrådt)" in _rows(app) and KEPT[0] in _rows(app)
        assert app.screen.check_action("sync", ()) is True
        await app.screen.run_action("sync")
        await wait_until(lambda: any(n.startswith("Synkroniseret") for n in notifications(app)), what="sync")
        assert "1 commit(s) skubbet" in [n for n in notifications(app) if n.startswith("Synkroniseret")][0]
        await wait_until(lambda: "fjernrepo: synkroniseret" in str(app.screen.query_one("#start-title", Static).render()),
                         what="the title after sync")
        await pilot.pause()
    assert subprocess.run(["git", "rev-parse", "main"], cwd=bare, capture_output=True, text=True).stdout == \
        subprocess.run(["git", "rev-parse", "HEAD"], cwd=store.root, capture_output=True, text=True).stdout


async def test_a_dropped_remote_is_a_message_in_the_app(tmp_path: Path) -> None:
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(bare)], check=True)
    store = build(tmp_path / "sessions")
    set_remote(store, str(bare))
    bare.rename(tmp_path / "væk.git")
    app = new_app(Store.open(store.root))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(lambda: app.screen.loaded, what="the listing")
        await app.screen.run_action("sync")
        await wait_until(lambda: any("Fjernrepoet kan ikke nås" in n for n in notifications(app)), what="the message")
        await pilot.pause()


async def test_without_a_remote_sync_is_not_offered(tmp_path: Path) -> None:
    store = build(tmp_path / "sessions")
    app = new_app(Store.open(store.root))
    async with app.run_test(size=(120, 30)):
        await wait_until(lambda: app.screen.loaded, what="the listing")
        assert app.screen.check_action("sync", ()) is False
        assert "fjernrepo" not in str(app.screen.query_one("#start-title", Static).render())


async def test_the_conversation_status_line_shows_ahead_of_the_remote(tmp_path: Path) -> None:
    from tests.app.helpers import open_from_start, status_text

    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(bare)], check=True)
    store = build(tmp_path / "sessions")
    set_remote(store, str(bare))
    sync(store)
    relative = "bo-ørsted-100/2026-10-01.toml"
    session = store.load(relative)
    session.themes[0].notes = "Endnu ikke skubbet."
    store.save(relative, session)
    store.commit(relative, session)
    app = new_app(Store.open(store.root))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(lambda: app.screen.loaded, what="the listing")
        await open_from_start(pilot)
        await wait_until(lambda: "fjernrepo: ↑1 at skubbe" in status_text(app), what="the remote in the status line")
