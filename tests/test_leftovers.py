"""The start-up tidy-up: what musterm saved but never committed is committed as recovered; what a
person edited by hand is left for them, never labelled "recovered" (issue 13, item 6).

musterm records the digest of every file it writes (in .git/musterm/own-writes); an uncommitted
file is musterm's own only while it still has that digest.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from musterm.frameworks.catalog import Catalog
from musterm.model.session import Person, new_session
from musterm.store.repository import Store

RECOVERED = "ændringer, der ikke nåede at blive committet, er committet"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "sessions")


def create(store: Store, name: str = "Anna Sørensen") -> str:
    session = new_session(Catalog.discover().get("randers"), Person(name=name), Person(name="Lis Leder"),
                          dt.date(2026, 11, 23))
    return store.create(session)


def saved_not_committed(store: Store, relative: str, note: str) -> None:
    """As a musterm killed after the autosave and before the commit."""
    session = store.load(relative)
    session.private.notes = note
    store.save(relative, session)


def test_musterms_own_uncommitted_save_is_committed_as_recovered(store: Store) -> None:
    relative = create(store)
    saved_not_committed(store, relative, "Skrevet lige før et kill -9")
    tidy = Store.open(store.root).commit_leftovers()
    assert (tidy.committed, tidy.hand_edited) == ([relative], [])
    assert git(store.root, "log", "-1", "--format=%s") == f"Anna Sørensen 2026-11-23: {RECOVERED}\n"
    assert git(store.root, "status", "--porcelain") == ""


def test_a_hand_edit_is_never_committed_as_recovered(store: Store) -> None:
    relative = create(store)
    file = store.path_of(relative)
    edited = file.read_text(encoding="utf-8").replace('status = "draft"', '# rettet af HR\nstatus = "draft"')
    file.write_text(edited, encoding="utf-8")
    commits = git(store.root, "rev-list", "--count", "HEAD")
    tidy = Store.open(store.root).commit_leftovers()
    assert (tidy.committed, tidy.hand_edited) == ([], [relative])
    assert git(store.root, "rev-list", "--count", "HEAD") == commits
    assert file.read_text(encoding="utf-8") == edited
    assert git(store.root, "status", "--porcelain") == f" M {relative}\n"


def test_a_hand_edit_of_a_save_musterm_never_committed_is_left_alone_too(store: Store) -> None:
    relative = create(store)
    saved_not_committed(store, relative, "musterms egen")
    file = store.path_of(relative)
    file.write_text(file.read_text(encoding="utf-8").replace("musterms egen", "rettet i hånden"), encoding="utf-8")
    tidy = Store.open(store.root).commit_leftovers()
    assert (tidy.committed, tidy.hand_edited) == ([], [relative])
    assert RECOVERED not in git(store.root, "log", "--format=%s")
    assert "rettet i hånden" not in git(store.root, "show", f"HEAD:{relative}")


def test_a_new_file_musterm_made_but_could_not_commit_is_committed(store: Store) -> None:
    """`musterm new` while git was busy: the untracked file is musterm's own."""
    relative = create(store)
    other = create(store, "Bo Ørsted")
    git(store.root, "rm", "--cached", "--quiet", other)
    git(store.root, "-c", "user.name=H", "-c", "user.email=h@x", "commit", "--quiet", "-m", "glemt")
    tidy = Store.open(store.root).commit_leftovers()
    assert tidy.committed == [other]
    assert git(store.root, "status", "--porcelain", "--untracked-files=all") == ""
    assert relative not in tidy.committed


def test_the_conversation_this_musterm_holds_open_is_committed_too(store: Store) -> None:
    """`musterm open NAME` after a kill -9: the app holds the conversation's edit lock when the
    tidy-up runs, and the recovery commit must still be made."""
    relative = create(store)
    saved_not_committed(store, relative, "Skrevet lige før et kill -9")
    again = Store.open(store.root)
    with again.lock_for_editing(relative):
        tidy = again.commit_leftovers(held=[relative])
    assert tidy.committed == [relative]
    assert git(store.root, "log", "-1", "--format=%s") == f"Anna Sørensen 2026-11-23: {RECOVERED}\n"


def test_a_conversation_open_in_another_musterm_is_left_to_it(store: Store) -> None:
    relative = create(store)
    saved_not_committed(store, relative, "Den anden musterm skriver")
    with Store.open(store.root).lock_for_editing(relative):
        tidy = Store.open(store.root).commit_leftovers()
    assert (tidy.committed, tidy.hand_edited) == ([], [])
    assert git(store.root, "status", "--porcelain") == f" M {relative}\n"


class Killed(BaseException):
    """The process dies here: nothing after this line runs."""


@pytest.mark.parametrize("when", ["after the file was written", "before the file was written"])
def test_a_kill_right_around_the_write_still_leaves_a_recognisable_own_write(
    store: Store, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """The digest is recorded before the file is written (and keeps the previous one): a kill
    between the two leaves whichever version is on disk recognisable as musterm's."""
    from musterm.store import durable

    relative = create(store)
    saved_not_committed(store, relative, "Første, ikke committet")
    real = durable.write_atomic

    def killed(path, data, **kwargs):  # noqa: ANN001, ANN003, ANN202
        if not path.name.endswith(".toml") or when == "after the file was written":
            real(path, data, **kwargs)
        if path.name.endswith(".toml"):
            raise Killed

    monkeypatch.setattr(durable, "write_atomic", killed)
    with pytest.raises(Killed):
        saved_not_committed(store, relative, "Anden, lige før kill -9")
    monkeypatch.undo()
    tidy = Store.open(store.root).commit_leftovers()
    assert (tidy.committed, tidy.hand_edited) == ([relative], [])
    expected = "Anden, lige før kill -9" if when == "after the file was written" else "Første, ikke committet"
    assert expected in git(store.root, "show", f"HEAD:{relative}")


def test_a_tidy_up_while_a_conversation_is_being_created_leaves_it_to_its_creator(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new file is on disk and not yet committed: another musterm's tidy-up (or this one's, 0.5 s
    after the first paint) must neither commit it as "recovered" nor hold its edit lock while the
    creator opens it."""
    tidy_ups = []
    real_commit = Store.commit

    def tidy_up_first(self: Store, relative: str, *args: object, **kwargs: object) -> bool:
        monkeypatch.setattr(Store, "commit", real_commit)  # (the tidy-up commits through it too)
        tidy_ups.append(Store.open(self.root).commit_leftovers())
        return real_commit(self, relative, *args, **kwargs)

    monkeypatch.setattr(Store, "commit", tidy_up_first)
    relative = create(store)
    assert [(tidy.committed, tidy.hand_edited) for tidy in tidy_ups] == [([], [])]
    assert git(store.root, "log", "-1", "--format=%s") == "Anna Sørensen 2026-11-23: samtale oprettet\n"
    assert git(store.root, "status", "--porcelain") == ""
    store.lock_for_editing(relative).release()
