"""`musterm config`: what the settings are and where each comes from; `config set` and `config unset`."""

from __future__ import annotations

import argparse
import os
import sys

from musterm.cli.common import settings_for
from musterm.cli.parser import command


def describe_locations(args: argparse.Namespace) -> list[str]:
    """Where musterm finds its config file, the sessions and the frameworks (for --version and config)."""
    from musterm.locations import bundled_frameworks_dir, shown_path

    settings = settings_for(args)
    exists = settings.config_file.exists()
    file_note = "" if exists else " (findes ikke; musterm bruger standardindstillinger)"
    lines = [
        f"Indstillinger: {shown_path(settings.config_file)}{file_note}",
        f"Samtaler: {shown_path(settings.sessions)} ({settings.sessions_origin})",
        f"Rammer: {shown_path(bundled_frameworks_dir())} (indbygget)",
    ]
    lines += [f"        {shown_path(folder)}" for folder in settings.frameworks]
    return lines


def _config_arguments(parser: argparse.ArgumentParser) -> None:
    from musterm.config import SETTABLE

    actions = parser.add_subparsers(dest="config_action", metavar="HANDLING", title="handlinger")
    actions.add_parser("show", help="vis indstillingerne, og hvor hver kommer fra (standard)",
                       description="vis indstillingerne, og hvor hver kommer fra")
    setter = actions.add_parser(
        "set", help="gem en indstilling i indstillingsfilen (kommentarer bevares)",
        description="gem en indstilling i indstillingsfilen; filens kommentarer og opsætning bevares",
    )
    setter.add_argument("key", metavar="NØGLE", help=f"en af: {', '.join(SETTABLE)}")
    setter.add_argument("values", nargs="+", metavar="VÆRDI", help="værdien (frameworks: en eller flere mapper)")
    remover = actions.add_parser("unset", help="fjern en indstilling fra indstillingsfilen",
                                 description="fjern en indstilling fra indstillingsfilen; så gælder standarden")
    remover.add_argument("key", metavar="NØGLE", help=f"en af: {', '.join(SETTABLE)}")


@command(
    "config",
    "vis eller ret indstillingerne (lederens navn og e-mail, samtalemappen, rammer, tema, taster)",
    _config_arguments,
    epilog="Eksempler: musterm config set manager.email lis.leder@kommune.dk; "
    "musterm config set manager.name 'Lis Leder'; musterm config set keys.new ctrl+n.",
)
def config_command(args: argparse.Namespace) -> int:
    if args.config_action in ("set", "unset"):
        return _change(args, args.key, getattr(args, "values", None))
    settings = settings_for(args)
    manager = settings.manager
    email = f" <{manager.email}>" if manager.email else " (ingen e-mail: musterm config set manager.email ...)"
    lines = [
        *describe_locations(args),
        f"Leder: {manager.name}{email} ({manager.origin})",
        f"Tema: {settings.theme} ({settings.theme_origin})",
    ]
    lines += [f"Tast: {binding} = {keys}" for binding, keys in sorted(settings.keymap.items())]
    print("\n".join(lines))
    return 0


def _change(args: argparse.Namespace, key: str, values: list[str] | None) -> int:
    from musterm.config import edited_text
    from musterm.formats.tomlsource import read_text
    from musterm.locations import make_private_dirs, shown_path
    from musterm.store.durable import write_atomic

    file = settings_for(args).config_file
    target = file.resolve() if file.is_symlink() else file  # a dotfiles link stays a link
    text = read_text(target) if target.exists() else ""
    if values is not None and key in ("sessions", "frameworks"):
        values = [value if value.startswith("~") else os.path.abspath(value) for value in values]
    if values is not None and key == "theme":
        _check_theme(values)
    changed = edited_text(file, text, key, values)
    if changed == text:
        unchanged = "har allerede den værdi" if values is not None else "står ikke"
        print(f"{key} {unchanged} i {shown_path(file)}; intet ændret.", file=sys.stderr)
        return 0
    make_private_dirs(target.parent)
    write_atomic(target, changed.encode("utf-8"))
    shown = " ".join(values) if values is not None else ""
    print(f"{key} = {shown} gemt i {shown_path(file)}" if values is not None else f"{key} fjernet fra {shown_path(file)}")
    return 0


def _check_theme(values: list[str]) -> None:
    from textual.theme import BUILTIN_THEMES  # only here: no other command imports Textual

    from musterm.errors import MustermError

    if len(values) == 1 and values[0] not in BUILTIN_THEMES:
        raise MustermError(f"ukendt tema '{values[0]}' (mulige: {', '.join(sorted(BUILTIN_THEMES))})")
