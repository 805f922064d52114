"""What every command-line tool owes its user: --version, exit codes, shell completion, a license."""

from __future__ import annotations

import argparse
import os
import platform
import stat
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import musterm
from musterm.cli.main import main
from musterm.cli.parser import _COMMANDS

REPO = Path(__file__).resolve().parent.parent
MUSTERM = str(Path(sys.executable).with_name("musterm"))


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


# --- the version, written once -------------------------------------------------------------------


def test_the_version_is_written_once_and_the_installed_package_reports_it() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "musterm/__init__.py"
    assert metadata.version("musterm") == musterm.__version__


def test_version_says_what_runs_and_where_musterm_finds_its_files(musterm_cli) -> None:  # noqa: ANN001
    code, out, err = musterm_cli("--version")
    assert (code, err) == (0, "")
    assert out == (
        f"musterm {musterm.__version__}\n"
        f"Python {platform.python_version()} ({sys.executable})\n"
        f"Textual {metadata.version('textual')}\n"
        "Indstillinger: ~/.config/musterm/config.toml (findes ikke; musterm bruger standardindstillinger)\n"
        "Samtaler: ~/.local/share/musterm/sessions (standard)\n"
        f"Rammer: {REPO / 'frameworks'} (indbygget)\n"
    )


def test_version_names_the_chosen_folders(tmp_path: Path, musterm_cli) -> None:  # noqa: ANN001
    code, out, _ = musterm_cli("--sessions", str(tmp_path / "mus"), "--frameworks", str(tmp_path / "hr"), "--version")
    assert code == 0
    assert f"Samtaler: {tmp_path / 'mus'} (kommandolinjen)\n" in out
    assert out.endswith(f"(indbygget)\n        {tmp_path / 'hr'}\n")


def test_version_imports_no_textual() -> None:
    probe = "import sys; from musterm.cli.main import main; main(['--version']); print('textual' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    assert completed.stdout.splitlines()[-1] == "False"


def test_the_license_file_matches_pyproject() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n\nCopyright (c) ")


# --- exit codes ---------------------------------------------------------------------------------------


def test_bad_usage_exits_2(musterm_cli) -> None:  # noqa: ANN001
    code, out, err = musterm_cli("new", "--employee", "Anna")
    assert (code, out) == (2, "")
    assert err.endswith("musterm new: følgende argumenter skal angives: --framework\nSe: musterm new --help\n")


def test_what_cannot_be_done_exits_1(tmp_path: Path, musterm_cli) -> None:  # noqa: ANN001
    code, out, err = musterm_cli("--sessions", str(tmp_path / "none"), "show", "Anna")
    assert (code, out) == (1, "")
    assert err == f"musterm: Der er ingen samtaler endnu: {tmp_path / 'none'} findes ikke.\n"


def test_a_bug_exits_70_with_a_danish_message_and_the_traceback_in_a_private_file(
    musterm_cli, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise KeyError("samtale-id")

    monkeypatch.setitem(_COMMANDS, "list", _COMMANDS["list"]._replace(handler=broken))
    code, out, err = musterm_cli("list")
    assert (code, out) == (70, "")
    reports = list((Path(os.environ["XDG_STATE_HOME"]) / "musterm").iterdir())
    assert len(reports) == 1
    report = reports[0]
    assert err == (
        "musterm: uventet fejl i musterm (KeyError). Det er ikke noget, du gjorde forkert, og intet er "
        f"overskrevet. Detaljerne er gemt i {report}; send gerne filen til den, der vedligeholder musterm.\n"
    )
    assert "Traceback" not in err
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700
    text = report.read_text()
    assert text.startswith(f"musterm {musterm.__version__}, Python {platform.python_version()}")
    assert "Traceback (most recent call last):" in text
    assert "KeyError: 'samtale-id'" in text


def test_a_bug_is_still_reported_when_the_report_cannot_be_written(
    tmp_path: Path, musterm_cli, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("boom")

    blocked = tmp_path / "state"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    monkeypatch.setitem(_COMMANDS, "list", _COMMANDS["list"]._replace(handler=broken))
    code, _, err = musterm_cli("list")
    assert code == 70
    assert err.startswith("musterm: uventet fejl i musterm (RuntimeError).")
    assert "Detaljerne kunne ikke gemmes (" in err and "kør igen med MUSTERM_DEBUG=1" in err
    assert "Traceback" not in err


def test_exit_codes_are_documented_in_the_help_and_the_readme(musterm_cli) -> None:  # noqa: ANN001
    _, out, _ = musterm_cli("--help")
    flat = " ".join(out.split())
    assert "Afslutningskoder: 0 i orden; 1" in flat and "2 forkert brug" in flat and "70 en fejl i musterm" in flat
    readme = (REPO / "README.md").read_text()
    assert "| 70 |" in readme and "| 2 |" in readme and "| 1 |" in readme


# --- shell completion ---------------------------------------------------------------------------------


def completions(script: str, *words: str) -> list[str]:
    """What bash offers after `musterm WORDS` with the generated script loaded."""
    line = " ".join(("musterm", *words))
    program = (
        f"source /dev/stdin <<'EOF'\n{script}\nEOF\n"
        f"COMP_WORDS=(musterm {' '.join(repr(w) for w in words)}); COMP_CWORD={len(words)}; "
        f"COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}; _shtab_musterm; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    )
    completed = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return completed.stdout.splitlines()


def test_bash_completion_completes_commands_options_and_choices(musterm_cli) -> None:  # noqa: ANN001
    code, script, err = musterm_cli("completion", "bash")
    assert (code, err) == (0, "")
    assert completions(script, "pre") == ["prep-form", "prep-import"]
    assert completions(script, "new", "--fr") == ["--frameworks", "--framework"]
    assert completions(script, "export", "Anna", "--for", "") == ["employee", "personnel-file"]
    assert completions(script, "completion", "") == ["bash", "zsh", "tcsh"]
    assert completions(script, "config", "") == ["show", "set", "unset"]


def test_zsh_completion_knows_the_commands(musterm_cli) -> None:  # noqa: ANN001
    code, script, _ = musterm_cli("completion", "zsh")
    assert code == 0
    assert script.startswith("#compdef musterm\n")
    assert "prep-import:'indlæs medarbejderens udfyldte forberedelsesskema i samtalen (egne scorer og noter)'" in script
    assert "_files" in script  # FIL arguments complete as files


def test_completion_of_an_unknown_shell_is_bad_usage(musterm_cli) -> None:  # noqa: ANN001
    code, _, err = musterm_cli("completion", "fish")
    assert code == 2
    assert "musterm completion: argumentet SKAL: ugyldigt valg: 'fish' (vælg mellem 'bash', 'zsh', 'tcsh')" in err


def test_the_installed_command_runs_the_same(tmp_path: Path) -> None:
    """The console script, not just main(): exit code and Danish message, from a fresh process."""
    completed = subprocess.run([MUSTERM, "lst"], capture_output=True, text=True, cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr.startswith("brug: musterm ")
    assert "musterm: argumentet KOMMANDO: ugyldigt valg: 'lst'" in completed.stderr
