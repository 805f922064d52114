"""A progress line on stderr while the index reads many files (a first run, a rebuild, a big pull)."""

from __future__ import annotations

import sys
from collections.abc import Callable

SHOW_FROM = 200
"""Fewer files than this are read in well under a second: no line then."""


def index_progress() -> Callable[[int, int], None] | None:
    """A callback for `Store.refresh_index`, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < SHOW_FROM:
            return
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\rmusterm: indekserer samtaler: {done:,}/{total:,}".replace(",", ".") + end)
        sys.stderr.flush()

    return show
