"""The plan's columns are one piece of data (PLAN_COLUMNS): every model and text that lists them follows it."""

from __future__ import annotations

import datetime as dt

from musterm.documents.render import render_text
from musterm.history.text import _DEFAULT_PLAN_HEADINGS
from musterm.model.framework import PLAN_COLUMN_KEYS, PlanColumns
from musterm.model.labels import PLAN_COLUMNS
from musterm.model.session import FollowUpRow, PlanHeadings, PlanRow

HEADINGS = {"what": "Hvad?", "goal": "Mål?", "how": "Hvordan?", "when": "Hvornår?", "followup": "Opfølgning"}


def test_the_columns_and_their_default_headings() -> None:
    assert PLAN_COLUMNS == HEADINGS
    assert PLAN_COLUMN_KEYS == tuple(HEADINGS)


def test_the_framework_and_session_models_have_a_field_per_column_in_order() -> None:
    assert {key: column.heading for key, column in PlanColumns()} == HEADINGS
    assert PlanHeadings().model_dump() == HEADINGS
    assert list(PlanRow.model_fields) == ["id", *HEADINGS, "status", "competence"]
    assert list(FollowUpRow.model_fields) == ["session", "row", *HEADINGS, "status", "comment"]
    assert _DEFAULT_PLAN_HEADINGS == HEADINGS


def test_show_heads_a_plan_without_headings_with_the_defaults() -> None:
    data = {
        "followup": [{"session": dt.date(2025, 11, 20), "row": "1", "when": "Foråret"}],
        "plan": {"rows": [{"id": "1", "what": "Excel-kursus", "followup": "Maj"}]},
    }
    text = render_text(data)
    assert "Aftale 1 fra 2025-11-20: ikke vurderet\n    Hvornår?: Foråret\n" in text
    assert "Aftale 1\n    Hvad?: Excel-kursus\n    Opfølgning: Maj\n" in text
