"""A stand-in for the 100,000 repository, for `musterm list` alone, made in seconds from the 10,000 one.

    python bench/listing_100k.py bench/.data/sessions-e1000-y10-s1-v2 bench/.data/listing-100k
    python -m musterm --sessions bench/.data/listing-100k list > /dev/null   # once: git's stat cache
    sleep 1; git -C bench/.data/listing-100k status --porcelain >/dev/null    # (no racily clean entries)
    /usr/bin/time -f '%e s, %U+%S CPU' python -m musterm --sessions bench/.data/listing-100k list > /dev/null

100,000 one-line files in 10,000 folders, committed, and the 10,000 repository's index with its
conversation rows ten times over (each folder again as FOLDER-k1 ... FOLDER-k9, paths to match),
recording the new HEAD: `git status` has 100,000 files to stat and the listing 100,000 rows to
print, as at 100,000 conversations; nothing else in it is real (search would find the 10,000's
texts). The source must have an index (run `musterm list` on it first).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "b",
       "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True, text=True).stdout


def make(source: Path, out: Path, copies: int = 10) -> int:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, mode=0o700)
    git(out, "init", "-q")
    for name in (".musterm", ".gitattributes", ".gitignore", "README.md"):
        shutil.copy(source / name, out / name)
    with sqlite3.connect(source / ".git" / "musterm" / "index.sqlite") as index:
        cursor = index.execute("SELECT * FROM conversation")
        columns = [description[0] for description in cursor.description]
        rows = cursor.fetchall()
    path, folder = columns.index("path"), columns.index("folder")
    made = []
    for copy in range(copies):
        for row in rows:
            row = list(row)
            row[0] = len(made) + 1
            row[folder] = row[folder] if copy == 0 else f"{row[folder]}-k{copy}"
            row[path] = f"{row[folder]}/{row[path].split('/', 1)[1]}"
            (out / row[folder]).mkdir(exist_ok=True, mode=0o700)
            (out / row[path]).write_text("x\n")
            made.append(row)
    git(out, "add", "-A")
    git(out, "commit", "-qm", "x")
    head = git(out, "rev-parse", "HEAD").strip()
    (out / ".git" / "musterm").mkdir(mode=0o700)
    shutil.copy(source / ".git" / "musterm" / "index.sqlite", out / ".git" / "musterm" / "index.sqlite")
    with sqlite3.connect(out / ".git" / "musterm" / "index.sqlite") as index:
        index.execute("DELETE FROM conversation")
        index.executemany(f"INSERT INTO conversation VALUES ({', '.join('?' * len(columns))})", made)
        index.execute("DELETE FROM dirty")
        index.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('commit', ?)", (head,))
    return len(made)


if __name__ == "__main__":
    print(f"{make(Path(sys.argv[1]), Path(sys.argv[2])):,} conversations listed in {sys.argv[2]}")
