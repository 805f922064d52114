"""Starting the app from the command line."""

from __future__ import annotations

import argparse
import sys

from musterm.errors import MustermError


def run_app(args: argparse.Namespace) -> int:
    from musterm.catalog import Catalog
    from musterm.locations import extra_framework_dirs, sessions_dir
    from musterm.store import Store

    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise MustermError("musterm skal køre i en terminal. Brug kommandoerne (musterm --help) i scripts.")
    catalog = Catalog.discover(extra_framework_dirs(args.frameworks))
    store = Store.open(sessions_dir(args.sessions))
    target = getattr(args, "target", None)
    initial = store.find(target) if target else None
    from musterm.app.app import MustermApp
    from musterm.app.driver import HangupAwareDriver

    app = MustermApp(store, catalog, initial=initial, driver_class=HangupAwareDriver)
    app.run()
    return app.return_code or 0
