"""Commands for frameworks and conversations: frameworks, check, list, new, open, show."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from musterm.cli.common import catalog_for, open_store, settings_for
from musterm.cli.parser import command


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
    from musterm.frameworks.catalog import check_files

    problems = check_files(args.files, settings_for(args).frameworks)
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{len(args.files)} fil(er) i orden.", file=sys.stderr)
    return 1 if problems else 0


@command("list", "vis medarbejdere og deres samtaler, nyeste først")
def list_command(args: argparse.Namespace) -> int:
    from musterm.cli.progress import index_progress
    from musterm.store.listing import format_rows

    store = open_store(args, write=False)
    store.refresh_index(index_progress())
    rows = store.index.listing()  # newest first, as the listing shows them: no Summary for each
    if not rows:
        print(f"Ingen samtaler endnu i {store.root}. Start en med: musterm new --employee NAVN --framework ID")
        return 0
    print(format_rows(rows))
    return 0


def _new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--employee", required=True, metavar="NAVN", help="medarbejderens navn")
    parser.add_argument("--framework", required=True, metavar="ID", help="rammens id (se: musterm frameworks)")
    parser.add_argument("--date", metavar="ÅÅÅÅ-MM-DD", help="dato for samtalen (standard: i dag)")
    parser.add_argument("--time", metavar="TT:MM", help="klokkeslæt")
    parser.add_argument("--place", metavar="STED", default="", help="mødested")
    parser.add_argument("--number", metavar="NR", default="", help="medarbejdernummer")
    parser.add_argument("--birth-year", metavar="ÅÅÅÅ", type=int, help="fødselsår (til seniortilbud)")
    parser.add_argument(
        "--manager",
        metavar="NAVN",
        help="lederens navn (standard: $MUSTERM_MANAGER, manager.name i indstillingerne eller git user.name)",
    )


@command("new", "opret en samtale som kladde uden at åbne programmet, og skriv dens sti", _new_arguments)
def new_command(args: argparse.Namespace) -> int:
    from musterm.store.gitrepo import CommitFailed
    from musterm.store.planning import prepare_conversation

    store = open_store(args, write=True)
    framework = catalog_for(args).get(args.framework)
    session = prepare_conversation(
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
    try:
        creation = store.create_conversation(session)
    except CommitFailed as failed:
        # The conversation is made; only its commit waits (for the next start, or the same command again).
        print(store.path_of(failed.relative))
        print(f"musterm: samtalen er oprettet, men ikke committet i git: {failed.reason}. "
              "Den committes, næste gang musterm startes.", file=sys.stderr)
        return 0
    print(store.path_of(creation.relative))
    if creation.existed:
        print("musterm: samtalen fandtes allerede med præcis dette indhold (oprettet af en anden musterm "
              "eller en tidligere kørsel); der er ikke oprettet en ny.", file=sys.stderr)
    return 0


def _show_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="STI|MEDARBEJDER", help="en samtalefil, eller en medarbejder (seneste samtale)")


def _open_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="STI|MEDARBEJDER", help="en samtalefil, eller en medarbejder (seneste samtale)")


@command("open", "åbn en samtale direkte i programmet", _open_arguments)
def open_command(args: argparse.Namespace) -> int:
    from musterm.app.run import run_app

    return run_app(args)


@command("show", "vis en samtale som læsbar tekst", _show_arguments)
def show_command(args: argparse.Namespace) -> int:
    from musterm.documents.render import render_text
    from musterm.formats.session_file import to_data

    store = open_store(args, write=False)
    session = store.load(store.find(args.target))
    entry = catalog_for(args).entry(session.framework.id)
    sys.stdout.write(render_text(to_data(session), framework=entry.framework if entry else None))
    return 0
