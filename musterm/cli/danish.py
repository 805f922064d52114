"""argparse in Danish: its headings, its own help texts and every message it gives for bad usage.

argparse builds its texts with gettext from English message ids. We don't install a
process-wide gettext catalog (that would hang on the user's locale and on files outside
the package); instead `DanishParser` gives argparse Danish headings and help texts, and
translates each error argparse produces by matching it against argparse's own message
ids, as a gettext catalog would: `CATALOG` below is that catalog. A message no entry
matches is shown as argparse wrote it (tests/test_cli_conventions.py names every kind).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

USAGE_PREFIX = "brug: "
HELP_TEXT = "vis denne hjælp og afslut"

# argparse's message ids (Python 3.11-3.13) and their Danish text. %(name)s and %s become
# {name} and {0}; a translated message's {message} part is itself translated.
CATALOG: tuple[tuple[str, str], ...] = (
    ("argument %(argument_name)s: %(message)s", "argumentet {argument_name}: {message}"),
    ("the following arguments are required: %s", "følgende argumenter skal angives: {0}"),
    ("unrecognized arguments: %s", "ukendte argumenter: {0}"),
    ("invalid choice: %(value)r (choose from %(choices)s)", "ugyldigt valg: {value} (vælg mellem {choices})"),
    ("invalid %(type)s value: %(value)r", "{value} er ikke {type}"),
    ("expected one argument", "mangler en værdi"),
    ("expected at most one argument", "tager højst én værdi"),
    ("expected at least one argument", "mangler mindst én værdi"),
    ("expected %s argument", "tager {0} værdi"),
    ("expected %s arguments", "tager {0} værdier"),
    ("not allowed with argument %s", "kan ikke bruges sammen med {0}"),
    ("ignored explicit argument %r", "tager ingen værdi (fik {0})"),
    ("one of the arguments %s is required", "et af argumenterne {0} skal angives"),
    ("ambiguous option: %(option)s could match %(matches)s", "tvetydigt tilvalg: {option} kan være {matches}"),
    ("unknown parser %(parser_name)r (choices: %(choices)s)", "ukendt kommando {parser_name} (mulige: {choices})"),
    ("can't open '%(filename)s': %(error)s", "kan ikke åbne '{filename}': {error}"),
    ("unexpected option string: %s", "uventet tilvalg: {0}"),
)

TYPE_NAMES = {"int": "et heltal", "float": "et tal", "Path": "en sti"}

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]|%[sr]")


def _pattern(message_id: str) -> re.Pattern[str]:
    parts, last, positional = [], 0, 0
    for match in _PLACEHOLDER.finditer(message_id):
        parts.append(re.escape(message_id[last : match.start()]))
        name = match.group(1) or f"_{positional}"
        positional += match.group(1) is None
        parts.append(f"(?P<{name}>.+?)")
        last = match.end()
    parts.append(re.escape(message_id[last:]))
    return re.compile("".join(parts), re.DOTALL)


_COMPILED = tuple((_pattern(english), danish) for english, danish in CATALOG)


def translate(message: str) -> str:
    """argparse's English message in Danish; unchanged if it is none of argparse's messages."""
    for pattern, danish in _COMPILED:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        named = match.groupdict()
        if "message" in named:
            named["message"] = translate(named["message"])
        if "type" in named:
            named["type"] = TYPE_NAMES.get(named["type"], named["type"])
        positional = [named.pop(key) for key in sorted(key for key in named if key.startswith("_"))]
        return danish.format(*positional, **named)
    return message


class DanishHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # noqa: ANN001
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class DanishParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Danish; its subcommands' parsers are DanishParsers too."""

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("formatter_class", DanishHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        # The two headings argparse creates itself; there is no public way to name them.
        self._positionals.title = "argumenter"
        self._optionals.title = "tilvalg"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_TEXT)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {translate(message)}\nSe: {self.prog} --help\n")
