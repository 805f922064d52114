"""Damaged session files: refused with a message naming file, line and key, and never written over.

Each case starts from a file musterm wrote and damages it the way people, editors
and git do: a syntax slip, a merge conflict, a wrong type, a misspelt key, a file
from a newer musterm, a cut-off file, binary garbage, another encoding.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from musterm.errors import FileError, StoreError
from musterm.formats.session_file import dumps, loads
from musterm.frameworks.catalog import Catalog
from musterm.model.session import Person, Session, new_session
from musterm.store.repository import Store

FRAMEWORK = Catalog.discover().get("ringkobing-skjern")
RELATIVE = "anna-sørensen-1234/2026-11-23.toml"


def make_session() -> Session:
    session = new_session(
        FRAMEWORK,
        Person(name="Anna Sørensen", number="1234"),
        Person(name="Lis Leder"),
        dt.date(2026, 11, 23),
        dt.time(9, 30),
    )
    session.question("glad-for-job").score = 5
    session.question("glad-for-job").notes = "Linje et.\nLinje to.\nLinje tre."
    return Session.model_validate(session.model_dump())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "sessions")
    assert store.create(make_session()) == RELATIVE
    return store


def test_the_file_the_cases_start_from() -> None:
    """The line numbers below refer to this layout."""
    lines = dumps(make_session()).split("\n")
    assert lines[1] == 'status = "draft"'
    assert lines[2] == "date = 2026-11-23"
    assert lines[7] == 'name = "MUS i Ringkøbing-Skjern Kommune"'
    assert lines[43:48] == ["score = 5", 'notes = """', "Linje et.", "Linje to.", 'Linje tre."""']


def replace(old: str, new: str) -> Callable[[bytes], bytes]:
    def damage(data: bytes) -> bytes:
        assert old.encode() in data
        return data.replace(old.encode(), new.encode(), 1)

    return damage


def cut_before(marker: str, offset: int = 0) -> Callable[[bytes], bytes]:
    def damage(data: bytes) -> bytes:
        return data[: data.index(marker.encode()) + offset]

    return damage


CONFLICT = 'status = "draft"\n<<<<<<< HEAD\nstatus = "held"\n=======\nstatus = "closed"\n>>>>>>> anden-maskine\n'
CONFLICT_IN_NOTE = "Linje et.\n<<<<<<< HEAD\nLinje to.\n=======\nLinje 2.\n>>>>>>> anden-maskine\n"
MERGE_HINT = "vælg den rigtige version i en teksteditor, fjern linjerne med <<<<<<<, ======= og >>>>>>>, og prøv igen"

CASES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "invalid TOML": (
        replace('status = "draft"', "status = draft"),
        "{file}:2: TOML-syntaksfejl: ugyldig værdi (mangler der anførselstegn om en tekst?)",
    ),
    "unclosed table header": (
        replace("[employee]", "[employee"),
        "{file}:11: TOML-syntaksfejl: tabelnavnet mangler sit afsluttende ']'",
    ),
    "key given twice": (
        replace('status = "draft"\n', 'status = "draft"\nstatus = "held"\n'),
        "{file}:3: TOML-syntaksfejl: nøglen er angivet to gange",
    ),
    "merge conflict": (
        replace('status = "draft"\n', CONFLICT.replace('status = "draft"\n', "", 1)),
        f"{{file}}:2: indeholder konfliktmarkører fra git (linje 2–6): {MERGE_HINT}",
    ),
    "merge conflict inside a multi-line note": (
        replace("Linje et.\nLinje to.\n", CONFLICT_IN_NOTE),
        f"{{file}}:47: indeholder konfliktmarkører fra git (linje 47–51): {MERGE_HINT}",
    ),
    "wrong type": (
        replace("score = 5", 'score = "fem"'),
        "{file}:44: themes[1].questions[0].score: skal være et heltal, ikke teksten 'fem'",
    ),
    "a date as text": (
        replace("date = 2026-11-23", 'date = "2026-11-23"'),
        "{file}:3: date: skal være en dato som 2026-03-01, ikke teksten '2026-11-23'",
    ),
    "unknown status": (
        replace('status = "draft"', 'status = "udsat"'),
        "{file}:2: status: skal være en af 'draft', 'held', 'closed' eller 'reopened', ikke 'udsat'",
    ),
    "unknown key": (
        replace('status = "draft"\n', 'status = "draft"\nfarve = "blå"\n'),
        "{file}:3: farve: ukendt nøgle 'farve'",
    ),
    "misspelt key": (
        replace("score = 5\n", "score = 5\nscroe = 4\n"),
        "{file}:45: themes[1].questions[0].scroe: ukendt nøgle 'scroe' (mente du 'score'?)",
    ),
    "newer schema version": (
        replace("schema_version = 1", "schema_version = 3"),
        "{file}:1: schema_version: er skrevet af en nyere musterm (format 3; denne version læser 2): opdatér musterm",
    ),
    "unknown older schema version": (
        replace("schema_version = 1", "schema_version = 0"),
        "{file}:1: schema_version: 0 kendes ikke (musterm læser format 1–2)",
    ),
    "score outside the scale": (
        replace("score = 5", "score = 9"),
        "{file}:44: themes[1].questions[0].score: 9 ligger uden for skalaen 1–6",
    ),
    "own score below the scale": (
        replace("score = 5", "own_score = 0\nscore = 5"),
        "{file}:44: themes[1].questions[0].own_score: 0 ligger uden for skalaen 1–6",
    ),
    "truncated inside a note": (
        cut_before("Linje to."),
        "{file}:46: TOML-syntaksfejl: teksten mangler sit afsluttende anførselstegn",
    ),
    "truncated inside a table header": (
        cut_before("[themes.questions.scale]\nmin = 1\nmax = 6\nlabel = \"Scores fra 1-6 med 6 som top\"\nhigh_label = \"top\"\n\n[[themes.questions]]\nid = \"klaedt", 10),
        "{file}:50: TOML-syntaksfejl: tabelnavnet mangler sit afsluttende ']'",
    ),
    "truncated after the employee": (
        cut_before("[manager]"),
        "{file}:14: filen er afkortet: den slutter ved linje 14 uden musterms slutlinje '# musterm: slut på filen', og "
        f"den seneste commit har mere. musterm åbner og gemmer den ikke. Hent hele filen med 'git restore {RELATIVE}' "
        "i samtalearkivet, eller skriv slutlinjen nederst, hvis du selv har fjernet resten.",
    ),
    "empty": (
        lambda data: b"",
        "{file}:1: filen er tom, men den seneste commit har samtalen. musterm åbner og gemmer den ikke. Hent hele "
        f"filen med 'git restore {RELATIVE}' i samtalearkivet, eller skriv slutlinjen nederst, hvis du selv har fjernet resten.",
    ),
    "NUL bytes": (
        lambda data: data.replace(b'id = "ringkobing-skjern"', b'id = "ringkobing\x00\x00skjern"'),
        "{file}:7: indeholder et NUL-tegn; filen er beskadiget eller ikke en tekstfil",
    ),
    "saved as Latin-1": (
        lambda data: data.replace("Ringkøbing".encode(), "Ringkøbing".encode("latin-1")),
        "{file}:8: er ikke gyldig UTF-8 (byte 0xf8); gem filen som UTF-8",
    ),
    "binary garbage": (
        lambda data: bytes(range(256)) * 4,
        "{file}:2: er ikke gyldig UTF-8 (byte 0x80); gem filen som UTF-8",  # byte 0x0a, a newline, comes first
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_damaged_file_is_refused_with_file_line_and_key(store: Store, case: str) -> None:
    damage, expected = CASES[case]
    file = store.root / RELATIVE
    damaged = damage(file.read_bytes())
    file.write_bytes(damaged)
    with pytest.raises(FileError) as refused:
        store.load(RELATIVE)
    assert str(refused.value) == expected.format(file=file)
    assert file.read_bytes() == damaged


@pytest.mark.parametrize("case", CASES)
def test_a_refused_file_is_never_written_over(tmp_path: Path, store: Store, case: str) -> None:
    damage, _ = CASES[case]
    file = store.root / RELATIVE
    damaged = damage(file.read_bytes())
    file.write_bytes(damaged)
    reopened = Store.open(store.root)  # a fresh start of musterm: it never read the good version
    for target in (store, reopened):
        with pytest.raises(FileError):
            target.load(RELATIVE)
        with pytest.raises(StoreError):
            target.save(RELATIVE, make_session())
        assert file.read_bytes() == damaged
    reopened.sweep_temp_files()
    reopened.summaries()
    assert file.read_bytes() == damaged


def test_show_reports_a_damaged_file_and_exits_1(store: Store) -> None:
    file = store.root / RELATIVE
    file.write_bytes(file.read_bytes().replace(b"score = 5", b'score = "fem"'))
    shown = subprocess.run(
        [sys.executable, "-m", "musterm", "--sessions", str(store.root), "show", str(file)],
        capture_output=True, text=True,
    )
    assert shown.returncode == 1
    assert shown.stdout == ""
    assert shown.stderr == f"musterm: {file}:44: themes[1].questions[0].score: skal være et heltal, ikke teksten 'fem'\n"


def test_every_problem_in_a_file_is_reported(store: Store) -> None:
    file = store.root / RELATIVE
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("score = 5", 'score = "fem"').replace('status = "draft"', 'status = "udsat"'))
    with pytest.raises(FileError) as refused:
        store.load(RELATIVE)
    assert [(problem.line, problem.path) for problem in refused.value.problems] == [
        (2, ("status",)),
        (44, ("themes", 1, "questions", 0, "score")),
    ]


# --- what is not damage ----------------------------------------------------------------------------------


def test_a_five_megabyte_note_loads(store: Store) -> None:
    session = store.load(RELATIVE)
    session.private.notes = ("Æblekage og en lang linje, der gentages. " * 25 + "\n") * 5000
    assert store.save(RELATIVE, session)
    assert (store.root / RELATIVE).stat().st_size > 5_000_000
    loaded = Store.open(store.root).load(RELATIVE)
    assert loaded.private.notes == session.private.notes.replace(" \n", "\n")


def test_windows_line_endings_and_a_byte_order_mark_load(store: Store) -> None:
    file = store.root / RELATIVE
    original = file.read_text(encoding="utf-8")
    file.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    assert store.load(RELATIVE) == make_session()
    assert loads("\ufeff" + original) == make_session()


def test_a_hand_edit_that_keeps_the_format_loads(store: Store) -> None:
    file = store.root / RELATIVE
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("score = 5", "score = 6  # rettet i hånden").replace("Linje tre.", "Linje tre, rettet."))
    session = store.load(RELATIVE)
    assert session.question("glad-for-job").score == 6
    assert session.question("glad-for-job").notes == "Linje et.\nLinje to.\nLinje tre, rettet."
