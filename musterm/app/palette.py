"""The command palette (ctrl+p): the commands that can run where you are, and what the screen
adds (jump to any theme or question of a conversation)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from musterm.app.commands import Command
from musterm.app.screens.base import Entry, MustermScreen


class ScreenCommands(Provider):
    """The palette's entries for a MustermScreen."""

    def _entries(self) -> list[Entry]:
        screen = self.screen
        if not isinstance(screen, MustermScreen):
            return []
        return [*command_entries(screen, screen.COMMAND_LIST), *screen.palette_entries()]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


def command_entries(screen: Screen, commands: Iterable[Command]) -> list[Entry]:
    """The commands with a palette title that can run now, each with its key (if it has one) after its help."""
    entries: list[Entry] = []
    for command in commands:
        if not command.palette or screen.check_action(command.action_name, command.parameters) is not True:
            continue
        key = key_for(screen, command)
        help_text = f"{command.help} ({key})" if key else command.help
        entries.append((command.palette, help_text, partial(screen.run_action, command.action)))
    return entries


def key_for(screen: Screen, command: Command) -> str:
    """The key that runs `command` on `screen` now, as the footer shows it (a key map may have moved it)."""
    for active in screen.active_bindings.values():
        if active.binding.id == command.id:
            return screen.app.get_key_display(active.binding)
    return ""
