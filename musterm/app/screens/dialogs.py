"""Small modal dialogs: a message, a question with choices."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from musterm.app import commands
from musterm.app.unused_keys import ExplainsUnusedKeys


class Choice(ExplainsUnusedKeys, ModalScreen[str]):
    """A question with a few answers; each answer has a key. Escape answers `cancel`."""

    CSS_PATH = "dialogs.tcss"
    NO_TEXT_HERE = "Vælg et svar: tab eller pilene flytter, enter vælger, esc annullerer."
    BINDINGS = commands.bindings(*commands.CHOICE)

    def __init__(self, title: str, message: str, answers: list[tuple[str, str]], cancel: str = "cancel") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.answers = answers
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title")
            yield Static(self.message, id="dialog-message")
            with Horizontal(id="dialog-buttons"):
                for answer, label in self.answers:
                    yield Button(label, id=f"answer-{answer}", compact=True,
                                 variant="primary" if answer == self.answers[0][0] else "default")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("answer-"))

    def action_answer(self, answer: str) -> None:
        self.dismiss(self.cancel if answer == "cancel" else answer)


class Message(Choice):
    def __init__(self, title: str, message: str) -> None:
        super().__init__(title, message, [("ok", "OK")], cancel="ok")
