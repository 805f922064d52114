"""`musterm remote set` / `musterm sync` against a real bare repository, and the remote's hook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.errors import FileError
from musterm.store.remote import RemoteUnreachable, SyncConflict, SyncError, position, set_remote, sync
from musterm.store.repository import Store
from tests.lifecycle_data import KEPT, build, git

BO_FOLDER = "bo-ørsted-100"


def run(root: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    completed = subprocess.run(
        [sys.executable, "-m", "musterm", "--sessions", str(root), *args],
        capture_output=True, text=True, input=stdin, env={**os.environ, "MUSTERM_MANAGER": "Lis Leder"},
    )
    return completed.returncode, completed.stdout, completed.stderr


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Store, Path, Store]:
    """The manager's repository pushed to a bare remote, and a second computer's clone of it."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    first = build(tmp_path / "sessions")
    assert "Fjernrepoet er sat til" in set_remote(first, str(bare))
    sync(first)
    git(tmp_path, "clone", "--quiet", str(bare), str(tmp_path / "laptop"))
    second = Store.open(tmp_path / "laptop")
    return first, bare, second


def newest(store: Store, folder: str = BO_FOLDER) -> str:
    return f"{folder}/{sorted(p.name for p in (store.root / folder).iterdir())[-1]}"


def change_notes(store: Store, relative: str, text: str, commit: bool = True) -> None:
    session = store.load(relative)
    session.themes[0].notes = text
    store.save(relative, session)
    if commit:
        store.commit(relative, session)


def test_sync_pushes_and_pulls_through_a_bare_repository(setup) -> None:
    first, bare, second = setup
    assert git(bare, "rev-parse", "main") == git(first.root, "rev-parse", "HEAD")
    relative = newest(second)
    change_notes(second, relative, "Skrevet på den anden computer.")
    assert position(second).ahead == 1
    result = sync(second)
    assert (result.pulled, result.pushed) == (0, 1)
    result = sync(first)
    assert (result.pulled, result.pushed) == (1, 0)
    assert "Skrevet på den anden computer." in (first.root / relative).read_text()
    assert first.load(relative).themes[0].notes == "Skrevet på den anden computer."
    assert position(first).describe() == "synkroniseret"


def test_sync_commits_what_musterm_saved_first(setup) -> None:
    first, bare, second = setup
    relative = newest(first)
    change_notes(first, relative, "Gemt, men ikke committet.", commit=False)
    result = sync(first)
    assert result.committed == [relative] and result.pushed == 1
    assert b"Gemt, men ikke committet." in git(bare, "show", f"main:{relative}")


def test_both_sides_change_one_conversation_a_conflict_keeps_both(setup) -> None:
    first, bare, second = setup
    relative = newest(first)
    change_notes(second, relative, "Version fra den bærbare.")
    sync(second)
    change_notes(first, relative, "Version fra kontoret.")
    head = git(first.root, "rev-parse", "HEAD")
    code, _, err = run(first.root, "sync")
    assert code == 1 and f"Konflikt i {relative}" in err and "Intet er skubbet" in err and "Traceback" not in err
    with pytest.raises(SyncError, match="ikke løst"):
        sync(first)
    git(first.root, "rebase", "--abort")  # as before the sync, to see the conflict once more through the store
    with pytest.raises(SyncConflict) as raised:
        sync(first)
    assert raised.value.files == [relative] and relative in str(raised.value)
    text = (first.root / relative).read_text()
    assert "Version fra den bærbare." in text and "Version fra kontoret." in text and "<<<<<<<" in text
    with pytest.raises(FileError, match="konfliktmarkører"):
        Store.open(first.root).load(relative)  # the app and every command refuse the file
    code, out, err = run(first.root, "show", relative)
    assert code == 1 and "konfliktmarkører" in err and "Traceback" not in err
    assert git(bare, "rev-parse", "main") != head  # nothing of ours was pushed
    with pytest.raises(SyncError, match="ikke løst"):
        sync(first)
    # Put right by hand: keep both sentences.
    lines = [line for line in text.splitlines() if not line.startswith(("<<<<<<<", "=======", ">>>>>>>"))]
    fixed = "\n".join(lines) + "\n"
    fixed = fixed.replace('notes = "Version fra den bærbare."\nnotes = "Version fra kontoret."',
                          'notes = "Version fra den bærbare. Version fra kontoret."')
    (first.root / relative).write_text(fixed)
    result = sync(first)
    assert result.pushed >= 1
    assert b"Version fra den b\xc3\xa6rbare. Version fra kontoret." in git(bare, "show", f"main:{relative}")
    assert git(first.root, "status", "--porcelain") == b""
    assert not position(first).conflict


def test_a_damaged_session_is_never_pushed(setup) -> None:
    first, bare, second = setup
    relative = newest(first)
    before = git(bare, "rev-parse", "main")
    path = first.root / relative
    path.write_text(path.read_text().replace("schema_version = 1", "schema_version = 1\nfarve = 3"))
    git(first.root, "-c", "user.name=Lis", "-c", "user.email=l@x", "commit", "-qam", "rettet i hånden")
    with pytest.raises(SyncError) as raised:
        sync(first)
    assert f"{relative}:2: farve" in str(raised.value) and "skubbes ikke" in str(raised.value)
    assert git(bare, "rev-parse", "main") == before


def test_a_dropped_remote_is_a_message_and_loses_nothing(setup, tmp_path: Path) -> None:
    first, bare, second = setup
    relative = newest(first)
    change_notes(first, relative, "Skrevet, mens nettet var nede.")
    head = git(first.root, "rev-parse", "HEAD")
    bare.rename(tmp_path / "væk.git")
    with pytest.raises(RemoteUnreachable, match="Fjernrepoet kan ikke nås"):
        sync(first)
    code, out, err = run(first.root, "sync")
    assert code == 1 and "Fjernrepoet kan ikke nås" in err and "Intet er ændret" in err and "Traceback" not in err
    assert git(first.root, "rev-parse", "HEAD") == head
    assert "Skrevet, mens nettet var nede." in (first.root / relative).read_text()
    (tmp_path / "væk.git").rename(bare)
    assert sync(first).pushed == 1


def test_remote_command_shows_ahead_and_behind(setup) -> None:
    first, bare, second = setup
    change_notes(second, newest(second), "Fra den anden.")
    sync(second)
    change_notes(first, newest(first, "cecilie-holm-101"), "Herfra.")
    git(first.root, "fetch", "--quiet", "origin")
    code, out, err = run(first.root, "remote")
    assert code == 0, err
    assert f"Fjernrepo: {bare}" in out and "↑1 at skubbe, ↓1 at hente" in out


def test_sync_without_a_remote_says_how(tmp_path: Path) -> None:
    build(tmp_path / "s")
    code, _, err = run(tmp_path / "s", "sync")
    assert code == 1 and "musterm remote set ADRESSE" in err


def test_the_remote_hook_refuses_a_file_musterm_cannot_read(setup, tmp_path: Path) -> None:
    first, bare, second = setup
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\nexec {sys.executable} -m musterm hook pre-receive\n")
    hook.chmod(0o700)
    relative = newest(second)
    path = second.root / relative
    good = path.read_text()
    path.write_text(good.replace("schema_version = 1", "schema_version = 1\nfarve = 3"))
    git(second.root, "-c", "user.name=Lis", "-c", "user.email=l@x", "commit", "-qam", "i hånden")
    refused = subprocess.run(["git", "push", "origin", "main"], cwd=second.root, capture_output=True, text=True)
    assert refused.returncode != 0
    assert f"{relative}:2: farve: ukendt nøgle" in refused.stderr and "push afvist" in refused.stderr
    path.write_text(good.replace("Mere om kurser.", "Rettet igen."))
    git(second.root, "-c", "user.name=Lis", "-c", "user.email=l@x", "commit", "-qam", "rettet")
    # The broken version is still in the commits being pushed: refused, every version counts.
    assert subprocess.run(["git", "push", "origin", "main"], cwd=second.root, capture_output=True).returncode != 0
    git(second.root, "reset", "--quiet", "--hard", "origin/main")
    change_notes(Store.open(second.root), relative, "God ændring.")
    assert sync(Store.open(second.root)).pushed == 1


def test_erase_with_a_remote_force_pushes_and_cleans_the_remote(setup, tmp_path: Path) -> None:
    from musterm.store.erase_check import find_traces
    from tests.lifecycle_data import ERASED, ERASED_FOLDER, SECRET_SENTENCES

    first, bare, second = setup
    needles = [ERASED.encode(), ERASED_FOLDER.encode(), *(s.encode() for s in SECRET_SENTENCES)]
    assert find_traces(bare, needles, deep=False)  # the remote has it all before
    code, out, err = run(first.root, "erase", ERASED, "--ja")
    assert code == 0, err
    assert "skubbet til fjernrepoet" in out and "Fjernrepoet er ryddet" in out
    assert "Alle andre kloner" in out and "klon fjernrepoet på ny" in out
    assert git(bare, "rev-parse", "main") == git(first.root, "rev-parse", "HEAD")
    assert find_traces(bare, needles, deep=True) == []
    git(tmp_path, "clone", "--quiet", "--no-local", str(bare), str(tmp_path / "fresh"))
    assert find_traces(tmp_path / "fresh", needles, deep=True) == []
    assert position(first).describe() == "synkroniseret"


def test_erase_with_an_unreachable_remote_says_the_remote_still_has_it(setup, tmp_path: Path) -> None:
    from musterm.store.erase_check import find_traces
    from tests.lifecycle_data import ERASED, ERASED_FOLDER, SECRET_SENTENCES

    needles = [ERASED.encode(), ERASED_FOLDER.encode(), *(s.encode() for s in SECRET_SENTENCES)]

    first, bare, second = setup
    bare.rename(tmp_path / "væk.git")
    code, out, err = run(first.root, "erase", ERASED, "--ja")
    assert code == 1 and "Slettet" in out
    assert "Fjernrepoet har stadig de slettede samtaler" in err and "Traceback" not in err
    (tmp_path / "væk.git").rename(bare)
    code, out, err = run(first.root, "sync")  # pushes the new history; never pulls the old one back
    assert code == 0, err
    assert "skubbet til fjernrepoet" in out and "Fjernrepoet er ryddet" in out
    assert find_traces(first.root, needles, deep=True) == [] and find_traces(bare, needles, deep=True) == []
    code, out, err = run(first.root, "sync")
    assert code == 0 and out.startswith("Synkroniseret: ")


def test_a_first_push_of_many_conversations_asks_the_index_and_still_refuses_a_damaged_one(tmp_path: Path,
                                                                                         monkeypatch) -> None:
    import musterm.store.remote as remote

    monkeypatch.setattr(remote, "FEW", 2)  # the repository's 13 conversations count as many
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    store = build(tmp_path / "sessions")
    relative = newest(store)
    path = store.root / relative
    good = path.read_text()
    path.write_text(good.replace("schema_version = 1", "schema_version = 1\nfarve = 3"))
    git(store.root, "-c", "user.name=Lis", "-c", "user.email=l@x", "commit", "-qam", "i hånden")
    set_remote(store, str(bare))
    with pytest.raises(SyncError, match=f"{relative}:2: farve"):
        sync(store)
    path.write_text(good)  # right on disk, still damaged in HEAD: refused all the same
    with pytest.raises(SyncError, match=f"{relative}:2: farve"):
        sync(store)
    git(store.root, "-c", "user.name=Lis", "-c", "user.email=l@x", "commit", "-qam", "rettet")
    assert sync(store).pushed > 10


def test_an_old_clone_never_brings_an_erased_employee_back(setup) -> None:
    from musterm.store.erase_check import find_traces
    from tests.lifecycle_data import ERASED, ERASED_FOLDER

    first, bare, second = setup
    code, out, err = run(first.root, "erase", ERASED, "--ja")
    assert code == 0, err
    change_notes(second, newest(second), "Skrevet på den gamle klon.")
    with pytest.raises(SyncError, match="historik er skrevet om") as raised:
        sync(second)
    assert "klon fjernrepoet på ny" in str(raised.value) and "Intet er skubbet" in str(raised.value)
    assert find_traces(bare, [ERASED.encode(), ERASED_FOLDER.encode()], deep=True) == []
    assert git(bare, "rev-parse", "main") == git(first.root, "rev-parse", "HEAD")


def test_erase_waits_for_a_conflict_to_be_resolved(setup) -> None:
    from tests.lifecycle_data import ERASED, ERASED_FOLDER

    first, bare, second = setup
    relative = newest(first)
    change_notes(second, relative, "Den ene.")
    sync(second)
    change_notes(first, relative, "Den anden.")
    with pytest.raises(SyncConflict):
        sync(first)
    code, _, err = run(first.root, "erase", ERASED, "--ja")
    assert code == 1 and "konflikt" in err and "intet er slettet" in err
    assert (first.root / ERASED_FOLDER).is_dir()
