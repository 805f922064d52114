"""Erasing one employee from a sessions repository: files, folder, history, messages, caches.

GDPR art. 17 and the retention rules of Danish municipalities ask that a person's data can be
erased for good. In a git repository that means more than deleting a folder: every earlier
version of the files and every commit message that names the person must go, and so must the
reflogs and unreachable objects that still hold them. The rewrite is done by git-filter-repo
(the tool git's own documentation recommends for removing sensitive data); musterm adds what
only it knows: the names to take out of commit messages, its own caches and lock files, the
check that nothing of the person is left, and an erasure record that names no one.

Nothing confidential goes on a command line (see gitrepo.py): the folder and the names reach
filter-repo in files inside .git/musterm/tmp, which are removed afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from musterm.errors import StoreError
from musterm.store import durable
from musterm.store.gitrepo import Identity, file_lock
from musterm.store.erase_check import _holds_any, find_traces
from musterm.store.layout import _is_session_file

if TYPE_CHECKING:
    from musterm.store.repository import Store

RECORD_FILE = "sletninger.toml"
"""The erasure record at the top of the repository: one entry per erasure, naming no one."""
RECORD_HEADER = (
    "# Sletninger i dette samtalearkiv, skrevet af musterm (musterm erase). Ingen navne: hver sletning\n"
    "# har dato, antal samtaler og en saltet hash (scrypt) af medarbejderens navn og nummer, så det kan\n"
    "# eftervises, at en bestemt person er slettet (musterm erase --verify NAVN), uden at navnet står her.\n"
)
REPLACEMENT = "[slettet medarbejder]"
"""What the employee's name becomes in commit messages that also concern others."""
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
"""scrypt's cost: ~50 ms a try, so guessing names from a list of employees is slow."""


class ErasureError(StoreError):
    pass


@dataclass
class ErasurePlan:
    """What `erase` would remove; shown to the user before they confirm."""

    folder: str
    names: list[str]
    """Every name the employee has had in a conversation file, now or in earlier versions."""
    numbers: list[str]
    conversations: list[str]
    """Every conversation file of the folder, now or in history (relative paths)."""
    lines: set[str] = field(default_factory=set)
    """Every line of text (over 8 characters) in any version of the employee's files."""

    @property
    def count(self) -> int:
        return len(self.conversations)

    @property
    def shown_name(self) -> str:
        return self.names[0] if self.names else self.folder


@dataclass
class ErasureResult:
    folder: str
    count: int
    record: str
    """The new entry of the erasure record (TOML)."""
    leftovers: list[str] = field(default_factory=list)
    """Places where musterm still finds the name or the folder (should be none)."""
    mentioned_elsewhere: list[str] = field(default_factory=list)
    """Other employees' conversations whose text names the erased employee: not musterm's to erase."""


# --- planning ----------------------------------------------------------------------------------


def plan_erasure(store: Store, who: str) -> ErasurePlan:
    """Find the employee's folder and everything of theirs the repository holds."""
    store._require_writable()
    folder = store.employee_folder(who)
    names: dict[str, None] = {}
    numbers: dict[str, None] = {}
    paths: set[str] = set()
    lines: set[str] = set()
    for relative, data in _history_blobs(store, folder):
        paths.add(relative)
        _collect_identity(data, names, numbers, lines)
    base = store.root / folder
    with contextlib.suppress(OSError):
        for entry in os.scandir(base):
            if _is_session_file(entry.name) and entry.is_file(follow_symlinks=False):
                paths.add(f"{folder}/{entry.name}")
                with contextlib.suppress(OSError):
                    _collect_identity(Path(entry.path).read_bytes(), names, numbers, lines)
    if not paths:
        raise ErasureError(f"{who} har ingen samtaler i {store.root}.")
    current: dict[str, None] = {}
    newest = sorted(path for path in paths if (store.root / path).is_file())
    if newest:
        with contextlib.suppress(OSError):
            _collect_identity((store.root / newest[-1]).read_bytes(), current, {})
    ordered = [*current, *(name for name in names if name not in current)]
    return ErasurePlan(folder, ordered, [n for n in numbers if n], sorted(paths), lines)


def _history_blobs(store: Store, folder: str) -> Iterator[tuple[str, bytes]]:
    """(path, content) of every version of every file under `folder` in any ref's history."""
    listed = store.git.run(["rev-list", "--all", "--objects"], check=False).stdout
    prefix = f"{folder}/"
    wanted: dict[str, str] = {}
    for line in listed.splitlines():
        object_id, _, path = line.partition(" ")
        if path.startswith(prefix) and path.count("/") == 1 and _is_session_file(path[len(prefix):]):
            wanted[object_id] = path
    if not wanted:
        return
    completed = store.git._run_bytes(["cat-file", "--batch"], None, "".join(f"{oid}\n" for oid in wanted).encode())
    data = completed.stdout
    position = 0
    for object_id in wanted:
        end = data.index(b"\n", position)
        header = data[position:end].split()
        position = end + 1
        if len(header) != 3:
            continue
        size = int(header[2])
        yield wanted[object_id], data[position : position + size]
        position += size + 1


def _collect_identity(data: bytes, names: dict[str, None], numbers: dict[str, None],
                      lines: set[str] | None = None) -> None:
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
        employee = parsed.get("employee", {})
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError):
        return
    if lines is not None:
        _text_lines(parsed, lines)
    if isinstance(employee, dict):
        if isinstance(employee.get("name"), str) and employee["name"].strip():
            names.setdefault(employee["name"].strip(), None)
        if isinstance(employee.get("number"), str):
            numbers.setdefault(employee["number"].strip(), None)


def _text_lines(value: object, lines: set[str]) -> None:
    if isinstance(value, str):
        lines.update(line for line in value.split("\n") if len(line) > 8)
    elif isinstance(value, dict):
        for item in value.values():
            _text_lines(item, lines)
    elif isinstance(value, list):
        for item in value:
            _text_lines(item, lines)


# --- erasing -----------------------------------------------------------------------------------


def erase(store: Store, plan: ErasurePlan, reason: str = "anmodning") -> ErasureResult:
    """Remove every trace of `plan`'s employee; returns what was done. The caller has confirmed."""
    store._require_writable()
    from musterm.store.remote import rebase_in_progress

    if rebase_in_progress(store):
        raise ErasureError("En synkronisering venter på, at en konflikt bliver løst (musterm sync). Løs den først; "
                           "intet er slettet.")
    with store.git.writer(), _creating(store):
        _refuse_open_conversations(store, plan)
        _refuse_uncommitted_elsewhere(store, plan)
        _rewrite_history(store, plan)
        from musterm.store.remote import mark_rewritten

        mark_rewritten(store)
        _remove_own_traces(store, plan)
        elsewhere = _mentioned_elsewhere(store, plan)
        _forget_in_index(store, plan, elsewhere)
        entry = _append_record(store, plan, reason)
    store.refresh_index()
    # Another employee's conversation that names this one keeps the name in git and the index: that
    # text is theirs. The folder name must be gone everywhere all the same.
    needles = [plan.folder.encode()] if elsewhere else _needles(plan)
    leftovers = find_traces(store.root, needles, deep=False)
    return ErasureResult(plan.folder, plan.count, entry, leftovers, elsewhere)


def _forget_in_index(store: Store, plan: ErasurePlan, elsewhere: list[str]) -> None:
    """Take the employee out of the index and keep the rest (a rebuild reads every file: minutes at
    10,000); drop it to be rebuilt when its compression dictionary holds the employee's own text."""
    index = store.index
    index.remove_folder(plan.folder)
    dictionary = index.dictionary()
    names = [] if elsewhere else _needles(plan)
    suspicious = [line for line in plan.lines if line.encode("utf-8") in dictionary]
    if any(needle in dictionary for needle in names + [plan.folder.encode()]) or not _shared(store, plan, suspicious):
        _drop_index(store)
        return
    head = store.git.run(["rev-parse", "--verify", "--quiet", "HEAD"], check=False).stdout.strip()
    index.reflects(head)


def _shared(store: Store, plan: ErasurePlan, lines: list[str]) -> bool:
    """Whether each of `lines` is also in another employee's file (so the dictionary may keep it)."""
    wanted = {line.encode("utf-8") for line in lines}
    if not wanted:
        return True
    with contextlib.suppress(OSError):
        for entry in os.scandir(store.root):
            if entry.name.startswith(".") or entry.name == plan.folder or not entry.is_dir(follow_symlinks=False):
                continue
            for file in os.scandir(entry.path):
                if _is_session_file(file.name):
                    with contextlib.suppress(OSError):
                        data = Path(file.path).read_bytes()
                        wanted = {line for line in wanted if line not in data}
                        if not wanted:
                            return True
    return not wanted


def _drop_index(store: Store) -> None:
    own = store.git.git_dir / "musterm"
    if store._index is not None:
        store._index.close()
        store._index = None
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            (own / f"index.sqlite{suffix}").unlink()


@contextlib.contextmanager
def _creating(store: Store) -> Iterator[None]:
    folder = store.git.git_dir / "musterm"
    durable.make_private_dirs(folder)
    with file_lock(folder / "create.lock"):
        yield


def _refuse_open_conversations(store: Store, plan: ErasurePlan) -> None:
    from musterm.store.editlock import SessionInUse

    for relative in plan.conversations:
        try:
            lock = store.lock_for_editing(relative)
        except SessionInUse as busy:
            raise ErasureError(f"{busy} Intet er slettet.") from None
        lock.release()


def _refuse_uncommitted_elsewhere(store: Store, plan: ErasurePlan) -> None:
    """filter-repo ends with `git reset --hard`: uncommitted work of others would be lost."""
    status = store.git.run(["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=no"]).stdout
    others = [entry[3:] for entry in status.split("\0") if len(entry) > 3 and not entry[3:].startswith(f"{plan.folder}/")]
    if others:
        store.commit_leftovers()
        status = store.git.run(["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=no"]).stdout
        others = [e[3:] for e in status.split("\0") if len(e) > 3 and not e[3:].startswith(f"{plan.folder}/")]
    if others:
        shown = ", ".join(others[:5])
        raise ErasureError(
            f"Der er ændringer, som ikke er committet: {shown}. Commit dem (eller åbn og luk samtalen i musterm) "
            "før sletningen, så de ikke går tabt. Intet er slettet."
        )


def _rewrite_history(store: Store, plan: ErasurePlan) -> None:
    tmp = store.git.private_tmp
    durable.make_private_dirs(tmp)
    token = secrets.token_hex(4)
    paths_file = tmp / f"erase-paths-{token}"
    messages_file = tmp / f"erase-messages-{token}"
    try:
        _write_private(paths_file, f"{plan.folder}/\n")
        _write_private(messages_file, "".join(f"regex:{pattern}==>{REPLACEMENT}\n" for pattern in _message_patterns(plan)))
        remotes = _remote_config(store)
        completed = run_filter_repo(
            store.root,
            ["--force", "--quiet", "--invert-paths", "--paths-from-file", str(paths_file),
             "--replace-message", str(messages_file)],
        )
        if completed.returncode != 0:
            shown = (completed.stderr or completed.stdout).decode("utf-8", "replace").strip().splitlines()[-3:]
            raise ErasureError(f"git filter-repo fejlede: {' / '.join(shown) or 'ukendt fejl'}. "
                               "Samtalerne er ikke slettet af musterm; kontrollér repoet med git status.")
        _restore_remotes(store, remotes)
    finally:
        for file in (paths_file, messages_file):
            with contextlib.suppress(OSError):
                file.unlink()
    shutil.rmtree(store.git.git_dir / "filter-repo", ignore_errors=True)
    # filter-repo expired the reflogs and ran gc --prune=now; once more after our own clean-up below
    # would find nothing, so this is only for what filter-repo leaves outside refs.
    for name in ("ORIG_HEAD", "FETCH_HEAD", "COMMIT_EDITMSG", "MERGE_MSG", "SQUASH_MSG"):
        with contextlib.suppress(OSError):
            (store.git.git_dir / name).unlink()
    store.git.run(["reflog", "expire", "--expire=now", "--expire-unreachable=now", "--all"], check=False)
    store.git.run(["gc", "--quiet", "--prune=now"], check=False)


def run_filter_repo(root: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """git-filter-repo, the installed module, in `root`, with git's environment cleaned as gitrepo.py does."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    for keep in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_SSH_COMMAND"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    tmp = root / ".git" / "musterm" / "tmp"
    if tmp.is_dir():
        env["TMPDIR"] = str(tmp)
    env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    try:
        import git_filter_repo  # noqa: F401
    except ImportError:
        raise ErasureError("git-filter-repo mangler (pip install git-filter-repo); intet er slettet.") from None
    return subprocess.run(
        [sys.executable, "-m", "git_filter_repo", *args],
        cwd=root, env=env, capture_output=True, stdin=subprocess.DEVNULL, umask=0o077, check=False,
    )


def _message_patterns(plan: ErasurePlan) -> list[str]:
    """Regular expressions (Python, on bytes) for the names and the folder, as whole words.

    On bytes, `\\w` is ASCII only: a byte of a UTF-8 letter (æ, ø, å) counts as part of a word too.
    """
    edge_before, edge_after = r"(?<![\w\x80-\xff-])", r"(?![\w\x80-\xff-])"
    found = sorted({*plan.names, plan.folder}, key=len, reverse=True)
    return [f"{edge_before}{re.escape(text)}{edge_after}" for text in found if text and "\n" not in text]


def _remote_config(store: Store) -> list[tuple[str, str]]:
    listed = store.git.run(["config", "--null", "--get-regexp", r"^remote\."], check=False).stdout
    return [tuple(entry.split("\n", 1)) for entry in listed.split("\0") if "\n" in entry]  # type: ignore[misc]


def _restore_remotes(store: Store, remotes: list[tuple[str, str]]) -> None:
    """filter-repo removes a remote called origin (its history no longer matches): put it back."""
    present = {key for key, _ in _remote_config(store)}
    for key, value in remotes:
        if key not in present:
            store.git.run(["config", "--add", key, value], check=False)


def _remove_own_traces(store: Store, plan: ErasurePlan) -> None:
    """The folder on disk (temp files, untracked leftovers), and musterm's files in .git that name it."""
    shutil.rmtree(store.root / plan.folder, ignore_errors=True)
    own = store.git.git_dir / "musterm"
    needles = _needles(plan)
    for folder, _, files in os.walk(own):
        for name in files:
            path = Path(folder) / name
            if name in ("create.lock",) or name.startswith("index.sqlite"):
                continue  # the index: _forget_in_index
            with contextlib.suppress(OSError):
                if _holds_any(path.name.encode(), needles) or _holds_any(path.read_bytes(), needles):
                    path.unlink()
    with store._lock:
        store._known = {k: v for k, v in store._known.items() if not k.startswith(f"{plan.folder}/")}
        store._committed = {k: v for k, v in store._committed.items() if not k.startswith(f"{plan.folder}/")}
    _remove_crash_reports(needles)


def _remove_crash_reports(needles: list[bytes]) -> None:
    """Reports of unexpected errors (the state folder) that name the employee or their folder."""
    from musterm.locations import state_dir

    folder = state_dir()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and _holds_any(Path(entry.path).read_bytes(), needles):
                    os.unlink(entry.path)


def _needles(plan: ErasurePlan) -> list[bytes]:
    return [text.encode("utf-8") for text in {*plan.names, plan.folder} if text]


# --- the erasure record ------------------------------------------------------------------------


def identity_hash(name: str, number: str, salt: bytes) -> str:
    """scrypt of the employee's name (case and spacing folded) and number, with a random salt."""
    key = f"{' '.join(name.casefold().split())}\n{number.strip()}".encode()
    return hashlib.scrypt(key, salt=salt, dklen=32, **SCRYPT).hex()


def _append_record(store: Store, plan: ErasurePlan, reason: str) -> str:
    salt = secrets.token_bytes(16)
    name = plan.names[0] if plan.names else plan.folder
    number = plan.numbers[0] if plan.numbers else ""
    entry = (
        "\n[[sletning]]\n"
        f"dato = {dt.date.today().isoformat()}\n"
        f"samtaler = {plan.count}\n"
        f'grund = "{reason}"\n'
        f'salt = "{salt.hex()}"\n'
        f'hash = "scrypt:{identity_hash(name, number, salt)}"\n'
    )
    path = store.root / RECORD_FILE
    current = path.read_bytes().decode("utf-8") if path.exists() else RECORD_HEADER
    durable.write_atomic(path, (current + entry).encode("utf-8"))
    creator = store.manager if store.manager.email else Identity(store.manager.name or "musterm")
    message = f"Sletning: {plan.count} samtale{'r' if plan.count != 1 else ''} slettet ({reason})\n"
    result = store.git.commit_paths([RECORD_FILE], message, creator, add=True)
    if not result.ok:
        raise ErasureError(f"Samtalerne er slettet, men sletningsprotokollen blev ikke committet: {result.stderr.strip()}")
    return entry.strip()


def verify_erased(root: Path, name: str, number: str = "") -> list[str]:
    """The dates of the record's erasures whose hash matches this name and number."""
    path = root / RECORD_FILE
    if not path.exists():
        return []
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("sletning", [])
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ErasureError(f"{path}: kan ikke læses: {error}") from None
    found = []
    for entry in entries:
        try:
            salt = bytes.fromhex(entry["salt"])
            wanted = entry["hash"].removeprefix("scrypt:")
        except (KeyError, ValueError, AttributeError):
            continue
        if secrets.compare_digest(identity_hash(name, number, salt), wanted):
            found.append(str(entry.get("dato", "")))
    return found


# --- what is left --------------------------------------------------------------------------


def _mentioned_elsewhere(store: Store, plan: ErasurePlan) -> list[str]:
    """Other conversations whose files still name the erased employee (their own text, kept)."""
    needles = [name.encode() for name in plan.names if len(name) >= 4]
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(store.root):
            if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                continue
            for file in os.scandir(entry.path):
                if _is_session_file(file.name):
                    with contextlib.suppress(OSError):
                        if _holds_any(Path(file.path).read_bytes(), needles):
                            found.append(f"{entry.name}/{file.name}")
    return sorted(found)


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), durable.FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
