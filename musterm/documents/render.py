"""A conversation as a readable plain-text document (for `musterm show` and `git log -p`).

Works on the parsed TOML dict rather than the pydantic model, so git's textconv
stays quick: it runs once per file version that a diff shows. Each question's
text stands beside its answers, so a diff hunk says which question changed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from musterm.documents.guide import (
    Said,
    evaluation_prompt,
    framework_named,
    plan_intro,
    question_said,
    scale_text,
    source_of,
    theme_said,
)
from musterm.model import kinds
from musterm.model.labels import DEFAULT_NOTES_LABEL, FOLLOWUP_LABELS, PLAN_COLUMNS, STATUS_LABELS

if TYPE_CHECKING:
    from musterm.model.framework import Framework

INDENT = "    "
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Never sent to a terminal: a hand-edited file could hide escape sequences in a note."""


def render_text(data: dict[str, Any], *, private: bool = True, framework: Framework | None = None) -> str:
    """The conversation as text; with its framework (`musterm show`) the guide's texts stand beside it too:
    its revision and source, each theme's and question's notice, description and helper questions,
    the options' explanations, the plan's intro and the evaluation prompt. git's textconv renders the
    file alone, so a diff shows what changed in the conversation, not in the framework."""
    lines: list[str] = []
    lines += _header(data, framework)
    lines += _preparation(data.get("preparation", {}))
    lines += _followup(data.get("followup", []))
    for theme in data.get("themes", []):
        lines += _theme(theme, framework)
    texts = {str(q.get("id")): str(q.get("text", "")) for t in data.get("themes", []) for q in t.get("questions", [])}
    lines += _plan(data.get("plan", {}), framework, texts)
    lines += _closing(data.get("closing", {}), framework)
    if private and data.get("private", {}).get("notes"):
        lines += _section("Private noter (kun for lederen)")
        lines += _block(data["private"]["notes"])
    return _CONTROL.sub("", "\n".join(lines).replace("\r", "")).rstrip() + "\n"


def _header(data: dict[str, Any], framework: Framework | None) -> list[str]:
    employee = data.get("employee", {})
    ref = data.get("framework", {})
    when = str(data.get("date", ""))
    if data.get("time"):
        when += f" kl. {str(data['time'])[:5]}"
    lines = [f"MUS-samtale med {employee.get('name', '?')}", f"Dato: {when}"]
    if data.get("place"):
        lines.append(f"Sted: {data['place']}")
    lines.append(f"Leder: {data.get('manager', {}).get('name', '?')}")
    lines.append(f"Ramme: {framework_named(ref.get('name', '?'), ref.get('version', '?'), framework)}")
    if source_of(framework):
        lines.append(f"Kilde: {source_of(framework)}")
    status = str(data.get("status", ""))
    lines.append(f"Status: {STATUS_LABELS.get(status, status)}")
    if employee.get("number"):
        lines.append(f"Medarbejdernummer: {employee['number']}")
    if employee.get("birth_year"):
        lines.append(f"Fødselsår: {employee['birth_year']}")
    return lines


def _preparation(preparation: dict[str, Any]) -> list[str]:
    if not preparation:
        return []
    lines = _section("Forberedelse")
    if preparation.get("employee_submitted"):
        lines.append(f"Medarbejderens forberedelse modtaget: {preparation['employee_submitted']}")
    if preparation.get("employee_notes"):
        lines += ["Medarbejderens noter:", *_block(preparation["employee_notes"])]
    if preparation.get("manager_notes"):
        lines += ["Lederens forberedelse:", *_block(preparation["manager_notes"])]
    return lines


def _followup(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    lines = _section("Opfølgning på sidste udviklingsplan")
    for row in rows:
        status = FOLLOWUP_LABELS.get(str(row.get("status", "")), "ikke vurderet")
        lines.append(f"Aftale {row.get('row', '?')} fra {row.get('session', '?')}: {status}")
        for key, heading in PLAN_COLUMNS.items():
            if row.get(key):
                lines += _field(heading, row[key])
        if row.get("comment"):
            lines += _field("Kommentar", row["comment"])
    return lines


def _theme(theme: dict[str, Any], framework: Framework | None) -> list[str]:
    lines = _section(str(theme.get("title", theme.get("id", "?"))))
    lines += _said(theme_said(framework, str(theme.get("id", ""))), "")
    if theme.get("employee_notes"):
        lines += _field("Medarbejderens noter", theme["employee_notes"])
    if theme.get("notes"):
        lines += _field(DEFAULT_NOTES_LABEL, theme["notes"])
    scale_shown = ""
    for question in theme.get("questions", []):
        lines += _question(question, framework, scale_shown)
        scale_shown = scale_text(question.get("scale")) or scale_shown
    return lines


def _question(question: dict[str, Any], framework: Framework | None, scale_shown: str = "") -> list[str]:
    """A question; the scale's own words only where they differ from the theme's question before."""
    number = f"{question['number']}. " if question.get("number") else ""
    mandatory = " (obligatorisk)" if question.get("mandatory") else ""
    lines = ["", f"{number}{question.get('text', '?')}{mandatory}"]
    scale = scale_text(question.get("scale"))
    if framework is not None and scale and scale != scale_shown:
        lines.append(f"{INDENT}{scale}")
    lines += _said(question_said(framework, str(question.get("id", ""))), INDENT)
    lines += [f"{INDENT}{line}" for line in kinds.get(question["kind"]).text_lines(question)]
    if question.get("employee_notes"):
        lines += _field("Medarbejderens noter", question["employee_notes"])
    if question.get("notes"):
        lines += _field(DEFAULT_NOTES_LABEL, question["notes"])
    return lines


def _question_text(questions: dict[str, str], question_id: str) -> str:
    return questions.get(question_id, question_id)


def _plan(plan: dict[str, Any], framework: Framework | None, data_questions: dict[str, str] | None = None) -> list[str]:
    data_questions = data_questions or {}
    rows = plan.get("rows", [])
    fields = [field for field in plan.get("fields", []) if field.get("text")]
    if not rows and not fields and not plan_intro(framework):
        return []
    headings = {**PLAN_COLUMNS, **plan.get("headings", {})}
    lines = _section("Udviklingsplan")
    if plan_intro(framework):
        lines += _block(plan_intro(framework))
    for row in rows:
        status = FOLLOWUP_LABELS.get(str(row.get("status", "")))
        lines.append(f"Aftale {row.get('id', '?')}" + (f" ({status})" if status else ""))
        for key in PLAN_COLUMNS:
            if row.get(key):
                lines += _field(headings[key], row[key])
        if row.get("competence"):
            lines += _field("Kompetence", _question_text(data_questions, row["competence"]))
    for field in fields:
        lines += [field.get("label", field.get("id", "?")), *_block(field["text"])]
    return lines


def _closing(closing: dict[str, Any], framework: Framework | None) -> list[str]:
    if not closing and not evaluation_prompt(framework):
        return []
    lines = _section("Afslutning")
    if closing.get("followup_date"):
        lines.append(f"Opfølgning aftalt: {closing['followup_date']}")
    if evaluation_prompt(framework):
        lines.append(f"Evaluering: {evaluation_prompt(framework)}")
    if closing.get("evaluation"):
        lines += _field("Evaluering af samtalen", closing["evaluation"])
    signed = [
        f"{who} {closing[key]}" for key, who in (("leader_signed", "leder"), ("employee_signed", "medarbejder")) if closing.get(key)
    ]
    if signed:
        lines.append("Underskrevet: " + ", ".join(signed))
    return lines


def _said(said: Said, indent: str) -> list[str]:
    """The guide's texts around a theme (no indent) or a question (indented)."""
    lines: list[str] = []
    if said.notice:
        lines.append(f"{indent}OBS: {' '.join(said.notice.split())}")
    if said.description:
        lines += _block(said.description, indent or "")
    if said.helpers:
        lines.append(f"{indent}Hjælpespørgsmål:")
        lines += [f"{indent}  - {helper}" for helper in said.helpers]
    if said.options:
        lines.append(f"{indent}Valgmuligheder:")
        for option in said.options:
            lines.append(f"{indent}  - {option.label}" + (f": {' '.join(option.description.split())}" if option.description else ""))
            lines += [f"{indent}      - {helper}" for helper in option.helpers]
    return lines


def _section(title: str) -> list[str]:
    return ["", f"== {title} =="]


def _field(label: str, text: str) -> list[str]:
    if "\n" not in text.strip():
        return [f"{INDENT}{label}: {text.strip()}"]
    return [f"{INDENT}{label}:", *_block(text, INDENT * 2)]


def _block(text: str, indent: str = INDENT) -> list[str]:
    return [f"{indent}{line}" if line else "" for line in text.strip("\n").split("\n")]
