"""Commands that read the history: history, diff, search, log."""

from __future__ import annotations

import argparse
import sys

from musterm.cli.common import open_store
from musterm.cli.parser import command
from musterm.errors import MustermError


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
    parser.add_argument("--employee", metavar="MEDARBEJDER", help="kun denne medarbejders samtaler (navn, nummer eller mappe)")
    parser.add_argument("--year", type=int, metavar="ÅR", help="kun samtaler fra dette år")
    parser.add_argument("--field", metavar="FELT", help="kun felter hvis navn indeholder FELT (fx Noter, Udviklingsplan, Privat)")
    parser.add_argument(
        "--phrase", action="store_true", help="ordene i rækkefølge, med mellemrum eller linjeskift imellem"
    )


@command("search", "søg i alle samtaler efter en tekst i noter, svar og planer", _search_arguments)
def search_command(args: argparse.Namespace) -> int:
    from musterm.history.search import format_search, search

    from musterm.cli.progress import index_progress

    store = open_store(args, write=False)
    text = " ".join(args.text)
    hits = search(
        store, text, employee=args.employee, year=args.year, field=args.field, phrase=args.phrase,
        progress=index_progress(),
    )
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
