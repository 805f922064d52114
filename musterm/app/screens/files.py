"""Choosing where an export goes, and which filled-in form to read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from musterm.app import commands
from musterm.app.unused_keys import ExplainsUnusedKeys
from musterm.app.widgets.steady import SteadyInput
from musterm.errors import MustermError


class SaveOutputScreen(ExplainsUnusedKeys, ModalScreen[Path | None]):
    """Write a document, letter, form or calendar to a folder the user picks (never the archive)."""

    CSS_PATH = "files.tcss"
    BINDINGS = commands.bindings(*commands.SAVE_OUTPUT)
    HELP = "## Gem fil\n\nVælg mappe og filnavn. Filen må ikke ligge i samtalearkivet. **ctrl+s** eller **enter** gemmer."

    def __init__(self, title: str, folder: Path, filename: str, produce: Callable[[], bytes | str], sessions_root: Path):
        super().__init__()
        self.title_text = title
        self.folder = folder
        self.filename = filename
        self.produce = produce
        self.sessions_root = sessions_root

    def compose(self) -> ComposeResult:
        with Vertical(classes="file-dialog"):
            yield Static(self.title_text, classes="file-title")
            with Grid(classes="file-form"):
                yield Label("Mappe")
                yield SteadyInput(str(self.folder), id="folder", compact=True)
                yield Label("Filnavn")
                yield SteadyInput(self.filename, id="filename", compact=True)
            yield Static("", id="file-error", classes="file-error")
            with Horizontal(classes="file-buttons"):
                yield Button("Gem (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Annullér (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#filename", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        folder = Path(self.query_one("#folder", Input).value.strip() or ".").expanduser()
        filename = self.query_one("#filename", Input).value.strip()
        if not filename:
            self.query_one("#file-error", Static).update("Skriv et filnavn.")
            return
        self._write(folder / filename)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _write(self, target: Path) -> None:
        from musterm.documents.outputs import write_output

        try:
            written = write_output(target, self.produce(), self.sessions_root)
        except MustermError as error:
            self.app.call_from_thread(self.query_one("#file-error", Static).update, str(error))
            return
        self.app.call_from_thread(self.dismiss, written)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseFileScreen(ExplainsUnusedKeys, ModalScreen[Path | None]):
    """Ask for the path of an existing file (the employee's filled-in preparation form)."""

    CSS_PATH = "files.tcss"
    BINDINGS = commands.bindings(*commands.CHOOSE_FILE)

    def __init__(self, title: str, folder: Path, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.folder = folder
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="file-dialog"):
            yield Static(self.title_text, classes="file-title")
            if self.hint:
                yield Static(self.hint, classes="file-hint")
            with Grid(classes="file-form"):
                yield Label("Fil")
                yield SteadyInput(str(self.folder) + "/", id="path", compact=True)
            yield Static("", id="file-error", classes="file-error")
            with Horizontal(classes="file-buttons"):
                yield Button("Indlæs (enter)", id="choose", variant="primary", compact=True)
                yield Button("Annullér (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#choose")
    def _choose(self) -> None:
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.is_file():
            self.query_one("#file-error", Static).update(f"{path} findes ikke eller er ikke en fil.")
            return
        self.dismiss(path)

    def show_error(self, text: str) -> None:
        self.query_one("#file-error", Static).update(text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
