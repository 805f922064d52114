"""What the commands share: the settings, the sessions store and the framework catalog they name."""

from __future__ import annotations

import argparse
import os


def settings_for(args: argparse.Namespace):  # noqa: ANN201 - a musterm.config.Settings
    """The settings of this run, read once: the global options, then the environment and the config file."""
    settings = getattr(args, "settings", None)
    if settings is None:
        from musterm.config import resolve

        settings = args.settings = resolve(args.sessions, args.frameworks)
    return settings


def catalog_for(args: argparse.Namespace):  # noqa: ANN201 - avoids importing the catalog at startup
    from musterm.frameworks.catalog import Catalog

    return Catalog.discover(settings_for(args).frameworks)


def open_store(args: argparse.Namespace, *, write: bool):  # noqa: ANN201
    import musterm.history.search  # noqa: F401 - tells the index what it reads of a conversation
    from musterm.store.repository import Store

    settings = settings_for(args)
    root = settings.sessions
    if write:
        settings.prepare_sessions_folder()
        return Store.open(root)
    try:
        writable = (root / ".git").is_dir() and os.access(root, os.W_OK)
    except OSError:  # another user's folder: Store.open says so in Danish
        writable = False
    # A command that only reads commits nothing: the diff driver's check (`git version`, `git config`)
    # is left to the commands that commit and to the app, so `musterm list` starts one git process.
    return Store.open(root, writable=writable, check_diff_driver=False)
