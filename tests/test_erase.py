"""`musterm erase`: the drill. After erasure nothing of the employee is left anywhere git or the
filesystem can show, and every other employee's conversations and history are as they were."""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.cli.main import main
from musterm.store.erase import verify_erased
from musterm.store.erase_check import find_traces
from tests.lifecycle_data import (
    ERASED, ERASED_FOLDER, ERASED_NUMBER, KEPT, SECRET_SENTENCES, build, employee_history, git,
)
from musterm.store import names

NEEDLES = [ERASED.encode(), ERASED_FOLDER.encode(), *(s.encode() for s in SECRET_SENTENCES)]


def run(root: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    completed = subprocess.run(
        [sys.executable, "-m", "musterm", "--sessions", str(root), *args],
        capture_output=True, text=True, input=stdin, env={**os.environ, "MUSTERM_MANAGER": "Lis Leder"},
    )
    return completed.returncode, completed.stdout, completed.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "sessions"
    build(root)
    return root


def test_erase_drill(repo: Path) -> None:
    kept_folders = [names.employee_folder(name, f"10{i}") for i, name in enumerate(KEPT)]
    before = {folder: employee_history(repo, folder) for folder in kept_folders}
    files_before = {p: p.read_bytes() for folder in kept_folders for p in sorted((repo / folder).iterdir())}
    assert ERASED.encode() in git(repo, "log", "--all", "-p")  # the drill would prove nothing otherwise
    store_lock = repo / ".git" / "musterm" / "edit-locks"
    from musterm.store.repository import Store

    Store.open(repo).lock_for_editing(f"{KEPT[0]}/x.toml").release()
    (store_lock / f"{ERASED_FOLDER}__2026-11-03.toml.lock").write_text('{"pid": 1}')  # a killed musterm's
    assert any(ERASED_FOLDER in p.name for p in store_lock.iterdir())
    git(repo, "branch", "gammel-kopi")  # another ref holding the old history
    (repo / ".git" / "COMMIT_EDITMSG").write_text(f"{ERASED} 2026-11-03: noter opdateret\n")
    reports = Path(os.environ["XDG_STATE_HOME"]) / "musterm"
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "fejl-1.txt").write_text(f"FileError: {ERASED_FOLDER}/2026-11-03.toml: linje 3\n")
    (reports / "fejl-2.txt").write_text("FileError: noget andet\n")
    code, out, err = run(repo, "erase", ERASED, "--ja")
    assert code == 0, err
    assert sorted(p.name for p in reports.iterdir()) == ["fejl-2.txt"]
    assert "3 samtaler" in out and "sletninger.toml" in out
    assert "Traceback" not in err

    # 1. git log of every ref, with patches; with and without musterm's readable diff.
    for args in (["log", "--all", "-p"], ["log", "--all", "-p", "--no-textconv"], ["log", "--all", "--walk-reflogs"]):
        shown = subprocess.run(["git", *args], cwd=repo, capture_output=True).stdout
        for needle in NEEDLES:
            assert needle not in shown, (args, needle)
    # 2. every object in the repository, reachable or not
    objects = git(repo, "cat-file", "--batch-all-objects", "--batch")
    for needle in NEEDLES:
        assert needle not in objects
    # 3. no unreachable objects at all
    assert git(repo, "fsck", "--unreachable", "--no-reflogs").strip() == b""
    # 4. the bytes of every file of the repository, loose objects and packs decompressed
    assert find_traces(repo, NEEDLES, deep=True) == []
    assert not (repo / ERASED_FOLDER).exists()
    assert not store_lock.exists() or not any(ERASED_FOLDER in p.name for p in store_lock.iterdir())
    # 5. a fresh clone holds nothing either
    clone = repo.parent / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-local", str(repo), str(clone)], check=True)
    assert find_traces(clone, NEEDLES, deep=True) == []

    # Everyone else: the same files, the same history (authors, dates, messages, patches).
    for folder in kept_folders:
        assert employee_history(repo, folder) == before[folder]
    assert {p: p.read_bytes() for folder in kept_folders for p in sorted((repo / folder).iterdir())} == files_before
    assert git(repo, "status", "--porcelain") == b""

    # The record: a date, a count, a salted hash, and no name.
    record = (repo / "sletninger.toml").read_text()
    assert "samtaler = 3" in record and "hash = \"scrypt:" in record
    assert verify_erased(repo, ERASED, ERASED_NUMBER) and not verify_erased(repo, "Bo Ørsted", "100")
    assert git(repo, "log", "-1", "--format=%s") == b"Sletning: 3 samtaler slettet (anmodning)\n"
    code, out, _ = run(repo, "erase", "--verify", ERASED, "--number", ERASED_NUMBER)
    assert code == 0 and out.startswith("Ja")

    # musterm itself: not listed, not found
    code, out, _ = run(repo, "list")
    assert ERASED not in out and KEPT[0] in out
    code, out, _ = run(repo, "search", "hundefører")
    assert code == 1 and out.startswith("Ingen fund") and ERASED not in out


def test_erase_asks_first_and_a_no_erases_nothing(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    code, _, err = run(repo, "erase", ERASED, stdin="nej\n")
    assert code == 1
    assert f"Slet alt om {ERASED} (mappen {ERASED_FOLDER}): 3 samtaler" in err
    assert "Intet er slettet." in err
    assert git(repo, "rev-parse", "HEAD") == head and (repo / ERASED_FOLDER).is_dir()
    code, out, err = run(repo, "erase", ERASED, stdin="ja\n")
    assert code == 0, err


def test_erase_of_someone_unknown_is_a_message(repo: Path) -> None:
    code, _, err = run(repo, "erase", "Ingen Sådan", "--ja")
    assert code == 1 and "Ingen medarbejder hedder 'Ingen Sådan'" in err and "Traceback" not in err


def test_erase_refuses_a_conversation_open_in_musterm(repo: Path) -> None:
    from musterm.store.repository import Store

    store = Store.open(repo)
    relative = store.find(ERASED)
    lock = store.lock_for_editing(relative)
    try:
        code, _, err = run(repo, "erase", ERASED, "--ja")
    finally:
        lock.release()
    assert code == 1 and "allerede åben" in err and "Intet er slettet" in err
    assert (repo / ERASED_FOLDER).is_dir()


def test_erase_keeps_others_uncommitted_work_or_refuses(repo: Path) -> None:
    bo = repo / names.employee_folder(KEPT[0], "100")
    newest = sorted(bo.iterdir())[-1]
    edited = newest.read_text().replace("Mere om kurser.", "Håndrettet, ikke committet.")
    newest.write_text(edited)
    code, _, err = run(repo, "erase", ERASED, "--ja")
    assert code == 1 and "ikke er committet" in err
    assert newest.read_text() == edited and (repo / ERASED_FOLDER).is_dir()


def test_a_message_that_names_others_too_keeps_them(repo: Path) -> None:
    bo = repo / names.employee_folder(KEPT[0], "100")
    bo_file = sorted(bo.iterdir())[-1]
    anna_file = sorted((repo / ERASED_FOLDER).iterdir())[-1]
    bo_file.write_text(bo_file.read_text().replace("Mere om kurser.", "Rettet sammen med en anden."))
    anna_file.write_text(anna_file.read_text().replace("Andet afsnit.", "Tredje afsnit."))
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Lis", "-c", "user.email=lis@x", "commit", "-q", "-m",
        f"Rettet for {ERASED} og {KEPT[0]} ({ERASED_FOLDER})")
    code, _, err = run(repo, "erase", ERASED_FOLDER, "--ja")
    assert code == 0, err
    assert git(repo, "log", "-1", "--skip=1", "--format=%s") == (
        f"Rettet for [slettet medarbejder] og {KEPT[0]} ([slettet medarbejder])\n".encode())
    assert "Rettet sammen med en anden." in bo_file.read_text()
    assert find_traces(repo, NEEDLES, deep=True) == []


def test_the_index_is_kept_without_the_employee_when_its_dictionary_holds_nothing_of_theirs(repo: Path) -> None:
    bo, bo_folder = KEPT[0], names.employee_folder(KEPT[0], "100")
    run(repo, "list")  # the index, as a manager's machine has it
    index = repo / ".git" / "musterm" / "index.sqlite"
    before = index.stat().st_ino
    code, _, err = run(repo, "erase", bo, "--ja")
    assert code == 0, err
    assert index.stat().st_ino == before  # not rebuilt: only the employee's rows went
    code, out, _ = run(repo, "search", "kurser")
    assert code == 0 and KEPT[1] in out and bo not in out
    code, out, _ = run(repo, "list")
    assert bo not in out and ERASED in out
    assert find_traces(repo, [bo.encode(), bo_folder.encode(), f"{bo} trives".encode()], deep=True) == []


def test_the_index_is_rebuilt_when_its_dictionary_holds_the_employees_text(repo: Path) -> None:
    index = repo / ".git" / "musterm" / "index.sqlite"
    index.unlink()  # its dictionary comes from the first files indexed: here all of them
    run(repo, "list")
    assert b"Andet afsnit." in index.read_bytes()  # a line of the employee's own, in three files
    before = dictionary_of(index)
    code, _, err = run(repo, "erase", ERASED, "--ja")
    assert code == 0, err
    assert dictionary_of(index) != before  # rebuilt from the files that are left (an inode number may be reused)
    assert b"Andet afsnit." not in index.read_bytes()
    assert find_traces(repo, NEEDLES + [b"Andet afsnit."], deep=True) == []


def dictionary_of(index: Path) -> bytes:
    with contextlib.closing(sqlite3.connect(index)) as connection:
        found = connection.execute("SELECT data FROM dictionary").fetchone()
    return bytes(found[0]) if found else b""
