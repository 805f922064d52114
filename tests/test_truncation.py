"""A session file that lost its end is refused, never opened as whole and never saved over (issue 13, item 2).

musterm ends every session file with a known last line (`END_MARKER`). A file without it is
compared with its committed version: if that version has the line, or continues where the file
stops, the file was cut off (an interrupted copy, a full disk in another program, `head -n`).
Files of older musterm versions, written before the line existed, load as before.

Each test cuts a real conversation (scores, notes, a plan, the closing, private notes) at every
line boundary, and at some points inside a line, and asks the real store, the real index and the
real `musterm show` process what they make of it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.errors import FileError, StoreError
from musterm.formats.session_file import END_MARKER, dump_bytes
from musterm.frameworks.catalog import Catalog
from musterm.model.session import Person, PlanRow, Session, Status, new_session
from musterm.store.repository import Store

RELATIVE = "anna-sørensen-1234/2026-11-23.toml"
REPO = Path(__file__).resolve().parent.parent


def real_conversation() -> Session:
    session = new_session(
        Catalog.discover().get("ringkobing-skjern"),
        Person(name="Anna Sørensen", number="1234"),
        Person(name="Lis Leder"),
        dt.date(2026, 11, 23),
        dt.time(9, 30),
        place="Mødelokale 2",
    )
    session.status = Status.HELD
    session.preparation.manager_notes = "Tal om projektet.\nOg om kurset."
    for index, (_, question) in enumerate(session.questions()):
        if question.scale is not None:
            question.score = question.scale.min + index % (question.scale.max - question.scale.min + 1)
        question.notes = f"Note til {question.id}.\nAnden linje."
    session.plan.rows = [
        PlanRow(id="1", what="Kursus i projektledelse", goal="Lede projekter selv", how="Kommunens akademi",
                when="Foråret 2027", followup="Ved næste MUS"),
        PlanRow(id="2", what="Øvebane: lede teammøder", goal="Mere erfaring", when="Hele året"),
    ]
    session.closing.evaluation = "En god samtale.\nVi følger op i maj."
    session.closing.followup_date = dt.date(2027, 5, 1)
    session.private.notes = "Privat: overvej omplacering.\nKun for lederen."
    return Session.model_validate(session.model_dump())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "sessions")
    relative = store.create(real_conversation())
    assert relative == RELATIVE
    return store


def cuts(data: bytes) -> list[bytes]:
    """The file cut at every line boundary (`head -n K` for every K), and inside some lines."""
    lines = data.splitlines(keepends=True)
    at_lines = [b"".join(lines[:count]) for count in range(len(lines))]
    inside = [data[: len(b"".join(lines[:count])) + 3] for count in range(0, len(lines), 7)]
    return at_lines + [cut for cut in inside if len(cut) < len(data)]


def refused_as_cut_or_broken(store: Store, file: Path) -> str:
    with pytest.raises(FileError) as refused:
        store.load(RELATIVE)
    message = str(refused.value)
    assert message.startswith(f"{file}:")
    return message


def test_musterm_ends_every_file_it_writes_with_the_end_line(store: Store) -> None:
    data = (store.root / RELATIVE).read_bytes()
    assert data.endswith(f"\n\n{END_MARKER}\n".encode())
    assert data == dump_bytes(real_conversation())
    assert END_MARKER == "# musterm: slut på filen"


def test_a_file_cut_at_any_line_is_refused_naming_file_and_line_and_never_written_over(store: Store, capsys) -> None:  # noqa: ANN001
    from musterm.cli.main import main

    file = store.root / RELATIVE
    whole = file.read_bytes()
    pieces = cuts(whole)
    assert len(pieces) > 200  # a real conversation: every one of its lines is a cut point
    for piece in pieces:
        file.write_bytes(piece)
        message = refused_as_cut_or_broken(store, file)
        if not piece:
            assert message.startswith(f"{file}:1: filen er tom, men den seneste commit har samtalen. musterm åbner")
        elif not message.split(": ", 1)[1].startswith("TOML-syntaksfejl"):
            lines = max(piece.count(b"\n") + (0 if piece.endswith(b"\n") or not piece else 1), 1)
            assert message == (
                f"{file}:{lines}: filen er afkortet: den slutter ved linje {lines} uden musterms slutlinje "
                f"'{END_MARKER}', og den seneste commit har mere. musterm åbner og gemmer den ikke. Hent hele "
                f"filen med 'git restore {RELATIVE}' i samtalearkivet, eller skriv slutlinjen nederst, hvis du selv "
                "har fjernet resten."
            ), piece[-80:]
        capsys.readouterr()
        assert main(["--sessions", str(store.root), "show", str(file)]) == 1  # `musterm show FILE`, in-process
        shown = capsys.readouterr()
        assert (shown.out, shown.err) == ("", f"musterm: {message}\n")
        fresh = Store.open(store.root)  # a new start of musterm, which never read the whole file
        with pytest.raises(StoreError):
            fresh.save(RELATIVE, real_conversation())
        assert file.read_bytes() == piece
    file.write_bytes(whole)
    assert store.load(RELATIVE) == real_conversation()


def test_head_n_245_of_an_older_file_is_refused_too(store: Store) -> None:
    """A file an older musterm wrote has no end line: then its committed version tells."""
    file = store.root / RELATIVE
    older = file.read_bytes().removesuffix(f"\n{END_MARKER}\n".encode())
    file.write_bytes(older)
    subprocess.run(["git", "commit", "-q", "-m", "older musterm", "--", RELATIVE], cwd=store.root, check=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"}, capture_output=True)
    assert subprocess.run(["git", "status", "--porcelain"], cwd=store.root, capture_output=True, text=True).stdout == ""
    assert Store.open(store.root).load(RELATIVE) == real_conversation()  # whole, without the end line: loads
    for piece in cuts(older):
        file.write_bytes(piece)
        refused_as_cut_or_broken(Store.open(store.root), file)
        assert file.read_bytes() == piece
    head_245 = b"".join(older.splitlines(keepends=True)[:245])
    file.write_bytes(head_245)
    assert "filen er afkortet: den slutter ved linje 245" in refused_as_cut_or_broken(store, file)


def test_the_listing_marks_a_cut_file_damaged_and_show_refuses_it(store: Store) -> None:
    file = store.root / RELATIVE
    lines = file.read_bytes().splitlines(keepends=True)
    cut = b"".join(lines[: len(lines) - 12])
    file.write_bytes(cut)
    listed = Store.open(store.root).summaries()
    assert [summary.error for summary in listed] == [
        f"beskadiget (linje {len(lines) - 12}): filen er afkortet: den slutter ved linje {len(lines) - 12} uden "
        f"musterms slutlinje '{END_MARKER}', og den seneste commit har mere. musterm åbner og gemmer den ikke. Hent "
        f"hele filen med 'git restore {RELATIVE}' i samtalearkivet, eller skriv slutlinjen nederst, hvis du selv har "
        "fjernet resten."
    ]
    shown = subprocess.run(
        [sys.executable, "-m", "musterm", "--sessions", str(store.root), "show", "Anna Sørensen"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert (shown.returncode, shown.stdout) == (1, "")
    assert shown.stderr.startswith(f"musterm: {file}:{len(lines) - 12}: filen er afkortet")
    assert file.read_bytes() == cut


def test_a_file_with_lines_added_after_the_end_line_is_not_cut(store: Store) -> None:
    file = store.root / RELATIVE
    file.write_bytes(file.read_bytes() + b"# tilf\xc3\xb8jet i h\xc3\xa5nden\n")
    assert store.load(RELATIVE) == real_conversation()


def test_a_note_that_holds_the_end_line_never_hides_a_cut(store: Store) -> None:
    session = store.load(RELATIVE)
    session.private.notes = f"Før\n{END_MARKER}\nEfter"
    assert store.save(RELATIVE, session)
    file = store.root / RELATIVE
    data = file.read_bytes()
    assert data.count(END_MARKER.encode()) == 2  # the note on one line, with \n escapes, and the end line
    assert data.endswith(f"\n{END_MARKER}\n".encode())
    store.commit(RELATIVE, session)
    for piece in cuts(data):
        file.write_bytes(piece)
        refused_as_cut_or_broken(Store.open(store.root), file)


def test_the_history_of_older_files_asks_git_once_and_finds_the_cut_one(store: Store, monkeypatch) -> None:  # noqa: ANN001
    """An employee's conversations from before the end line are compared with the last commit in one
    `git cat-file` for them all, not a git process per file (ten years are ten files)."""
    from musterm.history.conversations import read_sessions
    from musterm.store.gitrepo import GitRepo

    folder = RELATIVE.split("/")[0]
    whole = (store.root / RELATIVE).read_bytes().removesuffix(f"\n{END_MARKER}\n".encode())
    for year in range(2016, 2026):
        (store.root / folder / f"{year}-11-23.toml").write_bytes(whole.replace(b"2026-11-23", f"{year}-11-23".encode()))
    (store.root / RELATIVE).write_bytes(whole)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A"], cwd=store.root, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "older musterm"],
                   cwd=store.root, check=True)
    cut = store.root / folder / "2020-11-23.toml"
    cut.write_bytes(b"".join(cut.read_bytes().splitlines(keepends=True)[:100]))
    runs: list[list[str]] = []
    original = GitRepo._run_bytes

    def counted(self, args, env, data):  # noqa: ANN001, ANN202
        runs.append(list(args))
        return original(self, args, env, data)

    monkeypatch.setattr(GitRepo, "_run_bytes", counted)
    sessions, damaged = read_sessions(Store.open(store.root, writable=False), folder)
    assert len(sessions) == 10
    assert [(relative, message.split(": ", 1)[1][:40]) for relative, message in damaged] == [
        (f"{folder}/2020-11-23.toml", "filen er afkortet: den slutter ved linje")
    ]
    assert [run for run in runs if run[:1] == ["cat-file"]] == [["cat-file", "--batch"]]


def test_a_note_that_holds_the_end_line_never_hides_a_cut_from_the_history(store: Store) -> None:
    """The history and the plan carried over read an employee's files at once (`committed_versions`):
    a cut file whose note holds the end line's words must be compared with its commit there too."""
    from musterm.history.conversations import read_sessions
    from musterm.store.previous import sessions_of

    session = store.load(RELATIVE)
    session.private.notes = f"Før\n{END_MARKER}\nEfter"
    assert store.save(RELATIVE, session)
    store.commit(RELATIVE, session)
    file = store.root / RELATIVE
    data = file.read_bytes()
    folder = RELATIVE.split("/")[0]
    hiding = [piece for piece in cuts(data) if END_MARKER.encode() in piece]
    assert hiding  # the cuts after the note: its words are in them, the end line is not
    for piece in hiding:
        file.write_bytes(piece)
        reader = Store.open(store.root, writable=False)
        sessions, damaged = read_sessions(reader, folder)
        assert (sessions, [relative for relative, _ in damaged]) == ([], [RELATIVE]), piece[-60:]
        readable, refused = sessions_of(reader, folder)
        assert (readable, [relative for relative, _ in refused]) == ([], [RELATIVE]), piece[-60:]
    file.write_bytes(data)
    assert [relative for relative, _ in read_sessions(Store.open(store.root), folder)[0]] == [RELATIVE]
