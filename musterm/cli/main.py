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
from musterm.cli.parser import _COMMANDS, build_parser
from musterm.errors import MustermError


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from musterm.app.run import run_app

            return run_app(args)
        handler = _COMMANDS[args.command][0]
        return handler(args)
    except MustermError as error:
        print(f"musterm: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug: say so plainly, and keep the traceback for developers only
        if os.environ.get("MUSTERM_DEBUG"):
            raise
        print(
            f"musterm: uventet fejl ({type(error).__name__}: {error}). "
            "Intet er overskrevet. Kør igen med MUSTERM_DEBUG=1 for detaljer.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
