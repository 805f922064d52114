"""The sessions repository: one folder per employee, one TOML file per conversation, all in git.

The app and the commands only ever talk to `Store`; it is the one place that
writes session files and runs git. Writes are atomic and durable, never land on
a file that changed on disk since it was read, and commits are serialised
across threads and processes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from musterm.errors import FileError, MustermError, StoreError
from musterm.locations import sessions_readme_text
from musterm.model import limits
from musterm.store import durable, names
from musterm.store.events import Event, commit_message, describe_change
from musterm.store.gitrepo import CommitFailed, GitRepo, Identity, file_lock
from musterm.store.layout import (
    INITIAL_FILES,
    MARKER,
    _account_name,
    _checked_relative,
    _is_session_file,
    _refuse_foreign_owner,
    _refuse_non_empty,
    _session_names,
    diff_driver_config,
    refuse_links,
)
from musterm.store.listing import Summary, summarize
from musterm.store.private import durability_config, tighten_if_needed
from musterm.store.recovery import Leftovers, OwnWrites, write_rescue_copy

if TYPE_CHECKING:
    from musterm.model.session import Person, Session
    from musterm.store.editlock import EditLock
    from musterm.store.index import Progress, SessionIndex

# The session model (pydantic) is imported where a session is read or written, not here:
# `musterm list` with an index up to date never needs it (see tests/test_import_hygiene.py).


@dataclass(frozen=True)
class Creation:
    relative: str
    existed: bool
    """Exactly this conversation was there already (a retry, or another musterm at the same moment)."""


class SessionChanged(StoreError):
    """The file on disk is not the one this process read: someone else wrote it."""


class Store:
    def __init__(self, root: Path, git: GitRepo, writable: bool, manager: Identity | None = None):
        self.root = root
        self.git = git
        self.writable = writable
        self._manager = manager
        self._known: dict[str, str] = {}
        self._committed: dict[str, Session | None] = {}
        self._lock = threading.RLock()
        self._index: SessionIndex | None = None
        self.own_writes = OwnWrites(git.git_dir)

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, root: Path, *, writable: bool = True, manager: Identity | None = None, check_diff_driver: bool = True
    ) -> Store:
        """Open (and on first use create) the sessions repository at `root`.

        `manager` is who works in it: the manager of new conversations, and the e-mail of
        commits of conversations that have none. By default the user's settings say.
        `check_diff_driver=False` leaves `refresh_diff_driver` (a git subprocess) to the caller:
        the app does it after its first paint.
        """
        root = Path(os.path.abspath(root))
        _refuse_foreign_owner(root)
        if not (root / ".git").exists():
            if not writable:
                if not root.exists():
                    raise StoreError(f"Der er ingen samtaler endnu: {root} findes ikke.")
                raise StoreError(f"{root} er ikke et musterm-repo (der er ingen .git).")
            _refuse_non_empty(root)
            return cls._create(root, manager)
        store = cls(root, GitRepo(root), writable, manager)
        store._check_is_sessions_repo()
        if writable:
            store._check_writable()
            store._tighten_permissions()
            if check_diff_driver:
                store.refresh_diff_driver()
        return store

    @classmethod
    def _create(cls, root: Path, manager: Identity | None) -> Store:
        parent = root.parent
        if not parent.is_dir():
            raise StoreError(f"Kan ikke oprette {root}: mappen {parent} findes ikke.")
        store = cls(root, GitRepo(root), writable=True, manager=manager)
        if root.exists():
            store._check_writable()  # before the chmod below, which would make a read-only folder writable
        durable.make_private_dir(root)
        os.chmod(root, durable.DIR_MODE)
        store._check_writable()
        store.git.init()
        store._configure_git()
        files = dict(INITIAL_FILES)
        if not (root / "README.md").exists():
            files["README.md"] = sessions_readme_text()
        for name, text in files.items():
            durable.write_atomic(root / name, text.encode("utf-8"))
        creator = store.manager if store.manager.email else Identity(_account_name())
        with store.git.writer():
            created = store.git.commit_paths(sorted(files), "Samtalearkiv oprettet af musterm\n", creator, add=True)
        if not created.ok:
            raise StoreError(f"git commit fejlede: {created.stderr.strip() or created.stdout.strip()}")
        tighten_if_needed(root, store.git.git_dir)  # private from the start: records that, for the next open
        return store

    @property
    def manager(self) -> Identity:
        """Who works in this repository: given to `open`, or from the user's settings.

        A config file broken after musterm started must not stop a commit: then the account's
        name, without an e-mail, as before there were settings.
        """
        with self._lock:
            if self._manager is None:
                from musterm.config import resolve

                try:
                    found = resolve().manager
                    self._manager = Identity(found.name, found.email)
                except MustermError:
                    self._manager = Identity(_account_name())
            return self._manager

    def _configure_git(self) -> None:
        self.git.run(["config", "core.sharedRepository", "0600"])
        for key, value in {**diff_driver_config(), **durability_config()}.items():
            self.git.run(["config", key, value])
        self.git.run(["config", "core.quotePath", "false"])

    def refresh_diff_driver(self) -> None:
        """Point git's diff driver at the musterm running now, if .git/config names another; and have
        git fsync its commits in a repository musterm did not make (a clone), too."""
        wanted = {**diff_driver_config(), **durability_config()}
        listed = self.git.run(["config", "--null", "--get-regexp", r"^(diff\.musterm\.|core\.fsync)"], check=False).stdout
        # git names the keys in lower case here (core.fsyncmethod)
        current = dict(entry.split("\n", 1) for entry in listed.split("\0") if "\n" in entry)
        for key, value in wanted.items():
            if current.get(key.lower()) != value:
                self.git.run(["config", key, value], check=False)  # a read-only .git/config: keep the old

    def _check_is_sessions_repo(self) -> None:
        if not (self.root / MARKER).is_file():
            raise StoreError(
                f"{self.root} er et git-repo, men ikke et musterm-samtalearkiv (filen {MARKER} mangler). "
                "Vælg en anden mappe med --sessions."
            )

    def _check_writable(self) -> None:
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StoreError(f"Ingen skriveadgang til {self.root}. Intet er gemt; vælg en anden mappe med --sessions.")

    def _tighten_permissions(self) -> None:
        """Other users on a shared server must not read the archive, whatever the umask was: the
        top folder at once, and every entry inside when the repository came from elsewhere."""
        if os.stat(self.root).st_mode & 0o077:
            os.chmod(self.root, durable.DIR_MODE)
        tighten_if_needed(self.root, self.git.git_dir)

    # --- reading -----------------------------------------------------------------------------

    def path_of(self, relative: str) -> Path:
        checked = _checked_relative(relative)
        refuse_links(self.root, checked)
        return self.root / checked

    def load(self, relative: str) -> Session:
        from musterm.formats import session_file
        from musterm.formats.tomlsource import read_bytes

        file = self.path_of(relative)
        data = read_bytes(file, limits.SESSION_FILE_BYTES, "en samtale")
        session = session_file.load_bytes(data, file, self.committed_version(relative))
        with self._lock:
            self._known[relative] = _digest(data)
        return session

    def committed_version(self, relative: str) -> Callable[[], bytes | None]:
        """The file as in the last commit, read when asked: a file missing its end line is compared with it."""
        return lambda: self.git.read_blob("HEAD", _checked_relative(relative))

    def committed_versions(self, read: dict[str, bytes]) -> dict[str, Callable[[], bytes | None]]:
        """`committed_version` for many files read at once: the files without the end line (from an
        older musterm, or cut off) are read from the last commit with one git process, not one each.

        Whether a file has the end line is `has_end_line`'s question, the one `loads` asks: the end
        line's words anywhere in the bytes (a note about it, written on one line) are not the line."""
        from musterm.formats.session_file import has_end_line

        lacking = [relative for relative, data in read.items() if not has_end_line(data.decode("utf-8", "replace"))]
        versions = self.git.read_blobs("HEAD", [_checked_relative(relative) for relative in lacking]) if lacking else {}
        return {relative: (lambda version=versions.get(relative): version) for relative in read}

    @property
    def index(self) -> SessionIndex:
        """The derived index of this repository (`musterm.store.index`), opened on first use."""
        with self._lock:
            if self._index is None:
                from musterm.store.index import SessionIndex

                self._index = SessionIndex.for_root(self.root, self.git, self.writable)
            return self._index

    def refresh_index(self, progress: Progress | None = None) -> None:
        """Bring the index up to date with the files (only what git says changed is read)."""
        self.index.refresh(progress)

    def summaries(self, progress: Progress | None = None) -> list[Summary]:
        """Every conversation, newest first, from the index brought up to date."""
        self.refresh_index(progress)
        return [Summary(*row) for row in self.index.listing()]

    def find(self, target: str) -> str:
        """A conversation's relative path from a file path, a relative path, or an employee (latest)."""
        candidate = Path(target).expanduser()
        for path in (candidate, self.root / target):
            if path.is_file():
                return self.relative(path)
        folder = self._folder_at(candidate) or self.employee_folder(target)
        files = _session_names(self.root / folder)
        if not files:
            raise MustermError(f"{names.visible(target)} har ingen samtaler endnu.")
        return f"{folder}/{files[-1]}"

    def _folder_at(self, path: Path) -> str | None:
        """The employee folder that `path` names (like sessions/anna-sørensen/), if it is one."""
        if not path.is_dir():
            return None
        relative = Path(os.path.abspath(path))
        if relative.parent != self.root or relative.name.startswith("."):
            return None
        return relative.name

    def employee_folder(self, who: str) -> str:
        """The folder of an employee given by folder name, name or employee number."""
        who = names.visible(who)  # as names are stored: 'René' typed on a Mac is the same; printed safely
        wanted = who.strip().casefold()
        quick = self._folder_without_listing(who)
        if quick:
            return quick
        self.refresh_index()
        index = self.index
        for folders in (
            index.folders_where("folder", wanted),
            index.folders_where("employee", wanted),
            index.folders_where("number", wanted) if wanted else [],
            index.folders_where("folder", names.employee_folder(who)),
        ):
            if len(folders) == 1:
                return folders[0]
            if len(folders) > 1:
                raise MustermError(f"'{who}' passer på flere medarbejdere: {', '.join(folders)}. Brug mappenavnet.")
        raise MustermError(f"Ingen medarbejder hedder '{who}' i {self.root}.")

    def _folder_without_listing(self, who: str) -> str | None:
        """The employee's folder found from the folder names, each candidate checked against its
        newest conversation: the listing's stat() of every file (10,000 after ten years) would be
        most of `musterm open`'s start-up. None when that is not certain; the listing decides then.

        musterm names folders 'name' or 'name-number' (a second 'name' gets 'name-2'). An
        all-digit `who` is a number: no name can be meant instead.
        """
        wanted = who.strip().casefold()
        if not wanted:
            return None
        if not wanted.startswith(".") and "/" not in wanted and _session_names(self.root / wanted):
            return wanted
        if wanted.isdigit():
            return self._only_folder(lambda folder: folder.endswith(f"-{wanted}"), lambda s: s.number.casefold() == wanted)
        base = names.employee_folder(who)
        return self._only_folder(
            lambda folder: folder == base or folder.startswith(f"{base}-"), lambda s: s.employee.casefold() == wanted
        )

    def _only_folder(self, named: Callable[[str], bool], confirmed: Callable[[Summary], bool]) -> str | None:
        """The one folder whose name fits and whose newest conversation confirms it, if just one."""
        found = []
        for entry in os.scandir(self.root):
            if entry.name.startswith(".") or not named(entry.name) or not entry.is_dir(follow_symlinks=False):
                continue
            files = _session_names(Path(entry.path))
            if files and confirmed(summarize(self.root, f"{entry.name}/{files[-1]}")):
                found.append(entry.name)
        return found[0] if len(found) == 1 else None

    def relative(self, path: Path) -> str:
        resolved = Path(os.path.abspath(path))
        try:
            relative = resolved.relative_to(self.root)
        except ValueError:
            raise MustermError(f"{path} ligger ikke i samtalearkivet {self.root}.") from None
        return _checked_relative(relative.as_posix())

    def previous_session(self, employee: Person, date: dt.date) -> Session | None:
        """The employee's most recent conversation before `date`, for carrying its plan over."""
        from musterm.store.previous import previous_session

        return previous_session(self, employee, date)

    # --- writing -----------------------------------------------------------------------------

    def create(self, session: Session) -> str:
        """Write a new conversation into the employee's folder and commit it; its relative path.

        CommitFailed (with the file on disk) when git does not commit it.
        """
        return self.create_conversation(session).relative

    def create_conversation(self, session: Session) -> Creation:
        """As `create`, and whether exactly this conversation was there already.

        Exclusive across threads and processes: choosing the folder and the file name happens
        under a lock, and the file is linked into place only if its name is free. The same
        conversation again (a retry after git was busy, or two `musterm new` at once) is not
        made twice: the existing file is named, and committed if it was not.
        """
        self._require_writable()
        from musterm.formats import session_file

        data = session_file.dump_bytes(session)
        with self._lock, self._creating():
            folder = self._folder_for(session)
            refuse_links(self.root, folder)
            durable.make_private_dir(self.root / folder)
            relative, existed, lock = self._place_new_file(folder, session.date, data)
            self._known[relative] = _digest(data)
            self._committed.setdefault(relative, None)
        try:  # the lock keeps a tidy-up from committing the new file as a leftover meanwhile
            self.commit(relative, session, Event.CREATED)
        finally:
            if lock is not None:
                lock.release()
        return Creation(relative, existed)

    @contextlib.contextmanager
    def _creating(self) -> Iterator[None]:
        folder = self.git.git_dir / "musterm"
        durable.make_private_dirs(folder)
        with file_lock(folder / "create.lock"):
            yield

    def _place_new_file(self, folder: str, date: dt.date, data: bytes) -> tuple[str, bool, EditLock | None]:
        """The new file's path, whether it was there already, and a brief lock on it (None when
        the file that was there already is open in a musterm)."""
        base = self.root / folder
        taken = {entry.name for entry in os.scandir(base)}
        for name in sorted(taken):
            if names.is_session_file_of(date, name) and _read_or_none(base / name) == data:
                self.own_writes.record(f"{folder}/{name}", data)
                return f"{folder}/{name}", True, self._brief_lock_or_none(f"{folder}/{name}")
        while True:
            name = names.session_file(date, taken)
            taken.add(name)
            lock = self._brief_lock_or_none(f"{folder}/{name}")
            if lock is None:
                continue  # an open conversation's name, though its file is gone
            self.own_writes.record(f"{folder}/{name}", data)  # before the file, as in save()
            if durable.create_exclusive(base / name, data):
                return f"{folder}/{name}", False, lock
            lock.release()

    def _brief_lock_or_none(self, relative: str) -> EditLock | None:
        from musterm.store.editlock import SessionInUse

        try:
            return self.lock_for_editing(relative, brief=True)
        except SessionInUse:
            return None

    def _folder_for(self, session: Session) -> str:
        """The employee's existing folder (matched by name and number) or a new, unused one."""
        existing = self._existing_folder(session.employee)
        if existing:
            return existing
        preferred = names.employee_folder(session.employee.name, session.employee.number)
        folder, counter = preferred, 2
        refuse_links(self.root, folder)
        while (self.root / folder).exists():
            folder = f"{preferred}-{counter}"
            counter += 1
        return folder

    def _existing_folder(self, employee: Person) -> str | None:
        self.refresh_index()
        return self.index.folder_of(employee.name, employee.number)

    def save(self, relative: str, session: Session) -> bool:
        """Write the session atomically. False when the file already holds exactly this."""
        self._require_writable()
        from musterm.formats import session_file

        try:
            data = session_file.dump_bytes(session)
        except StoreError as beyond:
            raise StoreError(f"{relative} kan ikke gemmes: {beyond}. Den gamle fil er urørt.") from None
        file = self.path_of(relative)
        with self._lock:
            current = _read_or_none(file)
            if current == data:
                self._known[relative] = _digest(data)
                return False
            known = self._known.get(relative)
            if current is not None and known != _digest(current):
                raise SessionChanged(
                    f"{relative} er ændret udenfor dette vindue (fx af en anden musterm, en editor eller git) "
                    "siden den blev åbnet. Dine ændringer er ikke skrevet i filen, men er stadig på skærmen: "
                    "kopiér dem, og åbn samtalen igen."
                )
            durable.make_private_dir(file.parent)
            self.own_writes.record(relative, data)
            durable.write_atomic(file, data)
            self._known[relative] = _digest(data)
            self.index.put(relative, session, file)  # in the saving thread, never the UI's
        return True

    def commit(self, relative: str, session: Session, event: Event | None = None) -> bool:
        """Commit the saved file with a message saying what happened. False when nothing changed."""
        self._require_writable()
        before = self._last_committed(relative)
        event = event or describe_change(before, session)
        message = commit_message(session, event)
        author = Identity(session.manager.name, session.manager.email or self._email_of(session.manager.name))
        try:
            committed = self.git.commit_file(_checked_relative(relative), message, author)
        except CommitFailed as failed:
            failed.relative = relative
            raise
        with self._lock:
            self._committed[relative] = session.model_copy(deep=True)
        return committed

    def _email_of(self, name: str) -> str:
        """The e-mail for a conversation whose file has none: the manager's, if it is theirs."""
        return self.manager.email if name == self.manager.name else ""

    def _last_committed(self, relative: str) -> Session | None:
        with self._lock:
            if relative in self._committed:
                return self._committed[relative]
        from musterm.formats import session_file

        shown = self.git.read_blob("HEAD", relative)
        before = None
        if shown is not None:
            try:
                before = session_file.load_bytes(shown, relative)
            except FileError:
                before = None
        with self._lock:
            self._committed[relative] = before
        return before

    def lock_for_editing(self, relative: str, brief: bool = False) -> EditLock:
        """Claim a conversation for editing, like vim's swap file; raises SessionInUse when taken.

        `brief`: only for one write and commit (store/editlock.py), not for a person's editing.
        """
        from musterm.store.editlock import EditLock

        return EditLock.acquire(self.git.git_dir / "musterm" / "edit-locks", _checked_relative(relative), brief)

    def uncommitted_sessions(self) -> list[str]:
        """Conversation files that differ from the last commit (one `git status` for the whole archive)."""
        # No optional locks: a status that refreshes the index would take index.lock from a commit.
        status = self.git.run(["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all",
                               "--", "*.toml"])
        entries = iter(status.stdout.split("\0"))
        found = []
        for entry in entries:
            if len(entry) < 4:
                continue
            if entry[0] in "RC":  # staged by a person with git mv: theirs to commit
                next(entries, None)  # with -z, its source path follows as a field of its own
                continue
            relative = entry[3:]
            if relative.count("/") == 1 and _is_session_file(relative.split("/")[1]) and not relative.startswith("."):
                found.append(relative)
        return sorted(found)

    def commit_leftovers(self, held: Collection[str] = ()) -> Leftovers:
        """Commit what musterm saved but never committed; leave hand edits alone (store/recovery.py).

        `held`: conversations this process has open (their edit locks are its own).
        """
        from musterm.store.recovery import commit_leftovers

        self._require_writable()
        return commit_leftovers(self, held)

    def rescue(self, relative: str, session: Session) -> Path:
        """An emergency copy of text that could not be saved to its file, in .git/musterm/rescue/."""
        return write_rescue_copy(self, relative, session)

    def sweep_temp_files(self) -> list[Path]:
        """Remove temp files that a killed process left behind."""
        removed = durable.remove_temp_files(self.root)
        for entry in os.scandir(self.root):
            if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                removed += durable.remove_temp_files(Path(entry.path))
        return removed

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError("Samtalearkivet er åbnet skrivebeskyttet.")


# --- helpers -------------------------------------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_or_none(file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(durable.describe_os_error(error, file)) from error
