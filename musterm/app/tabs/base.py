"""What the conversation's tabs share: the conversation they edit, and how a tab takes the focus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from musterm.app.messages import Changed
from musterm.model.framework import Framework
from musterm.model.session import Session


@dataclass
class Conversation:
    """What the tabs share: the session being edited and what it was made from."""

    relative: str
    session: Session
    framework: Framework | None
    read_only: bool
    history: object | None = None


class ConversationTab:
    """One tab of the conversation. Mixed in before the tab's Textual container
    (`class ScoringTab(ConversationTab, VerticalScroll)`), so each tab keeps its own layout,
    focus and scrolling; the screen talks to every tab through these methods. (The methods
    use the container's: self.screen, self.query, self.post_message.)"""

    has_questions: ClassVar[bool] = False
    """F7/F8 step through this tab's questions (step_question)."""

    def __init__(self, conversation: Conversation, **kwargs) -> None:  # noqa: ANN003 - the container's
        super().__init__(**kwargs)
        self.conversation = conversation

    def on_shown(self) -> None:
        """The tab was just chosen: bring what it shows up to date."""

    def step_question(self, step: int) -> None:
        """Go to the previous (-1) or next (1) question; only where `has_questions`."""

    def focus_default(self) -> None:
        """Give a newly shown tab the focus, unless something in it has it already."""
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors_with_self:
            return
        for widget in self.query("*"):
            if widget.focusable and widget.display:
                widget.focus()
                return

    def take_focus(self) -> None:
        """Give the tab its usual focus, once it is shown (keys typed behind the tab key wait for
        this: app/keygate.py)."""
        self.focus_default()

    def changed(self) -> None:
        """Something in the session changed: the screen saves it soon."""
        self.post_message(Changed())

