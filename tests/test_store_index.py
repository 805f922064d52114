"""The derived index in .git/musterm/index.sqlite: brought up to date from git, rebuilt when it
cannot be trusted, shared by processes, and holding no text of a conversation that is gone.

Each test counts the files the index reads (`read_row`), so "only what changed is read" is
checked, not assumed; the listing and search results are what a user sees.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.history.search import format_search, search
from musterm.model.session import Person, Session, new_session
from musterm.frameworks.catalog import Catalog
from musterm.store import index as index_module
from musterm.store.repository import Store

FRAMEWORK = Catalog.discover().get("ringkobing-skjern")


def conversation(name: str, number: str, date: dt.date, note: str) -> Session:
    session = new_session(FRAMEWORK, Person(name=name, number=number), Person(name="Lis Leder"), date, dt.time(9))
    session.themes[0].notes = note
    return session


def git(root: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return completed.stdout


def identity(root: Path) -> None:
    git(root, "config", "user.name", "Lis Leder")
    git(root, "config", "user.email", "lis@example.invalid")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the index reads from disk from now on."""
    seen: list[str] = []
    original = index_module.read_row

    def read_row(root: Path, relative: str, committed=None):  # noqa: ANN001, ANN202
        seen.append(relative)
        return original(root, relative, committed)

    monkeypatch.setattr(index_module, "read_row", read_row)
    return seen


def index_file(store: Store) -> Path:
    return store.git.git_dir / "musterm" / "index.sqlite"


def listed(store: Store) -> list[tuple[str, str, str]]:
    return [(s.path, s.employee, s.status) for s in store.summaries()]


def found(store: Store, text: str) -> list[str]:
    return [f"{hit.path}: {hit.snippet}" for hit in search(store, text)]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "sessions")
    store.create(conversation("Anna Sørensen", "1", dt.date(2024, 11, 1), "Øvebane i fagsystemet."))
    store.create(conversation("Bo Ørsted", "2", dt.date(2025, 3, 4), "Kursus i konflikthåndtering."))
    return store


# --- saving ---------------------------------------------------------------------------------------


def test_a_save_updates_the_index_without_reading_the_file_again(store: Store, reads: list[str]) -> None:
    store.summaries()
    relative = "anna-sørensen-1/2024-11-01.toml"
    session = store.load(relative)
    session.themes[0].notes = "Nu med supervision hver uge."
    store.save(relative, session)
    reads.clear()
    assert found(store, "supervision") == [f"{relative}: Nu med supervision hver uge."]
    assert found(store, "øvebane") == []
    assert reads == []  # saved and indexed by the saving thread; not committed, and not read again
    store.commit(relative, session)
    assert found(store, "supervision") == [f"{relative}: Nu med supervision hver uge."]
    assert reads == [relative]  # once committed, HEAD moved: that one file is checked against it


def test_an_edit_outside_musterm_is_read_at_the_next_refresh(store: Store, reads: list[str]) -> None:
    store.summaries()
    file = store.root / "bo-ørsted-2" / "2025-03-04.toml"
    file.write_text(file.read_text(encoding="utf-8").replace("Kursus i konflikt", "Kursus i samtale"), encoding="utf-8")
    reads.clear()
    assert found(store, "kursus i samtale") == ["bo-ørsted-2/2025-03-04.toml: Kursus i samtalehåndtering."]
    assert reads == ["bo-ørsted-2/2025-03-04.toml"]
    reads.clear()
    store.summaries()
    assert reads == []  # still uncommitted, and just as read


def test_with_nothing_changed_a_refresh_starts_one_git_process_and_reads_nothing(
    store: Store, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.summaries()
    (store.root / "bo-ørsted-2" / "2025-03-04.toml").write_text("ikke = [toml", encoding="utf-8")  # uncommitted
    store.summaries()
    commands: list[list[str]] = []
    run = store.git.run

    def counted(args, *rest, **options):  # noqa: ANN001, ANN202
        commands.append(args)
        return run(args, *rest, **options)

    monkeypatch.setattr(store.git, "run", counted)
    reads.clear()
    assert [path for path, _, _ in listed(store)] == ["bo-ørsted-2/2025-03-04.toml", "anna-sørensen-1/2024-11-01.toml"]
    assert reads == [] and [args[1] for args in commands] == ["status"]


# --- git moving under the index -------------------------------------------------------------------


def test_a_pull_rereads_only_the_files_it_changed(store: Store, tmp_path: Path, reads: list[str]) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(store.root), str(clone)], check=True)
    identity(clone)
    other = Store.open(clone)
    assert [path for path, _, _ in listed(other)] == ["bo-ørsted-2/2025-03-04.toml", "anna-sørensen-1/2024-11-01.toml"]
    # Elsewhere: one conversation changed, one new, one deleted; then pulled here.
    relative = "anna-sørensen-1/2024-11-01.toml"
    session = store.load(relative)
    session.themes[0].notes = "Øvebane droppet; i stedet mentorordning."
    store.save(relative, session)
    store.commit(relative, session)
    store.create(conversation("Carl Ærø", "3", dt.date(2025, 6, 1), "Trives."))
    identity(store.root)
    git(store.root, "rm", "--quiet", "bo-ørsted-2/2025-03-04.toml")
    git(store.root, "commit", "--quiet", "-m", "Slettet")
    reads.clear()
    git(clone, "pull", "--quiet", "--ff-only")
    assert listed(other) == [
        ("carl-ærø-3/2025-06-01.toml", "Carl Ærø", "draft"),
        (relative, "Anna Sørensen", "draft"),
    ]
    assert sorted(reads) == sorted([relative, "carl-ærø-3/2025-06-01.toml", "bo-ørsted-2/2025-03-04.toml"])
    assert found(other, "mentorordning") == [f"{relative}: Øvebane droppet; i stedet mentorordning."]
    assert found(other, "konflikthåndtering") == []


def test_a_checkout_of_an_older_commit_and_back(store: Store, reads: list[str]) -> None:
    identity(store.root)
    relative = "anna-sørensen-1/2024-11-01.toml"
    session = store.load(relative)
    session.themes[0].notes = "Anden udgave."
    store.save(relative, session)
    store.commit(relative, session)
    assert found(store, "udgave") == [f"{relative}: Anden udgave."]
    git(store.root, "checkout", "--quiet", "HEAD~2")  # before Bo, and before the second version
    assert listed(store) == [(relative, "Anna Sørensen", "draft")]
    assert found(store, "udgave") == [] and found(store, "øvebane") == [f"{relative}: Øvebane i fagsystemet."]
    git(store.root, "checkout", "--quiet", "main")
    reads.clear()
    assert found(store, "udgave") == [f"{relative}: Anden udgave."]
    assert sorted(reads) == sorted([relative, "bo-ørsted-2/2025-03-04.toml"])


def test_a_deleted_file_leaves_the_index_and_comes_back_when_restored(store: Store) -> None:
    relative = "bo-ørsted-2/2025-03-04.toml"
    assert found(store, "konflikt") != []
    (store.root / relative).unlink()  # not committed
    assert found(store, "konflikt") == [] and len(listed(store)) == 1
    git(store.root, "checkout", "--", relative)  # back as committed: git status no longer names it
    assert found(store, "konflikt") == [f"{relative}: Kursus i konflikthåndtering."]
    identity(store.root)
    git(store.root, "rm", "--quiet", relative)
    git(store.root, "commit", "--quiet", "-m", "Slettet")
    assert found(store, "konflikt") == [] and len(listed(store)) == 1


# --- an index that cannot be trusted ------------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_index_is_rebuilt_from_the_files(store: Store, damage: str) -> None:
    store.summaries()
    file = index_file(store)
    with contextlib.closing(sqlite3.connect(file)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = file.read_bytes()
    file.write_bytes({"garbage": b"\x00musterm\xff" * 4096, "truncated": data[: len(data) // 3], "empty": b""}[damage])
    again = Store.open(store.root)
    assert [path for path, _, _ in listed(again)] == ["bo-ørsted-2/2025-03-04.toml", "anna-sørensen-1/2024-11-01.toml"]
    assert found(again, "øvebane") == ["anna-sørensen-1/2024-11-01.toml: Øvebane i fagsystemet."]
    assert file.stat().st_mode & 0o777 == 0o600


def test_an_index_of_another_format_is_rebuilt_not_read(store: Store) -> None:
    store.summaries()
    with contextlib.closing(sqlite3.connect(index_file(store))) as connection, connection:
        connection.execute("UPDATE conversation SET employee = 'Fra en nyere musterm'")
        connection.execute("UPDATE meta SET value = ? WHERE key = 'format'", (str(index_module.FORMAT + 1),))
    assert [employee for _, employee, _ in listed(Store.open(store.root))] == ["Bo Ørsted", "Anna Sørensen"]


def test_a_folder_that_is_not_a_repository_is_searched_from_an_index_in_memory(store: Store, tmp_path: Path) -> None:
    import types

    plain = tmp_path / "plain"
    subprocess.run(["cp", "-r", str(store.root / "anna-sørensen-1"), str(plain / "anna-sørensen-1")], check=False)
    plain.mkdir(exist_ok=True)
    subprocess.run(["cp", "-r", str(store.root / "anna-sørensen-1"), str(plain)], check=True)
    assert found(types.SimpleNamespace(root=plain), "ØVEBANE") == ["anna-sørensen-1/2024-11-01.toml: Øvebane i fagsystemet."]
    assert not list(plain.rglob("*.sqlite"))


# --- two processes ------------------------------------------------------------------------------

READER = """\
import sys
from musterm.store.repository import Store
from musterm.history.search import search
for _ in range(15):
    store = Store.open(sys.argv[1])
    assert len(store.summaries()) >= 2
    assert search(store, "Fagsystemet") or search(store, "runde")
print("ok")
"""


def test_two_processes_refresh_and_search_while_a_third_saves(store: Store) -> None:
    store.summaries()
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(store.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    relative = "anna-sørensen-1/2024-11-01.toml"
    session = store.load(relative)
    for round_number in range(10):
        session.themes[0].notes = f"Øvebane i fagsystemet, runde {round_number}."
        store.save(relative, session)
        store.commit(relative, session)
    outputs = [reader.communicate(timeout=240) for reader in readers]
    assert [reader.returncode for reader in readers] == [0, 0], outputs
    assert found(Store.open(store.root), "runde") == [f"{relative}: Øvebane i fagsystemet, runde 9."]


# --- search through the index -------------------------------------------------------------------


def test_filters_by_employee_year_and_field_and_phrase_search(store: Store) -> None:
    store.create(conversation("Anna Sørensen", "1", dt.date(2025, 11, 1), "Kursus i\nøvebane  i fagsystemet."))
    assert [hit.path for hit in search(store, "øvebane")] == [
        "anna-sørensen-1/2024-11-01.toml", "anna-sørensen-1/2025-11-01.toml",
    ]
    assert [hit.path for hit in search(store, "kursus", employee="Bo Ørsted")] == ["bo-ørsted-2/2025-03-04.toml"]
    assert [hit.path for hit in search(store, "kursus", year=2025)] == [
        "anna-sørensen-1/2025-11-01.toml", "bo-ørsted-2/2025-03-04.toml",
    ]
    assert search(store, "kursus", field="udviklingsplan") == []
    assert len(search(store, "kursus", field="noter")) == 2
    assert search(store, "øvebane i fagsystemet") == search(store, "øvebane i fagsystemet", year="2024")
    assert search(store, "kursus i øvebane") == []  # a line break and two spaces between the words
    assert [hit.snippet for hit in search(store, "Kursus i øvebane", phrase=True)] == ["Kursus i øvebane i fagsystemet."]
    assert search(store, "Kursus øvebane", phrase=True) == []
    assert format_search(search(store, "i øvebane i", phrase=True), "i øvebane i").splitlines()[0] == (
        '1 fund for "i øvebane i" i 1 samtale:'
    )


# --- erasure ------------------------------------------------------------------------------------

SECRET = "Qzxjvokulf Wyqzimbrat"
"""Two words whose every three letters are in no other text of these tests."""


def test_forgetting_an_employee_leaves_none_of_their_text_in_the_file(store: Store) -> None:
    store.create(conversation("Dorte Dahl", "4", dt.date(2025, 5, 5), f"Privat: {SECRET}."))
    relative = "dorte-dahl-4/2025-05-05.toml"
    assert found(store, "wyqzim") == [f"{relative}: Privat: {SECRET}."]
    file = index_file(store)
    grams = {SECRET.casefold()[start : start + 3] for start in range(len(SECRET) - 2)} - {"lf ", "f w", " wy"}
    assert store.index.remove_folder("dorte-dahl-4") == 1  # as erasure does (store/erase.py)
    with contextlib.closing(sqlite3.connect(file)) as connection:
        connection.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, 'text', 'row')")
        terms = {term for (term,) in connection.execute("SELECT term FROM temp.terms")}
        blobs = [blob for (blob,) in connection.execute("SELECT texts FROM body")]
    assert not grams & terms
    assert all("qzxj" not in str(store.index._unpack(blob)).lower() for blob in blobs)
    for name in (file.name, file.name + "-wal"):
        data = file.with_name(name).read_bytes() if file.with_name(name).exists() else b""
        assert SECRET.encode() not in data and b"qzxjvokulf" not in data.lower()
        assert not [gram for gram in grams if gram.encode() in data], name


def test_a_file_deleted_by_a_pull_leaves_no_text_behind(store: Store) -> None:
    store.create(conversation("Dorte Dahl", "4", dt.date(2025, 5, 5), f"Privat: {SECRET}."))
    assert found(store, "qzxjv") != []
    identity(store.root)
    git(store.root, "rm", "--quiet", "-r", "dorte-dahl-4")
    git(store.root, "commit", "--quiet", "-m", "Slettet")
    assert found(store, "qzxjv") == []
    grams = {SECRET.casefold()[start : start + 3] for start in range(len(SECRET) - 2)} - {"lf ", "f w", " wy"}
    data = index_file(store).read_bytes()
    wal = index_file(store).with_name("index.sqlite-wal")
    data += wal.read_bytes() if wal.exists() else b""
    assert not [gram for gram in grams if gram.encode() in data]


# --- a rebuild in worker processes ----------------------------------------------------------------


def test_a_rebuild_in_worker_processes_indexes_what_one_process_does(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from musterm.store import index_read

    for number in range(3, 9):
        store.create(conversation(f"Medarbejder {number}", str(number), dt.date(2025, 1, number), f"Øvebane nr. {number}."))
    (store.root / "bo-ørsted-2" / "2025-03-04.toml").write_text("ikke = [toml", encoding="utf-8")
    alone = (listed(store), found(store, "øvebane"), found(store, "toml"))
    monkeypatch.setattr(index_read, "WORKERS_FROM", 1)
    monkeypatch.setattr(index_read, "BATCH", 2)
    monkeypatch.setattr(index_read, "_cores", lambda: 2)
    started = []
    popen = subprocess.Popen

    def counted(*args, **kwargs):  # noqa: ANN202
        started.append(args[0])
        return popen(*args, **kwargs)

    monkeypatch.setattr(index_read.subprocess, "Popen", counted)
    index_file(store).unlink()
    again = Store.open(store.root)
    assert (listed(again), found(again, "øvebane"), found(again, "toml")) == alone
    assert len([command for command in started if "musterm.store.index_read" in command]) == 2


def test_a_worker_that_fails_leaves_its_files_to_this_process(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from musterm.store import index_read

    for number in range(3, 9):
        store.create(conversation(f"Medarbejder {number}", str(number), dt.date(2025, 1, number), f"Øvebane nr. {number}."))
    alone = (listed(store), found(store, "øvebane"))
    monkeypatch.setattr(index_read, "WORKERS_FROM", 1)
    monkeypatch.setattr(index_read, "BATCH", 2)
    monkeypatch.setattr(index_read, "_cores", lambda: 2)
    popen = subprocess.Popen

    def failing(command, *args, **kwargs):  # noqa: ANN001, ANN202 - a worker that dies at once
        worker = popen([sys.executable, "-c", "import sys; sys.exit(3)"], *args, **kwargs)
        worker.wait()  # dead before the first batch is sent
        return worker

    monkeypatch.setattr(index_read.subprocess, "Popen", failing)
    index_file(store).unlink()
    again = Store.open(store.root)
    assert (listed(again), found(again, "øvebane")) == alone


@pytest.mark.parametrize("note", ["Ωhm og Øre", "Kelvin: 3 K", "Weiße Straße, Ærø", "ſkole Øst"])
def test_letters_whose_fold_changes_their_bytes_are_found_in_their_place(store: Store, note: str) -> None:
    """'Ω' (the ohm sign) folds into two bytes, not three; 'K' (the Kelvin sign) into one; 'ß' into two
    letters: the index keeps no folded copy of such texts, and search folds them itself."""
    store.create(conversation("Dorte Dahl", "4", dt.date(2025, 5, 5), f"Før: {note} efter."))
    relative = "dorte-dahl-4/2025-05-05.toml"
    for word in note.split():
        assert f"{relative}: Før: {note} efter." in found(store, word.casefold()), word
    assert found(store, f"{note} efter".casefold()) == [f"{relative}: Før: {note} efter."]
