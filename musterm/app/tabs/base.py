"""What the conversation's tabs share: the conversation they edit, and how a tab takes the focus."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.widgets import TabbedContent, TabPane

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


def _focus_tab(container) -> None:  # noqa: ANN001 - a tab's widget
    """Give a tab its usual focus, unless another tab was chosen since this was asked for: keys
    typed ahead (F4 right after opening) are handled first, and focusing a field in a hidden
    tab would switch back to it."""
    pane = container.parent
    if isinstance(pane, TabPane) and container.screen.query_one(TabbedContent).active != pane.id:
        return
    getattr(container, "focus_default", partial(_focus_first_field, container))()


def _focus_first_field(container) -> None:  # noqa: ANN001 - a tab's widget
    """Give a newly shown tab the focus, unless something in it has it already."""
    focused = container.screen.focused
    if focused is not None and container in focused.ancestors_with_self:
        return
    for widget in container.query("*"):
        if widget.focusable and widget.display:
            widget.focus()
            return

