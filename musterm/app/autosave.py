"""When to save and commit a conversation, and doing it off the UI thread.

The UI thread only records that something changed and hands over snapshots.
One worker writes them through the store; another commits. They are separate
because a commit can wait up to 15 s for another git's index.lock, and saving
what is typed meanwhile must not wait with it.

Saving follows typing closely (a pause of IDLE_SECONDS, or at the latest
MAX_DIRTY_SECONDS after the first unsaved change), commits follow meaningful
moments or COMMIT_EVERY_SECONDS. Snapshots carry a sequence number so an older
one can never overwrite a newer. No Textual here: the screen feeds it the
clock and the snapshots.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from musterm.errors import MustermError
from musterm.model.session import Session
from musterm.store.events import Event
from musterm.store.gitrepo import CommitFailed
from musterm.store.repository import SessionChanged, Store

IDLE_SECONDS = 0.75
MAX_DIRTY_SECONDS = 1.5
COMMIT_EVERY_SECONDS = 300.0
RETRY_AFTER_ERROR_SECONDS = 10.0

SAVE = "save"
COMMIT = "commit"

# Events that say more than "notes changed"; a later request must not replace them.
_NAMED_EVENTS = {Event.CREATED, Event.STARTED, Event.HELD, Event.CLOSED, Event.REOPENED, Event.PREPARATION}


@dataclass(frozen=True)
class SaveResult:
    saved_at: dt.datetime | None
    committed: bool
    error: str = ""
    fatal: bool = False
    stage: str = SAVE
    reason: str = ""
    """Why a commit failed, in a few words (for the exit message)."""
    rescued: str = ""
    """Where the text went when the final save failed: an emergency copy in .git/musterm/rescue."""
    rescue_error: str = ""


@dataclass(frozen=True)
class _Job:
    seq: int
    session: Session
    commit: Event | None
    commit_requested: bool


@dataclass(frozen=True)
class _CommitJob:
    session: Session
    event: Event | None


class AutoSaver:
    def __init__(self, store: Store, relative: str, report: Callable[[SaveResult], None]):
        self.store = store
        self.relative = relative
        self._report = report
        self._condition = threading.Condition()
        self._pending: _Job | None = None
        self._pending_commit: _CommitJob | None = None
        self._seq = 0
        self._written_seq = 0
        self._last_written: Session | None = None
        self._write_lock = threading.Lock()
        self._stopped = False
        self.first_unsaved: float | None = None
        self.last_change: float | None = None
        # The periodic commit counts from the start, not from 0, or it would fire at the first save.
        self.last_commit: float = time.monotonic()
        self.uncommitted = False
        self.commit_failed = False
        self.failed_at: float | None = None
        self.broken = False
        self._final: SaveResult | None = None
        self._final_stage = ""

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
        """Queue a snapshot for the save worker; a newer one replaces one not yet taken."""
        with self._condition:
            self._seq += 1
            previous = self._pending
            wants_commit = commit_requested or commit is not None or bool(previous and previous.commit_requested)
            event = _stronger(previous.commit if previous else None, commit)
            self._pending = _Job(self._seq, snapshot, event, wants_commit)
            self._condition.notify_all()
        self.first_unsaved = None
        if wants_commit:
            self.last_commit = now

    def note_failure(self, now: float) -> None:
        self.failed_at = now
        if self.first_unsaved is None:
            self.first_unsaved = now

    # --- worker threads ----------------------------------------------------------------------

    def run(self) -> None:
        """The save worker: take the newest snapshot, write it, pass commits on, report."""
        while True:
            with self._condition:
                while self._pending is None and not self._stopped:
                    self._condition.wait()
                if self._pending is None:
                    return
                job, self._pending = self._pending, None
            result = self._save(job)
            # After a failed commit every save tries again: the message promised "at the next save".
            if (job.commit_requested or self.commit_failed) and not result.error:
                self._queue_commit(job)
            self._report(result)

    def run_commits(self) -> None:
        """The commit worker: commit the newest saved snapshot; may wait for a busy git."""
        while True:
            with self._condition:
                while self._pending_commit is None and not self._stopped:
                    self._condition.wait()
                if self._pending_commit is None:
                    return
                job, self._pending_commit = self._pending_commit, None
            result = self._commit(job)
            if result.error or result.committed:
                self._report(result)

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    def flush(self, snapshot: Session, event: Event | None = None, final: bool = False) -> SaveResult:
        """Save and commit now, in the calling thread (quit, hangup): nothing may be left behind.

        On `final`, text that cannot be saved to its file goes to an emergency copy.
        """
        with self._condition:
            self._seq += 1
            job = _Job(self._seq, snapshot, event, True)
            queued = self._pending_commit
            self._pending = None
            self._pending_commit = None
        self._final_stage = "saving" if final else ""
        saved = self._save(job)
        self.first_unsaved = None
        if saved.error:
            result = self._rescue(snapshot, saved) if final else saved
        else:
            self._final_stage = "committing" if final else ""
            committed = self._commit(_CommitJob(snapshot, _stronger(queued.event if queued else None, event)))
            result = SaveResult(saved.saved_at, committed.committed, committed.error,
                                stage=committed.stage if committed.error else SAVE, reason=committed.reason)
        if final:
            self._final, self._final_stage = result, "done"
        return result

    def final_result(self) -> SaveResult | None:
        """What the final flush has achieved so far (for a deadline that cannot wait for it)."""
        if self._final_stage == "done":
            return self._final
        if self._final_stage == "committing":
            reason = "git nåede det ikke inden for fristen"
            return SaveResult(None, False, reason, stage=COMMIT, reason=reason)
        if self._final_stage == "saving" or self.dirty:
            return SaveResult(None, False, "musterm nåede ikke at gemme inden for fristen")
        if self.uncommitted:
            reason = "musterm nåede det ikke inden for fristen"
            return SaveResult(None, False, reason, stage=COMMIT, reason=reason)
        return None

    def _rescue(self, snapshot: Session, failed: SaveResult) -> SaveResult:
        try:
            path = self.store.rescue(self.relative, snapshot)
        except MustermError as error:
            return SaveResult(None, False, failed.error, failed.fatal, rescue_error=str(error))
        return SaveResult(None, False, failed.error, failed.fatal, rescued=str(path))

    def _queue_commit(self, job: _Job) -> None:
        with self._condition:
            earlier = self._pending_commit
            self._pending_commit = _CommitJob(job.session, _stronger(earlier.event if earlier else None, job.commit))
            self._condition.notify_all()

    def _save(self, job: _Job) -> SaveResult:
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
            self._last_written = job.session
            self.uncommitted = self.uncommitted or wrote
            return SaveResult(dt.datetime.now() if wrote else None, False)

    def _commit(self, job: _CommitJob) -> SaveResult:
        with self._write_lock:
            written_seq = self._written_seq
            session = self._last_written or job.session
        try:
            committed = self.store.commit(self.relative, session, job.event)
        except MustermError as error:
            self.commit_failed = True
            reason = error.reason if isinstance(error, CommitFailed) else str(error)
            return SaveResult(None, False, str(error), stage=COMMIT, reason=reason)
        self.commit_failed = False
        with self._write_lock:
            if self._written_seq == written_seq:
                self.uncommitted = False
        return SaveResult(None, committed, stage=COMMIT)


def _stronger(earlier: Event | None, later: Event | None) -> Event | None:
    """When two commit requests merge, keep the one that names what happened."""
    if later is None or earlier in _NAMED_EVENTS and later not in _NAMED_EVENTS:
        return earlier
    return later
