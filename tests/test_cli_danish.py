"""argparse in Danish: every help text, and every message argparse gives for bad usage."""

from __future__ import annotations

import os

import pytest

from musterm.cli import danish
from musterm.cli.main import main
from musterm.cli.parser import _COMMANDS

# What argparse says in English when nobody translates it.
ENGLISH = (
    "usage:", "positional arguments", "options:", "optional arguments", "show this help message",
    "subcommands", "the following arguments are required", "invalid choice", "unrecognized arguments",
    "expected one argument", "error:", "invalid int value", "ambiguous option", "ignored explicit argument",
)


@pytest.fixture
def musterm_cli(capsys: pytest.CaptureFixture[str]):  # noqa: ANN201
    """Run `musterm ARGS` in this process; returns (exit code, stdout, stderr), SystemExit included."""

    def run(*args: str) -> tuple[int, str, str]:
        umask = os.umask(0o077)
        os.umask(umask)
        try:
            code = main(list(args))
        except SystemExit as exit:
            code = exit.code
        finally:
            os.umask(umask)
        out, err = capsys.readouterr()
        return code, out, err

    return run


# --- Danish help and argparse messages ------------------------------------------------------------------


@pytest.mark.parametrize("command", [None, *_COMMANDS, "config set", "config unset", "config show"])
def test_every_help_is_danish(musterm_cli, command: str | None) -> None:  # noqa: ANN001
    args = [*(command.split() if command else []), "--help"]
    code, out, _ = musterm_cli(*args)
    assert code == 0
    assert out.startswith(f"brug: musterm{' ' + command if command else ''} ")
    assert "  -h, --help " in out and "vis denne hjælp og afslut" in out
    assert "tilvalg:\n" in out
    for english in ENGLISH:
        assert english not in out, (command, english)


def test_help_lists_the_commands_under_a_danish_heading(musterm_cli) -> None:  # noqa: ANN001
    _, out, _ = musterm_cli("--help")
    assert "\nkommandoer:\n  KOMMANDO\n    frameworks " in out
    _, out, _ = musterm_cli("check", "--help")
    assert "\nargumenter:\n  FIL " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new"], "musterm new: følgende argumenter skal angives: --employee, --framework"),
        (["lst"], "musterm: argumentet KOMMANDO: ugyldigt valg: 'lst' (vælg mellem 'frameworks', 'check', "),
        (["list", "--all"], "musterm: ukendte argumenter: --all"),
        (["new", "--employee", "A", "--framework", "randers", "--birth-year", "x"],
         "musterm new: argumentet --birth-year: 'x' er ikke et heltal"),
        (["check", "--frameworks"], "musterm check: argumentet --frameworks: mangler en værdi"),
        (["new", "--fr", "x"], "musterm new: tvetydigt tilvalg: --fr kan være --frameworks, --framework"),
        (["--version=ja"], "musterm: argumentet --version: tager ingen værdi (fik 'ja')"),
        (["export", "Anna", "--format", "pdf"],
         "musterm export: argumentet --format: ugyldigt valg: 'pdf' (vælg mellem 'md', 'html')"),
    ],
    ids=["required", "invalid-choice", "unrecognized", "invalid-type", "expected-one", "ambiguous", "explicit",
         "choice-of-option"],
)
def test_argparse_errors_are_danish(musterm_cli, args: list[str], message: str) -> None:  # noqa: ANN001
    code, out, err = musterm_cli(*args)
    assert (code, out) == (2, "")
    assert err.startswith("brug: musterm")
    lines = err.splitlines()
    assert lines[-2].startswith(message), lines[-2]
    assert lines[-1].startswith("Se: musterm") and lines[-1].endswith(" --help")
    for english in ENGLISH:
        assert english not in err


# The English message ids argparse formats its errors from (Python 3.11-3.13), with example values.
ARGPARSE_MESSAGES = [
    ("argument %(argument_name)s: %(message)s", {"argument_name": "--x", "message": "expected one argument"},
     "argumentet --x: mangler en værdi"),
    ("the following arguments are required: %s", ("--a, --b",), "følgende argumenter skal angives: --a, --b"),
    ("unrecognized arguments: %s", ("--c",), "ukendte argumenter: --c"),
    ("invalid choice: %(value)r (choose from %(choices)s)", {"value": "x", "choices": "'a', 'b'"},
     "ugyldigt valg: 'x' (vælg mellem 'a', 'b')"),
    ("invalid %(type)s value: %(value)r", {"type": "int", "value": "x"}, "'x' er ikke et heltal"),
    ("expected one argument", (), "mangler en værdi"),
    ("expected at most one argument", (), "tager højst én værdi"),
    ("expected at least one argument", (), "mangler mindst én værdi"),
    ("expected %s argument", ("1",), "tager 1 værdi"),
    ("expected %s arguments", ("2",), "tager 2 værdier"),
    ("not allowed with argument %s", ("--y",), "kan ikke bruges sammen med --y"),
    ("ignored explicit argument %r", ("v",), "tager ingen værdi (fik 'v')"),
    ("one of the arguments %s is required", ("--a --b",), "et af argumenterne --a --b skal angives"),
    ("ambiguous option: %(option)s could match %(matches)s", {"option": "--f", "matches": "--fa, --fb"},
     "tvetydigt tilvalg: --f kan være --fa, --fb"),
    ("unknown parser %(parser_name)r (choices: %(choices)s)", {"parser_name": "x", "choices": "a, b"},
     "ukendt kommando 'x' (mulige: a, b)"),
    ("can't open '%(filename)s': %(error)s", {"filename": "f", "error": "nope"}, "kan ikke åbne 'f': nope"),
    ("unexpected option string: %s", ("--z",), "uventet tilvalg: --z"),
]


@pytest.mark.parametrize(("message_id", "values", "danish_text"), ARGPARSE_MESSAGES, ids=[m[0] for m in ARGPARSE_MESSAGES])
def test_every_argparse_message_has_a_danish_text(message_id: str, values: object, danish_text: str) -> None:
    english = message_id % values if values else message_id
    assert danish.translate(english) == danish_text


def test_the_catalog_holds_exactly_the_message_ids_tested() -> None:
    assert {english for english, _ in danish.CATALOG} == {message_id for message_id, _, _ in ARGPARSE_MESSAGES}


def test_a_message_that_is_not_argparses_is_left_as_it_is() -> None:
    assert danish.translate("Noget helt andet: 42") == "Noget helt andet: 42"


def test_the_installed_command_is_danish_in_an_english_locale(tmp_path) -> None:  # noqa: ANN001
    """`musterm --help` and a usage error from the console script itself, as a shell runs it, with
    an English locale: the Danish comes from musterm, not from the system's translations."""
    import subprocess
    import sys
    from pathlib import Path

    musterm = str(Path(sys.executable).with_name("musterm"))
    env = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8", "LANGUAGE": "en"}
    shown = subprocess.run([musterm, "--help"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert shown.returncode == 0
    assert shown.stdout.startswith("brug: musterm [-h] ")
    assert "\ntilvalg:\n  -h, --help " in shown.stdout and "\nkommandoer:\n" in shown.stdout
    wrong = subprocess.run([musterm, "new", "--employee", "Anna"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("brug: musterm new ")
    assert "musterm new: følgende argumenter skal angives: --framework\n" in wrong.stderr
    for english in ENGLISH:
        assert english not in shown.stdout + wrong.stderr, english
