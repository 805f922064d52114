"""When to save and commit a conversation, and doing it off the UI thread.

The UI thread only records that something changed and hands over snapshots;
a worker thread writes them through the store. Saving follows typing closely
(a pause of IDLE_SECONDS, or at the latest MAX_DIRTY_SECONDS after the first
unsaved change), commits follow meaningful moments or COMMIT_EVERY_SECONDS.
Snapshots carry a sequence number so an older one can never overwrite a newer.

No Textual here: the screen feeds it the clock and the snapshots.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from musterm.errors import MustermError
from musterm.session import Session
from musterm.store import Event, SessionChanged, Store

IDLE_SECONDS = 0.75
MAX_DIRTY_SECONDS = 1.5
COMMIT_EVERY_SECONDS = 300.0
RETRY_AFTER_ERROR_SECONDS = 10.0


@dataclass(frozen=True)
class SaveResult:
    saved_at: dt.datetime | None
    committed: bool
    error: str = ""
    fatal: bool = False


@dataclass(frozen=True)
class _Job:
    seq: int
    session: Session
    commit: Event | None
    commit_requested: bool


class AutoSaver:
    def __init__(self, store: Store, relative: str, report: Callable[[SaveResult], None]):
        self.store = store
        self.relative = relative
        self._report = report
        self._condition = threading.Condition()
        self._pending: _Job | None = None
        self._seq = 0
        self._written_seq = 0
        self._write_lock = threading.Lock()
        self._stopped = False
        self.first_unsaved: float | None = None
        self.last_change: float | None = None
        # The file as opened is committed: the first periodic commit is due five minutes from now.
        self.last_commit: float = time.monotonic()
        self.uncommitted = False
        self.failed_at: float | None = None
        self.broken = False

    # --- UI thread: bookkeeping ------------------------------------------------------------

    def touched(self, now: float) -> None:
        if self.first_unsaved is None:
            self.first_unsaved = now
        self.last_change = now
        self.failed_at = None

    @property
    def dirty(self) -> bool:
        return self.first_unsaved is not None

    def save_due(self, now: float) -> bool:
        if self.first_unsaved is None or self.last_change is None or self.broken:
            return False
        if self.failed_at is not None and now - self.failed_at < RETRY_AFTER_ERROR_SECONDS:
            return False
        return now - self.last_change >= IDLE_SECONDS or now - self.first_unsaved >= MAX_DIRTY_SECONDS

    def commit_due(self, now: float) -> bool:
        return self.uncommitted and not self.broken and now - self.last_commit >= COMMIT_EVERY_SECONDS

    def submit(self, snapshot: Session, now: float, commit: Event | None = None, commit_requested: bool = False) -> None:
        """Queue a snapshot for the worker; a newer one replaces one not yet taken."""
        with self._condition:
            self._seq += 1
            previous = self._pending
            wants_commit = commit_requested or commit is not None or bool(previous and previous.commit_requested)
            event = commit or (previous.commit if previous else None)
            self._pending = _Job(self._seq, snapshot, event, wants_commit)
            self._condition.notify()
        self.first_unsaved = None
        if wants_commit:
            self.last_commit = now

    # --- worker thread -----------------------------------------------------------------------

    def run(self) -> None:
        """The worker's loop: take the newest snapshot, write it, report."""
        while True:
            with self._condition:
                while self._pending is None and not self._stopped:
                    self._condition.wait()
                if self._pending is None:
                    return
                job, self._pending = self._pending, None
            self._report(self._perform(job))

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify()

    def flush(self, snapshot: Session, event: Event | None = None) -> SaveResult:
        """Save and commit now, in the calling thread (quit, hangup): nothing may be left behind."""
        with self._condition:
            self._seq += 1
            job = _Job(self._seq, snapshot, event, True)
            self._pending = None
        result = self._perform(job)
        self.first_unsaved = None
        return result

    def _perform(self, job: _Job) -> SaveResult:
        with self._write_lock:
            if job.seq <= self._written_seq:
                return SaveResult(None, False)
            try:
                wrote = self.store.save(self.relative, job.session)
            except SessionChanged as error:
                self.broken = True
                return SaveResult(None, False, str(error), fatal=True)
            except MustermError as error:
                return SaveResult(None, False, str(error))
            self._written_seq = job.seq
            saved_at = dt.datetime.now() if wrote else None
            self.uncommitted = self.uncommitted or wrote
            if not job.commit_requested:
                return SaveResult(saved_at, False)
            try:
                self.store.commit(self.relative, job.session, job.commit)
            except MustermError as error:
                return SaveResult(saved_at, False, str(error))
            self.uncommitted = False
            return SaveResult(saved_at, True)

    def note_failure(self, now: float) -> None:
        self.failed_at = now
        if self.first_unsaved is None:
            self.first_unsaved = now
