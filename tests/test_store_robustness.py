"""The store under stress: crashes mid-write, a full disk, killed processes, two writers, git's locks.

Crashes are simulated in-process by raising at each step of the atomic write, and
for real by SIGKILLing a child process in a loop of saves.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import random
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from musterm.errors import StoreError
from musterm.formats.session_file import dumps
from musterm.frameworks.catalog import Catalog
from musterm.model.session import Person, Session, new_session
from musterm.store import durable
from musterm.store.editlock import SessionInUse
from musterm.store.repository import SessionChanged, Store

FRAMEWORK = Catalog.discover().get("ringkobing-skjern")
ANNA = "anna-sørensen-1234/2026-11-23.toml"
HAS_PROC = Path("/proc/self/fd").is_dir()


def make_session(name: str = "Anna Sørensen", number: str = "1234") -> Session:
    return new_session(
        FRAMEWORK,
        Person(name=name, number=number),
        Person(name="Lis Leder", email="lis@kommune.dk"),
        dt.date(2026, 11, 23),
        dt.time(9, 30),
    )


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def temp_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob(f"*{durable.TEMP_SUFFIX}") if ".git" not in path.parts)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "sessions")


@pytest.fixture
def saved(store: Store) -> tuple[Store, Session, bytes]:
    """A committed conversation, and the bytes of its file."""
    session = make_session()
    store.create(session)
    return store, session, (store.root / ANNA).read_bytes()


def edited(session: Session) -> Session:
    changed = session.model_copy(deep=True)
    changed.private.notes = "Ny note.\n" * 5000  # large enough that a write takes several chunks
    changed.question("glad-for-job").score = 6
    return changed


def run_script(tmp_path: Path, source: str, *args: str) -> subprocess.Popen[str]:
    script = tmp_path / f"script-{random.randrange(10**9)}.py"
    script.write_text(textwrap.dedent(source))
    return subprocess.Popen(
        [sys.executable, str(script), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


# --- a crash at each step of the atomic write -------------------------------------------------------


class Crash(BaseException):
    """The process dies here: nothing after this line runs, no cleanup that catches exceptions."""


STEPS_BEFORE_REPLACE = ["open", "write", "fsync-file", "close", "replace"]
STEPS_AFTER_REPLACE = ["after-replace", "fsync-folder"]


def crash_at(monkeypatch: pytest.MonkeyPatch, step: str, folder: Path) -> None:
    real_open, real_write, real_fsync, real_close, real_replace = os.open, os.write, os.fsync, os.close, os.replace
    temp_fds: set[int] = set()
    folder_fds: set[int] = set()

    def is_temp(path: object) -> bool:
        return str(path).endswith(durable.TEMP_SUFFIX)

    def fake_open(path, flags, mode=0o777, *, dir_fd=None):  # noqa: ANN001, ANN202
        fd = real_open(path, flags, mode, dir_fd=dir_fd)
        if is_temp(path):
            temp_fds.add(fd)
            if step == "open":
                raise Crash
        elif Path(path) == folder:
            folder_fds.add(fd)
        return fd

    def fake_write(fd, data):  # noqa: ANN001, ANN202
        if fd in temp_fds and step == "write":
            real_write(fd, bytes(data[: len(data) // 2]))
            raise Crash
        return real_write(fd, data)

    def fake_fsync(fd):  # noqa: ANN001, ANN202
        if (fd in temp_fds and step == "fsync-file") or (fd in folder_fds and step == "fsync-folder"):
            raise Crash
        return real_fsync(fd)

    def fake_close(fd):  # noqa: ANN001, ANN202
        real_close(fd)
        if fd in temp_fds and step == "close":
            raise Crash

    def fake_replace(source, target, **kwargs):  # noqa: ANN001, ANN202
        if is_temp(source) and step == "replace":
            raise Crash
        real_replace(source, target, **kwargs)
        if is_temp(source) and step == "after-replace":
            raise Crash

    for name, fake in (("open", fake_open), ("write", fake_write), ("fsync", fake_fsync), ("close", fake_close),
                       ("replace", fake_replace)):
        monkeypatch.setattr(os, name, fake)


@pytest.mark.parametrize("step", STEPS_BEFORE_REPLACE + STEPS_AFTER_REPLACE)
def test_a_crash_at_any_step_leaves_the_old_file_or_the_new_one(
    saved: tuple[Store, Session, bytes], step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, session, old = saved
    new = edited(session)
    file = store.root / ANNA
    with monkeypatch.context() as patched:
        crash_at(patched, step, file.parent)
        with pytest.raises(Crash):
            store.save(ANNA, new)
    expected = old if step in STEPS_BEFORE_REPLACE else dumps(new).encode("utf-8")
    assert file.read_bytes() == expected

    restarted = Store.open(store.root)  # what the next start of musterm sees
    left = temp_files(store.root)
    assert restarted.sweep_temp_files() == left
    assert temp_files(store.root) == []
    assert restarted.load(ANNA) == (session if step in STEPS_BEFORE_REPLACE else new)
    assert git(store.root, "status", "--porcelain", "--ignored") in ("", f" M {ANNA}\n")


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_an_os_error_mid_write_is_reported_and_cleaned_up(
    saved: tuple[Store, Session, bytes], failing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, session, old = saved
    real = getattr(os, failing)
    calls = []

    def fails(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(args)
        if failing == "write" and len(calls) == 1:
            real(args[0], bytes(args[1][:100]))  # part of the data reaches the temp file first
        raise OSError(errno.EIO, "Input/output error")

    with monkeypatch.context() as patched:
        patched.setattr(os, failing, fails)
        with pytest.raises(StoreError) as refused:
            store.save(ANNA, edited(session))
    assert str(refused.value) == f"{store.root / ANNA} kunne ikke gemmes: Input/output error. Den gamle fil er urørt."
    assert (store.root / ANNA).read_bytes() == old
    assert temp_files(store.root) == []
    assert store.save(ANNA, edited(session)), "the next save works"


def test_a_full_disk_is_reported_and_the_old_file_kept(
    saved: tuple[Store, Session, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, session, old = saved

    def no_space(fd, data):  # noqa: ANN001, ANN202
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "write", no_space)
        with pytest.raises(StoreError) as refused:
            store.save(ANNA, edited(session))
    assert str(refused.value) == (
        f"Disken er fuld: {store.root / ANNA} kunne ikke gemmes. "
        "Frigør plads; teksten er ikke tabt, og den gamle fil er urørt."
    )
    assert (store.root / ANNA).read_bytes() == old
    assert temp_files(store.root) == []
    assert store.save(ANNA, edited(session))
    assert store.load(ANNA) == edited(session)


@pytest.mark.skipif(not HAS_PROC, reason="needs /proc to name file descriptors")
def test_the_file_and_its_folder_are_fsynced(saved: tuple[Store, Session, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    store, session, _ = saved
    real_fsync = os.fsync
    synced: list[str] = []

    def recording(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", recording)
        store.save(ANNA, edited(session))
    folder = store.root / "anna-sørensen-1234"
    assert len(synced) == 2
    temp = Path(synced[0])
    assert temp.parent == folder
    assert temp.name.startswith(".2026-11-23.toml.") and temp.name.endswith(durable.TEMP_SUFFIX)
    assert synced[1] == str(folder)


@pytest.mark.skipif(not HAS_PROC, reason="needs /proc to name file descriptors")
def test_a_new_employee_folder_is_fsynced_in_its_parent(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync
    synced: list[str] = []

    def recording(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", recording)
        store.create(make_session())
    assert str(store.root) in synced  # the new folder's entry
    assert str(store.root / "anna-sørensen-1234") in synced  # the new file's entry


# --- a real crash: SIGKILL in a loop of saves ---------------------------------------------------------

SAVING_LOOP = """
    import os, sys, time
    from pathlib import Path
    from musterm.store import durable
    from musterm.store.repository import Store

    real_write = os.write
    announce = sys.argv[3] == "mid-write"

    def chunked_write(fd, data):
        # Small chunks, so the file is on its way for a while; say so once, mid-file.
        global announce
        if announce and os.readlink(f"/proc/self/fd/{fd}").endswith(durable.TEMP_SUFFIX):
            written = real_write(fd, bytes(data[:65536]))
            print("writing", flush=True)
            announce = False
            time.sleep(5)
            return written
        return real_write(fd, bytes(data[:65536]))

    os.write = chunked_write
    store = Store.open(Path(sys.argv[1]))
    first = store.load(sys.argv[2])
    second = first.model_copy(deep=True)
    second.private.notes = "Lang note.\\n" * 50_000
    print("ready", flush=True)
    index = 0
    while True:
        store.save(sys.argv[2], (second, first)[index % 2])
        index += 1
"""


@pytest.mark.skipif(not HAS_PROC, reason="the child names its file descriptors through /proc")
@pytest.mark.parametrize("when", ["mid-write", 0.02, 0.05, 0.1, 0.15, 0.2, 0.3])
def test_sigkill_during_saves_leaves_a_whole_file(
    saved: tuple[Store, Session, bytes], tmp_path: Path, when: str | float
) -> None:
    store, session, old = saved
    big = session.model_copy(deep=True)
    big.private.notes = "Lang note.\n" * 50_000
    versions = {old, dumps(big).encode("utf-8")}
    child = run_script(tmp_path, SAVING_LOOP, str(store.root), ANNA, str(when))
    assert child.stdout.readline() == "ready\n", child.stderr.read()
    if when == "mid-write":
        assert child.stdout.readline() == "writing\n", child.stderr.read()
    else:
        time.sleep(float(when))
    child.send_signal(signal.SIGKILL)
    child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert (store.root / ANNA).read_bytes() in versions
    left = temp_files(store.root)
    if when == "mid-write":
        assert len(left) == 1, "killed while the temp file was being written"
    restarted = Store.open(store.root)
    assert restarted.sweep_temp_files() == left
    assert temp_files(store.root) == []
    assert restarted.load(ANNA) in (session, big)


# --- two writers ---------------------------------------------------------------------------------------

WRITER = """
    import sys
    from pathlib import Path
    from musterm.store.repository import Store

    store = Store.open(Path(sys.argv[1]))
    relative = sys.argv[2]
    session = store.load(relative)
    for index in range(100):
        session.private.notes = f"gem {index}"
        store.save(relative, session)
        store.commit(relative, session)
"""


@pytest.mark.slow
def test_two_processes_saving_100_times_each_make_200_commits(store: Store, tmp_path: Path) -> None:
    anna = store.create(make_session())
    bo = store.create(make_session("Bo Ørsted", ""))
    started = time.monotonic()
    writers = [run_script(tmp_path, WRITER, str(store.root), relative) for relative in (anna, bo)]
    for writer in writers:
        _, errors = writer.communicate(timeout=300)
        assert writer.returncode == 0, errors
    print(f"200 saves and commits from two processes in {time.monotonic() - started:.1f} s")
    assert int(git(store.root, "rev-list", "--count", "HEAD")) == 1 + 2 + 200
    assert git(store.root, "status", "--porcelain", "--ignored") == ""
    assert git(store.root, "fsck", "--no-progress") == ""
    for relative in (anna, bo):
        assert store.load(relative).private.notes == "gem 99"
        assert git(store.root, "log", "--format=%s", "--", relative).count("\n") == 101


def test_two_stores_in_one_process_share_the_repository(store: Store) -> None:
    import threading

    anna = store.create(make_session())
    bo = store.create(make_session("Bo Ørsted", ""))
    other = Store.open(store.root)
    errors: list[BaseException] = []

    def write(target: Store, relative: str) -> None:
        try:
            session = target.load(relative)
            for index in range(15):
                session.private.notes = f"gem {index}"
                target.save(relative, session)
                target.commit(relative, session)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=pair) for pair in ((store, anna), (other, bo))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert int(git(store.root, "rev-list", "--count", "HEAD")) == 1 + 2 + 30
    assert git(store.root, "status", "--porcelain") == ""


# --- git's index.lock ------------------------------------------------------------------------------------


def test_a_stale_index_lock_is_removed(saved: tuple[Store, Session, bytes]) -> None:
    store, session, _ = saved
    lock = store.git.git_dir / "index.lock"
    lock.write_text("")
    an_hour_ago = time.time() - 3600
    os.utime(lock, (an_hour_ago, an_hour_ago))
    changed = edited(session)
    store.save(ANNA, changed)
    assert store.commit(ANNA, changed)
    assert not lock.exists()
    assert git(store.root, "status", "--porcelain") == ""


HOLDER = """
    import os, sys, time
    lock = sys.argv[1]
    fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    an_hour_ago = time.time() - 3600
    os.utime(lock, (an_hour_ago, an_hour_ago))  # old, so only the open descriptor shows it is alive
    inode = os.fstat(fd).st_ino
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    if os.stat(lock).st_ino != inode:
        sys.exit(3)
    os.unlink(lock)
    os.close(fd)
"""


@pytest.mark.skipif(not HAS_PROC, reason="live locks are recognised through /proc")
def test_a_live_index_lock_is_waited_for_and_never_deleted(saved: tuple[Store, Session, bytes], tmp_path: Path) -> None:
    store, session, _ = saved
    lock = store.git.git_dir / "index.lock"
    holder = run_script(tmp_path, HOLDER, str(lock), "1.5")
    assert holder.stdout.readline() == "holding\n", holder.stderr.read()
    started = time.monotonic()
    changed = edited(session)
    store.save(ANNA, changed)
    assert store.commit(ANNA, changed)
    waited = time.monotonic() - started
    _, errors = holder.communicate(timeout=30)
    assert holder.returncode == 0, f"the lock was deleted under its holder: {errors}"
    assert waited >= 1.0
    assert git(store.root, "log", "-1", "--format=%s") == "Anna Sørensen 2026-11-23: scorer opdateret\n"
    assert git(store.root, "status", "--porcelain") == ""


# --- someone else's changes -------------------------------------------------------------------------------


def test_a_file_changed_on_disk_after_loading_is_not_overwritten(saved: tuple[Store, Session, bytes]) -> None:
    store, _, _ = saved
    mine = store.load(ANNA)
    theirs = Store.open(store.root)
    other = theirs.load(ANNA)
    other.private.notes = "Skrevet i den anden musterm."
    theirs.save(ANNA, other)
    on_disk = (store.root / ANNA).read_bytes()

    mine.private.notes = "Skrevet her."
    with pytest.raises(SessionChanged) as refused:
        store.save(ANNA, mine)
    assert str(refused.value) == (
        f"{ANNA} er ændret udenfor dette vindue (fx af en anden musterm, en editor eller git) siden den blev "
        "åbnet. Dine ændringer er ikke skrevet i filen, men er stadig på skærmen: kopiér dem, og åbn samtalen igen."
    )
    assert (store.root / ANNA).read_bytes() == on_disk
    # after reading it again, saving works
    again = store.load(ANNA)
    again.private.notes += "\nOg her."
    assert store.save(ANNA, again)


def test_a_hand_edit_after_loading_is_not_overwritten(saved: tuple[Store, Session, bytes]) -> None:
    store, _, old = saved
    session = store.load(ANNA)
    hand_edited = old.replace(b'place = "', b'place = "Kantinen, ') if b"place" in old else old + b"\n"
    (store.root / ANNA).write_bytes(hand_edited)
    session.private.notes = "Skrevet her."
    with pytest.raises(SessionChanged):
        store.save(ANNA, session)
    assert (store.root / ANNA).read_bytes() == hand_edited


# --- a second musterm on the same conversation ----------------------------------------------------------

LOCK_HOLDER = """
    import sys, time
    from pathlib import Path
    from musterm.store.repository import Store

    lock = Store.open(Path(sys.argv[1])).lock_for_editing(sys.argv[2])
    print(f"locked {lock.recovered}", flush=True)
    time.sleep(60)
"""


def test_a_second_edit_lock_in_the_same_process_is_refused(saved: tuple[Store, Session, bytes]) -> None:
    store, _, _ = saved
    with store.lock_for_editing(ANNA) as first:
        assert first.recovered is False
        with pytest.raises(SessionInUse) as refused:
            Store.open(store.root).lock_for_editing(ANNA)
    holder = refused.value.holder
    assert holder is not None
    assert (holder.pid, holder.host) == (os.getpid(), socket.gethostname())
    assert f"(proces {os.getpid()} på {socket.gethostname()}, siden " in str(refused.value)
    assert str(refused.value).startswith(f"Samtalen {ANNA} er allerede åben hos ")
    assert str(refused.value).endswith(". Åbn den skrivebeskyttet, eller luk den anden først.")
    with store.lock_for_editing(ANNA) as again:  # released: free again, nothing to recover
        assert again.recovered is False


def test_another_process_holding_the_conversation_is_named_and_its_dead_lock_taken_over(
    saved: tuple[Store, Session, bytes], tmp_path: Path
) -> None:
    store, _, _ = saved
    child = run_script(tmp_path, LOCK_HOLDER, str(store.root), ANNA)
    try:
        assert child.stdout.readline() == "locked False\n", child.stderr.read()
        with pytest.raises(SessionInUse) as refused:
            store.lock_for_editing(ANNA)
        assert refused.value.holder is not None
        assert refused.value.holder.pid == child.pid
        assert f"(proces {child.pid} på {socket.gethostname()}, siden " in str(refused.value)
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()
    with store.lock_for_editing(ANNA) as taken_over:
        assert taken_over.recovered is True
    with store.lock_for_editing(ANNA) as clean:
        assert clean.recovered is False


def test_edit_locks_are_per_conversation(saved: tuple[Store, Session, bytes]) -> None:
    store, _, _ = saved
    other = store.create(make_session("Bo Ørsted", ""))
    with store.lock_for_editing(ANNA), store.lock_for_editing(other):
        pass
