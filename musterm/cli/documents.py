"""Commands for before and after the conversation: invitation, preparation form, export, calendar."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from musterm.cli.common import catalog_for, open_store
from musterm.cli.parser import command
from musterm.errors import MustermError


def _target_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="STI|MEDARBEJDER", help="en samtalefil, eller en medarbejder (seneste samtale)")


def _output_argument(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=required,
        metavar="FIL",
        help="filen der skrives (aldrig inde i samtalearkivet)" + ("" if required else "; ellers skærmen"),
    )


def _load_target(args: argparse.Namespace, *, write: bool = False):  # noqa: ANN202
    store = open_store(args, write=write)
    relative = store.find(args.target)
    return store, relative, store.load(relative)


def _deliver(args: argparse.Namespace, store, data: str | bytes, what: str) -> None:  # noqa: ANN001
    """Write to -o FILE (outside the sessions repository), or to stdout."""
    from musterm.documents.outputs import write_output

    if args.output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    written = write_output(args.output, data, store.root)
    print(f"{what} skrevet til {written}", file=sys.stderr)


def _invite_arguments(parser: argparse.ArgumentParser) -> None:
    _target_argument(parser)
    parser.add_argument("--markdown", action="store_true", help="som Markdown i stedet for ren tekst")
    _output_argument(parser)


@command("invite", "skriv invitationen til samtalen, klar til at sætte ind i en mail", _invite_arguments)
def invite_command(args: argparse.Namespace) -> int:
    from musterm.documents.invite import invitation_text, session_framework

    store, _, session = _load_target(args)
    framework = session_framework(session, catalog_for(args))
    _deliver(args, store, invitation_text(session, framework, markdown=args.markdown), "Invitationen er")
    return 0


def _prep_form_arguments(parser: argparse.ArgumentParser) -> None:
    _target_argument(parser)
    _output_argument(parser, required=True)


@command(
    "prep-form",
    "skriv et forberedelsesskema, som medarbejderen kan udfylde i en almindelig teksteditor",
    _prep_form_arguments,
)
def prep_form_command(args: argparse.Namespace) -> int:
    from musterm.documents.prepform import prep_form

    store, _, session = _load_target(args)
    entry = catalog_for(args).entry(session.framework.id)
    if entry is None:
        print(
            f"musterm: rammen '{session.framework.id}' findes ikke længere; skemaet får spørgsmålene, "
            "men ingen hjælpespørgsmål eller frist.",
            file=sys.stderr,
        )
    _deliver(args, store, prep_form(session, entry.framework if entry else None), "Forberedelsesskemaet er")
    return 0


def _prep_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="STI", help="samtalen, som skemaet hører til")
    parser.add_argument("file", type=Path, metavar="FIL", help="det udfyldte forberedelsesskema")


@command(
    "prep-import",
    "indlæs medarbejderens udfyldte forberedelsesskema i samtalen (egne scorer og noter)",
    _prep_import_arguments,
)
def prep_import_command(args: argparse.Namespace) -> int:
    from musterm.documents.prepform_reader import describe_import, import_prep, read_form_file
    from musterm.store.events import Event

    store, relative, session = _load_target(args, write=True)
    text = read_form_file(args.file)
    with store.lock_for_editing(relative, brief=True):
        session = store.load(relative)
        updated = import_prep(session, text, args.file)
        if updated != session:
            store.save(relative, updated)
            store.commit(relative, updated, Event.PREPARATION)
    print(describe_import(session, updated))
    return 0


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="STI|MEDARBEJDER", help="en samtalefil, eller en medarbejder (seneste samtale)")
    parser.add_argument("--format", choices=("md", "html"), default="md", help="Markdown (standard) eller HTML til udskrift")
    parser.add_argument(
        "--for",
        dest="audience",
        choices=("employee", "personnel-file"),
        default="employee",
        help="medarbejderens kopi (standard; uden lederens private noter) eller personalemappen (plan og underskrifter)",
    )
    parser.add_argument(
        "--all", action="store_true",
        help="alle medarbejderens samtaler som medarbejderens kopi, i mappen eller .zip-filen -o (indsigtsret)",
    )
    _output_argument(parser)


@command("export", "skriv samtalen som dokument: Markdown, eller HTML der kan udskrives som PDF", _export_arguments)
def export_command(args: argparse.Namespace) -> int:
    from musterm.documents.export import export_html, export_markdown

    if args.all:
        return _export_all(args)
    store, _, session = _load_target(args)
    entry = catalog_for(args).entry(session.framework.id)
    framework = entry.framework if entry else None
    render = export_html if args.format == "html" else export_markdown
    _deliver(args, store, render(session, args.audience, framework), "Dokumentet er")
    return 0


def _export_all(args: argparse.Namespace) -> int:
    """Every conversation of one employee, as the employee's copy, into a new folder or a .zip."""
    from musterm.documents.bundle import employee_copies, write_folder, zipped
    from musterm.documents.outputs import check_destination, is_inside, write_output

    if args.output is None:
        raise MustermError("--all skriver flere filer: angiv en ny mappe eller en .zip-fil med -o.")
    if args.audience != "employee":
        raise MustermError("--all skriver medarbejderens kopi (uden private noter); --for personnel-file kan ikke bruges.")
    store = open_store(args, write=False)
    folder = store.employee_folder(args.target)
    files = employee_copies(store, folder, catalog_for(args), args.format)
    count = len(files) - 1
    if str(args.output).endswith(".zip"):
        written = write_output(args.output, zipped(files, f"mus-{folder}"), store.root, overwrite=False)
    else:
        if is_inside(args.output, store.root):
            check_destination(args.output, store.root)  # says why not: never a folder inside the archive
        written = write_folder(args.output, files)
    print(f"{count} samtale{'r' if count != 1 else ''} skrevet som medarbejderens kopi (uden private noter) "
          f"til {written}", file=sys.stderr)
    return 0


def _calendar_arguments(parser: argparse.ArgumentParser) -> None:
    _target_argument(parser)
    _output_argument(parser, required=True)


@command("calendar", "skriv opfølgningsdatoer og planens datoer som kalenderaftaler (.ics)", _calendar_arguments)
def calendar_command(args: argparse.Namespace) -> int:
    from musterm.documents.ics import (
        calendar_bytes,
        calendar_events,
        undated_plan_texts,
    )

    store, relative, session = _load_target(args)
    events = calendar_events(session, relative)
    skipped = undated_plan_texts(session)
    for text in skipped:
        print(f"Springer over (ingen dato med årstal): {text}", file=sys.stderr)
    if not events:
        raise MustermError(
            "Der er ingen datoer at lægge i kalenderen: aftal en opfølgningsdato, eller skriv datoer med årstal "
            "i planens Hvornår?/Opfølgning (fx 1. marts 2027 eller 1/3-2027)."
        )
    _deliver(args, store, calendar_bytes(session, relative), f"{len(events)} kalenderaftale(r) er")
    return 0
