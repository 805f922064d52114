"""Radio buttons and checkboxes whose state shows by a mark, not only by its colour.

Textual draws a radio button ● and a checkbox X whether chosen or not, and tells them apart by
colour alone: on a monochrome terminal, or to a colour-blind manager, every option looks chosen.
Here the mark is there only when the option is chosen.
"""

from __future__ import annotations

from textual.widgets import Checkbox as TextualCheckbox
from textual.widgets import RadioButton as TextualRadioButton


class RadioButton(TextualRadioButton):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual's name, read by ToggleButton._button
        return "●" if self.value else " "


class Checkbox(TextualCheckbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802
        return "X" if self.value else " "
