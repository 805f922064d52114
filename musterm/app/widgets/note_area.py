"""A notes field bound to one text attribute of the session.

Typing only marks the area as changed (the screen collects changed areas); the
text is copied into the session when a save is prepared. That keeps each
keystroke cheap even in a very long note.
"""

from __future__ import annotations

from textual.document._wrapped_document import WrappedDocument

from musterm.app.widgets.steady import SteadyTextArea


class _WrappedDocument(WrappedDocument):
    """Textual's wrapped document (textual is pinned), remembering its height between changes.

    TextArea asks for the height once for every row it draws, and Textual adds it up over every
    line each time: in a 2,000-line note that was a third of the work of each keystroke. Only
    wrap() and wrap_range() change the wrapping, so they forget the height.
    """

    _height: int | None = None

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        self._height = None
        super().wrap(width, tab_width)

    def wrap_range(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - as WrappedDocument.wrap_range
        self._height = None
        return super().wrap_range(*args, **kwargs)

    @property
    def height(self) -> int:
        if self._height is None:
            self._height = WrappedDocument.height.fget(self)
        return self._height


class NoteArea(SteadyTextArea):
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

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)
        self.wrapped_document.__class__ = _WrappedDocument

    def sync(self) -> None:
        """Copy the text into the session."""
        setattr(self.owner, self.attribute, self.text)
