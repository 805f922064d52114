"""Commands for the life of a conversation beyond the meeting: erase (and, in cli/remote.py, sync)."""

from __future__ import annotations

import argparse
import sys

from musterm.cli.common import open_store
from musterm.cli.parser import command
from musterm.errors import MustermError


def confirm(question: str, assume_yes: bool) -> bool:
    """Ask on the terminal; only 'ja' goes on. Without a terminal (a script), --ja is required."""
    if assume_yes:
        return True
    print(question, file=sys.stderr)
    print("Skriv ja for at fortsætte (eller brug --ja): ", end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline() if sys.stdin else ""
    except (OSError, ValueError):
        answer = ""
    return answer.strip().casefold() == "ja"


def _erase_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("employee", metavar="MEDARBEJDER", help="medarbejderens navn, mappenavn eller nummer")
    parser.add_argument("--ja", action="store_true", help="spørg ikke om bekræftelse (til scripts)")
    parser.add_argument("--verify", action="store_true",
                        help="slet intet; sig om sletningsprotokollen viser, at MEDARBEJDER er slettet")
    parser.add_argument("--number", metavar="NR", default="", help="medarbejdernummeret (med --verify)")


@command(
    "erase",
    "slet alt om én medarbejder for altid, også i git-historikken",
    _erase_arguments,
    epilog="Sletter alt om én medarbejder: samtalefilerne, mappen, alle tidligere versioner og navnet i alle "
    "commit-beskeder (med git-filter-repo), reflogs, objekter uden reference og musterms egne "
    "mellemlagre og låse. Skriver en linje i sletninger.toml med dato, antal og en saltet hash, uden navn. "
    "Er der sat et fjernrepo op (musterm remote set), skubbes den nye historik dertil med --force.",
)
def erase_command(args: argparse.Namespace) -> int:
    from musterm.store.erase import plan_erasure, verify_erased

    store = open_store(args, write=not args.verify)
    if args.verify:
        dates = verify_erased(store.root, args.employee, args.number)
        if dates:
            print(f"Ja: sletningsprotokollen viser, at {args.employee} er slettet ({', '.join(dates)}).")
            return 0
        print(f"Nej: sletningsprotokollen har ingen sletning af {args.employee}"
              f"{' med nummer ' + args.number if args.number else ''}.")
        return 1
    plan = plan_erasure(store, args.employee)
    return run_erasure(store, plan, args.ja, reason="anmodning")


def run_erasure(store, plan, assume_yes: bool, reason: str) -> int:  # noqa: ANN001
    """Confirm, erase, push when a remote is set, and say what was done and what remains."""
    from musterm.store.erase import erase

    count = plan.count
    question = (
        f"Slet alt om {plan.shown_name} (mappen {plan.folder}): {count} samtale{'r' if count != 1 else ''} "
        "med hele deres historik, også navnet i commit-beskederne. Det kan ikke fortrydes."
    )
    if not confirm(question, assume_yes):
        print("Intet er slettet.", file=sys.stderr)
        return 1
    result = erase(store, plan, reason=reason)
    print(f"Slettet: {plan.shown_name}, {result.count} samtale{'r' if result.count != 1 else ''}, "
          f"med hele historikken. Sletningen er noteret i {store.root / 'sletninger.toml'} (uden navn).")
    if result.leftovers:
        print("musterm: ADVARSEL: navnet findes stadig i: " + ", ".join(result.leftovers), file=sys.stderr)
    if result.mentioned_elsewhere:
        print("musterm: bemærk: andre medarbejderes samtaler nævner stadig navnet (de er ikke ændret): "
              + ", ".join(result.mentioned_elsewhere), file=sys.stderr)
    return _after_erasure_remote(store) if not result.leftovers else 1


def _after_erasure_remote(store) -> int:  # noqa: ANN001
    from musterm.store.remote import after_rewrite

    try:
        for line in after_rewrite(store):
            print(line)
    except MustermError as error:
        print(f"musterm: {error}", file=sys.stderr)
        return 1
    return 0


def _handover_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("employee", metavar="MEDARBEJDER", help="medarbejderens navn, mappenavn eller nummer")
    parser.add_argument("--to", required=True, metavar="MAPPE|ADRESSE",
                        help="den nye leders samtalearkiv: en mappe, eller dens fjernrepo (sti eller URL)")
    parser.add_argument("--ja", action="store_true", help="spørg ikke om bekræftelse (til scripts)")


@command(
    "handover",
    "overdrag én medarbejders samtaler med historik til en anden leder, og slet dem her",
    _handover_arguments,
    epilog="Flytter medarbejderens samtaler med hele deres historik (scorer, planer, noter, commit-beskeder) over i "
    "den nye leders samtalearkiv, kontrollerer at de er kommet frem, og sletter dem derefter her som musterm "
    "erase. Private noter følger med: de er en del af samtalen.",
)
def handover_command(args: argparse.Namespace) -> int:
    from musterm.store.erase import plan_erasure
    from musterm.store.handover import hand_over

    store = open_store(args, write=True)
    plan = plan_erasure(store, args.employee)
    count = plan.count
    question = (f"Overdrag {plan.shown_name} ({count} samtale{'r' if count != 1 else ''} med historik) til "
                f"{args.to}, og slet dem derefter her?")
    if not confirm(question, args.ja):
        print("Intet er overdraget eller slettet.", file=sys.stderr)
        return 1
    result = hand_over(store, plan, args.to)
    print(f"Overdraget: {plan.shown_name}, {result.count} samtale{'r' if result.count != 1 else ''} og "
          f"{result.commits} commits, til {result.target}.")
    return run_erasure(store, plan, True, reason="overdraget")


def _leave_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("employee", metavar="MEDARBEJDER", help="medarbejderens navn, mappenavn eller nummer")
    parser.add_argument("--date", metavar="ÅÅÅÅ-MM-DD", help="fratrædelsesdatoen (standard: i dag)")


@command("leave", "notér, at en medarbejder er fratrådt (til opbevaringsperioden)", _leave_arguments)
def leave_command(args: argparse.Namespace) -> int:
    from musterm.store.retention import add_years, record_leaving

    date = _date(args.date)
    store = open_store(args, write=True)
    folder, name = record_leaving(store, args.employee, date)
    years = _years(args)
    print(f"{name} er noteret som fratrådt {date.isoformat()}. Med en opbevaringsperiode på {years} år skal "
          f"samtalerne slettes senest {add_years(date, years).isoformat()} (musterm retention).")
    return 0


def _retention_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--erase", action="store_true", help="slet alle, hvis opbevaringsperiode er udløbet")
    parser.add_argument("--ja", action="store_true", help="spørg ikke om bekræftelse (med --erase, til scripts)")
    parser.add_argument("--years", type=int, metavar="ÅR",
                        help=f"opbevaringsperioden i år efter fratræden (standard: retention_years i "
                             f"indstillingsfilen, ellers 10)")
    parser.add_argument("--today", metavar="ÅÅÅÅ-MM-DD", help=argparse.SUPPRESS)


@command("retention", "vis fratrådte medarbejdere, og hvem der skal slettes efter opbevaringsperioden",
         _retention_arguments)
def retention_command(args: argparse.Namespace) -> int:
    from musterm.store.erase import plan_erasure
    from musterm.store.retention import leavers

    years = _years(args)
    today = _date(args.today)
    store = open_store(args, write=args.erase)
    found = leavers(store, years)
    if not found:
        print("Ingen medarbejdere er noteret som fratrådt (musterm leave MEDARBEJDER --date DATO).")
        return 0
    due = [leaver for leaver in found if leaver.is_due(today)]
    print(f"Fratrådte medarbejdere; opbevaringsperiode {years} år efter fratræden:")
    width = max(len(leaver.employee) for leaver in found)
    for leaver in found:
        state = "SKAL SLETTES NU" if leaver.is_due(today) else "gemmes"
        print(f"  {leaver.employee:<{width}}  fratrådt {leaver.left.isoformat()}  "
              f"slettes senest {leaver.due.isoformat()}  {state}")
    if not args.erase:
        if due:
            print(f"{len(due)} skal slettes nu: musterm retention --erase")
        return 0
    if not due:
        print("Ingen skal slettes endnu.")
        return 0
    plans = [plan_erasure(store, leaver.folder) for leaver in due]
    total = sum(plan.count for plan in plans)
    shown = ", ".join(f"{plan.shown_name} ({plan.count})" for plan in plans)
    question = (f"Slet {len(plans)} medarbejder{'e' if len(plans) != 1 else ''} med i alt {total} samtaler og hele "
                f"deres historik: {shown}. Det kan ikke fortrydes.")
    if not confirm(question, args.ja):
        print("Intet er slettet.", file=sys.stderr)
        return 1
    code = 0
    for plan in plans:
        code = max(code, run_erasure(store, plan, True, reason="opbevaringsperiode udløbet"))
    return code


def _date(text: str | None):  # noqa: ANN202 - a datetime.date
    import datetime as dt

    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise MustermError(f"'{text}' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, fx 2026-01-31.") from None


def _years(args: argparse.Namespace) -> int:
    from musterm.cli.common import settings_for
    from musterm.store.retention import DEFAULT_YEARS

    years = getattr(args, "years", None)
    if years is None:
        years = settings_for(args).file.retention_years or DEFAULT_YEARS
    if years < 1:
        raise MustermError("Opbevaringsperioden skal være mindst 1 år.")
    return years
