"""`musterm new` run twice at the same moment, and again after git was busy (issue 13, items 1 and 6).

Creating a conversation is exclusive: the file is linked into place only if its name is free,
under a lock that also covers choosing the employee's folder. Two runs for the same employee
and date either make two files, or (when they would write exactly the same conversation) one
file that the second run names, saying so. Nothing is ever overwritten, and every file a
successful run printed is on disk and committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.store.repository import Store

REPO = Path(__file__).resolve().parent.parent
PAIRS = 8


def musterm_new(root: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "MUSTERM_MANAGER": "Lis Leder"}
    return subprocess.Popen(
        [sys.executable, "-m", "musterm", "--sessions", str(root), "new", "--employee", "Anna Sørensen",
         "--framework", "randers", "--date", "2026-11-23", *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def run_pairs(root: Path, arguments) -> list[tuple[int, str, str]]:  # noqa: ANN001
    """PAIRS times: two `musterm new` started together; (status, stdout, stderr) of each."""
    results = []
    for index in range(PAIRS):
        pair = [musterm_new(root, *arguments(index, side)) for side in ("a", "b")]
        for process in pair:
            out, err = process.communicate(timeout=120)
            results.append((process.returncode, out, err))
    return results


@pytest.mark.slow
def test_two_new_at_once_with_different_content_make_two_files_both_committed(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    Store.open(root)
    results = run_pairs(root, lambda index, side: ["--place", f"Lokale {index}{side}"])
    assert [code for code, _, _ in results] == [0] * 2 * PAIRS, [err for _, _, err in results if err]
    printed = [Path(out.strip()) for _, out, _ in results]
    assert len(set(printed)) == 2 * PAIRS, "every run has its own file"
    folder = root / "anna-sørensen"
    assert sorted(folder.iterdir()) == sorted(printed)
    for (_, out, _), index in zip(results, [i for i in range(PAIRS) for _ in "ab"], strict=True):
        assert f'place = "Lokale {index}' in Path(out.strip()).read_text(encoding="utf-8")
    places = {Path(out.strip()).read_text(encoding="utf-8").split('place = "', 1)[1].split('"')[0] for _, out, _ in results}
    assert len(places) == 2 * PAIRS, "no run's conversation was overwritten by another's"
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    tracked = git(root, "-c", "core.quotePath=false", "ls-files", "anna-sørensen").split()
    assert sorted(tracked) == sorted(path.relative_to(root).as_posix() for path in printed)
    assert git(root, "log", "--format=%s").count("samtale oprettet") == 2 * PAIRS


@pytest.mark.slow
def test_two_identical_new_at_once_make_one_file_and_the_second_says_so(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    Store.open(root)
    results = run_pairs(root, lambda index, side: ["--date", f"2026-11-{index + 1:02d}"])
    assert [code for code, _, _ in results] == [0] * 2 * PAIRS, [err for _, _, err in results if err]
    for index in range(PAIRS):
        (_, first, first_err), (_, second, second_err) = results[2 * index : 2 * index + 2]
        assert first == second == f"{root / 'anna-sørensen' / f'2026-11-{index + 1:02d}.toml'}\n"
        said = [err for err in (first_err, second_err) if err]
        assert said == [
            "musterm: samtalen fandtes allerede med præcis dette indhold (oprettet af en anden musterm "
            "eller en tidligere kørsel); der er ikke oprettet en ny.\n"
        ]
    assert len(list((root / "anna-sørensen").iterdir())) == PAIRS
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(root, "log", "--format=%s").count("samtale oprettet") == PAIRS


@pytest.mark.slow
def test_new_while_git_is_busy_makes_the_file_says_so_and_a_retry_makes_no_duplicate(tmp_path: Path) -> None:
    """A live index.lock for longer than musterm waits (15 s): the conversation is made, exit 0 with
    a note on stderr; the same command again (git free) commits that file instead of making '-2'."""
    root = tmp_path / "sessions"
    store = Store.open(root)
    lock = store.git.git_dir / "index.lock"
    with open(lock, "w"):  # held open: a live git, waited for and never removed
        busy = musterm_new(root)
        out, err = busy.communicate(timeout=120)
    lock.unlink()
    file = root / "anna-sørensen" / "2026-11-23.toml"
    assert busy.returncode == 0, err
    assert out == f"{file}\n"
    assert err == (
        "musterm: samtalen er oprettet, men ikke committet i git: git er optaget af en anden proces "
        "(.git/index.lock). Den committes, næste gang musterm startes.\n"
    )
    assert git(root, "status", "--porcelain", "--untracked-files=all") == "?? anna-sørensen/2026-11-23.toml\n"

    retry = musterm_new(root)
    out, err = retry.communicate(timeout=120)
    assert retry.returncode == 0, err
    assert out == f"{file}\n"
    assert sorted(path.name for path in file.parent.iterdir()) == ["2026-11-23.toml"]
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(root, "log", "-1", "--format=%s") == "Anna Sørensen 2026-11-23: samtale oprettet\n"
