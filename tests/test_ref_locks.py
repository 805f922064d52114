"""git's lock files left by a killed git: the index, HEAD and the branch (issue 13, item 5).

A lock that no process holds and nobody touched lately is removed before a commit; a lock a
live process holds is waited for and never deleted.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from musterm.frameworks.catalog import Catalog
from musterm.model.session import Person, Session, new_session
from musterm.store.repository import Store

HAS_PROC = Path("/proc/self/fd").is_dir()
LOCKS = ["index.lock", "HEAD.lock", "refs/heads/main.lock"]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Store, str, Session]:
    store = Store.open(tmp_path / "sessions")
    session = new_session(
        Catalog.discover().get("randers"), Person(name="Anna Sørensen"), Person(name="Lis Leder"), dt.date(2026, 11, 23)
    )
    relative = store.create(session)
    return store, relative, store.load(relative)


def changed(session: Session, note: str) -> Session:
    session = session.model_copy(deep=True)
    session.private.notes = note
    return session


@pytest.mark.parametrize("name", LOCKS)
def test_a_stale_lock_left_by_a_killed_git_is_removed_and_the_commit_made(saved, name: str) -> None:  # noqa: ANN001
    store, relative, session = saved
    lock = store.git.git_dir / name
    lock.write_text("")
    an_hour_ago = time.time() - 3600
    os.utime(lock, (an_hour_ago, an_hour_ago))
    for note in ("Første", "Anden"):  # and the next commit works too: history is not stopped for ever
        store.save(relative, changed(session, note))
        assert store.commit(relative, changed(session, note))
        session = changed(session, note)
    assert not lock.exists()
    assert git(store.root, "log", "-2", "--format=%s") == (
        "Anna Sørensen 2026-11-23: noter opdateret\nAnna Sørensen 2026-11-23: noter opdateret\n"
    )
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
@pytest.mark.parametrize("name", ["HEAD.lock", "refs/heads/main.lock"])
def test_a_live_ref_lock_is_waited_for_and_never_deleted(saved, tmp_path: Path, name: str) -> None:  # noqa: ANN001
    store, relative, session = saved
    script = tmp_path / "holder.py"
    script.write_text(textwrap.dedent(HOLDER))
    holder = subprocess.Popen([sys.executable, str(script), str(store.git.git_dir / name), "1.5"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "holding\n", holder.stderr.read()
    started = time.monotonic()
    store.save(relative, changed(session, "Mens git arbejder"))
    assert store.commit(relative, changed(session, "Mens git arbejder"))
    waited = time.monotonic() - started
    _, errors = holder.communicate(timeout=30)
    assert holder.returncode == 0, f"the lock was deleted under its holder: {errors}"
    assert waited >= 1.0
    assert git(store.root, "status", "--porcelain") == ""
