"""Running git on the sessions repository: a clean environment, private files, one writer at a time.

Every call gets GIT_DIR and GIT_WORK_TREE for this repository and nothing from the
caller's GIT_* variables, so a sessions folder inside another repository (or a
user's exported GIT_DIR) can never send commits elsewhere. Commits from several
threads and processes are serialised with a lock file in .git.

Nothing confidential goes on a command line, where every user of the machine can read it
in /proc/PID/cmdline: commit messages are read from a file in .git/musterm/tmp, paths come
on stdin (--pathspec-from-file), files are read with `git cat-file --batch`, and the author's
name goes through the environment (which /proc shows to the same user only). TMPDIR points
into .git/musterm/tmp too, so the temporary files git makes for the textconv driver stay in
the repository.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from musterm.errors import StoreError
from musterm.store import durable

GIT_UMASK = 0o077
INDEX_LOCK_WAIT_SECONDS = 15.0
STALE_LOCK_AGE_SECONDS = 2.0
STALE_LOCK_AGE_WITHOUT_PROC = 600.0
UNKNOWN_PATH = "did not match any file(s) known to git"
"""What `git commit -- FILE` says (LC_ALL=C) about a file it does not track yet."""
LOCK_TAKEN = ".lock': File exists"
"""What git says (LC_ALL=C) when another git holds one of its lock files."""


class CommitFailed(StoreError):
    """The change is on disk but git did not commit it; `reason` says why, in Danish."""

    def __init__(self, reason: str, relative: str = ""):
        self.reason = reason
        self.relative = relative
        super().__init__(f"Ændringen blev gemt på disken, men ikke committet i git: {reason}. Den committes ved næste gem.")


@dataclass(frozen=True)
class Identity:
    name: str
    email: str = ""


@dataclass(frozen=True)
class GitResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class GitRepo:
    """One sessions repository. Thread-safe; cooperates with other processes on the same folder."""

    def __init__(self, root: Path):
        self.root = root
        self.git_dir = root / ".git"
        self._thread_lock = threading.RLock()
        self._configured_identity: Identity | None | bool = False

    @property
    def private_tmp(self) -> Path:
        """musterm's own temporary folder inside .git: commit messages, and git's textconv files."""
        return self.git_dir / "musterm" / "tmp"

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
        for keep in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_SSH_COMMAND"):
            if keep in os.environ:
                env[keep] = os.environ[keep]
        env.update(
            GIT_DIR=str(self.git_dir),
            GIT_WORK_TREE=str(self.root),
            GIT_TERMINAL_PROMPT="0",
            LC_ALL="C",
            GIT_PAGER="cat",
        )
        if self._private_tmp_ready():
            env["TMPDIR"] = str(self.private_tmp)
        env.update(extra or {})
        return env

    def _private_tmp_ready(self) -> bool:
        if self.private_tmp.is_dir():
            return True
        if not self.git_dir.is_dir():
            return False
        try:
            durable.make_private_dirs(self.private_tmp)
        except (StoreError, OSError):
            return False  # a read-only repository: musterm runs no git there that needs temp files
        return True

    def run(
        self,
        args: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        check: bool = True,
        input: str | None = None,  # noqa: A002 - as subprocess calls it
    ) -> GitResult:
        """Run git; `input` goes to its stdin. Never put names, dates or text in `args` (see above)."""
        completed = self._run_bytes(args, env, None if input is None else input.encode("utf-8"))
        result = GitResult(
            completed.returncode,
            completed.stdout.decode("utf-8", "replace"),
            completed.stderr.decode("utf-8", "replace"),
        )
        if check and not result.ok:
            raise StoreError(f"git {args[0]} fejlede: {_first_lines(result.stderr or result.stdout)}")
        return result

    def _run_bytes(self, args: Sequence[str], env: dict[str, str] | None, data: bytes | None) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(
                ["git", *args],
                cwd=self.root,
                env=self.environment(env),
                input=data if data is not None else b"",
                capture_output=True,
                umask=GIT_UMASK,
                check=False,
            )
        except FileNotFoundError:
            raise StoreError("git er ikke installeret: musterm gemmer samtaler i git. Installér git og prøv igen.") from None

    def read_blob(self, revision: str, relative: str) -> bytes | None:
        """The file `relative` as committed in `revision`, or None when it is not there.

        `git cat-file --batch` reads the name from stdin; `git show REV:PATH` would put it on
        the command line.
        """
        if "\n" in relative or "\n" in revision:
            return None
        completed = self._run_bytes(["cat-file", "--batch"], None, f"{revision}:{relative}\n".encode())
        header, _, rest = completed.stdout.partition(b"\n")
        fields = header.split()
        if completed.returncode != 0 or len(fields) != 3 or fields[1] != b"blob":
            return None
        return rest[: int(fields[2])]

    def read_blobs(self, revision: str, relatives: Sequence[str]) -> dict[str, bytes | None]:
        """`read_blob` for many files with one git process (None for each one not in `revision`)."""
        wanted = [relative for relative in relatives if "\n" not in relative]
        found: dict[str, bytes | None] = dict.fromkeys(relatives)
        if not wanted or "\n" in revision:
            return found
        request = "".join(f"{revision}:{relative}\n" for relative in wanted).encode()
        output = self._run_bytes(["cat-file", "--batch"], None, request).stdout
        position = 0
        for relative in wanted:
            end = output.find(b"\n", position)
            if end < 0:
                break
            fields = output[position:end].split()
            position = end + 1
            if len(fields) == 3 and fields[1].isalpha() and fields[2].isdigit():
                size = int(fields[2])
                if fields[1] == b"blob":
                    found[relative] = output[position : position + size]
                position += size + 1  # the content and its newline
        return found

    def init(self) -> None:
        self.run(["init", "--quiet", "--shared=0600", "--initial-branch=main", str(self.root)])

    @contextlib.contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the repository for one write: this thread, then this process, then git's own index lock."""
        with self._thread_lock, file_lock(self.git_dir / "musterm.lock"):
            self._wait_for_index_lock()
            yield

    def commit_paths(self, paths: Sequence[str], message: str, author: Identity, *, add: bool = False) -> GitResult:
        """`git commit --only PATHS`, with the message from a private file and the paths on stdin.

        The caller holds `writer()`. With `add`, the paths are added first (new files).
        """
        listed = "".join(f"{path}\0" for path in paths)
        if add:
            self.run(["add", "--pathspec-from-file=-", "--pathspec-file-nul"], input=listed)
        with self._message_file(message) as message_file:
            return self.run(
                ["-c", "commit.gpgsign=false", "commit", "--quiet", "--no-edit", "-F", str(message_file), "--pathspec-from-file=-", "--pathspec-file-nul"],
                env=self._identity_env(author),
                check=False,
                input=listed,
            )

    @contextlib.contextmanager
    def _message_file(self, message: str) -> Iterator[Path]:
        durable.make_private_dirs(self.private_tmp)
        path = self.private_tmp / f"commit-message-{secrets.token_hex(4)}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), durable.FILE_MODE)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(message)
            yield path
        finally:
            with contextlib.suppress(OSError):
                path.unlink()

    def commit_file(self, relative: str, message: str, author: Identity) -> bool:
        """Commit one file. False when it has no changes; StoreError when git refuses."""
        with self.writer():
            # `commit -- FILE` commits the file as it is on disk (and stages it), so a file git
            # already tracks needs no `git add` first: one git process less per save, which in
            # a repository of 10,000 sessions is a fifth of the time. A new file must be added.
            result = self.commit_paths([relative], message, author)
            if not result.ok and UNKNOWN_PATH in result.stderr:
                result = self.commit_paths([relative], message, author, add=True)
            if not result.ok and LOCK_TAKEN in result.stderr:
                # A git that musterm did not start took a lock after the wait above: once more.
                self._wait_for_index_lock()
                result = self.commit_paths([relative], message, author)
        if result.ok:
            return True
        if "nothing to commit" in result.stdout or "no changes added" in result.stdout:
            return False
        raise CommitFailed(_first_lines(result.stderr or result.stdout))

    def _identity_env(self, author: Identity) -> dict[str, str]:
        """The manager as author (in the environment, not on the command line); the committer is the
        user git knows, or the manager too when this account has no git identity."""
        if self._configured_identity is False:
            name = self.run(["config", "user.name"], check=False).stdout.strip()
            email = self.run(["config", "user.email"], check=False).stdout.strip()
            self._configured_identity = Identity(name, email) if name and email else None
        env = {"GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email}
        if not self._configured_identity:
            # An explicit empty email keeps git from guessing user@hostname.
            env.update(GIT_COMMITTER_NAME=author.name, GIT_COMMITTER_EMAIL=author.email)
        return env

    def _wait_for_index_lock(self) -> None:
        """Wait for git's live locks; remove those that no process holds and nobody touched lately.

        A killed git leaves its lock file behind: index.lock, and HEAD.lock or the branch's
        lock when it died while a commit updated them. Any one of them stops every commit.
        """
        deadline = time.monotonic() + INDEX_LOCK_WAIT_SECONDS
        while True:
            busy = [lock for lock in self._git_locks() if not _remove_if_stale(lock, self.root)]
            if not busy:
                return
            if time.monotonic() > deadline:
                shown = ", ".join(str(lock.relative_to(self.root)) for lock in busy)
                raise CommitFailed(f"git er optaget af en anden proces ({shown})")
            time.sleep(0.05)

    def _git_locks(self) -> list[Path]:
        """The lock files git takes for a commit that exist now."""
        found = [self.git_dir / name for name in ("index.lock", "HEAD.lock", "packed-refs.lock")]
        found = [lock for lock in found if os.path.lexists(lock)]
        return found + _lock_files_under(self.git_dir / "refs" / "heads")


def _lock_files_under(folder: Path) -> list[Path]:
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.name.endswith(".lock"):
            found.append(Path(entry.path))
        elif entry.is_dir(follow_symlinks=False):
            found += _lock_files_under(Path(entry.path))
    return found


def _remove_if_stale(lock: Path, root: Path) -> bool:
    """True when `lock` is gone: removed here as stale, or already gone."""
    try:
        info = lock.lstat()
    except FileNotFoundError:
        return True
    if not _is_stale(lock, info.st_mtime, root):
        return False
    with contextlib.suppress(FileNotFoundError):
        lock.unlink()
    return True


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive flock on `path` (made 0600 if missing) while the block runs; blocks until free."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _is_stale(lock: Path, modified: float, root: Path) -> bool:
    """Stale: not brand new, no process has it open, and no git process works in this repository.

    Git may close the lock's file descriptor while a slow hook runs, so an open
    descriptor alone is no proof; a running git in the repository is.
    """
    age = time.time() - modified
    if age <= STALE_LOCK_AGE_SECONDS:
        return False
    live = _lock_in_use(lock, root)
    if live is None:
        return age > STALE_LOCK_AGE_WITHOUT_PROC
    return not live


def _lock_in_use(lock: Path, root: Path) -> bool | None:
    """Whether one of this user's processes holds `lock` or runs git in `root`; None without /proc."""
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return None
    target = str(lock.resolve())
    repo = str(root.resolve())
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit() or int(pid_dir.name) == os.getpid():
            continue
        try:
            if _runs_git_in(pid_dir, repo) or _has_open(pid_dir, target):
                return True
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EPERM, errno.ENOENT, errno.ESRCH):
                return None
    return False


def _runs_git_in(pid_dir: Path, repo: str) -> bool:
    if not (pid_dir / "comm").read_text().startswith("git"):
        return False
    cwd = os.readlink(pid_dir / "cwd")
    return cwd == repo or cwd.startswith(repo + os.sep)


def _has_open(pid_dir: Path, target: str) -> bool:
    for fd in os.scandir(pid_dir / "fd"):
        with contextlib.suppress(OSError):
            if os.readlink(fd.path) == target:
                return True
    return False


def _first_lines(text: str, count: int = 3) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[:count]) or "ukendt fejl"
