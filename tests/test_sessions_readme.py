"""sessions/README.md tells the truth: its example is a file musterm wrote, its messages are musterm's.

The README is copied into every new sessions repository, so managers and HR read it
next to their files; what it quotes must be what musterm writes and says.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from musterm.documents.render import render_text
from musterm.errors import FileError
from musterm.formats.session_file import dumps, loads, to_data
from musterm.locations import sessions_readme_text
from musterm.model.session import (
    Closing,
    FollowUpRow,
    FrameworkRef,
    Person,
    PlanFieldRecord,
    PlanHeadings,
    PlanRow,
    Preparation,
    Private,
    QuestionRecord,
    ScaleSnapshot,
    Session,
    Status,
    ThemeRecord,
)
from musterm.store import names
from musterm.store.events import Event, commit_message
from musterm.store.repository import Store

README = Path(__file__).resolve().parent.parent / "sessions" / "README.md"
TEXT = README.read_text(encoding="utf-8")
FILE = "anna-sørensen-1234/2026-11-23.toml"


PROSE, COMPLETE_SECTION = TEXT.split("\n## A complete example\n")


def blocks(language: str, text: str = TEXT) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def example_text() -> str:
    (complete,) = blocks("toml", COMPLETE_SECTION)
    return complete


def example() -> Session:
    return loads(example_text(), FILE)


def test_the_example_is_exactly_what_musterm_writes() -> None:
    text = example_text()
    session = loads(text, FILE)
    assert dumps(session) == text
    assert session.status == Status.CLOSED
    assert session.framework.id == "ringkobing-skjern"


def test_the_example_shows_every_part_of_a_session() -> None:
    session = example()
    assert session.followup and session.plan.rows and session.private.notes and session.preparation.employee_notes
    assert session.closing.leader_signed and session.closing.employee_signed and session.closing.followup_date
    assert any(q.own_score is not None and q.score is not None and q.notes for _, q in session.questions())
    assert any(theme.notes for theme in session.themes)


def test_quoted_parts_are_excerpts_of_the_example() -> None:
    complete = example_text()
    parts = blocks("toml", PROSE)
    assert len(parts) >= 5
    for part in parts:
        assert part in complete, f"not in the complete example:\n{part}"
    assert complete.startswith(parts[0]), "the first part quoted is the top of the file"


def test_every_key_of_the_format_is_explained() -> None:
    models = [Session, Person, FrameworkRef, Preparation, FollowUpRow, ThemeRecord, QuestionRecord, ScaleSnapshot,
              PlanHeadings, PlanRow, PlanFieldRecord, Closing, Private]

    def mentioned(name: str) -> bool:
        as_key = f"`{name}`" in PROSE or f"\n{name} = " in PROSE
        return as_key or re.search(rf"\[\[?([a-z_]+\.)*{name}\]\]?", PROSE) is not None

    assert sorted({name for model in models for name in model.model_fields if not mentioned(name)}) == []
    for status in Status:
        assert f"`{status.value}` ({status.label}" in PROSE


def test_the_commit_message_example_is_musterms() -> None:
    session = example()
    session.status = Status.HELD
    assert commit_message(session, Event.PLAN) in blocks("text")


@pytest.mark.parametrize("event", Event)
def test_every_event_is_in_the_table(event: Event) -> None:
    assert re.search(rf"^\| `{event.value}` \| {re.escape(event.label)} \|", event_table(), flags=re.MULTILINE)


def event_table() -> str:
    start = TEXT.index("| `Musterm-Event` |")
    return TEXT[start : TEXT.index("\n\n", start)]


CHANGES = {
    "held": lambda s: setattr(s, "status", Status.HELD),
    "closed": lambda s: setattr(s, "status", Status.CLOSED),
    "reopened": lambda s: setattr(s, "status", Status.REOPENED),
    "started": lambda s: setattr(s, "started", dt.datetime(2026, 11, 23, 9, 35)),
    "plan": lambda s: s.plan.rows.append(PlanRow(id="3", what="Mentor")),
    "followup": lambda s: setattr(s.followup[0], "comment", "Ny kommentar."),
    "signed": lambda s: setattr(s.closing, "employee_signed", dt.date(2026, 11, 25)),
    "scores": lambda s: setattr(s.question("klaedt-paa-til-jobbet"), "score", 6),
    "preparation": lambda s: setattr(s.question("klaedt-paa-til-jobbet"), "own_score", 6),
    "notes": lambda s: setattr(s.private, "notes", "Andet."),
}


def test_with_several_changes_the_message_names_the_first_in_the_table() -> None:
    from itertools import combinations

    from musterm.store.events import describe_change

    listed = re.findall(r"^\| `([a-z]+)` \| ", event_table(), flags=re.MULTILINE)
    # created and recovered are named directly; the rows between are chosen by comparing versions
    assert listed[0] == "created" and listed[-1] == "recovered" and listed[1:-1] == list(CHANGES)
    before = example()
    before.status, before.started, before.closing.employee_signed = Status.DRAFT, None, None
    for first, second in combinations(CHANGES, 2):
        if {first, second} <= {"held", "closed", "reopened"}:
            continue  # one status at a time
        after = before.model_copy(deep=True)
        CHANGES[second](after)
        CHANGES[first](after)
        assert describe_change(before, after) == Event(first), (first, second)
    assert describe_change(None, before) == Event.CREATED


def test_the_layout_uses_musterms_names() -> None:
    assert names.employee_folder("Anna Sørensen", "1234") + "/" in TEXT
    assert names.employee_folder("Bo Ørsted") + "/" in TEXT
    assert names.session_file(dt.date(2026, 11, 23), {"2026-11-23.toml"}) in TEXT
    assert "anna-sørensen-2" in TEXT and names.employee_folder("Anna Sørensen") == "anna-sørensen"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("score = 5\nnotes", 'score = "fem"\nnotes'),
        ('status = "closed"\n', 'status = "closed"\nfarve = "blå"\n'),
        ("schema_version = 1", "schema_version = 3"),
        ("Trives med opgaverne og kollegerne.\n",
         "<<<<<<< HEAD\nTrives med opgaverne og kollegerne.\n=======\nTrives godt med opgaverne.\n>>>>>>> bærbar\n"),
    ],
)
def test_quoted_error_messages_are_musterms(old: str, new: str) -> None:
    damaged = example_text().replace(old, new, 1)
    with pytest.raises(FileError) as refused:
        loads(damaged, FILE)
    assert f"\n{refused.value}\n" in TEXT


def test_the_diff_excerpt_shows_musterms_rendering() -> None:
    (diff,) = blocks("diff")
    rendered = render_text(to_data(example())).splitlines()
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added and all(line in rendered for line in added)
    headers = re.findall(r"^@@ .* @@ (== .* ==)$", diff, flags=re.MULTILINE)
    assert headers and all(header in rendered for header in headers)
    subject = re.search(r"^    (Anna Sørensen 2026-11-23: .*)$", diff, flags=re.MULTILINE)
    assert subject and subject.group(1) == f"Anna Sørensen 2026-11-23: {Event.SCORES.label}"


def test_new_repositories_get_this_readme(tmp_path: Path) -> None:
    assert sessions_readme_text() == TEXT
    store = Store.open(tmp_path / "sessions")
    assert (store.root / "README.md").read_text(encoding="utf-8") == TEXT


def test_the_readme_is_tidy() -> None:
    assert TEXT.endswith("```\n")
    assert "\r" not in TEXT and "\t" not in TEXT
    assert not [line for line in TEXT.splitlines() if line != line.rstrip()]
