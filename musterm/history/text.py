"""Labels and small text helpers shared by the history modules."""

from __future__ import annotations

from musterm.model.labels import PLAN_COLUMNS

NOT_ASSESSED = "ikke vurderet"
PRIVATE_NOTES = "Private noter (kun for lederen)"
FOLLOWUP_SECTION = "Opfølgning på sidste udviklingsplan"
PLAN_SECTION = "Udviklingsplan"

# --- small helpers ---------------------------------------------------------------------------------


def _question_label(number: str, text: str) -> str:
    text = _one_line(text)
    return f"{number}. {text}" if number else text


def _one_line(text: str) -> str:
    return " ".join(text.split())


# The plan's default column headings, as follow-up fields name them in search.
_DEFAULT_PLAN_HEADINGS = {key: _one_line(heading) for key, heading in PLAN_COLUMNS.items()}
_FOLLOWUP_HEADINGS = {**_DEFAULT_PLAN_HEADINGS, "comment": "Kommentar"}


def _indented(text: str, indent: str = "  ") -> list[str]:
    return [f"{indent}{line}".rstrip() for line in text.strip("\n").split("\n")]
