"""Repositories musterm did not make itself, git's own writes, and where the sessions live (issue 13, item 8).

A sessions repository cloned or restored from a backup keeps the modes of whoever made the copy
(0644 files, 0755 folders, .git included): musterm makes every entry private when it opens one.
git fsyncs what it commits (core.fsync), in repositories musterm makes and in those it opens,
which strace shows. And the README's run command keeps the conversations out of the project's
checkout, so `git clean -fdx` there cannot delete them.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from musterm.frameworks.catalog import Catalog
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store

REPO = Path(__file__).resolve().parent.parent


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def open_entries(root: Path) -> list[str]:
    """Every entry under `root` (itself included) that anyone but the owner may read, write or enter."""
    found = []
    for folder, dirs, files in os.walk(root):
        for name in [".", *dirs, *files]:
            path = Path(folder) / name
            mode = os.lstat(path).st_mode
            if not stat.S_ISLNK(mode) and stat.S_IMODE(mode) & 0o077:
                found.append(f"{path.relative_to(root)} {stat.S_IMODE(mode):o}")
    return found


def shared_umask(function, *args):  # noqa: ANN001, ANN201
    """Run `function` as a person with the usual umask 022 would."""
    old = os.umask(0o022)
    try:
        return function(*args)
    finally:
        os.umask(old)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    store = Store.open(tmp_path / "sessions")
    for name in ("Anna Sørensen", "Bo Jensen"):
        plan_conversation(store, Catalog.discover().get("randers"), employee=name, date="2026-11-23")
    return store.root


def test_a_cloned_repository_is_private_inside_once_opened(archive: Path, tmp_path: Path) -> None:
    clone = tmp_path / "klon"
    shared_umask(subprocess.run, ["git", "clone", "-q", str(archive), str(clone)], )
    os.chmod(clone, 0o700)  # only the inside is left open: the case the issue measured
    assert len(open_entries(clone)) > 40
    Store.open(clone)
    assert open_entries(clone) == []
    assert stat.S_IMODE(os.stat(clone / ".git" / "hooks").st_mode) == 0o700


def test_a_restored_copy_is_private_inside_once_opened(archive: Path, tmp_path: Path) -> None:
    restored = tmp_path / "gendannet"
    shared_umask(shutil.copytree, archive, restored)  # a backup restored: copies with their modes...
    for folder, dirs, files in os.walk(restored):  # ...as an unpacking with umask 022 leaves them
        for name in dirs:
            os.chmod(Path(folder) / name, 0o755)
        for name in files:
            os.chmod(Path(folder) / name, 0o644)
    os.chmod(restored, 0o755)
    Store.open(restored)
    assert open_entries(restored) == []


def test_a_pull_by_a_person_with_umask_022_is_made_private_at_the_next_open(archive: Path, tmp_path: Path) -> None:
    clone = tmp_path / "klon"
    subprocess.run(["git", "clone", "-q", str(archive), str(clone)], check=True)
    Store.open(clone)
    assert open_entries(clone) == []
    plan_conversation(Store.open(archive), Catalog.discover().get("randers"), employee="Cai Holm", date="2026-11-24")
    shared_umask(subprocess.run, ["git", "-C", str(clone), "pull", "-q", "--ff-only"], )
    assert open_entries(clone) != []
    Store.open(clone)
    assert open_entries(clone) == []


@pytest.mark.parametrize("how", ["made by musterm", "cloned"])
def test_git_is_told_to_fsync_what_it_commits(archive: Path, tmp_path: Path, how: str) -> None:
    root = archive
    if how == "cloned":
        root = tmp_path / "klon"
        subprocess.run(["git", "clone", "-q", str(archive), str(root)], check=True)
        assert subprocess.run(["git", "-C", str(root), "config", "core.fsync"], capture_output=True).returncode == 1
        Store.open(root)
    assert git(root, "config", "core.fsync") == "committed\n"
    assert git(root, "config", "core.fsyncMethod") == "fsync\n"


COMMIT = """
    import sys
    from pathlib import Path
    from musterm.store.repository import Store
    store = Store.open(Path(sys.argv[1]))
    relative = store.find("Anna Sørensen")
    session = store.load(relative)
    session.private.notes = "Skal overleve et strømsvigt"
    store.save(relative, session)
    assert store.commit(relative, session)
"""


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (.ci/run installs it)")
def test_the_git_that_commits_a_save_fsyncs_its_objects_and_the_branch(archive: Path) -> None:
    traced = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=execve,fsync,fdatasync", "-e", "signal=none",
         sys.executable, "-c", textwrap.dedent(COMMIT), str(archive)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120,
    )
    assert traced.returncode == 0, traced.stderr[-2000:]
    git_pids = {pid for pid, argv in re.findall(r"^\[pid\s+(\d+)\] execve\(\"[^\"]*\", \[(.*)\]", traced.stderr, re.M)
                if '"commit"' in argv}
    assert git_pids, traced.stderr[-2000:]
    synced = [line for line in traced.stderr.splitlines()
              if re.match(r"^\[pid\s+(\d+)\] f(data)?sync\(", line) and line.split("]")[0].split()[-1] in git_pids]
    # the blob, the trees and the commit, and the branch's ref: each fsynced before git renames it in place
    assert len(synced) >= 4, "\n".join(synced)


def test_the_readmes_run_command_keeps_conversations_out_of_the_checkout(tmp_path: Path) -> None:
    recipe = subprocess.run(["make", "-n", "-W", "pyproject.toml", "run"], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout
    (command,) = [line for line in recipe.splitlines() if re.search(r"/musterm\b", line) and "pip" not in line]
    assert command.strip() == ".venv/bin/musterm", command  # no --sessions: the user's data folder
    checkout = tmp_path / "checkout"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", "--depth", "1", f"file://{REPO}", str(checkout)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "MUSTERM_MANAGER": "Lis Leder"}
    musterm = [sys.executable, "-m", "musterm"]
    made = subprocess.run([*musterm, "new", "--employee", "Anna Sørensen", "--framework", "randers",
                           "--date", "2026-11-23"], cwd=checkout, env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    file = Path(made.stdout.strip().splitlines()[-1].split()[-1])
    assert file.is_file() and checkout not in file.parents and REPO not in file.parents
    subprocess.run(["git", "clean", "-fdxq"], cwd=checkout, check=True)
    listed = subprocess.run([*musterm, "list"], cwd=checkout, env=env, capture_output=True, text=True)
    assert "Anna Sørensen" in listed.stdout and file.is_file()
