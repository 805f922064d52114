"""The `musterm` command. Without a subcommand it opens the app; subcommands never import Textual."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

# Importing the command modules registers their commands, in the order `musterm --help` lists them.
from musterm.cli import conversations  # noqa: F401, I001
from musterm.cli import history  # noqa: F401
from musterm.cli import documents  # noqa: F401
from musterm.cli import settings  # noqa: F401
from musterm.cli import lifecycle  # noqa: F401
from musterm.cli import remote  # noqa: F401
from musterm.cli import conventions
from musterm.cli.parser import _COMMANDS, build_parser
from musterm.errors import MustermError


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)
    parser = build_parser()
    args = parser.parse_args(argv)  # bad usage: a Danish message and SystemExit(2)
    try:
        if args.version:
            text, settings_ok = conventions.version_text(args)
            sys.stdout.write(text)
            return conventions.EXIT_OK if settings_ok else conventions.EXIT_FAILED
        if args.command is None:
            from musterm.app.run import run_app

            return run_app(args)
        handler = _COMMANDS[args.command].handler
        return handler(args)
    except MustermError as error:
        print(f"musterm: {error}", file=sys.stderr)
        return conventions.EXIT_FAILED
    except KeyboardInterrupt:
        return conventions.EXIT_INTERRUPTED
    except BrokenPipeError:
        return conventions.EXIT_OK
    except Exception as error:  # a bug: say so plainly; the traceback goes to a file, for developers
        if os.environ.get("MUSTERM_DEBUG"):
            raise
        print(conventions.report_internal_error(error), file=sys.stderr)
        return conventions.EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
