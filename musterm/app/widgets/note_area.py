"""A notes field bound to one text attribute of the session.

Typing only marks the area as changed (the screen collects changed areas); the
text is copied into the session when a save is prepared. That keeps each
keystroke cheap even in a very long note (and the wrapped document remembers its
height: app/textual_adapter.py).
"""

from __future__ import annotations

from musterm.app.textual_adapter import KeepsWrappedHeight
from musterm.app.widgets.steady import SteadyTextArea


class NoteArea(KeepsWrappedHeight, SteadyTextArea):
    HELP = """\
## Notefelt

Skriv frit; det står i samtalen, så snart du holder en pause.
"""

    def __init__(self, owner: object, attribute: str, label: str, *, read_only: bool = False, **kwargs) -> None:  # noqa: ANN003
        super().__init__(
            getattr(owner, attribute),
            soft_wrap=True,
            tab_behavior="focus",
            read_only=read_only,
            show_line_numbers=False,
            **kwargs,
        )
        self.owner = owner
        self.attribute = attribute
        self.border_title = label

    def sync(self) -> None:
        """Copy the text into the session."""
        setattr(self.owner, self.attribute, self.text)
