"""The Textual apps the benchmarks compare musterm with, measured the same way in the same run.

    python bench/baseline_app.py tabs            # TabbedContent with five TabPanes and a TextArea
    python bench/baseline_app.py textarea FILE   # a bare TextArea holding FILE's text
    python bench/baseline_app.py bare            # a bare App (the memory baseline)

Nothing of musterm is imported here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Label, TabbedContent, TabPane, TextArea

TAB_TITLES = ("F2 Forberedelse", "F3 Scoring", "F4 Noter", "F5 Plan", "F6 Afslutning")


class TabsApp(App[None]):
    """The start-up baseline: what any five-tab Textual app with a text area must do."""

    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs"):
            for index, title in enumerate(TAB_TITLES):
                with TabPane(title, id=f"tab-{index}"):
                    if index == 0:
                        yield TextArea("", id="text")
                    else:
                        yield Label(title)


class TextAreaApp(App[None]):
    """The typing baseline: a bare TextArea with the same text, focused, nothing else."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextArea(self.text, id="text")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        # A blinking cursor repaints by itself twice a second, which a keystroke timing in tmux
        # can catch instead of the keystroke; musterm's notes don't blink, so neither does this.
        area.cursor_blink = False
        area.focus()


class BareApp(App[None]):
    """The memory baseline: Textual itself and an empty screen."""


def make_app(kind: str, argument: str | None = None) -> App[None]:
    if kind == "tabs":
        return TabsApp()
    if kind == "textarea":
        return TextAreaApp(Path(argument).read_text(encoding="utf-8") if argument else "")
    if kind == "bare":
        return BareApp()
    raise SystemExit(f"unknown baseline app {kind!r}")


if __name__ == "__main__":
    make_app(sys.argv[1] if len(sys.argv) > 1 else "tabs", sys.argv[2] if len(sys.argv) > 2 else None).run()
