"""git's textconv for session files: `python -m musterm.documents.textconv FILE` prints a readable rendering.

A file that is not a valid session (a merge conflict, a hand edit gone wrong) is
printed as it is, so `git diff` always shows something true.
"""

from __future__ import annotations

import sys
import tomllib

from musterm.documents.render import render_text


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("brug: python -m musterm.documents.textconv FIL", file=sys.stderr)
        return 2
    with open(argv[0], "rb") as handle:
        raw = handle.read()
    try:
        sys.stdout.write(render_text(tomllib.loads(raw.decode("utf-8"))))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError, TypeError, KeyError):
        sys.stdout.buffer.write(raw)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
