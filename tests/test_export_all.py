"""`musterm export --all EMPLOYEE`: the employee's own copy of everything, without private notes."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.lifecycle_data import ERASED, ERASED_FOLDER, SECRET_SENTENCES, build


def run(root: Path, *args: str) -> tuple[int, str, str]:
    completed = subprocess.run([sys.executable, "-m", "musterm", "--sessions", str(root), *args],
                               capture_output=True, text=True, env={**os.environ, "MUSTERM_MANAGER": "Lis Leder"})
    return completed.returncode, completed.stdout, completed.stderr


def test_export_all_writes_every_conversation_as_the_employees_copy(tmp_path: Path) -> None:
    store = build(tmp_path / "sessions")
    target = tmp_path / "til-annelise"
    code, _, err = run(store.root, "export", "--all", ERASED, "-o", str(target))
    assert code == 0, err
    assert "3 samtaler skrevet som medarbejderens kopi (uden private noter)" in err
    assert sorted(p.name for p in target.iterdir()) == ["2024-11-03.md", "2025-11-03.md", "2026-11-03.md", "LÆSMIG.md"]
    assert oct(target.stat().st_mode & 0o777) == "0o700"
    everything = "".join(p.read_text() for p in target.iterdir())
    for sentence in SECRET_SENTENCES:
        assert sentence in everything  # the notes of the conversations
        assert f"Privat: {sentence.lower()}" not in everything  # never the private notes
    assert "Medarbejderens kopi" in (target / "2025-11-03.md").read_text()


def test_export_all_as_a_zip_archive_in_html(tmp_path: Path) -> None:
    store = build(tmp_path / "sessions")
    archive = tmp_path / "annelise.zip"
    code, _, err = run(store.root, "export", "--all", ERASED_FOLDER, "--format", "html", "-o", str(archive))
    assert code == 0, err
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        text = "".join(opened.read(name).decode() for name in names)
    assert names == [f"mus-{ERASED_FOLDER}/{n}" for n in ("2024-11-03.html", "2025-11-03.html", "2026-11-03.html",
                                                          "LÆSMIG.md")]
    assert SECRET_SENTENCES[0] in text and "Privat:" not in text


def test_export_all_refuses_inside_the_archive_and_without_a_target(tmp_path: Path) -> None:
    store = build(tmp_path / "sessions")
    code, _, err = run(store.root, "export", "--all", ERASED, "-o", str(store.root / "kopi"))
    assert code == 1 and "ligger i samtalearkivet" in err and not (store.root / "kopi").exists()
    code, _, err = run(store.root, "export", "--all", ERASED)
    assert code == 1 and "angiv en ny mappe eller en .zip-fil med -o" in err
    code, _, err = run(store.root, "export", "--all", ERASED, "--for", "personnel-file", "-o", str(tmp_path / "x"))
    assert code == 1 and "medarbejderens kopi" in err
