"""What a command that only reads pays before it answers: the git processes it starts, and that
search's fast way through the index's bytes gives exactly the snippets the slow way gives."""

from __future__ import annotations

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
from musterm.store.index_text import Indexed, _pack, _unpack
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
