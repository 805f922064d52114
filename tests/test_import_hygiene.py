"""Commands that don't open the app never import the app's heavy machinery.

Like harlequin, musterm keeps Textual (and modules only a few commands need) out of the
import path: `musterm list` on a server over SSH should answer at once. Each command runs
in a fresh interpreter, which reports the top-level packages it ended up importing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.store.repository import Store

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "frameworks"

# Never for a command that doesn't open the app (or write an export, or a calendar).
NEVER = {"textual", "rich", "tomlkit", "markdown_it", "icalendar"}
# Not even for `musterm list` once the index is up to date: it asks git what changed and reads SQLite.
NOT_FOR_LISTING = NEVER | {"pydantic", "pydantic_core", "tomli_w", "musterm.model.session", "musterm.model.framework"}

PROBE = """\
import json, sys
from musterm.cli import main as cli
try:
    code = cli.main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
names = sorted({name.split(".")[0] for name in sys.modules} | {name for name in sys.modules if name.startswith("musterm.")})
print(json.dumps({"code": code, "modules": names}), file=sys.stderr)
"""


def imported(*args: str) -> tuple[int, set[str]]:
    """Run `musterm ARGS` in a fresh interpreter: its exit code and the modules it imported."""
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
        timeout=120,
    )
    report = json.loads(completed.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three conversations; one has a note, so that `search trivsel` finds and prints a hit."""
    root = tmp_path_factory.mktemp("hygiene") / "sessions"
    for employee, date in (("Anna Sørensen", "2025-11-20"), ("Anna Sørensen", "2026-11-23"), ("Bo Ærø", "2026-11-24")):
        code, _ = imported(
            "--sessions", str(root), "new", "--employee", employee, "--framework", "haderslev",
            "--date", date, "--manager", "Lis Leder",
        )
        assert code == 0
    store = Store.open(root)
    relative = store.find("Bo Ærø")
    session = store.load(relative)
    session.question("trivsel-generelt").notes = "God trivsel på holdet"
    store.save(relative, session)
    store.commit(relative, session)
    return root


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("frameworks",),
        ("check", str(BUNDLED / "haderslev.toml")),
        ("list",),
        ("show", "Anna Sørensen"),
        ("history", "Anna Sørensen"),
        ("diff", "Anna Sørensen"),
        ("search", "trivsel"),
        ("log",),
    ],
    ids=lambda args: args[0],
)
def test_commands_never_import_textual(sessions: Path, args: tuple[str, ...]) -> None:
    code, modules = imported("--sessions", str(sessions), *args)
    assert code == 0, f"musterm {' '.join(args)} exited with {code}"
    assert not modules & NEVER, f"musterm {args[0]} imported {sorted(modules & NEVER)}"


def test_new_never_imports_textual(tmp_path: Path) -> None:
    code, modules = imported(
        "--sessions", str(tmp_path / "sessions"), "new", "--employee", "Carl", "--framework", "randers", "--manager", "Lis",
    )
    assert code == 0
    assert not modules & NEVER


def test_listing_with_a_warm_cache_needs_no_session_model(sessions: Path) -> None:
    imported("--sessions", str(sessions), "list")  # brings the index up to date
    code, modules = imported("--sessions", str(sessions), "list")
    assert code == 0
    assert not modules & NOT_FOR_LISTING, f"musterm list imported {sorted(modules & NOT_FOR_LISTING)}"


def test_listing_with_a_config_file_checked_before_needs_no_pydantic(sessions: Path) -> None:
    """The config file is checked with pydantic once; after that its checked content is remembered."""
    import os

    config = Path(os.environ["XDG_CONFIG_HOME"]) / "musterm" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'sessions = "{sessions}"\n\n[manager]\nname = "Lis Leder"\nemail = "lis@kommune.dk"\n')
    code, modules = imported("list")  # checks the file, fills the caches
    assert code == 0 and "pydantic" in modules
    code, modules = imported("list")
    assert code == 0
    assert not modules & NOT_FOR_LISTING, f"musterm list imported {sorted(modules & NOT_FOR_LISTING)}"


def test_search_with_the_index_up_to_date_needs_no_session_model(sessions: Path) -> None:
    imported("--sessions", str(sessions), "list")  # brings the index up to date
    code, modules = imported("--sessions", str(sessions), "search", "trivsel")
    assert code == 0
    assert not modules & NOT_FOR_LISTING, f"musterm search imported {sorted(modules & NOT_FOR_LISTING)}"


def test_the_probe_sees_what_a_command_imports_while_it_runs(sessions: Path, tmp_path: Path) -> None:
    """The probe itself works: an HTML export imports markdown_it only when it renders, and the probe sees it."""
    code, modules = imported(
        "--sessions", str(sessions), "export", "Anna Sørensen", "--format", "html", "-o", str(tmp_path / "kopi.html")
    )
    assert code == 0
    assert "markdown_it" in modules


def test_the_app_does_import_textual() -> None:
    """Opening the app is what pulls Textual in: importing musterm.app.app does."""
    completed = subprocess.run(
        [sys.executable, "-c", "import sys, musterm.app.app; print('textual' in sys.modules)"],
        capture_output=True, text=True, cwd=REPO, check=True, timeout=120,
    )
    assert completed.stdout.strip() == "True"
