"""The line that always says who, which framework, how long, and whether everything is saved.

The saved state sits on the right and never gets cut off; the left part is
shortened with an ellipsis when the terminal is narrow.
"""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static


class StatusLine(Horizontal):
    saved_state: reactive[str] = reactive("")
    elapsed: reactive[str] = reactive("")
    remote: reactive[str] = reactive("")
    """Where the repository stands against its remote ('' without one): 'fjernrepo: ↑2 at skubbe'."""

    def __init__(self, employee: str, framework: str, status: str, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.employee = employee
        self.framework = framework
        self.status = status
        self._last_saved = "Gemt"

    def compose(self) -> ComposeResult:
        yield Static(self._left_text(), id="status-left")
        yield Static(self._right_text(), id="status-right")

    def _left_text(self) -> str:
        return " │ ".join(part for part in (self.employee, self.framework) if part)

    def _right_text(self) -> str:
        return " │ ".join(part for part in (self.remote, self.status, self.elapsed, self.saved_state) if part)

    def _update(self) -> None:
        # A save can be reported while the line is being (re)built: its parts compose with the
        # newest text then, so there is nothing to update yet.
        for right in self.query("#status-right").results(Static):
            right.update(self._right_text())

    def watch_saved_state(self) -> None:
        self._update()

    def watch_elapsed(self) -> None:
        self._update()

    def watch_remote(self) -> None:
        self._update()

    def show_saved(self, at: dt.datetime) -> None:
        self.remove_class("unsaved", "failed")
        self.saved_state = self._last_saved = f"Gemt {at:%H:%M}"

    def show_committed(self) -> None:
        """A commit went through: a commit failure shown before is over."""
        if self.has_class("failed") and self.saved_state == "Gemt, ikke committet":
            self.remove_class("failed")
            self.saved_state = self._last_saved

    def show_nothing_to_save(self) -> None:
        """A save found the file already up to date: back to whatever was last shown as saved."""
        if self.has_class("unsaved"):
            self.remove_class("unsaved")
            self.saved_state = self._last_saved

    def show_unsaved(self) -> None:
        if not self.has_class("failed"):
            self.add_class("unsaved")
            self.saved_state = "Gemmer …"

    def show_failed(self, short: str = "IKKE GEMT") -> None:
        self.add_class("failed")
        self.saved_state = short

    def show_status(self, status: str) -> None:
        self.status = status
        self._update()


def format_elapsed(started: dt.datetime | None, now: dt.datetime) -> str:
    if started is None:
        return "ikke startet"
    minutes = max(0, int((now - started).total_seconds() // 60))
    return f"{minutes // 60}:{minutes % 60:02d}"
