"""Writing letters, forms, documents and calendars: never inside the sessions repository."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from musterm.documents.outputs import (
    default_output_dir,
    is_inside,
    suggested_filename,
    write_output,
)
from musterm.errors import MustermError
from musterm.frameworks.catalog import Catalog
from musterm.model.session import Person, new_session
from musterm.store.repository import Store


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "sessions"
    Store.open(root)
    return root


def test_writes_outside_the_repository_private_and_whole(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "ud" / "samtale.html"
    target.parent.mkdir()
    assert write_output(target, "<p>hej</p>", repo) == target
    assert target.read_text(encoding="utf-8") == "<p>hej</p>"
    assert os.stat(target).st_mode & 0o777 == 0o600
    write_output(target, b"BEGIN:VCALENDAR", repo)
    assert target.read_bytes() == b"BEGIN:VCALENDAR"
    assert [p.name for p in target.parent.iterdir()] == ["samtale.html"]  # no temp file left behind


@pytest.mark.parametrize(
    "inside",
    ["x.md", "anna-sørensen/x.md", ".git/x.md", ".git", ".", "anna-sørensen/../y.md"],
)
def test_refuses_every_place_inside_the_repository(repo: Path, inside: str) -> None:
    (repo / "anna-sørensen").mkdir(exist_ok=True)
    target = repo / inside
    before = sorted(p.relative_to(repo) for p in repo.rglob("*"))
    with pytest.raises(MustermError, match="ligger i samtalearkivet"):
        write_output(target, "x", repo)
    assert sorted(p.relative_to(repo) for p in repo.rglob("*")) == before


def test_refuses_through_a_symlink_into_the_repository(repo: Path, tmp_path: Path) -> None:
    link = tmp_path / "genvej"
    link.symlink_to(repo)
    with pytest.raises(MustermError, match="ligger i samtalearkivet"):
        write_output(link / "x.md", "x", repo)
    assert not (repo / "x.md").exists()


def test_refuses_relative_paths_that_resolve_inside(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / ".git")
    with pytest.raises(MustermError, match="ligger i samtalearkivet"):
        write_output(Path("../brev.txt"), "x", repo)


def test_a_sibling_folder_with_a_similar_name_is_fine(repo: Path, tmp_path: Path) -> None:
    sibling = tmp_path / "sessions-udskrifter"
    sibling.mkdir()
    write_output(sibling / "x.md", "x", repo)
    assert (sibling / "x.md").read_text() == "x"


def test_clear_messages_for_missing_folders_directories_and_existing_files(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(MustermError, match="Mappen .*findes ikke"):
        write_output(tmp_path / "mangler" / "x.md", "x", repo)
    with pytest.raises(MustermError, match="er en mappe; angiv et filnavn"):
        write_output(tmp_path, "x", repo)
    (tmp_path / "findes.md").write_text("gammel")
    with pytest.raises(MustermError, match="findes allerede"):
        write_output(tmp_path / "findes.md", "ny", repo, overwrite=False)
    assert (tmp_path / "findes.md").read_text() == "gammel"


def test_default_folder_is_the_current_one_unless_that_is_the_repository(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert default_output_dir(repo) == tmp_path
    monkeypatch.chdir(repo)
    assert default_output_dir(repo) == Path.home()
    assert not is_inside(default_output_dir(repo), repo)


def test_suggested_file_names() -> None:
    framework = Catalog.discover().get("randers")
    session = new_session(framework, Person(name="Anna Sørensen"), Person(name="Bo"), dt.date(2026, 11, 23))
    assert suggested_filename(session, "medarbejder", "html") == "mus-anna-sørensen-2026-11-23-medarbejder.html"
    assert suggested_filename(session, "", ".ics") == "mus-anna-sørensen-2026-11-23.ics"
