"""One person, one folder (issue 13, item 9).

The same name typed in NFC or NFD (a Mac, a copy from a PDF) is one employee; a first file that
an editor saved with a byte order mark or Windows line endings is still that employee's; and when
the latest conversation cannot be read, `musterm new` says it cannot carry the plan over instead
of silently carrying an older plan, or starting a second folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from musterm.store.repository import Store

REPO = Path(__file__).resolve().parent.parent


def musterm(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "musterm", "--sessions", str(root), *args], capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "MUSTERM_MANAGER": "Lis Leder"},
    )


def new(root: Path, employee: str, date: str) -> subprocess.CompletedProcess[str]:
    return musterm(root, "new", "--employee", employee, "--framework", "randers", "--date", date)


def folders(root: Path) -> list[str]:
    return sorted(entry.name for entry in root.iterdir() if entry.is_dir() and not entry.name.startswith("."))


@pytest.mark.parametrize("name", ["Ånæs", "René Müller", "Zoë Ångström"])
def test_a_name_in_nfc_and_in_nfd_is_one_employee(tmp_path: Path, name: str) -> None:
    root = tmp_path / "sessions"
    composed, decomposed = unicodedata.normalize("NFC", name), unicodedata.normalize("NFD", name)
    assert composed != decomposed
    assert new(root, composed, "2025-11-20").returncode == 0
    made = new(root, decomposed, "2026-11-23")
    assert made.returncode == 0, made.stderr
    assert len(folders(root)) == 1
    assert len(list((root / folders(root)[0]).glob("*.toml"))) == 2
    for typed in (composed, decomposed):
        shown = musterm(root, "history", typed)
        assert shown.returncode == 0, shown.stderr
    text = (root / folders(root)[0] / "2026-11-23.toml").read_text(encoding="utf-8")
    assert f'name = "{composed}"' in text  # written composed, whatever was typed


@pytest.mark.parametrize("edit", ["a byte order mark", "Windows line endings", "both"])
def test_a_first_file_an_editor_saved_differently_makes_no_second_folder(tmp_path: Path, edit: str) -> None:
    root = tmp_path / "sessions"
    assert new(root, "Anna Sørensen", "2025-11-20").returncode == 0
    file = root / "anna-sørensen" / "2025-11-20.toml"
    data = file.read_bytes()
    if edit != "a byte order mark":
        data = data.replace(b"\n", b"\r\n")
    if edit != "Windows line endings":
        data = b"\xef\xbb\xbf" + data
    file.write_bytes(data)
    made = new(root, "Anna Sørensen", "2026-11-23")
    assert made.returncode == 0, made.stderr
    assert folders(root) == ["anna-sørensen"]


def damage(file: Path) -> None:
    file.write_text(file.read_text(encoding="utf-8").replace('status = "draft"', "status = draft"), encoding="utf-8")


def test_new_says_it_cannot_carry_the_plan_over_when_the_latest_conversation_is_damaged(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    for date in ("2024-11-20", "2025-11-20"):
        assert new(root, "Anna Sørensen", date).returncode == 0
    latest = root / "anna-sørensen" / "2025-11-20.toml"
    damage(latest)
    made = new(root, "Anna Sørensen", "2026-11-23")
    assert (made.returncode, made.stdout) == (1, "")
    assert made.stderr == (
        "musterm: Den seneste samtale med Anna Sørensen før 2026-11-23 kan ikke læses, så dens plan kan ikke føres "
        f"over i den nye samtale: {latest}:2: TOML-syntaksfejl: ugyldig værdi (mangler der anførselstegn om en "
        "tekst?). Ret filen, og prøv igen.\n"
    )
    assert sorted(path.name for path in (root / "anna-sørensen").iterdir()) == ["2024-11-20.toml", "2025-11-20.toml"]
    assert folders(root) == ["anna-sørensen"]


def test_new_says_so_when_the_employees_only_conversation_is_damaged_instead_of_a_second_folder(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    assert new(root, "Anna Sørensen", "2025-11-20").returncode == 0
    only = root / "anna-sørensen" / "2025-11-20.toml"
    damage(only)
    made = new(root, "Anna Sørensen", "2026-11-23")
    assert (made.returncode, made.stdout) == (1, "")
    assert made.stderr.startswith(
        "musterm: Den seneste samtale med Anna Sørensen før 2026-11-23 kan ikke læses, så dens plan kan ikke føres "
        f"over i den nye samtale: {only}:2: TOML-syntaksfejl"
    )
    assert folders(root) == ["anna-sørensen"]


def test_a_damaged_later_conversation_does_not_stop_an_earlier_date(tmp_path: Path) -> None:
    """Only what comes before the new date is carried over: a damaged file after it is not asked."""
    root = tmp_path / "sessions"
    assert new(root, "Anna Sørensen", "2025-11-20").returncode == 0
    assert new(root, "Anna Sørensen", "2027-11-20").returncode == 0
    damage(root / "anna-sørensen" / "2027-11-20.toml")
    made = new(root, "Anna Sørensen", "2026-11-23")
    assert made.returncode == 0, made.stderr
    assert Store.open(root).load("anna-sørensen/2026-11-23.toml").employee.name == "Anna Sørensen"
