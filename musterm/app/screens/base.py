"""What musterm's own screens share: the commands they offer (musterm.app.commands)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.screen import Screen, ScreenResultType

from musterm.app.commands import Command

Entry = tuple[str, str, Callable[[], object]]
"""A palette entry that is no command: its title, its help, and what choosing it does."""


class MustermScreen(Screen[ScreenResultType]):
    COMMAND_LIST: ClassVar[tuple[Command, ...]] = ()
    """The screen's commands; its BINDINGS are made from them (commands.bindings)."""

    def palette_entries(self) -> list[Entry]:
        """What the palette offers here besides the commands (a conversation's questions, themes)."""
        return []
