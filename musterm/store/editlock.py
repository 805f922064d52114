"""A claim on one conversation while it is open for editing, like vim's swap file.

The holder keeps an flock on a small file in .git/musterm/edit-locks. A second
musterm that cannot take the flock is told who has the conversation open; a lock
file whose holder died (flock free) is simply taken over.

A *brief* lock is held only for one write and commit (creating a conversation, committing a
leftover, importing a preparation form), never for a person's editing: one who opens the
conversation meanwhile waits for it instead of being told it is open elsewhere.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from musterm.errors import StoreError
from musterm.store import durable


@dataclass(frozen=True)
class LockHolder:
    pid: int
    host: str
    user: str
    since: str
    brief: bool = False

    def describe(self) -> str:
        return f"{self.user} (proces {self.pid} på {self.host}, siden {self.since})"


class SessionInUse(StoreError):
    def __init__(self, relative: str, holder: LockHolder | None):
        self.relative = relative
        self.holder = holder
        who = holder.describe() if holder else "en anden musterm"
        super().__init__(
            f"Samtalen {relative} er allerede åben hos {who}. Åbn den skrivebeskyttet, eller luk den anden først."
        )


class EditLock:
    def __init__(self, path: Path, fd: int, relative: str, recovered: bool):
        self.path = path
        self._fd: int | None = fd
        self.relative = relative
        self.recovered = recovered

    @classmethod
    def acquire(cls, folder: Path, relative: str, brief: bool = False) -> EditLock:
        durable.make_private_dirs(folder)
        path = folder / (relative.replace("/", "__") + ".lock")
        while True:
            existed = path.exists()
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                raise SessionInUse(relative, holder) from None
            if _same_file(fd, path):
                break
            os.close(fd)  # the previous holder removed the file while we opened it; try again
        _write_holder(fd, brief)
        return cls(path, fd, relative, recovered=existed)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> EditLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _write_holder(fd: int, brief: bool) -> None:
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "user": _user_name(),
        "since": time.strftime("%Y-%m-%d %H:%M"),
        "brief": brief,
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode("utf-8"), 0)


def _user_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # an account without a passwd entry, as in some containers
        return f"uid {os.getuid()}"


def _read_holder(fd: int) -> LockHolder | None:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return LockHolder(int(data["pid"]), str(data["host"]), str(data["user"]), str(data["since"]),
                          data.get("brief") is True)
    except (OSError, ValueError, KeyError, TypeError):
        return None
