"""The `musterm` command's parser: subcommands register here with @command."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NamedTuple

from musterm.cli.danish import DanishParser

Handler = Callable[[argparse.Namespace], int]
Arguments = Callable[[argparse.ArgumentParser], None]


class Registered(NamedTuple):
    """A subcommand as @command registered it."""

    handler: Handler
    arguments: Arguments
    help_text: str
    epilog: str
    """The paragraph `musterm NAME --help` ends with ('' for none)."""


_COMMANDS: dict[str, Registered] = {}


def command(name: str, help_text: str, arguments: Arguments = lambda _: None, *, epilog: str = ""):
    """Register a subcommand: its handler, what adds its arguments, its one-line help, and the
    paragraph `musterm NAME --help` ends with (`epilog`)."""

    def register(handler: Handler) -> Handler:
        _COMMANDS[name] = Registered(handler, arguments, help_text, epilog)
        return handler

    return register


EPILOG = (
    "Afslutningskoder: 0 i orden; 1 det bedte kunne ikke gøres (beskeden siger hvorfor; "
    "search: intet fundet); 2 forkert brug af kommandoen; 70 en fejl i musterm selv (en rapport gemmes); "
    "130 afbrudt med ctrl+c."
)


# What shtab completes an argument with (shtab.FILE and shtab.DIRECTORY, without importing shtab).
COMPLETE_FILE = {"bash": "_shtab_compgen_files", "zsh": "_files", "tcsh": "f"}
COMPLETE_FOLDER = {"bash": "_shtab_compgen_dirs", "zsh": "_files -/", "tcsh": "d"}


class Parser(DanishParser):
    """musterm's parser: Danish, and an argument named FIL or MAPPE completes as a file or a folder."""

    def add_argument(self, *args, **kwargs) -> argparse.Action:  # noqa: ANN002, ANN003
        action = super().add_argument(*args, **kwargs)
        metavar = str(action.metavar or "")
        if "FIL" in metavar:
            action.complete = COMPLETE_FILE  # type: ignore[attr-defined]
        elif "MAPPE" in metavar:
            action.complete = COMPLETE_FOLDER  # type: ignore[attr-defined]
        return action


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="musterm",
        description="MUS-samtaler i terminalen. Uden kommando åbnes programmet.",
        epilog=EPILOG,
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="vis versioner, og hvor musterm finder indstillinger, samtaler og rammer, og afslut",
    )
    add_global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="KOMMANDO", title="kommandoer")
    for name, (_, arguments, help_text, epilog) in _COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text, epilog=epilog or None)
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
