"""`musterm remote`, `musterm sync` and `musterm hook pre-receive` (the remote admin's hook)."""

from __future__ import annotations

import argparse
import sys

from musterm.cli.common import open_store
from musterm.cli.parser import command


def _remote_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="remote_action", metavar="HANDLING", title="handlinger")
    actions.add_parser("show", help="vis fjernrepoet, og hvor langt samtalearkivet er foran eller bagud (standard)",
                       description="vis fjernrepoet, og hvor langt samtalearkivet er foran eller bagud")
    setter = actions.add_parser("set", help="brug ADRESSE som privat fjernrepo (en sti til et bare repo, ssh://...)",
                                description="brug ADRESSE som privat fjernrepo for samtalearkivet")
    setter.add_argument("url", metavar="ADRESSE", help="fx /srv/backup/lis.git eller ssh://server/~/mus.git")


@command(
    "remote",
    "vis eller sæt samtalearkivets private fjernrepo (til sikkerhedskopi og flere computere)",
    _remote_arguments,
    epilog="Fjernrepoet bør være privat: alt i historikken kommer med, også private noter. "
    "Se sessions/README.md om sikkerhedskopi og synkronisering.",
)
def remote_command(args: argparse.Namespace) -> int:
    from musterm.store.remote import position, remote_url, set_remote

    if args.remote_action == "set":
        print(set_remote(open_store(args, write=True), args.url))
        return 0
    store = open_store(args, write=False)
    url = remote_url(store)
    if url is None:
        print("Der er intet fjernrepo. Sæt et op med: musterm remote set ADRESSE")
        return 0
    print(f"Fjernrepo: {url}")
    print(f"Status (ved sidste synkronisering): {position(store).describe()}")
    return 0


@command(
    "sync",
    "synkronisér samtalearkivet med fjernrepoet: commit, hent, skub",
    epilog="Committer først alt, musterm har gemt, henter fjernrepoets ændringer (git pull --rebase) og skubber "
    "derefter. En samtale, der er ændret begge steder, stopper synkroniseringen med begge versioner i filen; "
    "ret den, og kør musterm sync igen. En samtale, musterm ikke kan læse, skubbes aldrig.",
)
def sync_command(args: argparse.Namespace) -> int:
    from musterm.store.remote import sync

    result = sync(open_store(args, write=True))
    print(result.describe())
    if result.skipped:
        print("musterm: ikke synkroniseret (rettet uden for musterm og ikke committet): " + ", ".join(result.skipped),
              file=sys.stderr)
    return 0


def _hook_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("hook", choices=["pre-receive"], metavar="HOOK", help="pre-receive")


@command(
    "hook",
    "git-hook til fjernrepoet: afvis et push med en samtale, musterm ikke kan læse",
    _hook_arguments,
    epilog="Til administratoren af fjernrepoet: læg en fil hooks/pre-receive i det bare repo med indholdet "
    "'#!/bin/sh' og 'exec musterm hook pre-receive' (og gør den kørbar). Så afvises et push med en samtale, "
    "musterm ikke kan læse, med FIL:LINJE: nøgle: besked.",
)
def hook_command(args: argparse.Namespace) -> int:
    from musterm.store.remote_hook import pre_receive

    problems = pre_receive(sys.stdin)
    if problems:
        print("musterm: push afvist: disse samtaler kan musterm ikke læse:", file=sys.stderr)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    return 0
