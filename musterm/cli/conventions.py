"""What every command-line tool should have: --version, exit codes, shell completion, a crash report.

Exit codes: 0 done; 1 what was asked could not be done, and the Danish message says why
(`search`: nothing found, like grep; the app: text not saved); 2 the command was used wrongly
(argparse); 3 the app: saved, but not all committed (app/leaving.py); 70 a bug in
musterm (EX_SOFTWARE from sysexits.h): a Danish message, and the traceback in a file in the
user's state folder; 130 interrupted with ctrl+c.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from pathlib import Path

from musterm.cli.parser import command

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


def version() -> str:
    from musterm import __version__

    return __version__


def version_text(args: argparse.Namespace) -> tuple[str, bool]:
    """`musterm --version`: versions, then where musterm finds its files; False if the settings are wrong."""
    from musterm.errors import MustermError

    lines = [
        f"musterm {version()}",
        f"Python {sys.version.split()[0]} ({sys.executable})",
        f"Textual {_installed_version('textual')}",
    ]
    try:
        from musterm.cli.settings import describe_locations

        lines += describe_locations(args)
        return "\n".join(lines) + "\n", True
    except MustermError as error:
        from musterm.locations import default_config_file

        lines += [f"Indstillinger: {default_config_file()}", f"musterm: {error}"]
        return "\n".join(lines) + "\n", False


def _installed_version(name: str) -> str:
    """A package's version without importing it (Textual takes a while to import)."""
    from importlib import metadata  # here: it imports email, zipfile and more, which start-up needs not

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "ikke installeret"


def _platform() -> str:
    import platform  # here: only a crash report needs it

    return platform.platform()


def report_internal_error(error: BaseException) -> str:
    """The Danish message for a bug, after writing its traceback to a private file."""
    where = _write_report(error)
    saved = (
        f"Detaljerne er gemt i {where}; send gerne filen til den, der vedligeholder musterm."
        if isinstance(where, Path)
        else f"Detaljerne kunne ikke gemmes ({where}); kør igen med MUSTERM_DEBUG=1 for at se dem."
    )
    return (
        f"musterm: uventet fejl i musterm ({type(error).__name__}). Det er ikke noget, du gjorde forkert, "
        f"og intet er overskrevet. {saved}"
    )


def _write_report(error: BaseException) -> Path | str:
    from musterm.errors import MustermError
    from musterm.locations import make_private_dirs, state_dir

    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    text = (
        f"musterm {version()}, Python {sys.version.split()[0]}, Textual {_installed_version('textual')}, "
        f"{_platform()}\n{stamp}\n\n" + "".join(traceback.format_exception(error))
    )
    try:
        folder = make_private_dirs(state_dir())
        path = folder / f"fejl-{stamp}-{os.getpid()}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except (OSError, MustermError) as problem:
        return str(problem)
    return path


# --- shell completion --------------------------------------------------------------------------

SHELLS = ("bash", "zsh", "tcsh")


def _completion_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, metavar="SKAL", help=f"skallen: {', '.join(SHELLS)}")


@command(
    "completion",
    "skriv et script, der lader skallen fuldføre musterms kommandoer og tilvalg",
    _completion_arguments,
    epilog="Eksempler: musterm completion bash > ~/.local/share/bash-completion/completions/musterm; "
    "musterm completion zsh > ~/.zfunc/_musterm (med fpath+=~/.zfunc før compinit i ~/.zshrc).",
)
def completion_command(args: argparse.Namespace) -> int:
    import shtab

    from musterm.cli.parser import build_parser

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return EXIT_OK
