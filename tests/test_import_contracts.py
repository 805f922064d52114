"""The layers of musterm/, as import-linter contracts (pyproject.toml, [tool.importlinter]).

tests/test_import_hygiene.py checks what a command imports when it runs; this checks every
import written anywhere, those inside functions included, against the layering the README
describes: model and formats import neither the store nor the app nor Textual, the store,
history and documents import no app, and all imports run one way, without a cycle.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint(*config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", *map(str, config)],
        capture_output=True, text=True, cwd=REPO, timeout=300, check=False,
    )


def test_the_import_contracts_are_kept() -> None:
    result = lint()
    contracts = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert len(contracts) >= 6
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in contracts:
        assert f"{contract['name']} KEPT" in result.stdout
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


def test_the_linter_sees_imports_made_inside_functions(tmp_path: Path) -> None:
    """A control: the command line imports the app only inside main(), and import-linter still sees it."""
    config = tmp_path / "control.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "musterm"\n\n'
        '[[tool.importlinter.contracts]]\nname = "control"\ntype = "forbidden"\n'
        'source_modules = ["musterm.cli.main"]\nforbidden_modules = ["musterm.app"]\n'
    )
    source = (REPO / "musterm" / "cli" / "main.py").read_text().splitlines()
    lazy = next(number for number, line in enumerate(source, 1) if line == "            from musterm.app.run import run_app")
    result = lint(config)
    assert result.returncode == 1
    assert "control BROKEN" in result.stdout
    assert f"musterm.cli.main -> musterm.app.run (l.{lazy})" in result.stdout
