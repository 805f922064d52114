"""The musterm app: a start screen, and one conversation at a time on top of it."""

from __future__ import annotations

import asyncio
import os
import select
import signal
import sys
import threading
from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.screen import Screen

from musterm.app import commands
from musterm.frameworks.catalog import Catalog
from musterm.store.repository import Store

EXIT_DEADLINE_SECONDS = 4.0
TIDY_UP_WAIT_SECONDS = 5.0


class MustermApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "musterm"
    COMMAND_PALETTE_BINDING = "ctrl+p"
    preferred_theme = "ansi-dark"
    """The theme the user chose (musterm.config: $MUSTERM_THEME or the config file's theme)."""
    BINDINGS = commands.bindings(*commands.APP)

    def __init__(self, store: Store, catalog: Catalog, initial: str | None = None, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.store = store
        self.catalog = catalog
        self.initial = initial
        self._tidied = threading.Event()
        self._tidy_up_started = False
        self.animation_level = "none"
        self._leaving = False

    def on_mount(self) -> None:
        self.theme = self._theme_or_default()
        if not self.is_headless:
            self._install_exit_signals()
        from musterm.app.screens.start import StartScreen

        self.push_screen(StartScreen())
        if self.initial:
            from musterm.app.opening import open_conversation

            open_conversation(self, self.initial)
        # After the first screen is painted: this thread would otherwise compete with it for the GIL.
        self.call_after_refresh(self._start_tidy_up)

    def _start_tidy_up(self) -> None:
        if not self._leaving:
            self._tidy_up_started = True
            self.run_worker(self._tidy_up, thread=True, exit_on_error=False, group="tidy-up")

    def _tidy_up(self) -> None:
        """What an interrupted musterm left behind: temp files, and saves that were never committed."""
        try:
            self.store.sweep_temp_files()
            committed = self.store.commit_leftovers()
        finally:
            self._tidied.set()
        if committed:
            noun = "samtale" if len(committed) == 1 else "samtaler"
            self.call_from_thread(
                self.notify,
                f"{len(committed)} {noun} var gemt, men ikke committet, efter en afbrydelse; nu er de i historikken.",
                timeout=8,
            )

    # --- leaving safely -------------------------------------------------------------------

    def _install_exit_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for number, reason in ((signal.SIGHUP, "forbindelsen blev afbrudt"), (signal.SIGTERM, "musterm blev bedt om at lukke")):
            loop.add_signal_handler(number, self.terminal_lost, reason)

    def terminal_lost(self, reason: str) -> None:
        """The terminal is gone or we were told to stop: save and commit everything, then leave."""
        if self._leaving:
            return
        self._leaving = True
        # Armed before flushing: a commit that waits for a busy git (index.lock) must not keep us
        # past the deadline. The file is written before the commit starts.
        _exit_even_if_stuck(EXIT_DEADLINE_SECONDS, self._driver)
        self.flush_open_conversations(final=True)
        # After a hangup there is no one to tell, and writing to the dead terminal fails (exit status 1).
        self.exit(0, message=f"musterm: {reason}; alt er gemt." if _terminal_still_there() else None)

    def flush_open_conversations(self, final: bool) -> None:
        from musterm.app.screens.conversation import ConversationScreen

        for screen in self.screen_stack:
            if isinstance(screen, ConversationScreen):
                screen.flush(final=final)

    async def action_quit(self) -> None:
        from musterm.app.screens.conversation import ConversationScreen
        from musterm.app.screens.saving import loses_text

        for screen in self.screen_stack:
            if isinstance(screen, ConversationScreen):
                result = screen.flush(final=False)
                if loses_text(result):
                    # As on ctrl+l: the unsaved text is still on screen; ask before throwing it away.
                    screen._offer_to_stay(result, then=self._quit_now)
                    return
        self._quit_now()

    def _quit_now(self) -> None:
        self._leaving = True
        self.flush_open_conversations(final=True)
        if self._tidy_up_started:
            self._tidied.wait(TIDY_UP_WAIT_SECONDS)  # a commit of leftovers must not be cut off
        self.exit(0)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="Søg efter spørgsmål, temaer og kommandoer …", id="--command-palette"))

    def action_help_quit(self) -> None:
        self.notify("Tryk ctrl+q for at lukke musterm (alt gemmes først).", title="Vil du lukke?")

    def _theme_or_default(self) -> str:
        wanted = self.preferred_theme
        return wanted if wanted in self.available_themes else "ansi-dark"

    def action_toggle_help(self) -> None:
        from musterm.app.screens.help import HelpScreen, help_for

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(help_for(self.screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in commands.APP:
            if command.palette:
                yield SystemCommand(command.palette, command.help, partial(self.run_action, command.action))


def _terminal_still_there() -> bool:
    """False once the terminal has hung up (Textual writes to stderr)."""
    try:
        poller = select.poll()
        poller.register(sys.__stderr__.fileno(), select.POLLOUT)
        return not any(events & (select.POLLHUP | select.POLLERR) for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):
        return True


def _exit_even_if_stuck(seconds: float, driver) -> None:  # noqa: ANN001 - a textual Driver or None
    """After a hangup the terminal may never accept another byte; don't wait for it forever.

    The saves are on disk before this fires; only a commit waiting for a busy git can be
    cut short, and the next start commits it. A terminal that is still there gets back its
    normal screen, cursor and line mode first.
    """

    def give_up() -> None:
        _restore_terminal(driver)
        os._exit(0)

    timer = threading.Timer(seconds, give_up)
    timer.daemon = True
    timer.start()


_LEAVE_APPLICATION_MODE = "\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1003l\x1b[?1006l\x1b[?2004l"


def _restore_terminal(driver) -> None:  # noqa: ANN001
    fileno = getattr(driver, "fileno", None)
    attributes = getattr(driver, "attrs_before", None)
    if fileno is None:
        return
    try:
        os.write(fileno, _LEAVE_APPLICATION_MODE.encode())
        if attributes is not None:
            import termios

            termios.tcsetattr(fileno, termios.TCSANOW, attributes)
    except (OSError, ValueError):
        pass  # the terminal is gone
