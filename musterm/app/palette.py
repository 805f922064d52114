"""Command palette entries: jump to any theme or question, and the conversation's commands."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

Entry = tuple[str, str, Callable[[], object]]


class _EntriesProvider(Provider):
    """Palette entries from a list of (title, help, callback); subclasses say which."""

    def _entries(self) -> list[Entry]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class ConversationCommands(_EntriesProvider):
    """Typing part of a question's text finds it; the hit shows it in the Noter tab."""

    def _entries(self) -> list[Entry]:
        from musterm.app.screens.conversation import ConversationScreen

        screen = self.screen
        if not isinstance(screen, ConversationScreen):
            return []
        return [*screen.palette_commands(), *_navigation(screen)]


def _navigation(screen) -> list[Entry]:  # noqa: ANN001 - ConversationScreen
    entries: list[Entry] = []
    for theme in screen.session.themes:
        entries.append((f"Tema: {theme.title}", "Gå til temaet i fanen Noter", partial(screen.jump_to, theme.id, None)))
        for question in theme.questions:
            number = f"{question.number}. " if question.number else ""
            entries.append(
                (f"{number}{question.text}", f"Spørgsmål under {theme.title}", partial(screen.jump_to, theme.id, question.id))
            )
    entries.append(("Private noter", "Dine egne noter, som medarbejderen ikke får", partial(screen.jump_to, "", None, private=True)))
    return entries


class StartCommands(_EntriesProvider):
    def _entries(self) -> list[Entry]:
        screen = self.screen
        if not hasattr(screen, "palette_commands"):
            return []
        return screen.palette_commands()
