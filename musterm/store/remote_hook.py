"""`musterm hook pre-receive`: the remote's admin refuses a push with a conversation musterm cannot read.

git runs the hook in the bare repository with one line per pushed ref on stdin
("OLD NEW REFNAME"); the pushed objects are in quarantine until the hook says yes. Every
conversation file among the new objects (every version, not only the last) is read as musterm
reads it; a file it cannot read refuses the whole push with the file:line: key: message.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from musterm.store.remote import check_blobs, is_session_path

ZERO = "0" * 40


def pre_receive(lines: Iterable[str], git_dir: Path | None = None) -> list[str]:
    """The problems that refuse this push (none: accept)."""
    git_dir = git_dir or Path(os.environ.get("GIT_DIR", "."))
    env = {k: v for k, v in os.environ.items()}
    env["LC_ALL"] = "C"
    env["GIT_DIR"] = str(git_dir)
    wanted: dict[str, str] = {}
    for line in lines:
        fields = line.split()
        if len(fields) != 3 or fields[1] == ZERO:
            continue  # a deleted ref brings nothing new
        listed = subprocess.run(["git", "rev-list", "--objects", fields[1], "--not", "--all"], env=env,
                                capture_output=True, text=True, check=False).stdout
        for entry in listed.splitlines():
            object_id, _, path = entry.partition(" ")
            if is_session_path(path):
                wanted.setdefault(object_id, path)
    return check_blobs(git_dir, list(wanted.items()))
