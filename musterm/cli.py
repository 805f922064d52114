"""The `musterm` command. Without a subcommand it opens the app; subcommands never import Textual."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from musterm.errors import MustermError

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[Handler, Callable[[argparse.ArgumentParser], None], str]] = {}


def command(name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda _: None):
    def register(handler: Handler) -> Handler:
        _COMMANDS[name] = (handler, arguments, help_text)
        return handler

    return register


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="musterm",
        description="MUS-samtaler i terminalen. Uden kommando åbnes programmet.",
    )
    add_global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="KOMMANDO")
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
        help="mappen med samtaler (git-repo); ellers $MUSTERM_SESSIONS eller ./sessions",
    )
    parser.add_argument(
        "--frameworks",
        metavar="MAPPE",
        action="append",
        default=argparse.SUPPRESS if suppress_defaults else [],
        help="ekstra mappe med rammer (kan gentages); også $MUSTERM_FRAMEWORKS",
    )


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


def catalog_for(args: argparse.Namespace):  # noqa: ANN201 - avoids importing the catalog at startup
    from musterm.catalog import Catalog
    from musterm.locations import extra_framework_dirs

    return Catalog.discover(extra_framework_dirs(args.frameworks))


@command("frameworks", "vis de rammer, musterm kan finde")
def frameworks_command(args: argparse.Namespace) -> int:
    catalog = catalog_for(args)
    for entry in catalog:
        framework = entry.framework
        print(f"{framework.id:<24} {framework.name} (version {framework.version}) [{entry.origin}: {entry.file}]")
    for error in catalog.errors:
        print(error, file=sys.stderr)
    if not len(catalog):
        print("Ingen rammer fundet.", file=sys.stderr)
    return 1 if catalog.errors else 0


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FIL", help="rammefiler (.toml) der skal kontrolleres")


@command("check", "kontrollér rammefiler; én linje pr. fejl: FIL:LINJE: nøgle: besked", _check_arguments)
def check_command(args: argparse.Namespace) -> int:
    from musterm.catalog import check_files
    from musterm.locations import extra_framework_dirs

    problems = check_files(args.files, extra_framework_dirs(args.frameworks))
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{len(args.files)} fil(er) i orden.", file=sys.stderr)
    return 1 if problems else 0


def open_store(args: argparse.Namespace, *, write: bool):  # noqa: ANN201
    from musterm.locations import sessions_dir
    from musterm.store import Store

    root = sessions_dir(args.sessions)
    if write:
        return Store.open(root)
    writable = (root / ".git").is_dir() and os.access(root, os.W_OK)
    return Store.open(root, writable=writable)


@command("list", "vis medarbejdere og deres samtaler, nyeste først")
def list_command(args: argparse.Namespace) -> int:
    from musterm.listing import format_listing

    store = open_store(args, write=False)
    summaries = store.summaries()
    if not summaries:
        print(f"Ingen samtaler endnu i {store.root}. Start en med: musterm new --employee NAVN --framework ID")
        return 0
    print(format_listing(summaries))
    return 0


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--employee", required=True, metavar="NAVN", help="medarbejderens navn")
    parser.add_argument("--framework", required=True, metavar="ID", help="rammens id (se: musterm frameworks)")
    parser.add_argument("--date", metavar="ÅÅÅÅ-MM-DD", help="dato for samtalen (standard: i dag)")
    parser.add_argument("--time", metavar="TT:MM", help="klokkeslæt")
    parser.add_argument("--place", metavar="STED", default="", help="mødested")
    parser.add_argument("--number", metavar="NR", default="", help="medarbejdernummer")
    parser.add_argument("--birth-year", metavar="ÅÅÅÅ", type=int, help="fødselsår (til seniortilbud)")
    parser.add_argument("--manager", metavar="NAVN", help="lederens navn (standard: $MUSTERM_MANAGER eller git user.name)")


@command("new", "opret en samtale som kladde uden at åbne programmet, og skriv dens sti", _new_arguments)
def new_command(args: argparse.Namespace) -> int:
    from musterm.conversation import plan_conversation

    store = open_store(args, write=True)
    framework = catalog_for(args).get(args.framework)
    relative = plan_conversation(
        store,
        framework,
        employee=args.employee,
        number=args.number,
        birth_year=args.birth_year,
        manager=args.manager,
        date=args.date,
        time=args.time,
        place=args.place,
    )
    print(store.path_of(relative))
    return 0


def _show_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="STI|MEDARBEJDER", help="en samtalefil, eller en medarbejder (seneste samtale)")


@command("show", "vis en samtale som læsbar tekst", _show_arguments)
def show_command(args: argparse.Namespace) -> int:
    from musterm.render import render_text
    from musterm.session import to_data

    store = open_store(args, write=False)
    session = store.load(store.find(args.target))
    sys.stdout.write(render_text(to_data(session)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
