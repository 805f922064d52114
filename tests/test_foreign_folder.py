"""A sessions folder owned by someone else (another manager on the server) is never used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NOBODY = 65534


def _snapshot(folder: Path) -> dict[str, tuple[int, int, int, bytes | None]]:
    """Mode, owner, modification time and (for a file) content of everything in `folder`, itself included."""
    snapshot = {}
    for path in [folder, *folder.rglob("*")]:
        stat = path.lstat()
        content = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        snapshot[str(path.relative_to(folder))] = (stat.st_mode, stat.st_uid, stat.st_mtime_ns, content)
    return snapshot


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
@pytest.mark.parametrize("args", [["list"], ["new", "--employee", "Bo", "--framework", "randers"], ["show", "Bo"]])
def test_another_users_folder_is_refused_and_left_alone(tmp_path: Path, args: list[str]) -> None:
    theirs = tmp_path / "kollegaens-samtaler"
    subprocess.run([sys.executable, "-m", "musterm", "--sessions", str(theirs), "new", "--employee", "Bo",
                    "--framework", "randers", "--manager", "Kollega"], check=True, capture_output=True)
    for path in [theirs, *theirs.rglob("*")]:
        os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
    before = _snapshot(theirs)
    result = subprocess.run([sys.executable, "-m", "musterm", "--sessions", str(theirs), *args],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"musterm: {theirs} tilhører en anden bruger. Samtaler er fortrolige: brug din egen mappe med --sessions.\n"
    )
    assert _snapshot(theirs) == before
