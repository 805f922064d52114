"""The conversation screen's saving: widgets edit the session in memory and tell the screen
something changed; the screen decides when to hand a snapshot to the autosaver (which writes
and commits in a worker thread) and shows the result in the status line."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import on
from textual.widgets import TextArea

from musterm.app.autosave import COMMIT, AutoSaver, SaveResult
from musterm.app.messages import Changed, SaveReported, ScoreChanged
from musterm.app.screens.base import MustermScreen
from musterm.app.tabs.base import Conversation
from musterm.app.widgets.note_area import NoteArea
from musterm.app.widgets.status_line import StatusLine
from musterm.model.session import Session
from musterm.store.editlock import EditLock
from musterm.store.events import Event


class SavingScreen(MustermScreen[None]):
    """A screen that edits one conversation and saves it as it goes (ConversationScreen)."""

    def __init__(
        self,
        conversation: Conversation,
        saver: AutoSaver | None,
        lock: EditLock | None,
    ) -> None:
        super().__init__()
        self.conversation = conversation
        self.saver = saver
        self.edit_lock = lock
        self.dirty_notes: set[NoteArea] = set()
        self.drafts: dict[object, Callable[[Session], None]] = {}
        """Text held by a dialog above this screen (a plan row being written), by its dialog: each
        puts its text into a snapshot, so every save, quit and hangup keeps it."""
        self._finished = False

    @property
    def session(self) -> Session:
        return self.conversation.session

    @on(Changed)
    def _changed(self) -> None:
        self._touched()

    @on(ScoreChanged)
    def _score_changed(self, message: ScoreChanged) -> None:
        for row in self.query("ScoreRow"):
            if row.question is message.question:
                row.refresh()
        self._touched()

    @on(TextArea.Changed)
    def _note_typed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if isinstance(area, NoteArea) and not area.read_only:
            self.dirty_notes.add(area)
            self._touched()

    def hold_draft(self, owner: object, apply: Callable[[Session], None]) -> None:
        """From now until `drop_draft(owner)`, every snapshot includes what `apply` puts into it."""
        self.drafts[owner] = apply

    def drop_draft(self, owner: object) -> None:
        """The dialog has closed; the next save writes the session without its draft."""
        if self.drafts.pop(owner, None) is not None:
            self._touched()

    def draft_changed(self) -> None:
        """Typed in a dialog's draft: save soon, as for a note."""
        self._touched()

    def _touched(self) -> None:
        if self.saver is None or self.conversation.read_only:
            return
        if not self.saver.dirty:
            self.query_one(StatusLine).show_unsaved()
        self.saver.touched(time.monotonic())

    def _tick(self) -> None:
        if self.saver is None:
            return
        now = time.monotonic()
        if self.saver.save_due(now):
            self.save_soon()
        elif self.saver.commit_due(now):
            self.save_soon(requested=True)

    def snapshot(self) -> Session:
        """Copy typed text into the session, and return a copy the worker may write."""
        for area in list(self.dirty_notes):
            area.sync()
            if not getattr(area.owner, area.attribute).strip():
                setattr(area.owner, area.attribute, "")  # blank lines are an empty note, not text
        self.dirty_notes.clear()
        snapshot = self.session.model_copy(deep=True)
        for apply in list(self.drafts.values()):
            apply(snapshot)
        return snapshot

    def save_soon(self, commit: Event | None = None, requested: bool = False) -> None:
        if self.saver is None or (self.conversation.read_only and commit is None):
            return
        self.saver.submit(self.snapshot(), time.monotonic(), commit=commit, commit_requested=requested)

    def flush(self, final: bool) -> SaveResult | None:
        """Save and commit now, in this thread; on `final`, also stop saving and release the lock
        (and text that cannot be saved goes to an emergency copy). Once finished, the final result."""
        if self.saver is None:
            return None
        if self._finished:
            return self.saver.final_result()
        # Every note, not only those whose change the screen has handled yet: a key drawn a moment
        # ago may still have its Changed message waiting in the queue.
        self.dirty_notes.update(area for area in self.query(NoteArea) if not area.read_only)
        result = self.saver.flush(self.snapshot(), final=final)
        if final:
            self._finish()
        return result

    def _finish(self) -> None:
        self._finished = True
        if self.saver is not None:
            self.saver.stop()
        if self.edit_lock is not None:
            self.edit_lock.release()

    def on_unmount(self) -> None:
        if not self._finished:
            self.flush(final=True)

    def report(self, result: SaveResult) -> None:
        """Called from the worker thread."""
        self.post_message(SaveReported(result))

    @on(SaveReported)
    def _save_reported(self, message: SaveReported) -> None:
        result = message.result
        status = next(iter(self.query(StatusLine)), None)  # None while the tabs are rebuilt (close, reopen)
        self._track_commit(result)
        if result.error:
            committing = result.stage == COMMIT
            if self.saver is not None and not committing:
                self.saver.note_failure(time.monotonic())
            if status is not None:
                status.show_failed("Gemt, ikke committet" if committing or result.saved_at else "IKKE GEMT")
            title = "Gemt, men ikke committet" if committing else "Kunne ikke gemme"
            self.notify(result.error, title=title, severity="error", timeout=15)
            if result.fatal:
                from musterm.app.screens.dialogs import Message as MessageDialog

                self.app.push_screen(MessageDialog("Samtalen er ændret et andet sted", result.error))
            return
        if status is None:
            return
        if result.stage == COMMIT:
            status.show_committed()
            return
        if result.saved_at is not None:
            status.show_saved(result.saved_at)
        elif self.saver is not None and not self.saver.dirty:
            status.show_nothing_to_save()

    def _track_commit(self, result: SaveResult) -> None:
        """Keep the app's list of conversations git did not commit, for what quitting says."""
        failures = getattr(self.app, "commit_failures", None)
        if failures is None or result.stage != COMMIT:
            return
        if result.error:
            failures.add(self.conversation.relative)
        else:
            failures.discard(self.conversation.relative)

    def unsaved_input(self) -> str:
        """Typed text that no save can keep (a date that is no date), in a Danish sentence; "" if none."""
        return ""

    def put_right(self) -> None:
        """Show the field that holds what `unsaved_input` names, with the focus in it."""

    def ask_before_leaving(self, then) -> bool:  # noqa: ANN001
        """If `unsaved_input` names something, ask whether to leave anyway (then `then()`) or stay
        and put it right; True when asking."""
        problem = self.unsaved_input()
        if not problem:
            return False
        from musterm.app.screens.dialogs import Choice

        def answered(answer: str | None) -> None:
            if answer == "leave":
                then()
            else:
                self.put_right()

        self.app.push_screen(
            Choice("Ikke gemt", f"{problem}\n\nHvis du lukker nu, går det, du skrev i feltet, tabt.",
                   [("stay", "Bliv og ret det"), ("leave", "Luk alligevel")], cancel="stay"),
            answered,
        )
        return True

    def _offer_to_stay(self, result: SaveResult, then) -> None:  # noqa: ANN001
        from musterm.app.screens.dialogs import Choice

        def answered(answer: str | None) -> None:
            if answer == "leave":
                self.flush(final=True)  # one more try, and an emergency copy if it fails again
                then()

        self.app.push_screen(
            Choice(
                "Kunne ikke gemme",
                f"{result.error}\n\nTeksten er stadig her på skærmen. Hvis du lukker nu, går det ikke-gemte tabt.",
                [("stay", "Bliv og prøv igen"), ("leave", "Luk alligevel")],
                cancel="stay",
            ),
            answered,
        )



def loses_text(result: SaveResult | None) -> bool:
    """Leaving now would lose typed text: the last save failed (a failed commit keeps it on disk,
    and the next start commits it)."""
    return result is not None and bool(result.error) and result.stage != COMMIT
