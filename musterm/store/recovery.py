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
    """One small record per conversation: its path, and the digests of the bytes musterm wrote last.

    The record is written just before the file (and names the previous digest too), so a kill
    between the two leaves either version recognisable as musterm's own.
    """

    def __init__(self, git_dir: Path):
        self.folder = git_dir / "musterm" / "own-writes"

    def record(self, relative: str, data: bytes) -> None:
        """Remember that musterm is writing `data`. Not fsynced: after a power cut a missing record
        only makes the tidy-up treat musterm's write as a hand edit, which it leaves alone."""
        digests = [digest(data), *self._digests(relative)[:1]]
        text = "\n".join([relative, *dict.fromkeys(digests)]) + "\n"
        try:
            durable.make_private_dirs(self.folder)
            # Written in place, not through a temp file: a record cut short reads as no record.
            fd = os.open(self._file(relative), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0),
                         durable.FILE_MODE)
            try:
                os.write(fd, text.encode("utf-8"))
            finally:
                os.close(fd)
        except (StoreError, OSError):
            pass  # the session file is what matters; only the label of a later recovery commit is at stake

    def wrote(self, relative: str, data: bytes) -> bool:
        return digest(data) in self._digests(relative)

    def _digests(self, relative: str) -> list[str]:
        lines = _read_lines(self._file(relative))
        return lines[1:] if lines and lines[0] == relative else []

    def forget_committed(self, uncommitted: Collection[str], busy: Collection[str]) -> None:
        """Drop the records of files that are committed now, except those open somewhere (`busy`)."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            lines = _read_lines(Path(entry.path))
            relative = lines[0] if lines else None
            if relative is None or (relative not in uncommitted and relative not in busy):
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass

    def _file(self, relative: str) -> Path:
        return self.folder / hashlib.sha256(relative.encode("utf-8")).hexdigest()[:32]


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


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
                lock = store.lock_for_editing(relative, brief=True)
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
