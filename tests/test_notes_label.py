"""The label above a notes area: the guide's own where it has one, else one neutral default everywhere.

Of the four bundled guides only Ringkøbing-Skjern's heads its note boxes ("Stikord og fælles
konklusioner"); Randers', Norddjurs' and Haderslev's have no label for them, so they must not
borrow Ringkøbing-Skjern's. Without its framework (one that is gone) the export uses the same
default as a framework that sets none.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from musterm.documents.export import export_markdown
from musterm.frameworks.catalog import load_files
from musterm.model.framework import DEFAULT_NOTES_LABEL, Framework
from musterm.model.session import Person, Session, new_session

BUNDLED = Path(__file__).resolve().parent.parent / "frameworks"


def bundled(framework_id: str) -> Framework:
    entries, errors = load_files([(BUNDLED / f"{framework_id}.toml", "test")])
    assert errors == []
    return entries[framework_id].framework


def noted(framework: Framework) -> Session:
    session = new_session(framework, Person(name="Anna Sørensen"), Person(name="Lis Leder"), dt.date(2026, 11, 23))
    session.themes[0].notes = "Godt år på holdet."
    return session


@pytest.mark.parametrize(
    ("framework_id", "label"),
    [
        ("randers", "Noter"),
        ("norddjurs", "Noter"),
        ("haderslev", "Noter"),
        ("ringkobing-skjern", "Stikord og fælles konklusioner"),
    ],
)
def test_each_bundled_framework_heads_its_notes_as_its_guide_does(framework_id: str, label: str) -> None:
    framework = bundled(framework_id)
    assert f"**{label}:**\nGodt år på holdet.\n" in export_markdown(noted(framework), "employee", framework)


def test_a_framework_without_a_label_and_a_missing_framework_read_alike() -> None:
    framework = bundled("randers")
    session = noted(framework)
    assert DEFAULT_NOTES_LABEL == "Noter"
    assert Framework.model_fields["notes_label"].default == DEFAULT_NOTES_LABEL
    assert export_markdown(session, "employee", None).count("**Noter:**\nGodt år på holdet.\n") == 1
    assert "Stikord" not in export_markdown(session, "employee", framework)
