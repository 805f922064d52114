"""The `musterm` command's parser: subcommands register here with @command."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from musterm.cli.danish import DanishParser

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[Handler, Callable[[argparse.ArgumentParser], None], str]] = {}


def command(name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda _: None):
    def register(handler: Handler) -> Handler:
        _COMMANDS[name] = (handler, arguments, help_text)
        return handler

    return register


def build_parser() -> argparse.ArgumentParser:
    parser = DanishParser(
        prog="musterm",
        description="MUS-samtaler i terminalen. Uden kommando åbnes programmet.",
    )
    add_global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="KOMMANDO", title="kommandoer")
    for name, (_, arguments, help_text) in _COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        add_global_options(sub, suppress_defaults=True)
        arguments(sub)
    return parser


def add_global_options(parser: argparse.ArgumentParser, suppress_defaults: bool = False) -> None:
    default = argparse.SUPPRESS if suppress_defaults else None
    parser.add_argument(
        "--sessions",
        metavar="MAPPE",
        default=default,
        help="mappen med samtaler (et git-repo); ellers $MUSTERM_SESSIONS, indstillingsfilens sessions "
        "eller brugerens datamappe (se musterm --version)",
    )
    parser.add_argument(
        "--frameworks",
        metavar="MAPPE",
        action="append",
        default=argparse.SUPPRESS if suppress_defaults else [],
        help="ekstra mappe med rammer (kan gentages); også $MUSTERM_FRAMEWORKS og indstillingsfilens frameworks",
    )
