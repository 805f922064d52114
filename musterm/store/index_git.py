"""What the index asks git and the folder: which commit it reflects, which files changed since,
and which session files there are.

One `git status --porcelain=v2 --branch` gives both the commit checked out (`# branch.oid`) and
every file that differs from it: a refresh with nothing changed starts one git process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from musterm.store.index_rows import signature_of

if TYPE_CHECKING:
    from musterm.store.gitrepo import GitRepo

GONE = "-"
"""The signature of a file that git says changed and that is not there (deleted, not committed)."""


def head_and_status(git: GitRepo, root: Path) -> tuple[str, dict[str, str]]:
    """The commit checked out ('' before the first), and each session file that differs from it
    (changed, new, deleted) with its signature now."""
    result = git.run(
        # --no-optional-locks: a command that only reads never writes git's index either.
        ["--no-optional-locks", "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all", "--no-renames"],
        check=False,
    )
    head = ""
    found: dict[str, str] = {}
    for entry in result.stdout.split("\0"):
        if entry.startswith("# branch.oid "):
            oid = entry[len("# branch.oid ") :]
            head = "" if oid == "(initial)" else oid
            continue
        relative = _path_of(entry)
        if relative is None or not is_session_path(relative):
            continue
        try:
            found[relative] = signature_of(os.stat(root / relative, follow_symlinks=False))
        except OSError:
            found[relative] = GONE
    return head, found


_FIELDS_BEFORE_PATH = {"1": 8, "u": 10}
"""Porcelain v2: '1 XY sub mH mI mW hH hI path', 'u XY sub m1 m2 m3 mW h1 h2 h3 path', '? path'."""


def _path_of(entry: str) -> str | None:
    kind = entry[:1]
    if kind == "?":
        return entry[2:]
    fields = _FIELDS_BEFORE_PATH.get(kind)
    if fields is None or entry[1:2] != " ":
        return None
    parts = entry.split(" ", fields)
    return parts[fields] if len(parts) > fields else None


def changed_between(git: GitRepo, old: str, new: str) -> set[str] | None:
    """The paths that differ between two commits; None when one of them is not there."""
    if not old or not new:
        return None
    result = git.run(["diff", "--name-only", "-z", "--no-renames", old, new], check=False)  # -z: paths as they are
    if not result.ok:
        return None
    return {path for path in result.stdout.split("\0") if path}


def is_session_path(relative: str) -> bool:
    parts = relative.split("/")
    return len(parts) == 2 and not parts[0].startswith(".") and parts[1].endswith(".toml") and not parts[1].startswith(".")


def session_paths(root: Path) -> Iterator[str]:
    """Every session file in the folder, as git would name it (folder/name.toml)."""
    try:
        folders = list(os.scandir(root))
    except OSError:
        return
    for folder in folders:
        if folder.name.startswith(".") or not folder.is_dir(follow_symlinks=False):
            continue
        try:
            entries = list(os.scandir(folder.path))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".toml") and not entry.name.startswith(".") and entry.is_file(follow_symlinks=False):
                yield f"{folder.name}/{entry.name}"
