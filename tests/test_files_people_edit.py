"""Session files people edit (issue 13, item 10).

A file saved by a Windows editor (CRLF line endings, a byte order mark) loads, is listed as a
conversation, not as damage, and is only rewritten in musterm's own format after the manager
agrees (the app asks; see tests/app/test_cut_off_files.py for the dialog). Deeply nested TOML
is refused with a line. Bidirectional controls (U+202E and friends) never reach a terminal:
they are removed from every text as it is read or typed. The first write of a conversation is
the bytes every later write gives.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musterm.errors import FileError, StoreError
from musterm.formats.session_file import dumps, loads, rewrite_changes
from musterm.frameworks.catalog import Catalog
from musterm.model.session import Person, Session, new_session, one_line
from musterm.store.listing import summarize
from musterm.store.repository import Store

REPO = Path(__file__).resolve().parent.parent
RELATIVE = "anna-sørensen/2026-11-23.toml"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def base() -> Session:
    return new_session(Catalog.discover().get("ringkobing-skjern"), Person(name="Anna Sørensen"),
                       Person(name="Lis Leder"), dt.date(2026, 11, 23))


def musterm(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "musterm", "--sessions", str(root), *args], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO), "MUSTERM_MANAGER": "Lis Leder"})


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "sessions")
    assert store.create(base()) == RELATIVE
    return store


EDITS = {
    "CRLF": lambda data: data.replace(b"\n", b"\r\n"),
    "BOM": lambda data: b"\xef\xbb\xbf" + data,
    "BOM and CRLF": lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"),
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_windows_file_is_listed_as_a_conversation_not_as_damage(store: Store, edit: str) -> None:
    file = store.root / RELATIVE
    file.write_bytes(EDITS[edit](file.read_bytes()))
    assert summarize(store.root, RELATIVE).error == ""
    listed = musterm(store.root, "list")
    assert listed.returncode == 0 and "beskadiget" not in listed.stdout and "Anna Sørensen" in listed.stdout
    assert [summary.error for summary in Store.open(store.root).summaries()] == [""]


@pytest.mark.parametrize("edit", EDITS)
def test_what_a_rewrite_would_change_in_a_windows_file_is_named(store: Store, edit: str) -> None:
    file = store.root / RELATIVE
    data = EDITS[edit](file.read_bytes())
    changes = rewrite_changes(data, dumps(store.load(RELATIVE)))
    expected = {"CRLF": ["Windows-linjeskift (CRLF)"], "BOM": ["et byte order mark (BOM) først i filen"],
                "BOM and CRLF": ["et byte order mark (BOM) først i filen", "Windows-linjeskift (CRLF)"]}[edit]
    assert changes == expected
    assert rewrite_changes(file.read_bytes(), dumps(store.load(RELATIVE))) == []


@pytest.mark.parametrize("depth", [200, 1_000, 100_000])
@pytest.mark.parametrize("shape", ["[", "{a="])
def test_deeply_nested_toml_is_refused_with_its_line(depth: int, shape: str) -> None:
    closing = "]" if shape == "[" else "}"
    value = shape * depth + ("" if shape == "[" else "1") + closing * depth
    text = dumps(base()).replace('status = "draft"\n', f'status = "draft"\nx = {value}\n')
    with pytest.raises(FileError) as refused:
        loads(text, "f.toml")
    (problem, *_) = refused.value.problems
    assert problem.line == 3, str(refused.value)[:300]


def test_bidi_controls_are_removed_from_names_and_notes_as_they_are_read(store: Store) -> None:
    file = store.root / RELATIVE
    text = file.read_text(encoding="utf-8").replace('name = "Anna Sørensen"', f'name = "Anna {BIDI}Sørensen"')
    text = text.replace("[framework]", f'[private]\nnotes = "Hemmelig{BIDI} note"\n\n[framework]', 1)
    file.write_text(text, encoding="utf-8")
    session = store.load(RELATIVE)
    assert session.employee.name == "Anna Sørensen"
    for command in (["show", str(file)], ["list"], ["history", "Anna Sørensen"]):
        shown = musterm(store.root, *command)
        assert shown.returncode == 0, shown.stderr
        assert not set(BIDI) & set(shown.stdout + shown.stderr), command


def test_a_name_typed_with_a_bidi_control_is_written_without_it(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    made = musterm(root, "new", "--employee", "Anna \u202eSørensen", "--framework", "randers", "--date", "2026-11-23")
    assert made.returncode == 0, made.stderr
    written = Path(made.stdout.strip()).read_text(encoding="utf-8")
    assert 'name = "Anna Sørensen"' in written and not set(BIDI) & set(written)
    missing = musterm(root, "show", "Bo \u202eJensen")
    assert missing.returncode == 1 and not set(BIDI) & set(missing.stderr)


MAX_NAME = 200
"""What the model keeps of a name (musterm.model.session.Name); a longer one is refused."""
FIRST_WRITE = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@FIRST_WRITE
@given(note=st.text(), name=st.text(min_size=1, max_size=MAX_NAME), started=st.datetimes(timezones=st.none() | st.timezones()),
       time=st.times(timezones=st.none() | st.timezones()))
def test_the_first_write_is_byte_canonical(note: str, name: str, started: dt.datetime, time: dt.time) -> None:
    """Values assigned in memory, as the app assigns what is typed: writing, reading and writing again
    gives the same bytes."""
    if not one_line(name):
        return  # the app refuses an empty name before it writes
    session = base()
    session.private.notes = note
    session.themes[0].notes = note
    session.themes[1].questions[0].notes = note
    session.employee.name = name
    session.started = started
    session.time = time
    first = dumps(session)
    assert dumps(loads(first)) == first


def test_a_name_longer_than_musterm_keeps_is_refused_with_its_limit_not_written() -> None:
    session = base()
    session.employee.name = "Ø" * (MAX_NAME + 1)
    with pytest.raises(StoreError, match=r"^employee\.name: er for lang \(højst 200 tegn\)$"):
        dumps(session)
