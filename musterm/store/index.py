"""The derived index of a sessions repository: one SQLite file in `.git/musterm/` (0600, never committed).

It holds a row per conversation (what the listing shows, scores, plan rows, follow-up date)
and the text people wrote in it, compressed, with an FTS5 trigram index of that text folded
as search folds it (`fold`: NFC, then casefold). The files stay the truth: the index records
the commit it reflects and which uncommitted files it read (by mtime, size and inode), and
`refresh` re-reads only what git says changed since (`git diff --name-only` between the two
commits, either way, plus `git status`). A damaged index, or one of another format, is rebuilt
from the files. A sessions folder that is not a git repository (or whose `.git` cannot be
written) gets an index in memory, built from the files each time it is opened.

Several threads share one connection (under a lock); several processes share the file (a busy
timeout, and each batch of a refresh in one write transaction).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from musterm.store import durable
from musterm.store.index_git import changed_between, head_and_status, is_session_path, session_paths
from musterm.store.index_read import rows_of
from musterm.store.index_rows import Row, Text, read_row, row_of_session
from musterm.store.index_text import (Indexed, _body, _dictionary_from, _haystack_filter, _like_prefix, _pack_and_body,
                                      _require_trigrams, _status_label, _trigrams, _unpack, fold)

if TYPE_CHECKING:
    from musterm.model.session import Session
    from musterm.store.gitrepo import GitRepo

FORMAT = 7
"""Bump whenever the schema or what a row means changes: an index of another format is rebuilt.
4: the texts in their own table (`body`), so the listing reads small rows; 5: and folded too;
6: an index that covers the listing; 7: texts folded only where each letter keeps its bytes."""
FILE_NAME = "index.sqlite"

Progress = Callable[[int, int], None]
"""Called with (files done, files in all) while the index reads files."""

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE conversation (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    folder TEXT NOT NULL,
    employee TEXT NOT NULL,
    name TEXT NOT NULL,
    employee_key TEXT NOT NULL,
    number TEXT NOT NULL,
    date TEXT NOT NULL,
    time TEXT NOT NULL,
    framework TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT NOT NULL,
    damaged INTEGER NOT NULL,
    scores TEXT NOT NULL,
    plan_rows INTEGER NOT NULL,
    followup_date TEXT NOT NULL,
    haystack TEXT NOT NULL
);
CREATE TABLE body (id INTEGER PRIMARY KEY, texts BLOB NOT NULL);
CREATE INDEX conversation_folder ON conversation (folder, date);
-- Covering what the listing shows: `musterm list` reads the index alone, in its order.
CREATE INDEX conversation_newest ON conversation (
    date DESC, time DESC, path DESC, folder, employee, number, framework, status, error
);
-- In search's order: a search reads the conversations in it, without sorting their texts.
CREATE INDEX IF NOT EXISTS conversation_search ON conversation (employee_key, folder, date, path);
CREATE TABLE dictionary (id INTEGER PRIMARY KEY CHECK (id = 1), data BLOB NOT NULL);
CREATE TABLE dirty (path TEXT PRIMARY KEY, signature TEXT NOT NULL);
CREATE VIRTUAL TABLE text USING fts5 (
    body, content='', columnsize=0, detail='none', tokenize='trigram case_sensitive 1'
);
"""

_SEARCH_ORDER = next(line for line in _SCHEMA.splitlines() if "conversation_search" in line)


class IndexError_(Exception):
    """The index file cannot be used (damaged, of another format): it is rebuilt."""


class SessionIndex:
    def __init__(self, root: Path, git: GitRepo | None, file: Path | None):
        self.root = root
        self.git = git
        self.file = file
        self._lock = threading.RLock()
        self._dictionary: bytes | None = None
        self._connection = self._connect()

    @classmethod
    def for_root(cls, root: Path, git: GitRepo | None = None, writable: bool = True) -> SessionIndex:
        """The index of the repository at `root`: in its `.git/musterm/`, else in memory."""
        if git is not None and writable and (root / ".git").is_dir():
            folder = git.git_dir / "musterm"
            try:
                durable.make_private_dir(folder)
                if os.access(folder, os.W_OK):
                    return cls(root, git, folder / FILE_NAME)
            except (OSError, Exception):  # noqa: BLE001 - a folder we cannot make: the index lives in memory
                pass
        return cls(root, git if (root / ".git").is_dir() else None, None)

    # --- the file -----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        _require_trigrams()
        if self.file is None:
            connection = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            connection.executescript(_SCHEMA)
            self._set_meta(connection, {"format": str(FORMAT)})
            return connection
        try:
            return self._open_file()
        except (sqlite3.DatabaseError, IndexError_):
            self._remove_file()
            return self._open_file()

    def _open_file(self) -> sqlite3.Connection:
        assert self.file is not None
        # Created 0600 before SQLite opens it; SQLite gives its journal the same mode.
        descriptor = os.open(self.file, os.O_RDWR | os.O_CREAT, durable.FILE_MODE)
        os.close(descriptor)
        connection = sqlite3.connect(self.file, timeout=30.0, check_same_thread=False, isolation_level=None)
        try:
            # A rollback journal, not WAL: a process that only reads (`musterm list` with the index up
            # to date) then writes nothing at all, not even WAL's -shm file; writers take turns
            # with BEGIN IMMEDIATE and the busy timeout.
            connection.execute("PRAGMA journal_mode=DELETE")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("BEGIN IMMEDIATE")
            try:
                tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if not tables:
                    connection.executescript(_SCHEMA.replace(";\n", ";\n"))  # executescript commits: begin again
                    connection.execute("BEGIN IMMEDIATE")
                    self._set_meta(connection, {"format": str(FORMAT)})
                elif self._meta(connection).get("format") != str(FORMAT) or "conversation" not in tables:
                    raise IndexError_("another format")
                else:  # (added to format 7 later: an index, which earlier musterms keep up to date as well)
                    connection.execute(_SEARCH_ORDER)
                connection.execute("SELECT count(*) FROM conversation WHERE rowid = 1").fetchone()
                connection.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise
        except BaseException:
            connection.close()
            raise
        return connection

    def _remove_file(self) -> None:
        assert self.file is not None
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.file}{suffix}")

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @staticmethod
    def _meta(connection: sqlite3.Connection) -> dict[str, str]:
        return dict(connection.execute("SELECT key, value FROM meta"))

    @staticmethod
    def _set_meta(connection: sqlite3.Connection, values: dict[str, str]) -> None:
        connection.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", values.items())

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a damaged file found on the way is replaced by an empty index."""
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _reset(self) -> None:
        """Start again from an empty index (the file was damaged or of another format)."""
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._dictionary = None
            if self.file is not None:
                self._remove_file()
            self._connection = self._connect()

    # --- bringing it up to date ------------------------------------------------------------------

    def refresh(self, progress: Progress | None = None) -> None:
        """Bring the index up to date with the files: only what changed is read again."""
        try:
            self._refresh(progress)
        except sqlite3.DatabaseError:
            if self.file is None:
                raise
            self._reset()
            self._refresh(progress)

    def _refresh(self, progress: Progress | None) -> None:
        if self.git is None:
            self._rebuild(progress, head="", status={})
            return
        head, status = head_and_status(self.git, self.root)
        with self._lock:
            meta = self._meta(self._connection)
            dirty = dict(self._connection.execute("SELECT path, signature FROM dirty"))
        indexed = meta.get("commit")
        if indexed == head and dirty == status:
            return  # nothing changed since: one git process, two small queries
        if indexed is None or (indexed and not head):
            self._rebuild(progress, head, status)
            return
        changed: set[str] = set()
        if indexed != head:
            difference = changed_between(self.git, indexed, head)
            if difference is None:  # the indexed commit is gone (a new clone, a rewritten history)
                self._rebuild(progress, head, status)
                return
            changed |= difference
        changed |= set(status) | set(dirty)
        work = [
            relative
            for relative in sorted(changed)
            if is_session_path(relative) and not (relative in status and dirty.get(relative) == status[relative])
        ]  # (a file still uncommitted, and just as it was when it was read, is not read again)
        self._read_files(work, progress, head, status)

    def _read_files(self, paths: list[str], progress: Progress | None, head: str, status: dict[str, str]) -> None:
        total = len(paths)
        gone = False
        done = 0
        for rows in self._rows_of_files(paths, status):
            with self._writing() as connection:
                self._zdict(connection, [row for _, row in rows])
                existed = self._delete(connection, [relative for relative, _ in rows])
                self._insert(connection, [row for _, row in rows if row is not None])
                gone = gone or any(row is None and relative in existed for relative, row in rows)
            done += len(rows)
            if progress is not None:
                progress(done, total)
        with self._writing() as connection:
            self._finish(connection, head, status)
        if gone:
            self._purge()  # the text of a file that is gone must not stay in the file's free pages

    def _rows_of_files(self, paths: list[str], status: dict[str, str]) -> Iterator[list[tuple[str, Row | None]]]:
        """The rows of these files, a batch at a time. A file git has as committed is read in a batch
        (by worker processes when there are many); a changed one here, beside its committed version,
        so that a file that lost its end is told from an older one."""
        changed = [relative for relative in paths if relative in status]
        if changed:
            yield [(relative, read_row(self.root, relative, self._committed(relative, status))) for relative in changed]
        unchanged = [relative for relative in paths if relative not in status]
        if unchanged:
            yield from rows_of(self.root, unchanged, read_row)  # (read_row looked up now: tests count the reads)

    def _committed(self, relative: str, status: dict[str, str]) -> Callable[[], bytes | None] | None:
        """How to read a changed file's committed version (a file that lost its end line is compared
        with it); None for a file git says is as committed: then there is nothing to compare."""
        git = self.git
        if git is None or relative not in status:
            return None
        return lambda: git.read_blob("HEAD", relative)

    def _finish(self, connection: sqlite3.Connection, head: str, status: dict[str, str]) -> None:
        """Record what the index now reflects: the commit, and each uncommitted file as read."""
        connection.execute("DELETE FROM dirty")
        connection.executemany("INSERT INTO dirty (path, signature) VALUES (?, ?)", status.items())
        self._set_meta(connection, {"commit": head})

    def _rebuild(self, progress: Progress | None, head: str, status: dict[str, str]) -> None:
        paths = sorted(session_paths(self.root))
        self._dictionary = None
        with self._writing() as connection:
            connection.execute("DELETE FROM conversation")
            connection.execute("DELETE FROM body")
            connection.execute("DELETE FROM dictionary")
            connection.execute("DELETE FROM dirty")
            connection.execute("INSERT INTO text (text) VALUES ('delete-all')")
            connection.execute("DELETE FROM meta WHERE key = 'commit'")
        self._read_files(paths, progress, head, status)

    def put(self, relative: str, session: Session, file: Path) -> None:
        """After a save by this process: the conversation as saved, without reading the file again."""
        from musterm.store.index_rows import signature_of

        try:
            signature = signature_of(os.stat(file))
            row = row_of_session(relative, session, signature)
            with self._writing() as connection:
                if "commit" not in self._meta(connection):
                    return  # never built: the first refresh reads every file anyway
                self._delete(connection, [relative])
                self._insert(connection, [row])
                connection.execute("INSERT OR REPLACE INTO dirty (path, signature) VALUES (?, ?)", (relative, signature))
        except Exception:  # noqa: BLE001 - the index only saves time, a save must never fail for it
            pass  # the next refresh reads the file

    # --- rows ----------------------------------------------------------------------------------

    def _zdict(self, connection: sqlite3.Connection, rows: list[Row | None] = ()) -> bytes:
        """The preset dictionary every text blob is compressed with: zlib alone saves little on a
        few kB, the dictionary (the repository's own most common lines and field names, taken from
        the first files indexed and kept for the life of the index) saves most of it."""
        if self._dictionary is None:
            found = connection.execute("SELECT data FROM dictionary").fetchone()
            if found is None:
                data = _dictionary_from([row for row in rows if row is not None])
                connection.execute("INSERT INTO dictionary (id, data) VALUES (1, ?)", (data,))
                found = (data,)
            self._dictionary = found[0]
        return self._dictionary

    def _insert(self, connection: sqlite3.Connection, rows: list[Row]) -> None:
        """Rows of paths not in the index (deleted first), in a few statements."""
        if not rows:
            return
        dictionary = self._zdict(connection)
        (last,) = connection.execute("SELECT coalesce(max(id), 0) FROM conversation").fetchone()
        conversations, bodies, texts = [], [], []
        for identifier, row in enumerate(rows, start=last + 1):
            haystack = " ".join(
                (row.employee, row.folder, row.number, row.date, row.framework, _status_label(row.status))
            ).casefold()
            conversations.append((
                identifier, row.path, row.folder, row.employee, row.name, fold(row.name), row.number, row.date,
                row.time, row.framework, row.status, row.error, int(row.damaged), row.scores, row.plan_rows,
                row.followup_date, haystack,
            ))
            if row.texts:
                blob, body = _pack_and_body(list(row.texts), dictionary)
                bodies.append((identifier, blob))
                if not row.damaged:  # a damaged file's raw text is searched as it is, not through the trigrams
                    texts.append((identifier, body))
        connection.executemany(
            "INSERT INTO conversation (id, path, folder, employee, name, employee_key, number, date, time, framework,"
            " status, error, damaged, scores, plan_rows, followup_date, haystack)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            conversations,
        )
        connection.executemany("INSERT INTO body (id, texts) VALUES (?, ?)", bodies)
        connection.executemany("INSERT INTO text (rowid, body) VALUES (?, ?)", texts)

    def _delete(self, connection: sqlite3.Connection, paths: list[str]) -> set[str]:
        """Forget these paths' rows; the paths that had one."""
        found = []
        for start in range(0, len(paths), 500):  # (SQLite's limit on parameters)
            chunk = paths[start : start + 500]
            found += connection.execute(
                "SELECT c.id, c.path, c.damaged, b.texts FROM conversation c LEFT JOIN body b ON b.id = c.id"
                f" WHERE c.path IN ({', '.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        if not found:
            return set()
        # A contentless FTS5 table forgets a row only when given the very text it indexed.
        connection.executemany(
            "INSERT INTO text (text, rowid, body) VALUES ('delete', ?, ?)",
            [
                (identifier, _body(text.text for text in self._unpack(blob)))
                for identifier, _, damaged, blob in found
                if blob is not None and not damaged
            ],
        )
        identifiers = [(identifier,) for identifier, *_ in found]
        connection.executemany("DELETE FROM conversation WHERE id = ?", identifiers)
        connection.executemany("DELETE FROM body WHERE id = ?", identifiers)
        return {path for _, path, _, _ in found}

    def remove_folder(self, folder: str) -> int:
        """Forget every conversation of one employee folder (erasure, handover), leaving none of
        its text in the file: the FTS index is merged and the file vacuumed. The number removed."""
        with self._writing() as connection:
            paths = [path for (path,) in connection.execute("SELECT path FROM conversation WHERE folder = ?", (folder,))]
            self._delete(connection, paths)
            connection.execute("DELETE FROM dirty WHERE path LIKE ? ESCAPE '\\'", (_like_prefix(folder),))
        self._purge()
        return len(paths)

    def dictionary(self) -> bytes:
        """The preset compression dictionary: common lines of the first files indexed (erasure checks
        it for text of the employee it erases)."""
        with self._lock:
            found = self._connection.execute("SELECT data FROM dictionary").fetchone()
        return bytes(found[0]) if found else b""

    def reflects(self, head: str) -> None:
        """Record that the index reflects commit `head`: after a history rewrite that changed no file
        the index still holds (erasure, once remove_folder has forgotten the employee's folder)."""
        with self._writing() as connection:
            self._set_meta(connection, {"commit": head})

    def _purge(self) -> None:
        """Leave no text of deleted rows in the file: FTS5 keeps a deleted row's terms until its
        segments are merged ('optimize' merges them all), and SQLite keeps freed pages (VACUUM
        writes the file anew; the rollback journal it leaves is deleted)."""
        with self._writing() as connection:
            connection.execute("INSERT INTO text (text) VALUES ('optimize')")
        with self._lock:
            self._connection.execute("VACUUM")

    # --- reading -------------------------------------------------------------------------------

    def _rows(self, sql: str, parameters: Iterable[object] = ()) -> list[tuple]:
        with self._lock:
            return self._connection.execute(sql, tuple(parameters)).fetchall()

    def listing(self, words: Iterable[str] = (), offset: int = 0, limit: int = -1) -> list[tuple]:
        """(path, folder, employee, number, date, time, framework, status, error), newest first,
        of the conversations whose listing text holds every word."""
        where, parameters = _haystack_filter(words)
        return self._rows(
            "SELECT path, folder, employee, number, date, time, framework, status, error FROM conversation"
            f"{where} ORDER BY date DESC, time DESC, path DESC LIMIT ? OFFSET ?",
            [*parameters, limit, offset],
        )

    def latest_per_folder(self) -> list[tuple]:
        """The newest conversation of each employee folder, as `listing` gives rows."""
        return self._rows(
            "SELECT path, folder, employee, number, max(date), time, framework, status, error FROM conversation"
            " WHERE error = '' GROUP BY folder ORDER BY folder"
        )

    def count(self, words: Iterable[str] = ()) -> int:
        where, parameters = _haystack_filter(words)
        return self._rows(f"SELECT count(*) FROM conversation{where}", parameters)[0][0]

    def folders_where(self, column: str, value: str) -> list[str]:
        """The folders with a conversation whose `column` (employee, number, folder) is `value`, casefolded."""
        assert column in {"employee", "number", "folder"}
        rows = self._rows(f"SELECT DISTINCT folder, {column} FROM conversation")
        return sorted({folder for folder, text in rows if text.casefold() == value})

    def folder_of(self, employee: str, number: str) -> str | None:
        rows = self._rows(
            "SELECT folder FROM conversation WHERE employee = ? AND number = ? ORDER BY date DESC LIMIT 1",
            (employee, number),
        )
        return rows[0][0] if rows else None

    def search(
        self, parts: Iterable[str], *, folder: str | None = None, year: str | None = None
    ) -> Iterator[Indexed]:
        """Every conversation whose text may hold all the folded `parts` (it holds every three
        letters of each), in search's order: employee, folder, date, path. Damaged files come
        whatever the needle: their raw text is checked by the caller, as is everything else."""
        conditions, parameters = [], []
        if folder is not None:
            conditions.append("folder = ?")
            parameters.append(folder)
        if year is not None:
            conditions.append("substr(date, 1, 4) = ?")
            parameters.append(year)
        query = " AND ".join(_trigrams(part) for part in parts if len(part) >= 3)
        if query:
            conditions.append("(damaged OR id IN (SELECT rowid FROM text WHERE text MATCH ?))")
            parameters.append(query)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self._rows(
            f"SELECT path, folder, name, date, damaged, texts FROM conversation JOIN body USING (id){where}"
            " ORDER BY employee_key, folder, date, path",
            parameters,
        )
        for path, folder_name, employee, date, damaged, blob in rows:
            yield Indexed(path, folder_name, employee, date, bool(damaged), self._unpack_raw(blob))

    def _unpack_raw(self, blob: bytes) -> bytes:
        if self._dictionary is None:
            with self._lock:
                self._zdict(self._connection)
        assert self._dictionary is not None
        return _unpack(blob, self._dictionary)

    def _unpack(self, blob: bytes) -> list[Text]:
        return Indexed("", "", "", "", False, self._unpack_raw(blob)).texts

    def size_on_disk(self) -> int:
        if self.file is None:
            return 0
        return sum(os.path.getsize(f"{self.file}{suffix}") for suffix in ("", "-wal") if os.path.exists(f"{self.file}{suffix}"))
