"""`musterm leave`, `musterm retention` and `retention --erase`; the start screen marks who has left."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.store.erase_check import find_traces
from tests.lifecycle_data import ERASED, ERASED_FOLDER, KEPT, SECRET_SENTENCES, build, git


def run(root: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> tuple[int, str, str]:
    completed = subprocess.run(
        [sys.executable, "-m", "musterm", "--sessions", str(root), *args],
        capture_output=True, text=True, input=stdin,
        env={**os.environ, "MUSTERM_MANAGER": "Lis Leder", **(env or {})},
    )
    return completed.returncode, completed.stdout, completed.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "sessions"
    build(root)
    return root


def test_leave_records_and_commits_the_date(repo: Path) -> None:
    code, out, err = run(repo, "leave", ERASED, "--date", "2015-01-31")
    assert code == 0, err
    assert out == (f"{ERASED} er noteret som fratrådt 2015-01-31. Med en opbevaringsperiode på 10 år skal "
                   "samtalerne slettes senest 2025-01-31 (musterm retention).\n")
    assert "fratraadt = 2015-01-31" in (repo / ERASED_FOLDER / ".fratraadt").read_text()
    assert git(repo, "log", "-1", "--format=%s") == f"{ERASED}: fratrådt 2015-01-31\n".encode()
    assert git(repo, "status", "--porcelain") == b""
    code, out, _ = run(repo, "list")
    assert code == 0 and ERASED in out  # the conversations stay until they are erased


def test_retention_lists_and_erases_who_is_due(repo: Path) -> None:
    run(repo, "leave", ERASED, "--date", "2015-01-31")
    run(repo, "leave", KEPT[0], "--date", "2025-06-30")
    code, out, _ = run(repo, "retention", "--today", "2026-12-03")
    assert code == 0
    assert "opbevaringsperiode 10 år" in out
    assert f"{ERASED}  fratrådt 2015-01-31  slettes senest 2025-01-31  SKAL SLETTES NU" in out
    assert "fratrådt 2025-06-30  slettes senest 2035-06-30  gemmes" in out
    assert "1 skal slettes nu: musterm retention --erase" in out
    code, out, err = run(repo, "retention", "--erase", "--today", "2026-12-03", stdin="nej\n")
    assert code == 1 and f"Slet 1 medarbejder med i alt 3 samtaler og hele deres historik: {ERASED} (3)" in err
    assert (repo / ERASED_FOLDER).is_dir()
    code, out, err = run(repo, "retention", "--erase", "--today", "2026-12-03", stdin="ja\n")
    assert code == 0, err
    assert not (repo / ERASED_FOLDER).exists()
    needles = [ERASED.encode(), ERASED_FOLDER.encode(), *(s.encode() for s in SECRET_SENTENCES)]
    assert find_traces(repo, needles, deep=True) == []
    assert "grund = \"opbevaringsperiode udløbet\"" in (repo / "sletninger.toml").read_text()
    code, out, _ = run(repo, "retention", "--today", "2026-12-03")
    assert KEPT[0] in out and ERASED not in out


def test_the_retention_period_comes_from_the_config_file_or_the_option(repo: Path, tmp_path: Path) -> None:
    run(repo, "leave", ERASED, "--date", "2020-03-01")
    config = tmp_path / "config.toml"
    config.write_text("retention_years = 5\n")
    code, out, _ = run(repo, "retention", "--today", "2026-12-03", env={"MUSTERM_CONFIG": str(config)})
    assert "opbevaringsperiode 5 år" in out and "slettes senest 2025-03-01  SKAL SLETTES NU" in out
    code, out, _ = run(repo, "retention", "--years", "10", "--today", "2026-12-03")
    assert "slettes senest 2030-03-01  gemmes" in out
    config.write_text("retention_years = 0\n")
    code, _, err = run(repo, "retention", env={"MUSTERM_CONFIG": str(config)})
    assert code == 1 and f"{config}:1: retention_years" in err


def test_a_bad_date_is_a_message(repo: Path) -> None:
    code, _, err = run(repo, "leave", ERASED, "--date", "31-01-2015")
    assert code == 1 and "ÅÅÅÅ-MM-DD" in err and "Traceback" not in err
