"""Text fields without a blinking cursor: a blink redraws twice a second, which costs over SSH."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Input, TextArea


class SteadyInput(Input):
    cursor_blink = reactive(False, init=False)


class SteadyTextArea(TextArea):
    cursor_blink: reactive[bool] = reactive(False, init=False)
