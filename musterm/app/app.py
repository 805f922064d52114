"""The musterm app: a start screen, and one conversation at a time on top of it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import threading
from collections.abc import Iterable
from functools import partial

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES

from musterm.app import commands
from musterm.app.keygate import KeyGate
from musterm.frameworks.catalog import Catalog
from musterm.store.repository import Store

TIDY_UP_WAIT_SECONDS = 5.0
TIDY_UP_DELAY_SECONDS = 0.5
"""How long after the first paint the tidy-up starts: its thread walks every employee's folder
(Python, holding the GIL) and runs git, while the screen settles and the first keys come."""


class Backdrop(Screen[None]):
    """The bottom of the screen stack: whenever nothing else is on top of it (`musterm open`'s
    conversation was left, or could not be opened), the start screen is shown."""

    def on_screen_resume(self) -> None:
        app = self.app
        if app.screen is self and getattr(app, "_started", False) and not getattr(app, "_leaving", True):
            app.show_start()


SMALLEST = (40, 12)
"""The smallest window (columns, rows) every screen is made for and tested at."""


class MustermApp(App[int]):
    # One stylesheet from the start: a screen's own CSS_PATH, read when the screen is first pushed,
    # makes Textual parse every source again and re-style the app. The conversation's styles touch
    # no widget of the other screens (ids and classes of its own), so they can be there all along.
    CSS_PATH = ["app.tcss", "screens/conversation.tcss"]
    TITLE = "musterm"
    COMMAND_PALETTE_BINDING = "ctrl+p"
    preferred_theme = "ansi-dark"
    """The theme the user chose (musterm.config: $MUSTERM_THEME or the config file's theme)."""
    BINDINGS = commands.bindings(*commands.APP)

    def __init__(  # noqa: ANN003
        self, store: Store, catalog: Catalog, initial: str | None = None, theme: str | None = None, **kwargs
    ) -> None:
        # The theme before Textual builds its stylesheet from it: set on mount, it would parse the
        # styles again and apply them to every widget once more before the first paint.
        if theme:
            self.preferred_theme = theme
        self.set_reactive(App.theme, self.preferred_theme if self.preferred_theme in BUILTIN_THEMES else "ansi-dark")
        super().__init__(**kwargs)
        self.add_class(f"-theme-{self.theme}")
        self.store = store
        self.catalog = catalog
        self.initial = initial
        self._tidied = threading.Event()
        self._tidy_up_started = False
        self.animation_level = "none"
        self._leaving = False
        self._started = False
        self._departure = None
        self.commit_failures: set[str] = set()
        """Conversations whose last commit failed (SavingScreen keeps this up to date)."""
        self.keys = KeyGate(self)
        """Keys one at a time, each once the app is done with the one before (app/keygate.py)."""
        self._too_small = False
        self._collecting = False
        """The cyclic garbage collector was on when the app started (on_load turns it off for the start)."""

    async def on_event(self, event: events.Event) -> None:
        if not self.keys.gates(event):
            await super().on_event(event)
        elif self.keys.admit(event):
            await super().on_event(event)

    def on_resize(self, event: events.Resize) -> None:
        self._say_if_too_small(event.size.width, event.size.height)

    def _say_if_too_small(self, width: int, height: int) -> None:
        """Once each time the window becomes smaller than musterm is made for: what still fits can
        be cut off, so say why and what to do (keys go on working as before)."""
        too_small = width < SMALLEST[0] or height < SMALLEST[1]
        if too_small and not self._too_small:
            self.notify(
                f"Vinduet er kun {width}×{height} tegn; musterm er lavet til {SMALLEST[0]}×{SMALLEST[1]} eller større.",
                severity="warning",
                timeout=10,
            )
        self._too_small = too_small
        self.set_class(too_small, "-too-small")

    def on_load(self) -> None:
        # No cyclic garbage collection until the first screen is painted (_after_first_paint): the
        # widgets, styles and messages of the start are long-lived or freed by reference counting,
        # and each collection scans every object the imports made (~60 of them before the paint).
        self._collecting = gc.isenabled()
        gc.disable()

    def on_unmount(self) -> None:
        if self._collecting:  # an app that stopped before its first paint
            gc.enable()

    def get_default_screen(self) -> Screen:
        return Backdrop(id="_default")

    def on_mount(self) -> None:
        if self.theme != self._theme_or_default():  # a theme registered after __init__
            self.theme = self._theme_or_default()
        if not self.is_headless:
            self._install_exit_signals()
        if self.initial:
            # The start screen is built when the conversation is left (Backdrop), not under it:
            # its widgets, styles and imports would come before the conversation's first paint.
            from musterm.app.opening import open_conversation

            open_conversation(self, self.initial)
        else:
            self.show_start()
        self._started = True
        self._say_if_too_small(self.size.width, self.size.height)
        self.run_worker(self._after_first_paint(), group="tidy-up")

    async def _after_first_paint(self) -> None:
        """Start the tidy-up a moment after the first screen is painted: its thread would compete
        with the paint for the GIL, and its git subprocesses for the processor."""
        screen = self.screen
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5):
                    while not screen.is_mounted:
                        await asyncio.sleep(0.01)
                    await screen.wait_for_refresh()
        finally:  # (also when the app stops before its first paint: the worker is cancelled)
            if self._collecting:
                gc.enable()
        await asyncio.sleep(TIDY_UP_DELAY_SECONDS)
        self._start_tidy_up()

    def show_start(self) -> None:
        from musterm.app.screens.start import StartScreen

        self.push_screen(StartScreen())

    def _start_tidy_up(self) -> None:
        if not self._leaving and not self._tidy_up_started:
            self._tidy_up_started = True
            self.run_worker(self._tidy_up, thread=True, exit_on_error=False, group="tidy-up")

    def _tidy_up(self) -> None:
        """What an interrupted musterm left behind: temp files, and saves that were never committed."""
        try:
            # What the store left for after the first paint (build_app): git subprocesses.
            if self.store.writable:
                self.store.refresh_diff_driver()
            self.store.manager  # noqa: B018 - resolved now, not at the first commit
            self.store.sweep_temp_files()
            found = self.store.commit_leftovers(held=self._held_conversations())
        finally:
            self._tidied.set()
        if found.committed:
            noun = "samtale" if len(found.committed) == 1 else "samtaler"
            self.call_from_thread(
                self.notify,
                f"{len(found.committed)} {noun} var gemt, men ikke committet, efter en afbrydelse; nu er de i historikken.",
                timeout=8,
            )
        if found.hand_edited:
            shown = ", ".join(found.hand_edited[:3]) + (" …" if len(found.hand_edited) > 3 else "")
            self.call_from_thread(
                self.notify,
                f"Ændret udenfor musterm og ikke committet: {shown}. musterm lader filerne være; commit dem selv, "
                "eller åbn dem i musterm.",
                timeout=12,
            )

    def _tidy_up_before_leaving(self) -> None:
        """Leaving before the tidy-up's moment came (TIDY_UP_DELAY_SECONDS), by ctrl+q, a hangup or
        SIGTERM: it runs now all the same, so what a killed musterm left is committed before this
        one leaves. (A thread of its own: a worker would start only once the handler has returned.)"""
        if self._started and not self._tidy_up_started and not self._leaving:
            self._tidy_up_started = True
            threading.Thread(target=self._tidy_up, name="musterm-tidy-up", daemon=True).start()

    def _held_conversations(self) -> list[str]:
        """Conversations this musterm has open for editing (their edit locks are its own)."""
        from musterm.app.screens.saving import SavingScreen

        return [screen.conversation.relative for screen in list(self.screen_stack)
                if isinstance(screen, SavingScreen) and screen.edit_lock is not None]

    # --- leaving safely (app/leaving.py) ----------------------------------------------------

    def _install_exit_signals(self) -> None:
        from musterm.app.leaving import Departure, SignalWatcher
        from musterm.app.textual_adapter import app_driver

        self._departure = Departure(app_driver(self), self._open_savers)
        SignalWatcher(asyncio.get_running_loop(), self.terminal_lost, self._departure.arm).start()

    def _open_savers(self) -> list:  # noqa: ANN202 - (relative, AutoSaver) pairs
        from musterm.app.screens.saving import SavingScreen

        return [(screen.conversation.relative, screen.saver) for screen in list(self.screen_stack)
                if isinstance(screen, SavingScreen) and screen.saver is not None]

    def terminal_lost(self, reason: str) -> None:
        """The terminal is gone or we were told to stop: save and commit everything, then leave."""
        from musterm.app.leaving import AFTER_SAVING_SECONDS, exit_message, exit_status, terminal_still_there

        if self._leaving:
            return
        self._tidy_up_before_leaving()
        self._leaving = True
        # Armed before flushing: a commit that waits for a busy git (index.lock) must not keep us
        # past the deadline. The file is written before the commit starts.
        if self._departure is not None:
            self._departure.arm(reason)
        kept = self.flush_open_conversations(final=True)
        if self._tidy_up_started:  # its commits of leftovers, within what is left of the deadline
            left = self._departure.seconds_left() - AFTER_SAVING_SECONDS if self._departure is not None else TIDY_UP_WAIT_SECONDS
            self._tidied.wait(max(0.0, left))
        if self._departure is not None:
            self._departure.done(kept)
        # After a hangup there is no one to tell, and writing to the dead terminal fails.
        message = exit_message(reason, kept) if terminal_still_there() else None
        self.exit(return_code=exit_status(kept), message=message)

    def flush_open_conversations(self, final: bool) -> list:  # noqa: ANN201 - leaving.Kept
        """The final save of every open conversation, and the conversations left earlier that git
        did not commit."""
        from musterm.app.leaving import Kept
        from musterm.app.screens.saving import SavingScreen

        kept = [Kept(screen.conversation.relative, screen.flush(final=final))
                for screen in list(self.screen_stack) if isinstance(screen, SavingScreen)]
        return kept + self._left_uncommitted({item.relative for item in kept})

    def _left_uncommitted(self, still_open: set[str]) -> list:  # noqa: ANN202
        """Conversations closed with ctrl+l earlier whose commit failed: still not committed?"""
        from musterm.app.autosave import COMMIT, SaveResult
        from musterm.app.leaving import Kept

        left = sorted(self.commit_failures - still_open)
        if not left:
            return []
        try:
            uncommitted = set(self.store.uncommitted_sessions())
        except Exception:  # noqa: BLE001 - git itself is broken: say so for each of them
            uncommitted = set(left)
        reason = "git committede det ikke"
        return [Kept(relative, SaveResult(None, False, reason, stage=COMMIT, reason=reason))
                for relative in left if relative in uncommitted]

    async def action_quit(self) -> None:
        self._quit_after_asking(asked=False)

    def _quit_after_asking(self, asked: bool) -> None:
        from musterm.app.screens.saving import SavingScreen, loses_text

        for screen in self.screen_stack:
            if isinstance(screen, SavingScreen):
                # Typed text no save can keep (a date that is no date): ask before it is lost.
                if not asked and screen.ask_before_leaving(then=partial(self._quit_after_asking, asked=True)):
                    return
                result = screen.flush(final=False)
                if loses_text(result):
                    # As on ctrl+l: the unsaved text is still on screen; ask before throwing it away.
                    screen._offer_to_stay(result, then=self._quit_now)
                    return
        self._quit_now()

    def _quit_now(self) -> None:
        from musterm.app.leaving import exit_message, exit_status

        self._tidy_up_before_leaving()
        self._leaving = True
        kept = self.flush_open_conversations(final=True)
        if self._tidy_up_started:
            self._tidied.wait(TIDY_UP_WAIT_SECONDS)  # a commit of leftovers must not be cut off
        self.exit(return_code=exit_status(kept), message=exit_message(None, kept))

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
