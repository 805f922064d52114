"""Messages that widgets post and screens handle: the widgets never import their screen."""

from __future__ import annotations

from textual.message import Message

from musterm.app.autosave import SaveResult
from musterm.model.session import QuestionRecord


class Changed(Message):
    """Something in the session changed (posted by tab widgets)."""


class SaveReported(Message):
    def __init__(self, result: SaveResult) -> None:
        super().__init__()
        self.result = result


class ScoreChanged(Message):
    """A question's agreed score changed (posted by its ScoreRow)."""

    def __init__(self, question: QuestionRecord) -> None:
        super().__init__()
        self.question = question
