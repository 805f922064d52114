"""Whether a repository still holds any trace of given bytes: every git object, and every file.

Used by `musterm erase` after its rewrite (without decompressing files: git's own objects are read
through git), and by the erasure drill test (also every zlib stream in every file: loose objects,
pack entries).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def find_traces(root: Path, needles: list[bytes], *, deep: bool = True) -> list[str]:
    """Where the repository still holds any of `needles`: every git object (messages and every file
    version, reachable or not, decompressed by git), and the names and bytes of every file under the
    work tree and .git. `deep` also decompresses every zlib stream in each file (slow; the drill)."""
    found = []
    if _objects_hold(root, needles):
        found.append("git-objekter")
    for folder, dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if (_holds_any(name.encode(), needles) or _holds_any(data, needles)
                    or (deep and _holds_any(_inflated(data), needles))):
                found.append(str(path.relative_to(root)))
        for name in dirs:
            if _holds_any(name.encode(), needles):
                found.append(str((Path(folder) / name).relative_to(root)))
    return found


def _objects_hold(root: Path, needles: list[bytes]) -> bool:
    """`git cat-file --batch-all-objects --batch`, read in pieces (memory stays flat)."""
    git_dir = root / ".git" if (root / ".git").exists() else root  # a bare repository is its own git folder
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {"GIT_DIR": str(git_dir), "LC_ALL": "C"}
    overlap = max((len(needle) for needle in needles), default=1)
    with subprocess.Popen(["git", "cat-file", "--batch-all-objects", "--batch", "--unordered"], cwd=root, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL) as process:
        assert process.stdout is not None
        tail = b""
        hit = False
        while chunk := process.stdout.read(1 << 20):
            window = tail + chunk
            if _holds_any(window, needles):
                hit = True
                process.kill()
                break
            tail = window[-overlap:]
    return hit


def _inflated(data: bytes) -> bytes:
    """Every zlib stream in `data` decompressed, one after the other (loose objects, pack entries)."""
    import zlib

    parts = []
    start = data.find(b"\x78")
    while start != -1 and start < len(data) - 1:
        if data[start + 1] in (0x01, 0x5E, 0x9C, 0xDA):
            try:
                inflater = zlib.decompressobj()
                parts.append(inflater.decompress(data[start:]))
            except zlib.error:
                pass
        start = data.find(b"\x78", start + 1)
    return b"".join(parts)


def _holds_any(data: bytes, needles: list[bytes]) -> bool:
    return any(needle in data for needle in needles)
