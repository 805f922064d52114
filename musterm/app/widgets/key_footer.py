"""Textual's footer, rebuilt only when the keys it shows change.

Textual's Footer recomposes its keys after every change of the focus or of the bindings: five
times while a conversation opens (the tab bar gets the focus, then the note; the screen stack;
the keymap), each time unmounting and mounting a widget per key and styling them anew, though
the keys shown stay the same. This one skips a recompose that would show what it shows.

Except the first after `rebuild_next()`: a newly shown tab takes its focus once the footer is
rebuilt (callbacks after a refresh run in turn), and where the focused field is scrolled to
depends on the layout having settled by then; the conversation asks for it on every tab switch.
"""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - Footer's
        super().__init__(**kwargs)
        self._shown: tuple | None = None

    def _keys(self) -> tuple:
        """What compose() would show now: each binding's key as displayed, its text, whether it
        can run, its tooltip; and the footer's own settings."""
        app = self.app
        keys = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, binding.group,
             enabled, tooltip or binding.tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )
        return keys, self.compact, self.show_command_palette, app.ENABLE_COMMAND_PALETTE

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown and self.children:
            return
        await super().recompose()
        # Footer composes nothing until it has been told of the bindings once: remember what it
        # showed only when it showed keys.
        self._shown = keys if self.children else None

    def rebuild_next(self) -> None:
        """The next recompose rebuilds the keys even if they are the same (a tab switch)."""
        self._shown = None
