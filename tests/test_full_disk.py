"""A really full disk, at the store: a small tmpfs is mounted and filled (issue 13, "a real full tmpfs
where the machine allows mounting one"). Skipped, saying why, where mounting is not allowed; the
app's side of a full disk (tests/test_app_leaving.py) falls back to a patched write there instead.

The save is refused with the Danish message, the old file and its committed version are intact,
no temporary file is left, and once space is freed the same save goes through and is committed.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
from pathlib import Path

import pytest

from musterm.errors import StoreError
from musterm.frameworks.catalog import Catalog
from musterm.model.session import Person, new_session
from musterm.store.gitrepo import CommitFailed
from musterm.store.repository import Store


@pytest.fixture
def tmpfs(tmp_path: Path):  # noqa: ANN201
    folder = tmp_path / "lille-disk"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the app's full-disk test patches os.write instead")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"no tmpfs could be mounted here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path) -> Path:
    """Write until the filesystem says ENOSPC: nothing is left, not even a block."""
    filler = folder / "fyld"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    for size in (4096, 512, 1):  # the last partial blocks too
        try:
            with filler.open("ab") as handle:
                while True:
                    handle.write(b"\0" * size)
                    handle.flush()
        except OSError:
            continue
    return filler


def test_a_save_on_a_full_disk_is_refused_the_old_file_kept_and_made_once_space_is_freed(tmpfs: Path) -> None:
    store = Store.open(tmpfs / "sessions")
    session = new_session(Catalog.discover().get("randers"), Person(name="Anna Sørensen"), Person(name="Lis Leder"),
                          dt.date(2026, 11, 23))
    relative = store.create(session)
    file = store.root / relative
    before = file.read_bytes()
    changed = store.load(relative)
    changed.private.notes = "Vigtig note. " * 20_000  # 260 kB: more than a full disk has
    filler = fill(tmpfs)
    with pytest.raises(StoreError) as refused:
        store.save(relative, changed)
    assert str(refused.value) == (
        f"Disken er fuld: {file} kunne ikke gemmes. Frigør plads; teksten er ikke tabt, og den gamle fil er urørt."
    )
    assert file.read_bytes() == before
    assert not [name for name in os.listdir(file.parent) if name.endswith(".musterm-tmp")]
    filler.unlink()
    assert store.save(relative, changed)
    try:
        assert store.commit(relative, changed)
    except CommitFailed as failed:  # pragma: no cover - the message says why, in the test output
        pytest.fail(str(failed))
    shown = subprocess.run(["git", "show", f"HEAD:{relative}"], cwd=store.root, capture_output=True)
    assert shown.stdout == file.read_bytes() != before
