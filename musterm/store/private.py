"""Making a sessions repository private inside, and telling git to make its writes durable.

musterm's own files are 0600 and its folders 0700 from the start, whatever the umask. A
repository it did not make (a clone, a backup restored, a `git pull` run by a person with umask
022) holds entries others can read inside the top folder: every one is tightened when musterm
opens such a repository. A full walk is not free in an archive of ten years, so a stamp in
.git/musterm records what was checked (the folder's identity and git's fetch and merge marks);
the walk runs again when that changes.

git does not fsync loose objects and refs by default, so a power cut right after a commit can
leave a repository whose branch points at objects that are not on the disk. `core.fsync`
(git 2.36 and newer; `core.fsyncObjectFiles` before) makes git fsync what it commits.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
from functools import cache
from pathlib import Path

from musterm.store import durable

STAMP = "private-check"


def tighten_if_needed(root: Path, git_dir: Path) -> int:
    """Tighten every entry under `root` unless the stamp says nothing new came in; how many changed."""
    stamp = git_dir / "musterm" / STAMP
    wanted = _identity(root, git_dir)
    with contextlib.suppress(OSError):
        if stamp.read_text(encoding="ascii") == wanted:
            return 0
    changed = tighten_all(root)
    with contextlib.suppress(OSError):
        durable.make_private_dirs(stamp.parent)
        durable.write_atomic(stamp, wanted.encode("ascii"))
    return changed


def tighten_all(root: Path) -> int:
    """Folders 0700, files readable by their owner only (0600; git's read-only objects 0400, its
    hooks 0700), symbolic links left as they are, entries owned by someone else skipped. How many
    were changed."""
    changed = _tighten(root, os.lstat(root))
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            changed += _tighten(Path(entry.path), info)
            if stat.S_ISDIR(info.st_mode):
                stack.append(Path(entry.path))
    return changed


def _tighten(path: Path, info: os.stat_result) -> int:
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
        return 0
    # The owner's own bits stay: git's objects are read-only (0400), its hooks executable (0700).
    wanted = durable.DIR_MODE if stat.S_ISDIR(info.st_mode) else mode & 0o700
    if mode == wanted:
        return 0
    try:
        os.chmod(path, wanted)
    except OSError:
        return 0
    return 1


def _identity(root: Path, git_dir: Path) -> str:
    """What changes when the repository came from elsewhere (a copy is another inode) or a person
    fetched or merged into it (FETCH_HEAD, ORIG_HEAD)."""
    folder = os.stat(root)
    marks = []
    for name in ("FETCH_HEAD", "ORIG_HEAD"):
        try:
            marks.append(str(os.stat(git_dir / name).st_mtime_ns))
        except OSError:
            marks.append("-")
    return f"{folder.st_dev} {folder.st_ino} {' '.join(marks)}\n"


def durability_config() -> dict[str, str]:
    """git settings that make commits survive a power cut: objects and refs fsynced before use."""
    if _git_version() >= (2, 36):
        return {"core.fsync": "committed", "core.fsyncMethod": "fsync"}
    return {"core.fsyncObjectFiles": "true"}  # git 2.36 and newer warn about this name


@cache
def _git_version() -> tuple[int, ...]:
    try:
        shown = subprocess.run(["git", "version"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return (0,)
    words = shown.split()
    numbers = words[2].split(".") if len(words) >= 3 else []
    return tuple(int(part) for part in numbers[:2] if part.isdigit()) or (0,)
