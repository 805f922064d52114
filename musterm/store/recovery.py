"""After an interruption: which uncommitted files musterm wrote itself, the start-up tidy-up that
commits them, and emergency copies of text that could not be saved.

musterm records the digest of every session file it writes in .git/musterm/own-writes. An
uncommitted file is musterm's own write (a kill -9 between the save and its commit, a busy git)
only while it still has that digest; anything else is a person's hand edit, which is theirs to
commit and never labelled "recovered".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from musterm.errors import FileError, StoreError
from musterm.store import durable
from musterm.store.events import Event

if TYPE_CHECKING:
    from musterm.model.session import Session
    from musterm.store.repository import Store


@dataclass
class Leftovers:
    committed: list[str] = field(default_factory=list)
    """Saved by musterm but never committed; committed now as recovered."""
    hand_edited: list[str] = field(default_factory=list)
    """Changed since musterm last wrote them (by a person, an editor, git): left as they are."""


class OwnWrites:
    """One small record per conversation: the digest of the bytes musterm last wrote to it."""

    def __init__(self, git_dir: Path):
        self.folder = git_dir / "musterm" / "own-writes"

    def record(self, relative: str, data: bytes) -> None:
        """Remember that musterm wrote `data`. Not fsynced: after a power cut a missing record only
        makes the tidy-up treat musterm's write as a hand edit, which it leaves alone (the safe side)."""
        try:
            durable.make_private_dirs(self.folder)
            durable.write_atomic(self._file(relative), f"{digest(data)} {relative}\n".encode(), sync=False)
        except (StoreError, OSError):
            pass  # the session file is saved; only the label of a later recovery commit is at stake

    def wrote(self, relative: str, data: bytes) -> bool:
        try:
            recorded = self._file(relative).read_text(encoding="utf-8").split(" ", 1)[0]
        except (OSError, UnicodeDecodeError):
            return False
        return recorded == digest(data)

    def forget_committed(self, uncommitted: Collection[str], busy: Collection[str]) -> None:
        """Drop the records of files that are committed now, except those open somewhere (`busy`)."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            try:
                relative = Path(entry.path).read_text(encoding="utf-8").rstrip("\n").split(" ", 1)[1]
            except (OSError, UnicodeDecodeError, IndexError):
                relative = None
            if relative is None or (relative not in uncommitted and relative not in busy):
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass

    def _file(self, relative: str) -> Path:
        return self.folder / hashlib.sha256(relative.encode("utf-8")).hexdigest()[:32]


def commit_leftovers(store: Store, held: Collection[str] = ()) -> Leftovers:
    """Commit conversations musterm saved but never committed (a hangup while git was busy, a kill -9).

    A conversation open in another musterm is left to it; one this process holds open (`held`,
    as after `musterm open NAME`) is committed too. A file that changed since musterm wrote it,
    or does not load, is left for a person to look at.
    """
    from musterm.formats import session_file

    found = Leftovers()
    uncommitted = store.uncommitted_sessions()
    busy: set[str] = set(held)
    for relative in uncommitted:
        lock = None
        if relative not in held:
            try:
                lock = store.lock_for_editing(relative)
            except StoreError:
                busy.add(relative)
                continue
        try:
            file = store.path_of(relative)
            try:
                data = file.read_bytes()
            except OSError:
                continue  # deleted by hand: theirs to commit
            if not store.own_writes.wrote(relative, data):
                found.hand_edited.append(relative)
                continue
            session = session_file.load_bytes(data, file)
            if store.commit(relative, session, Event.RECOVERED):
                found.committed.append(relative)
        except (FileError, StoreError):
            continue
        finally:
            if lock is not None:
                lock.release()
    store.own_writes.forget_committed(set(uncommitted) - set(found.committed), busy)
    return found


def write_rescue_copy(store: Store, relative: str, session: Session) -> Path:
    """The text that could not be saved, in .git/musterm/rescue/ (0600); StoreError if that fails too."""
    from musterm.formats import session_file

    folder = store.git.git_dir / "musterm" / "rescue"
    durable.make_private_dirs(folder)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    path = folder / f"{relative.replace('/', '__').removesuffix('.toml')}-{stamp}.toml"
    durable.write_atomic(path, session_file.dump_bytes(session))
    return path


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
