"""What the commands share: the sessions store and the framework catalog named by the global options."""

from __future__ import annotations

import argparse
import os


def catalog_for(args: argparse.Namespace):  # noqa: ANN201 - avoids importing the catalog at startup
    from musterm.frameworks.catalog import Catalog
    from musterm.locations import extra_framework_dirs

    return Catalog.discover(extra_framework_dirs(args.frameworks))


def open_store(args: argparse.Namespace, *, write: bool):  # noqa: ANN201
    from musterm.locations import sessions_dir
    from musterm.store.repository import Store

    root = sessions_dir(args.sessions)
    if write:
        return Store.open(root)
    writable = (root / ".git").is_dir() and os.access(root, os.W_OK)
    return Store.open(root, writable=writable)
