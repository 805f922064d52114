"""Starting the app from the command line."""

from __future__ import annotations

import argparse
import gc
import sys

from musterm.errors import MustermError


def run_app(args: argparse.Namespace) -> int:
    from musterm.app.driver import driver_for, wants_terminal

    # Under `textual serve` the app draws in a browser: its stdin and stdout are pipes then.
    if wants_terminal() and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        raise MustermError("musterm skal køre i en terminal. Brug kommandoerne (musterm --help) i scripts.")
    driver = driver_for()
    app = build_app(args, **({"driver_class": driver} if driver is not None else {}))
    app.run()
    return app.return_code or 0


def build_app(args: argparse.Namespace, **kwargs):  # noqa: ANN003, ANN201 - a MustermApp
    """The app for the command line's arguments (bench/ runs it headless the same way)."""
    import musterm.history.search  # noqa: F401 - tells the index what it reads of a conversation
    from musterm.config import resolve
    from musterm.frameworks.catalog import Catalog
    from musterm.store.gitrepo import Identity
    from musterm.store.repository import Store

    settings = getattr(args, "settings", None) or resolve(args.sessions, args.frameworks)
    catalog = Catalog.discover(settings.frameworks)
    settings.prepare_sessions_folder()
    # Read now: the file may change later. Unless that takes git (a subprocess before the first
    # paint): then the store asks the settings when it first needs the manager (MustermApp's
    # tidy-up, right after the first paint).
    manager = None if settings.manager_needs_git else Identity(settings.manager.name, settings.manager.email)
    store = Store.open(settings.sessions, manager=manager, check_diff_driver=False)
    target = getattr(args, "target", None)
    initial = store.find(target) if target else None
    from musterm.app.app import MustermApp

    app = MustermApp(store, catalog, initial=initial, theme=settings.theme, **kwargs)
    app.set_keymap(settings.keymap)
    # Everything loaded so far (Textual, the models, the frameworks) lives as long as the app.
    # Freezing it keeps Python's cyclic garbage collector from scanning it again on every full
    # collection while the manager types: those pauses grow with the number of live objects.
    gc.freeze()
    return app
