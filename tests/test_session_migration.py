"""Session format 2 came with issue 16; sessions written by the musterm before it still load unchanged.

tests/data/format-1/ holds a closed conversation per bundled framework as musterm wrote them before
format 2 (every part filled in). Today's musterm reads each, means the same by it, and writes it
back byte for byte as format 1 (with the end line musterm has written since, a TOML comment that
older versions skip); a conversation that uses something of format 2 says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from musterm.documents.render import render_text
from musterm.formats.session_file import END_MARKER, dumps, loads, to_data
from musterm.frameworks.catalog import Catalog
from musterm.model.session import NEWEST_SCHEMA, SCHEMA_VERSION, Person, new_session

DATA = Path(__file__).resolve().parent / "data" / "format-1"
FILES = sorted(DATA.glob("*.toml"))
CATALOG = Catalog.discover()


def test_there_is_a_file_of_each_framework_from_before_format_2() -> None:
    assert [file.stem for file in FILES] == ["haderslev", "norddjurs", "randers", "ringkobing-skjern"]
    assert (SCHEMA_VERSION, NEWEST_SCHEMA) == (1, 2)


@pytest.mark.parametrize("file", FILES, ids=[file.stem for file in FILES])
def test_a_format_1_file_loads_and_is_written_back_unchanged(file: Path) -> None:
    text = file.read_text(encoding="utf-8")
    assert text.startswith("schema_version = 1\n")
    assert END_MARKER not in text, "written before the end line existed"
    session = loads(text, file)
    assert session.schema_needed() == 1
    assert dumps(session) == f"{text}\n{END_MARKER}\n"
    assert render_text(to_data(session)).startswith("MUS-samtale med Anna Sørensen\n")
    assert all(not theme.mandatory and theme.minutes is None and theme.seconds == 0 for theme in session.themes)


@pytest.mark.parametrize("framework_id", ["haderslev", "norddjurs", "randers", "ringkobing-skjern"])
def test_a_new_conversation_of_a_format_1_framework_is_still_format_1(framework_id: str) -> None:
    session = new_session(CATALOG.get(framework_id), Person(name="Anna"), Person(name="Lis"), dt.date(2026, 11, 23))
    assert dumps(session).startswith("schema_version = 1\n")


def test_a_conversation_using_format_2_says_so_and_reads_back() -> None:
    session = new_session(CATALOG.get("herlev"), Person(name="Anna"), Person(name="Lis"), dt.date(2026, 11, 23))
    text = dumps(session)
    assert text.startswith("schema_version = 2\n")
    assert dumps(loads(text)) == text


def test_format_2_keys_in_a_format_1_file_are_read_and_the_file_is_then_written_as_format_2() -> None:
    text = (DATA / "randers.toml").read_text(encoding="utf-8")
    edited = text.replace('title = "Faglighed"\n', 'title = "Faglighed"\nmandatory = true\n', 1)
    session = loads(edited)
    assert session.theme("faglighed").mandatory
    assert dumps(session) == edited.replace("schema_version = 1\n", "schema_version = 2\n", 1) + f"\n{END_MARKER}\n"
