"""`musterm handover`: one employee's conversations move with their whole history to another
manager's repository (a folder, or its bare remote), and are then erased from the giving one."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.store.erase_check import find_traces
from musterm.store.remote import set_remote, sync
from musterm.store.repository import Store
from tests.lifecycle_data import ERASED, ERASED_FOLDER, SECRET_SENTENCES, build, conversation, employee_history, git

NEEDLES = [ERASED.encode(), ERASED_FOLDER.encode(), *(s.encode() for s in SECRET_SENTENCES)]


def run(root: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    completed = subprocess.run(
        [sys.executable, "-m", "musterm", "--sessions", str(root), *args],
        capture_output=True, text=True, input=stdin, env={**os.environ, "MUSTERM_MANAGER": "Lis Leder"},
    )
    return completed.returncode, completed.stdout, completed.stderr


def receiver(root: Path) -> Store:
    store = Store.open(root)
    store.create(conversation("Dorte Lund", "200", dt.date(2026, 9, 1), "Dortes egne noter."))
    return store


def test_handover_to_another_managers_folder(tmp_path: Path) -> None:
    giving = build(tmp_path / "lis")
    taking = receiver(tmp_path / "per")
    history = employee_history(giving.root, ERASED_FOLDER)
    files = {p.name: p.read_bytes() for p in (giving.root / ERASED_FOLDER).iterdir()}
    dorte = employee_history(taking.root, "dorte-lund-200")
    code, out, err = run(giving.root, "handover", ERASED, "--to", str(taking.root), "--ja")
    assert code == 0, err
    assert "Overdraget: Annelise Kvist, 3 samtaler og 6 commits" in out and "Slettet" in out
    # The receiver: the same files, the same history (authors, dates, messages, every version).
    assert {p.name: p.read_bytes() for p in (taking.root / ERASED_FOLDER).iterdir()} == files
    assert employee_history(taking.root, ERASED_FOLDER) == history
    assert employee_history(taking.root, "dorte-lund-200") == dorte
    assert git(taking.root, "status", "--porcelain") == b""
    assert git(taking.root, "log", "-1", "--format=%s").startswith(b"Overdraget: Annelise Kvist, 3 samtaler")
    code, out, _ = run(taking.root, "history", ERASED)
    assert code == 0 and "2024" in out and "2026" in out
    code, out, _ = run(taking.root, "search", "hundefører")
    assert code == 0 and ERASED in out
    # The giver: nothing left, the others intact, no temporary copy left behind.
    assert find_traces(giving.root, NEEDLES, deep=True) == []
    assert not list((giving.root / ".git" / "musterm" / "tmp").iterdir())
    assert git(giving.root, "log", "-1", "--format=%s") == b"Sletning: 3 samtaler slettet (overdraget)\n"


def test_handover_through_the_receivers_bare_remote(tmp_path: Path) -> None:
    giving = build(tmp_path / "lis")
    taking = receiver(tmp_path / "per")
    bare = tmp_path / "per.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    set_remote(taking, str(bare))
    sync(taking)
    code, out, err = run(giving.root, "handover", ERASED_FOLDER, "--to", str(bare), "--ja")
    assert code == 0, err
    result = sync(Store.open(taking.root))
    assert result.pulled == 7  # six commits of the employee, and the merge
    assert len(list((taking.root / ERASED_FOLDER).iterdir())) == 3
    assert find_traces(giving.root, NEEDLES, deep=True) == []


def test_handover_to_a_folder_that_has_the_employee_already_changes_nothing(tmp_path: Path) -> None:
    giving = build(tmp_path / "lis")
    taking = build(tmp_path / "per")  # holds an Annelise Kvist of its own
    head = git(giving.root, "rev-parse", "HEAD")
    code, _, err = run(giving.root, "handover", ERASED, "--to", str(taking.root), "--ja")
    assert code == 1 and "har allerede en mappe" in err and "Intet er overdraget eller slettet" in err
    assert git(giving.root, "rev-parse", "HEAD") == head and (giving.root / ERASED_FOLDER).is_dir()


def test_handover_to_nowhere_is_a_message(tmp_path: Path) -> None:
    giving = build(tmp_path / "lis")
    code, _, err = run(giving.root, "handover", ERASED, "--to", str(tmp_path / "findes-ikke"), "--ja")
    assert code == 1 and "kan ikke hentes" in err and "Traceback" not in err
    assert (giving.root / ERASED_FOLDER).is_dir()
