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
    from musterm.frameworks.catalog import Catalog
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
    from musterm.frameworks.catalog import check_files
    from musterm.locations import extra_framework_dirs

    problems = check_files(args.files, extra_framework_dirs(args.frameworks))
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{len(args.files)} fil(er) i orden.", file=sys.stderr)
    return 1 if problems else 0


def open_store(args: argparse.Namespace, *, write: bool):  # noqa: ANN201
    from musterm.locations import sessions_dir
    from musterm.store.repository import Store

    root = sessions_dir(args.sessions)
    if write:
        return Store.open(root)
    writable = (root / ".git").is_dir() and os.access(root, os.W_OK)
    return Store.open(root, writable=writable)


@command("list", "vis medarbejdere og deres samtaler, nyeste først")
def list_command(args: argparse.Namespace) -> int:
    from musterm.store.listing import format_listing

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
    from musterm.store.planning import plan_conversation

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
    sys.stdout.write(render_text(to_data(session)))
    return 0


def _history_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("employee", metavar="MEDARBEJDER", help="mappenavn, navn eller medarbejdernummer")


@command("history", "vis en medarbejders samtaler og scorer år for år", _history_arguments)
def history_command(args: argparse.Namespace) -> int:
    from musterm.history.conversations import EmployeeHistory
    from musterm.history.trends import format_history

    store = open_store(args, write=False)
    history = EmployeeHistory.of(store, args.employee)
    if not history.sessions and not history.damaged:
        raise MustermError(f"{args.employee} har ingen samtaler endnu.")
    sys.stdout.write(format_history(history))
    return 0


def _diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("employee", metavar="MEDARBEJDER", help="mappenavn, navn eller medarbejdernummer")
    parser.add_argument(
        "dates",
        nargs="*",
        metavar="DATO",
        help="to samtaler (ÅÅÅÅ-MM-DD eller filnavn); standard: de to seneste. Én dato: den og samtalen før",
    )


@command("diff", "vis hvad der er ændret mellem to af en medarbejders samtaler", _diff_arguments)
def diff_command(args: argparse.Namespace) -> int:
    from musterm.history.conversations import EmployeeHistory
    from musterm.history.diff import diff_sessions, format_diff

    if len(args.dates) > 2:
        raise MustermError("Angiv højst to samtaler: musterm diff MEDARBEJDER [DATO1 DATO2]")
    store = open_store(args, write=False)
    history = EmployeeHistory.of(store, args.employee)
    for path, message in history.damaged:
        print(f"musterm: springer over {path}: {message}", file=sys.stderr)
    sessions = history.sessions
    if len(args.dates) == 2:
        first, second = (_pick_session(sessions, text) for text in args.dates)
    elif len(args.dates) == 1:
        second = _pick_session(sessions, args.dates[0])
        index = sessions.index(second)
        if index == 0:
            raise MustermError(f"Der er ingen samtale før {_session_name(second[0])} at sammenligne med.")
        first = sessions[index - 1]
    else:
        if len(sessions) < 2:
            count = "kun én samtale" if sessions else "ingen samtaler"
            raise MustermError(f"{args.employee} har {count}; der skal to til en sammenligning.")
        first, second = sessions[-2], sessions[-1]
    name = second[1].employee.name
    print(f"{name}: {_session_name(first[0])} → {_session_name(second[0])}")
    print()
    sys.stdout.write(format_diff(diff_sessions(first[1], second[1])))
    return 0


def _session_name(relative: str) -> str:
    return relative.rsplit("/", 1)[-1].removesuffix(".toml")


def _pick_session(sessions, text: str):  # noqa: ANN001, ANN202 - (path, Session) pairs
    """A conversation by date (ÅÅÅÅ-MM-DD), file name or path."""
    wanted = text.strip().removesuffix(".toml").rsplit("/", 1)[-1]
    exact = [pair for pair in sessions if pair[0].rsplit("/", 1)[-1].removesuffix(".toml") == wanted]
    if len(exact) == 1:
        return exact[0]
    by_date = [pair for pair in sessions if pair[1].date.isoformat() == wanted]
    if len(by_date) == 1:
        return by_date[0]
    if len(by_date) > 1:
        names = ", ".join(path.rsplit("/", 1)[-1] for path, _ in by_date)
        raise MustermError(f"Der er flere samtaler den {wanted}: {names}. Angiv filnavnet.")
    known = ", ".join(session.date.isoformat() for _, session in sessions) or "ingen"
    raise MustermError(f"Ingen samtale passer på '{text}' (samtaler: {known}).")


def _search_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="+", metavar="TEKST", help="teksten der søges efter (store og små bogstaver er ligegyldige)")


@command("search", "søg i alle samtaler efter en tekst i noter, svar og planer", _search_arguments)
def search_command(args: argparse.Namespace) -> int:
    from musterm.history.search import format_search, search

    store = open_store(args, write=False)
    text = " ".join(args.text)
    hits = search(store, text)
    sys.stdout.write(format_search(hits, text))
    return 0 if hits else 1


def _log_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("employee", nargs="?", metavar="MEDARBEJDER", help="kun denne medarbejders samtaler")
    parser.add_argument("-n", "--max", type=int, metavar="ANTAL", dest="limit", help="vis kun de seneste ANTAL ændringer")


@command("log", "vis historikken: hvem ændrede hvilken samtale hvornår", _log_arguments)
def log_command(args: argparse.Namespace) -> int:
    from musterm.history.conversations import resolve_employee
    from musterm.history.log import format_log, log_entries

    store = open_store(args, write=False)
    folder = resolve_employee(store, args.employee) if args.employee else None
    sys.stdout.write(format_log(log_entries(store, folder, args.limit)))
    return 0


# --- before and after the conversation: invitation, preparation form, export, calendar ----------


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
    with store.lock_for_editing(relative):
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
    _output_argument(parser)


@command("export", "skriv samtalen som dokument: Markdown, eller HTML der kan udskrives som PDF", _export_arguments)
def export_command(args: argparse.Namespace) -> int:
    from musterm.documents.export import export_html, export_markdown

    store, _, session = _load_target(args)
    entry = catalog_for(args).entry(session.framework.id)
    framework = entry.framework if entry else None
    render = export_html if args.format == "html" else export_markdown
    _deliver(args, store, render(session, args.audience, framework), "Dokumentet er")
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


if __name__ == "__main__":
    sys.exit(main())
