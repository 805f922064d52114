"""Size limits no real guide or conversation comes near, refused beyond them in Danish (issue 13, item 11).

The limits are documented in frameworks/README.md and sessions/README.md (`musterm.model.limits`).
A framework file over 1 MB, or with more than 100 themes or 1,000 questions, or a text over 20,000
characters, is refused by `check` and `new` before it is validated; a session file over 32 MB or a
text over 8,000,000 characters is refused when read and when written. How long `check` takes on a
hostile 1,000,000-question file is measured in bench/limits_bench.py, not here.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.errors import FileError, StoreError
from musterm.frameworks.catalog import Catalog
from musterm.model import limits
from musterm.model.session import Person, new_session
from musterm.store.repository import Store

REPO = Path(__file__).resolve().parent.parent

HEAD = 'format = 1\nid = "stor"\nname = "Stor ramme"\nmunicipality = "Testkommune"\nversion = "1"\n\n'


def framework(themes: int, questions: int, text: str = "Hvordan går det?") -> str:
    parts = [HEAD]
    for theme in range(themes):
        parts.append(f'[[themes]]\nid = "t{theme}"\ntitle = "Tema {theme}"\n\n')
        for question in range(questions):
            parts.append(f'[[themes.questions]]\nid = "q{theme}-{question}"\ntext = "{text}"\nkind = "text"\n\n')
    return "".join(parts)


def musterm(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "musterm", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO), "MUSTERM_MANAGER": "Lis Leder"}, timeout=120)


def test_the_limits_are_far_beyond_every_bundled_framework() -> None:
    for entry in Catalog.discover():
        assert entry.file.stat().st_size * 20 < limits.FRAMEWORK_FILE_BYTES
        assert len(entry.framework.themes) * 10 < limits.MAX_THEMES
        assert sum(len(theme.questions) for theme in entry.framework.themes) * 20 < limits.MAX_QUESTIONS


CASES = {
    "too many questions": (
        lambda: framework(2, 501),
        "{file}:7: themes: rammen har 1.002 spørgsmål; musterm læser højst 1.000",
    ),
    "too many themes": (
        lambda: framework(101, 0),
        "{file}:7: themes: rammen har 101 temaer; musterm læser højst 100",
    ),
    "too long a text": (
        lambda: framework(1, 1, "x" * 20_001),
        "{file}:13: themes[0].questions[0].text: teksten er 20.001 tegn lang; musterm læser højst 20.000",
    ),
    "too large a file": (
        lambda: HEAD + "# " + "fyld " * 220_000 + "\n",
        "{file}: filen er 1,1 MB; musterm læser højst 1,0 MB af en ramme",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_check_and_new_refuse_a_framework_beyond_the_limits(tmp_path: Path, case: str) -> None:
    make, expected = CASES[case]
    folder = tmp_path / "rammer"
    folder.mkdir()
    file = folder / "stor.toml"
    file.write_text(make(), encoding="utf-8")
    checked = musterm("check", str(file))
    assert (checked.returncode, checked.stdout.strip()) == (1, expected.format(file=file)), checked.stderr
    made = musterm("--sessions", str(tmp_path / "sessions"), "--frameworks", str(folder), "new",
                   "--employee", "Anna", "--framework", "stor")
    assert made.returncode == 1 and made.stdout == ""
    assert expected.format(file=file).split(": ", 1)[1] in made.stderr
    assert not (tmp_path / "sessions" / "anna").exists()


def test_a_framework_just_within_the_limits_loads(tmp_path: Path) -> None:
    file = tmp_path / "stor.toml"
    file.write_text(framework(2, 500, "x" * 100), encoding="utf-8")
    checked = musterm("check", str(file))
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture
def store(tmp_path: Path) -> tuple[Store, str]:
    store = Store.open(tmp_path / "sessions")
    session = new_session(Catalog.discover().get("randers"), Person(name="Anna"), Person(name="Lis"), dt.date(2026, 11, 23))
    return store, store.create(session)


def test_a_session_file_over_the_limit_is_refused_before_it_is_read(store: tuple[Store, str]) -> None:
    store, relative = store
    file = store.root / relative
    with file.open("r+b") as handle:  # sparse: the size says enough, nothing is written to the disk
        handle.truncate(limits.SESSION_FILE_BYTES + 1)
    with pytest.raises(FileError) as refused:
        store.load(relative)
    assert str(refused.value) == f"{file}: filen er 32,0 MB; musterm læser højst 32,0 MB af en samtale"
    listed = Store.open(store.root).summaries()
    assert listed[0].error == "beskadiget: filen er 32,0 MB; musterm læser højst 32,0 MB af en samtale"


def test_a_text_over_the_limit_is_refused_when_read_and_never_written(store: tuple[Store, str]) -> None:
    store, relative = store
    session = store.load(relative)
    file = store.root / relative
    before = file.read_bytes()
    session.private.notes = "x" * (limits.MAX_TEXT + 1)
    with pytest.raises(StoreError) as refused:
        store.save(relative, session)
    assert str(refused.value) == (
        f"{relative} kan ikke gemmes: private.notes: teksten er 8.000.001 tegn lang; højst 8.000.000 tegn. "
        "Den gamle fil er urørt."
    )
    assert file.read_bytes() == before
    file.write_bytes(before.replace(b"[framework]", b'[private]\nnotes = "' + b"x" * (limits.MAX_TEXT + 1) + b'"\n\n[framework]'))
    with pytest.raises(FileError) as refused_file:
        store.load(relative)
    assert "private.notes: teksten er 8.000.001 tegn lang; højst 8.000.000 tegn" in str(refused_file.value)
