"""Folder and file names from what people are called: readable, and safe in every shell and filesystem."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from musterm.store import names

ODD_NAMES = [
    "../../etc/passwd",
    "/",
    "/etc/shadow",
    ".hidden",
    "..",
    ".",
    "...",
    "a/b",
    "a\\b",
    "C:\\Windows",
    "\x00\x01\x1b[31mrød\x7f",
    "line\nbreak",
    "tab\there",
    "CON",
    "nul",
    "com1",
    "LPT9",
    "😀",
    "😀 Anna 👩‍👩‍👧",
    "Åse Ærø-Østergård",
    "x" * 1000,
    "𝔄" * 300,
    "",
    "   ",
    "-",
    "--rm -rf",
    "-n",
    "$(reboot)",
    "`id`",
    "Anna; rm -rf ~",
    "*?[]{}",
    "~root",
    "a:b|c<d>e",
    '"citat"',
    "'",
    "Zoë\u200bZ",
    "\u202eevil",
    "İstanbul",
    "名前",
    "Ångström.",
    "-.-",
    "_",
]


def assert_safe(folder: str) -> None:
    assert folder, "never empty"
    assert "/" not in folder and "\\" not in folder
    assert ".." not in folder
    assert not folder.startswith((".", "-")), "no hidden files, nothing a command takes for an option"
    assert all(char.isalnum() or char in "-_" for char in folder), f"only letters, digits, '-' and '_': {folder!r}"
    assert not any(unicodedata.category(char) in ("Cc", "Cf", "Zs") for char in folder)
    assert len(folder.encode("utf-8")) <= 255 - len("-99")
    assert folder.casefold() not in {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
    assert unicodedata.normalize("NFC", folder) == folder


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_names_give_safe_folders(name: str) -> None:
    assert_safe(names.employee_folder(name))
    assert_safe(names.employee_folder(name, "1234"))
    assert_safe(names.employee_folder("Anna", name))


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(max_size=20))
def test_any_name_and_number_give_a_safe_folder(name: str, number: str) -> None:
    assert_safe(names.employee_folder(name, number))


def test_danish_letters_stay_readable() -> None:
    assert names.employee_folder("Åse Ærø-Østergård") == "åse-ærø-østergård"
    assert names.employee_folder("Anna Sørensen", "1234") == "anna-sørensen-1234"
    assert names.employee_folder(unicodedata.normalize("NFD", "Søren Ågård")) == "søren-ågård"
    assert names.employee_folder("Jens  Peter  Hansen") == "jens-peter-hansen"
    assert names.employee_folder("Lise-Lotte Brøndum-Nielsen") == "lise-lotte-brøndum-nielsen"


@pytest.mark.parametrize(
    ("name", "folder"),
    [
        ("../../etc/passwd", "etc-passwd"),
        (".hidden", "hidden"),
        ("/", "medarbejder"),
        ("", "medarbejder"),
        ("😀", "medarbejder"),
        ("CON", "con-"),
        ("\x00\x01\x1b[31mrød\x7f", "31mrød"),
        ("İstanbul", "istanbul"),
        ("--rm -rf", "rm-rf"),
        ("$(reboot)", "reboot"),
    ],
)
def test_what_odd_names_become(name: str, folder: str) -> None:
    assert names.employee_folder(name) == folder


def test_long_names_are_cut_to_fit_a_filesystem() -> None:
    assert len(names.employee_folder("x" * 1000)) == names.MAX_NAME_LENGTH
    four_byte_letters = names.employee_folder("𝔄" * 300, "𝔅" * 300)
    assert len(four_byte_letters.encode("utf-8")) <= 2 * names.MAX_NAME_BYTES + 1
    assert names.employee_folder("ø" * 300).startswith("øøø")


def test_session_files_are_named_by_date() -> None:
    day = dt.date(2026, 11, 23)
    assert names.session_file(day) == "2026-11-23.toml"
    assert names.session_file(day, {"2026-11-23.toml"}) == "2026-11-23-2.toml"
    assert names.session_file(day, {"2026-11-23.toml", "2026-11-23-2.toml"}) == "2026-11-23-3.toml"
    assert names.session_file(dt.date(1, 1, 1)) == "0001-01-01.toml"


# --- end to end: `musterm new` with odd names ---------------------------------------------------------


def run_musterm(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`musterm ARGS` in this process (much faster than a subprocess); main() sets the umask, so restore it."""
    from musterm.cli.main import main

    umask = os.umask(0o077)
    os.umask(umask)
    try:
        code = main(args)
    finally:
        os.umask(umask)
    out, err = capsys.readouterr()
    return code, out, err


def test_musterm_new_keeps_odd_names_inside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = outside / "sessions"
    monkeypatch.setenv("MUSTERM_MANAGER", "Lis Leder")
    monkeypatch.chdir(outside)
    odd = [name for name in ODD_NAMES if name.strip() and len(name) < 200]
    created = []
    for name in odd:
        code, out, err = run_musterm(
            ["--sessions", str(root), "new", f"--employee={name}", "--framework", "randers", "--date", "2026-11-23"],
            capsys,
        )
        assert code == 0, f"{name!r}: {err}"
        path = Path(out.strip())
        assert path.parent.parent == root, f"{name!r} gave {path}"
        assert_safe(path.parent.name)
        created.append(path)
    assert len(set(created)) == len(odd), "every employee got a file of their own"
    everything = set(tmp_path.rglob("*"))
    assert everything <= {outside, root, *root.rglob("*")}
    git = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True)
    assert git.stdout == ""
    code, listed, _ = run_musterm(["--sessions", str(root), "list"], capsys)
    assert code == 0
    assert "Åse Ærø-Østergård  [åse-ærø-østergård]" in listed
    assert "\x1b" not in listed and "\x00" not in listed


def test_the_new_command_in_a_real_process(tmp_path: Path) -> None:
    """Once through the installed entry point, with a name that tries to leave the folder."""
    root = tmp_path / "sessions"
    result = subprocess.run(
        [sys.executable, "-m", "musterm", "--sessions", str(root), "new", "--employee", "../../etc/passwd",
         "--framework", "randers", "--date", "2026-11-23"],
        capture_output=True, text=True, env={**os.environ, "MUSTERM_MANAGER": "Lis Leder"}, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{root / 'etc-passwd' / '2026-11-23.toml'}\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sessions"]


def test_same_folder_name_for_two_people_gets_a_counter(tmp_path: Path) -> None:
    from musterm.frameworks.catalog import Catalog
    from musterm.model.session import Person, new_session
    from musterm.store.repository import Store

    store = Store.open(tmp_path / "sessions")
    framework = Catalog.discover().get("randers")
    leader = Person(name="Lis Leder")
    day = dt.date(2026, 11, 23)
    first = store.create(new_session(framework, Person(name="Anna Sørensen"), leader, day))
    second = store.create(new_session(framework, Person(name="anna sørensen"), leader, day))
    third = store.create(new_session(framework, Person(name="Anna Sørensen"), leader, dt.date(2027, 1, 1)))
    assert (first, second, third) == (
        "anna-sørensen/2026-11-23.toml",
        "anna-sørensen-2/2026-11-23.toml",
        "anna-sørensen/2027-01-01.toml",
    )
