"""The sessions repository: one folder per employee, one TOML file per conversation, all in git.

The app and the commands only ever talk to `Store`; it is the one place that
writes session files and runs git. Writes are atomic and durable, never land on
a file that changed on disk since it was read, and commits are serialised
across threads and processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from musterm.store import durable

from musterm.store import names
from musterm.errors import FileError, MustermError, StoreError
from musterm.store.gitrepo import GitRepo, Identity
from musterm.model.labels import STATUS_LABELS
from musterm.locations import sessions_readme_text

if TYPE_CHECKING:
    from musterm.store.editlock import EditLock
    from musterm.model.session import Person, Session

# The session model (pydantic) is imported where a session is read or written, not here:
# `musterm list` and the listing cache never need it (see tests/test_import_hygiene.py).
_SESSION_NAMES = ("PLAN_COLUMN_KEYS", "Session", "Status")

MARKER = ".musterm"
MARKER_TEXT = "# This folder is a musterm sessions repository.\nformat = 1\n"
GITIGNORE = "# Written by musterm: temp files of interrupted saves never belong in history.\n.*.musterm-tmp\n*.swp\n"
GITATTRIBUTES = (
    "# Written by musterm. Session files are text with LF endings; diffs use a readable rendering\n"
    "# when musterm is installed (diff.musterm.textconv in .git/config), plain TOML otherwise.\n"
    "*.toml text eol=lf diff=musterm\n"
)
TEXTCONV = (
    "musterm_textconv() {{ '{python}' -m musterm.documents.textconv \"$1\" 2>/dev/null || cat \"$1\"; }}; musterm_textconv"
)
INITIAL_FILES = {MARKER: MARKER_TEXT, ".gitignore": GITIGNORE, ".gitattributes": GITATTRIBUTES}
INDEX_VERSION = 3


class Event(StrEnum):
    CREATED = "created"
    STARTED = "started"
    HELD = "held"
    NOTES = "notes"
    SCORES = "scores"
    PLAN = "plan"
    FOLLOWUP = "followup"
    PREPARATION = "preparation"
    SIGNED = "signed"
    CLOSED = "closed"
    REOPENED = "reopened"
    RECOVERED = "recovered"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    Event.CREATED: "samtale oprettet",
    Event.STARTED: "samtale startet",
    Event.HELD: "samtale holdt",
    Event.NOTES: "noter opdateret",
    Event.SCORES: "scorer opdateret",
    Event.PLAN: "udviklingsplan ændret",
    Event.FOLLOWUP: "opfølgning på sidste plan opdateret",
    Event.PREPARATION: "medarbejderens forberedelse modtaget",
    Event.SIGNED: "underskrevet",
    Event.CLOSED: "samtale afsluttet",
    Event.REOPENED: "samtale genåbnet",
    Event.RECOVERED: "ændringer, der ikke nåede at blive committet, er committet",
}
EVENT_TRAILER = "Musterm-Event"


@dataclass(frozen=True, slots=True)
class Summary:
    """What a listing shows of one conversation, read cheaply and cached (slots: there are
    as many as there are conversations, 10,000 after ten years of a large department)."""

    path: str
    folder: str
    employee: str
    number: str
    date: str
    time: str
    framework: str
    status: str
    error: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class SessionChanged(StoreError):
    """The file on disk is not the one this process read: someone else wrote it."""


class Store:
    def __init__(self, root: Path, git: GitRepo, writable: bool):
        self.root = root
        self.git = git
        self.writable = writable
        self._known: dict[str, str] = {}
        self._committed: dict[str, Session | None] = {}
        self._lock = threading.RLock()

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, root: Path, *, writable: bool = True) -> Store:
        """Open (and on first use create) the sessions repository at `root`."""
        root = Path(os.path.abspath(root))
        _refuse_foreign_owner(root)
        if not (root / ".git").exists():
            if not writable:
                if not root.exists():
                    raise StoreError(f"Der er ingen samtaler endnu: {root} findes ikke.")
                raise StoreError(f"{root} er ikke et musterm-repo (der er ingen .git).")
            _refuse_non_empty(root)
            return cls._create(root)
        store = cls(root, GitRepo(root), writable)
        store._check_is_sessions_repo()
        if writable:
            store._check_writable()
            store._tighten_permissions()
        return store

    @classmethod
    def _create(cls, root: Path) -> Store:
        parent = root.parent
        if not parent.is_dir():
            raise StoreError(f"Kan ikke oprette {root}: mappen {parent} findes ikke.")
        store = cls(root, GitRepo(root), writable=True)
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
        with store.git.writer():
            store.git.run(["add", "--", *sorted(files)])
            store.git.run(
                ["-c", "commit.gpgsign=false", "commit", "--quiet", "-m", "Samtalearkiv oprettet af musterm"],
                env=store.git._identity_env(Identity(_account_name())),
            )
        return store

    def _configure_git(self) -> None:
        import sys

        self.git.run(["config", "core.sharedRepository", "0600"])
        self.git.run(["config", "diff.musterm.textconv", TEXTCONV.format(python=sys.executable)])
        # No cachetextconv: caching writes notes commits during `git log -p`, which fails on an
        # account without a git identity and would record the machine's name in the repository.
        self.git.run(["config", "diff.musterm.xfuncname", "^== .* ==$"])
        self.git.run(["config", "core.quotePath", "false"])

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
        """Other users on a shared server must not read the archive, whatever the umask was."""
        if os.stat(self.root).st_mode & 0o077:
            os.chmod(self.root, durable.DIR_MODE)

    # --- reading -----------------------------------------------------------------------------

    def path_of(self, relative: str) -> Path:
        return self.root / _checked_relative(relative)

    def load(self, relative: str) -> Session:
        from musterm.model import session as session_format

        from musterm.formats.tomlsource import read_bytes

        file = self.path_of(relative)
        data = read_bytes(file)
        session = session_format.load_bytes(data, file)
        with self._lock:
            self._known[relative] = _digest(data)
        return session

    def summaries(self) -> list[Summary]:
        """Every conversation, newest first, from a cache that is refreshed by file size and mtime."""
        return SummaryIndex(self).refresh()

    def find(self, target: str) -> str:
        """A conversation's relative path from a file path, a relative path, or an employee (latest)."""
        candidate = Path(target).expanduser()
        for path in (candidate, self.root / target):
            if path.is_file():
                return self.relative(path)
        folder = self._folder_at(candidate) or self.employee_folder(target)
        files = _session_names(self.root / folder)
        if not files:
            raise MustermError(f"{target} har ingen samtaler endnu.")
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
        wanted = who.strip().casefold()
        quick = self._folder_without_listing(who)
        if quick:
            return quick
        summaries = self.summaries()
        for test in (
            lambda s: s.folder.casefold() == wanted,
            lambda s: s.employee.casefold() == wanted,
            lambda s: bool(s.number) and s.number.casefold() == wanted,
            lambda s: s.folder.casefold() == names.employee_folder(who),
        ):
            folders = sorted({s.folder for s in summaries if test(s)})
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
        folder = self._existing_folder(employee)
        return self.latest_before(folder, date) if folder else None

    def latest_before(self, folder: str, date: dt.date) -> Session | None:
        earlier = [(rel, s) for rel, s in self._readable_sessions_of(folder) if s.date < date]
        return max(earlier, key=lambda pair: (pair[1].date, pair[0]))[1] if earlier else None

    def _readable_sessions_of(self, folder: str) -> Iterable[tuple[str, Session]]:
        from musterm.model import session as session_format

        base = self.root / folder
        found = []
        for name in _session_names(base):
            try:
                found.append((f"{folder}/{name}", session_format.load(base / name)))
            except FileError:
                continue
        return found

    # --- writing -----------------------------------------------------------------------------

    def create(self, session: Session) -> str:
        """Write a new conversation into the employee's folder and commit it."""
        self._require_writable()
        folder = self._folder_for(session)
        durable.make_private_dir(self.root / folder)
        with self._lock:
            taken = {entry.name for entry in os.scandir(self.root / folder)}
            relative = f"{folder}/{names.session_file(session.date, taken)}"
            self._known[relative] = _digest(b"")
            self._committed[relative] = None
            self.save(relative, session)
        self.commit(relative, session, Event.CREATED)
        return relative

    def _folder_for(self, session: Session) -> str:
        """The employee's existing folder (matched by name and number) or a new, unused one."""
        existing = self._existing_folder(session.employee)
        if existing:
            return existing
        preferred = names.employee_folder(session.employee.name, session.employee.number)
        folder, counter = preferred, 2
        while (self.root / folder).exists():
            folder = f"{preferred}-{counter}"
            counter += 1
        return folder

    def _existing_folder(self, employee: Person) -> str | None:
        for summary in self.summaries():
            if summary.employee == employee.name and summary.number == employee.number:
                return summary.folder
        return None

    def save(self, relative: str, session: Session) -> bool:
        """Write the session atomically. False when the file already holds exactly this."""
        self._require_writable()
        from musterm.model import session as session_format

        data = session_format.dump_bytes(session)
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
            durable.write_atomic(file, data)
            self._known[relative] = _digest(data)
        return True

    def commit(self, relative: str, session: Session, event: Event | None = None) -> bool:
        """Commit the saved file with a message saying what happened. False when nothing changed."""
        self._require_writable()
        before = self._last_committed(relative)
        event = event or describe_change(before, session)
        message = commit_message(session, event)
        author = Identity(session.manager.name, session.manager.email)
        committed = self.git.commit_file(_checked_relative(relative), message, author)
        with self._lock:
            self._committed[relative] = session.model_copy(deep=True)
        return committed

    def _last_committed(self, relative: str) -> Session | None:
        with self._lock:
            if relative in self._committed:
                return self._committed[relative]
        from musterm.model import session as session_format

        shown = self.git.run(["show", f"HEAD:{relative}"], check=False)
        before = None
        if shown.ok:
            try:
                before = session_format.loads(shown.stdout, relative)
            except FileError:
                before = None
        with self._lock:
            self._committed[relative] = before
        return before

    def lock_for_editing(self, relative: str) -> EditLock:
        """Claim a conversation for editing, like vim's swap file; raises SessionInUse when taken."""
        from musterm.store.editlock import EditLock

        return EditLock.acquire(self.git.git_dir / "musterm" / "edit-locks", _checked_relative(relative))

    def uncommitted_sessions(self) -> list[str]:
        """Conversation files that differ from the last commit (one `git status` for the whole archive)."""
        status = self.git.run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "*.toml"])
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

    def commit_leftovers(self) -> list[str]:
        """Commit conversations saved but never committed (a hangup while git was busy, a kill -9).

        A conversation open in another musterm is left to it, and a file that does not load
        (damaged, or a hand edit gone wrong) is left for a person to look at.
        """
        from musterm.model import session as session_format

        self._require_writable()
        committed = []
        for relative in self.uncommitted_sessions():
            try:
                lock = self.lock_for_editing(relative)
            except StoreError:
                continue
            try:
                session = session_format.load(self.path_of(relative))
                if self.commit(relative, session, Event.RECOVERED):
                    committed.append(relative)
            except (FileError, StoreError):
                continue
            finally:
                lock.release()
        return committed

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


# --- the listing cache ---------------------------------------------------------------------------


class SummaryIndex:
    """Summaries of all sessions, kept in .git/musterm/index.json and refreshed by stat()."""

    def __init__(self, store: Store):
        self.store = store
        self.file = store.git.git_dir / "musterm" / "index.json"

    def refresh(self) -> list[Summary]:
        cached = self._read_cache()
        fresh: dict[str, tuple[int, int, int, dict[str, str]]] = {}
        changed = False
        for relative, stat in self._session_files():
            # The inode too: every save replaces the file, and two saves within the
            # filesystem's timestamp granularity can leave mtime and size alike.
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            old = cached.get(relative)
            if old is not None and tuple(old[:3]) == key:
                fresh[relative] = old
                continue
            fresh[relative] = (*key, asdict(summarize(self.store.root, relative)))
            changed = True
        if changed or len(fresh) != len(cached):
            self._write_cache(fresh)
        summaries = [Summary(**entry[3]) for entry in fresh.values()]
        return sorted(summaries, key=lambda s: (s.date, s.time, s.path), reverse=True)

    def _session_files(self) -> Iterable[tuple[str, os.stat_result]]:
        root = self.store.root
        for folder in os.scandir(root):
            if folder.name.startswith(".") or not folder.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(folder.path):
                if _is_session_file(entry.name) and entry.is_file(follow_symlinks=False):
                    yield f"{folder.name}/{entry.name}", entry.stat()

    def _read_cache(self) -> dict[str, tuple[int, int, int, dict[str, str]]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        sessions = data.get("sessions")
        if not isinstance(sessions, dict):
            return {}
        return {
            path: tuple(entry)
            for path, entry in sessions.items()
            if isinstance(entry, list) and len(entry) == 4 and isinstance(entry[3], dict)
        }

    def _write_cache(self, entries: dict[str, tuple[int, int, int, dict[str, str]]]) -> None:
        if not self.store.writable:
            return
        try:
            durable.make_private_dir(self.file.parent)
            payload = json.dumps({"version": INDEX_VERSION, "sessions": entries}, ensure_ascii=False)
            durable.write_atomic(self.file, payload.encode("utf-8"))
        except (StoreError, OSError):
            pass  # the cache only saves time; listing works without it


def summarize(root: Path, relative: str) -> Summary:
    """A summary from the head of the file (everything before the themes), or the error that stops it."""
    folder = relative.split("/", 1)[0]
    file = root / relative
    try:
        text = (root / relative).read_bytes().decode("utf-8")
        data = tomllib.loads(_head_of(text))
        if not {"framework", "employee", "date"} <= data.keys():
            data = tomllib.loads(text)
        employee = data.get("employee", {})
        when = data.get("time")
        from musterm.model.session import one_line as clean  # the listing goes to a terminal: no control characters

        return Summary(
            path=relative,
            folder=folder,
            employee=clean(str(employee.get("name", folder))),
            number=clean(str(employee.get("number", ""))),
            date=clean(str(data.get("date", ""))),
            time=when.strftime("%H:%M") if isinstance(when, dt.time) else "",
            framework=clean(str(data.get("framework", {}).get("id", ""))),
            status=clean(str(data.get("status", ""))),
        )
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError) as error:
        return Summary(relative, folder, folder, "", file.stem[:10], "", "", "", error=_damage(file, error))


def _damage(file: Path, error: Exception) -> str:
    """What is wrong with a file the listing could not read, in the words `musterm show` would use."""
    if isinstance(error, OSError):
        return f"kan ikke læses: {error.strerror or error}"
    from musterm.model import session as session_format

    try:
        session_format.load(file)
    except FileError as refused:
        problem = refused.problems[0]
        where = f" (linje {problem.line})" if problem.line else ""
        return f"beskadiget{where}: {problem.message}"
    except OSError as unreadable:
        return f"kan ikke læses: {unreadable.strerror or unreadable}"
    return f"beskadiget: {error}"


def _head_of(text: str) -> str:
    for marker in ("\n[preparation]", "\n[[followup]]", "\n[[themes]]", "\n[plan"):
        index = text.find(marker)
        if index >= 0:
            text = text[:index]
    return text


# --- commit messages -----------------------------------------------------------------------------


def describe_change(before: Session | None, after: Session) -> Event:
    """The most important thing that changed between two versions of a conversation."""
    from musterm.model.session import Status

    if before is None:
        return Event.CREATED
    if before.status != after.status:
        return {
            Status.HELD: Event.HELD,
            Status.CLOSED: Event.CLOSED,
            Status.REOPENED: Event.REOPENED,
        }.get(after.status, Event.NOTES)
    if before.started is None and after.started is not None:
        return Event.STARTED
    if before.plan != after.plan:
        return Event.PLAN
    if before.followup != after.followup:
        return Event.FOLLOWUP
    if (before.closing.leader_signed, before.closing.employee_signed) != (
        after.closing.leader_signed,
        after.closing.employee_signed,
    ):
        return Event.SIGNED
    if _scores(before) != _scores(after):
        return Event.SCORES
    if _own_answers(before) != _own_answers(after) or before.preparation.employee_notes != after.preparation.employee_notes:
        return Event.PREPARATION
    return Event.NOTES


def _scores(session: Session) -> list[int | None]:
    return [question.score for _, question in session.questions()]


def _own_answers(session: Session) -> list[tuple[int | None, str]]:
    return [(question.own_score, question.employee_notes) for _, question in session.questions()]


def commit_message(session: Session, event: Event) -> str:
    subject = f"{session.employee.name} {session.date.isoformat()}: {event.label}"
    framework = f"{session.framework.name} (version {session.framework.version})"
    return f"{subject}\n\nRamme: {framework}\nStatus: {session.status.label}\n\n{EVENT_TRAILER}: {event.value}\n"


# --- helpers -------------------------------------------------------------------------------------


def _is_session_file(name: str) -> bool:
    return name.endswith(".toml") and not name.startswith(".")


def _session_names(folder: Path) -> list[str]:
    """The conversation files in an employee folder, oldest first (they are named by date);
    none when the folder is missing or unreadable."""
    try:
        return sorted(entry.name for entry in os.scandir(folder) if _is_session_file(entry.name))
    except (OSError, ValueError):  # ValueError: a NUL in a name typed on the command line
        return []


def _checked_relative(relative: str) -> str:
    """Refuse paths that could leave the repository or hide files."""
    parts = relative.replace("\\", "/").split("/")
    if (
        not relative
        or relative.startswith("/")
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
        or any(ord(char) < 32 for char in relative)
    ):
        raise MustermError(f"Ugyldig sti i samtalearkivet: {relative!r}")
    return "/".join(parts)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_or_none(file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(durable.describe_os_error(error, file)) from error


def _refuse_foreign_owner(root: Path) -> None:
    try:
        owner = os.stat(root).st_uid
    except FileNotFoundError:
        return
    except PermissionError:
        raise StoreError(f"Ingen adgang til {root}: mappen tilhører en anden bruger.") from None
    if owner != os.getuid():
        raise StoreError(
            f"{root} tilhører en anden bruger. Samtaler er fortrolige: brug din egen mappe med --sessions."
        )


def _refuse_non_empty(root: Path) -> None:
    """Only an empty folder (or the project's sessions/ with its README) becomes a new archive."""
    if not root.exists():
        return
    if not root.is_dir():
        raise StoreError(f"{root} er en fil, ikke en mappe.")
    others = sorted(entry.name for entry in os.scandir(root) if entry.name not in ("README.md",))
    if others:
        shown = ", ".join(others[:5])
        raise StoreError(
            f"{root} er ikke et git-repo og er ikke tom ({shown}). musterm skriver ikke i den; "
            "vælg en tom eller ny mappe med --sessions."
        )


def _account_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "musterm"


def __getattr__(name: str) -> Any:  # noqa: ANN401 - PEP 562: the model's names, imported on first use
    if name in _SESSION_NAMES:
        from musterm.model import session as session_format

        return getattr(session_format, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["PLAN_COLUMN_KEYS", "Event", "SessionChanged", "Store", "Summary", "commit_message", "describe_change"]
