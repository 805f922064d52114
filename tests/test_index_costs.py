"""What a command that only reads pays before it answers: the git processes it starts, and that
search's fast way through the index's bytes gives exactly the snippets the slow way gives."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import subprocess
from pathlib import Path

import pytest

from musterm.cli.main import main
from musterm.frameworks.catalog import Catalog
from musterm.history import search as search_module
from musterm.history.fields import _window
from musterm.model.session import Person, new_session
from musterm.store import private
from musterm.store.index_rows import Text
from musterm.store.index_text import Indexed, _body, _pack, _pack_and_body, _unpack
from musterm.store.repository import Store

FRAMEWORK = Catalog.discover().get("ringkobing-skjern")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "sessions")
    for number, name in enumerate(["Anna Ærø", "Bo Østergaard", "Carl Kursist"], start=1):
        session = new_session(FRAMEWORK, Person(name=name, number=str(number)), Person(name="Lis Leder"),
                              dt.date(2025, 1, number), dt.time(9))
        session.themes[0].notes = f"Kursus i Excel for {name}. Øvebane næste år."
        store.create(session)
    return store


def git_commands(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every git process musterm starts from now on (GitRepo's and the version check's)."""
    started: list[list[str]] = []
    run = subprocess.run

    def counted(command, *args, **kwargs):  # noqa: ANN001, ANN202
        if command and command[0] == "git":
            started.append(list(command[1:]))
        return run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counted)
    private._git_version.cache_clear()  # (a cached answer would hide `git version`)
    return started


@pytest.mark.parametrize("command", [["list"], ["search", "kursus"], ["history", "Anna Ærø"]])
def test_a_command_that_only_reads_starts_at_most_one_git_status(
    store: Store, command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the index up to date, `git status` says all there is to know; the diff driver's check
    (`git version`, `git config`) is for commands that commit."""
    umask = os.umask(0o077)
    os.umask(umask)
    try:
        assert main(["--sessions", str(store.root), "list"]) == 0  # the index is built
        capsys.readouterr()
        started = git_commands(monkeypatch)
        assert main(["--sessions", str(store.root), *command]) == 0
    finally:
        os.umask(umask)
    assert capsys.readouterr().out
    assert [args[:2] for args in started] in ([], [["--no-optional-locks", "status"]]), started


LETTERS = "abc æøå ÆØÅ é\n\t  –…€😀 kursus KURSUS Kursus"


def slow_hits(conversation: Indexed, needle: str) -> list[tuple[str, str, bool, str]]:
    return [
        (item.theme, item.field, item.private, _window(item.text, start, end))
        for item, start, end in search_module._texts_holding(conversation, needle, None)
    ]


@pytest.mark.parametrize("seed", range(40))
def test_snippets_taken_from_the_bytes_around_a_hit_are_those_of_the_whole_text(seed: int) -> None:
    """Texts of letters of one to four bytes, hits near their ends and far from them, at and around
    SNIPPET_CONTEXT letters: `_byte_hits` decodes only the bytes around a hit, and must give what
    `_window` gives on the whole text."""
    rng = random.Random(seed)
    texts = []
    for place in range(rng.randint(1, 6)):
        length = rng.choice([0, 3, 29, 30, 31, 32, 33, 60, 200, 700])
        text = "".join(rng.choice(LETTERS) for _ in range(length))
        if rng.random() < 0.7:
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(["kursus", "Kursus", "KURSUS"]) + text[at:]
        texts.append(Text(f"Tema {place}", f"Felt {place}", rng.random() < 0.2, text))
    packed = _pack(texts, b" ")
    conversation = Indexed("a/2025-01-01.toml", "a", "A", "2025-01-01", False, _unpack(packed, b" "))
    assert conversation.folded_bytes is not None
    for needle in ("kursus", "s", "us k", " "):
        expected = slow_hits(conversation, needle)
        assert list(search_module._byte_hits(conversation, needle.encode())) == expected, needle


@pytest.mark.parametrize("seed", range(20))
def test_the_trigram_text_made_with_the_blob_is_the_one_a_delete_makes_again(seed: int) -> None:
    """A contentless FTS5 table forgets a row only when given the very text it indexed: what
    `_pack_and_body` indexes (folded once with the blob) must be `_body` of the texts unpacked."""
    rng = random.Random(seed)
    letters = LETTERS + "ßKΩſⱥİ"
    texts = [
        Text("Tema", f"Felt {place}", False, "".join(rng.choice(letters) for _ in range(rng.randint(1, 80))))
        for place in range(rng.randint(1, 5))
    ]
    blob, body = _pack_and_body(texts, b" ")
    unpacked = Indexed("a/x.toml", "a", "A", "2025-01-01", False, _unpack(blob, b" ")).texts
    assert unpacked == texts
    assert body == _body(text.text for text in unpacked)


def test_search_reads_the_conversations_in_its_order_without_sorting_their_texts(store: Store) -> None:
    """An index of format 7 made before the search-order index gets it when opened, and search
    then reads rows in that index's order: SQLite sorts no texts in a temporary b-tree."""
    import sqlite3

    from musterm.history.search import search

    expected = search(store, "kursus")
    file = store.git.git_dir / "musterm" / "index.sqlite"
    store.index.close()
    with contextlib.closing(sqlite3.connect(file)) as connection:
        connection.execute("DROP INDEX conversation_search")
        connection.commit()
    again = Store.open(store.root)
    assert search(again, "kursus") == expected
    plan = again.index._rows(
        "EXPLAIN QUERY PLAN SELECT path, texts FROM conversation JOIN body USING (id)"
        " WHERE (damaged OR id IN (SELECT rowid FROM text WHERE text MATCH ?)) ORDER BY employee_key, folder, date, path",
        ['"kur"'],
    )
    details = " | ".join(row[-1] for row in plan)
    assert "conversation_search" in details and "TEMP B-TREE" not in details, details


def test_the_listing_formats_the_index_rows_as_they_come() -> None:
    """`musterm list` formats the index's rows without a Summary each: folders in the order of their
    newest conversation, named by their newest readable one."""
    from musterm.store.listing import Summary, format_listing, format_rows

    rows = [
        ("bo/2025-03-01.toml", "bo", "bo", "", "2025-03-01", "", "", "", "beskadiget (linje 3): noget"),
        ("anna-1/2025-02-01.toml", "anna-1", "Anna Ærø", "1", "2025-02-01", "09:30", "haderslev", "held", ""),
        ("bo/2024-03-01.toml", "bo", "Bo Østergaard", "7", "2024-03-01", "", "randers", "closed", ""),
        ("bo/2023-03-01.toml", "bo", "Bo Ø.", "7", "2023-03-01", "10:00", "randers", "draft", ""),
    ]
    expected = (
        "Bo Østergaard, nr. 7  [bo]\n"
        "  2025-03-01         beskadiget (linje 3): noget  bo/2025-03-01.toml\n"
        "  2024-03-01         randers              afsluttet  bo/2024-03-01.toml\n"
        "  2023-03-01  10:00  randers              kladde     bo/2023-03-01.toml\n"
        "\n"
        "Anna Ærø, nr. 1  [anna-1]\n"
        "  2025-02-01  09:30  haderslev            holdt      anna-1/2025-02-01.toml"
    )
    assert format_rows(rows) == expected
    assert format_listing([Summary(*row) for row in reversed(rows)]) == expected


@pytest.mark.parametrize("seed", range(10))
def test_latin_1_text_folds_in_place_unless_it_holds_a_sharp_s(seed: int) -> None:
    """The shortcut for Latin-1 text (most Danish conversations) says what the letter-by-letter check says."""
    from musterm.store.index_text import _each_folds_in_place, _folds_in_place

    rng = random.Random(seed)
    alphabet = [chr(code) for code in range(0x20, 0x100)] + ["Ω", "K", "ſ", "e\u0301"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet[: 224 if rng.random() < 0.7 else None]) for _ in range(rng.randint(1, 30)))
        assert _folds_in_place(text) == (text.isascii() or _each_folds_in_place(text)), repr(text)
