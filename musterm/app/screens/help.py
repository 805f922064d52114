"""F1: the keys of where you are, from the command definitions, and the help text of the area.

What F1 lists is what the footer would run now: the screen's active bindings, grouped by the
part of the screen that gives them, nearest first. Textual's own bindings are left out, but
for the few that a manager needs (undo, the next field, …) commands.TEXTUAL_BINDINGS gives a
Danish line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from textwrap import dedent

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

from musterm.app import commands


@dataclass
class HelpGroup:
    heading: str
    text: str = ""
    """The area's own help (Markdown), without its heading."""
    keys: list[tuple[str, str]] = field(default_factory=list)
    """(key as the footer shows it, what it does)."""


def help_for(screen: Screen) -> list[HelpGroup]:
    """The help of where the focus is on `screen`: one group per part of the screen that has help
    or keys, from the focused widget out to the screen, then the keys that work everywhere."""
    known = commands.by_id()
    order = {command_id: position for position, command_id in enumerate(known)}
    focused = screen.focused
    chain: list[DOMNode] = list(focused.ancestors_with_self if focused is not None else (screen, screen.app))
    keys: dict[int, dict[str, list[str]]] = {}
    # In the order the commands are defined; Textual's own after them.
    ranked = sorted(screen.active_bindings.values(), key=lambda active: order.get(active.binding.id or "", len(order)))
    for active in ranked:
        binding = active.binding
        command = known.get(binding.id or "")
        text = command.title if command is not None else commands.TEXTUAL_BINDINGS.get(binding.action, "")
        if not text or binding.system:
            continue
        shown = keys.setdefault(id(active.node), {}).setdefault(text, [])
        display = screen.app.get_key_display(binding)
        # Textual's own bindings by their first key (not also super+z for ctrl+z).
        if display not in shown and (command is not None or not shown):
            shown.append(display)
    groups: list[HelpGroup] = []
    for node in chain:
        heading, text = _split_help(node.HELP or "")
        node_keys = [("/".join(shown), text_) for text_, shown in keys.get(id(node), {}).items()]
        if not text and not node_keys:
            continue
        if node is screen.app:
            heading = "Overalt"
        groups.append(HelpGroup(heading or "Her", text, node_keys))
    return groups


def _split_help(help_text: str) -> tuple[str, str]:
    text = dedent(help_text).strip()
    first, _, rest = text.partition("\n")
    if first.startswith("## "):
        return first.removeprefix("## ").strip(), rest.strip()
    return "", text


def _key_grid(keys: list[tuple[str, str]]) -> Table:
    """The keys in two columns of key and text, so that a screen's worth fits at 80×24."""
    grid = Table.grid(padding=(0, 1), expand=True)
    for _ in range(2):
        grid.add_column(justify="right", style="bold", no_wrap=True)
        grid.add_column(ratio=1)
    half = (len(keys) + 1) // 2
    for left, right in zip(keys[:half], [*keys[half:], ("", "")], strict=False):
        grid.add_row(Text(left[0]), Text(left[1]), Text(right[0]), Text(right[1]))
    return grid


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = commands.bindings(*commands.HELP_SCREEN)

    def __init__(self, groups: list[HelpGroup]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Hjælp: " + (self.groups[0].heading if self.groups else "musterm")
            dialog.border_subtitle = "esc eller F1 lukker · ↑↓ ruller"
            with VerticalScroll(id="help-body"):
                for group in self.groups:
                    yield Static(group.heading, classes="help-heading")
                    if group.text:
                        yield Markdown(group.text, classes="help-text")
                    if group.keys:
                        yield Static(_key_grid(group.keys), classes="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
