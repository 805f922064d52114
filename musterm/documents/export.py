"""A conversation as a document: Markdown, and HTML that a browser prints to PDF on A4.

Two audiences:

- "employee": the employee's copy. Everything in the conversation except what is the
  manager's alone: the private notes and the manager's own preparation notes.
- "personnel-file": what goes in the personnel file: who, when, the plan and its
  agreements, the follow-up date and the signatures. No notes about wellbeing.

All user text is escaped, so a note can never become a heading, a link or HTML.
Pure functions returning text, for `musterm export` and the app's command palette.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

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
from musterm.documents.invite import danish_date, danish_time
from musterm.errors import MustermError
from musterm.model import kinds
from musterm.model.framework import Framework
from musterm.model.labels import DEFAULT_NOTES_LABEL, FOLLOWUP_LABELS, PLAN_COLUMN_KEYS, STATUS_LABELS
from musterm.model.session import QuestionRecord, Session, ThemeRecord, one_line

EMPLOYEE = "employee"
PERSONNEL_FILE = "personnel-file"
AUDIENCES = (EMPLOYEE, PERSONNEL_FILE)
AUDIENCE_LABELS = {EMPLOYEE: "Medarbejderens kopi", PERSONNEL_FILE: "Til personalemappen"}

DEFAULT_PLAN_TITLE = "Udviklingsplan"
DEFAULT_SIGNATURES = ("Dato", "Leder", "Medarbejder")

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
_BLOCK_START = re.compile(r"^([#>+=-]|\d+[.)])")
_LEADING_SPACE = re.compile(r"^[ \t]+")
NBSP = "\u00a0"


@dataclass(frozen=True)
class Section:
    """One part of the document; the HTML wraps each in <section class="kind">."""

    kind: str
    markdown: str
    html: str = ""
    """Drawn before the Markdown in the HTML (the competence wheel's SVG); musterm's own, never user text unescaped."""


# --- the document ----------------------------------------------------------------------------


def export_markdown(session: Session, audience: str = EMPLOYEE, framework: Framework | None = None) -> str:
    """The conversation as Markdown for `audience`; the framework (optional) gives titles and signatures."""
    return "\n".join(section.markdown for section in document_sections(session, audience, framework))


def document_sections(session: Session, audience: str, framework: Framework | None = None) -> list[Section]:
    if audience not in AUDIENCES:
        raise MustermError(f"Ukendt modtager '{audience}'; vælg employee eller personnel-file.")
    sections = [Section("header", _header(session, audience, framework))]
    if audience == EMPLOYEE:
        sections += _optional(Section("preparation", _preparation(session)))
        sections += _optional(Section("followup", _followup(session)))
        sections += [Section("theme", _theme(theme, framework)) for theme in session.themes]
        sections += _wheel(session)
    sections.append(Section("plan", _plan(session, framework)))
    sections += _optional(Section("closing", _closing(session, audience, framework)))
    sections += _optional(Section("signatures", _signatures(session, framework)))
    return sections


def _optional(section: Section) -> list[Section]:
    return [section] if section.markdown else []


def _header(session: Session, audience: str, framework: Framework | None) -> str:
    when = danish_date(session.date)
    if session.time:
        when += f" kl. {danish_time(session.time)}"
    employee = session.employee
    facts = [("Dato", when)]
    if session.place:
        facts.append(("Sted", session.place))
    facts.append(("Medarbejder", employee.name))
    if employee.number:
        facts.append(("Medarbejdernummer", employee.number))
    facts.append(("Leder", session.manager.name))
    facts.append(("Ramme", framework_named(session.framework.name, session.framework.version, framework)))
    if source_of(framework):
        facts.append(("Kilde", source_of(framework)))
    facts.append(("Status", STATUS_LABELS.get(session.status.value, session.status.value)))
    lines = [_heading(1, f"MUS-samtale med {employee.name}"), "", f"*{AUDIENCE_LABELS[audience]}*", ""]
    lines += [f"- **{label}:** {_line(value)}" for label, value in facts]
    return _join(lines)


def _preparation(session: Session) -> str:
    preparation = session.preparation  # manager_notes are the manager's own and never leave musterm
    body: list[str] = []
    if preparation.employee_submitted:
        body.append(f"Medarbejderens forberedelse modtaget {danish_date(preparation.employee_submitted)}.")
        body.append("")
    body += _field("Personlige noter til forberedelse", preparation.employee_notes)
    if not body:
        return ""
    return _join(["## Forberedelse", "", *body])


def _followup(session: Session) -> str:
    if not session.followup:
        return ""
    lines = ["## Opfølgning på sidste udviklingsplan", ""]
    headings = session.plan.headings
    for row in session.followup:
        status = FOLLOWUP_LABELS.get(str(row.status), "") if row.status else "ikke vurderet"
        lines += [_heading(3, f"Aftale {row.row} fra {danish_date(row.session, weekday=False)}: {status}"), ""]
        for key in PLAN_COLUMN_KEYS:
            lines += _field(getattr(headings, key), getattr(row, key))
        lines += _field("Kommentar", row.comment)
    return _join(lines)


def _theme(theme: ThemeRecord, framework: Framework | None) -> str:
    lines = [_heading(2, theme.title), ""]
    lines += _said(theme_said(framework, theme.id))
    lines += _field("Medarbejderens noter", theme.employee_notes)
    lines += _field(_theme_notes_label(theme, framework), theme.notes)
    scale_shown = ""
    for question in theme.questions:
        lines += _question(theme, question, framework, scale_shown)
        scale_shown = scale_text(question.as_data().get("scale")) or scale_shown
    return _join(lines)


def _question(theme: ThemeRecord, question: QuestionRecord, framework: Framework | None, scale_shown: str = "") -> list[str]:
    number = f"{question.number}. " if question.number else ""
    mandatory = " (obligatorisk)" if question.mandatory else ""
    lines = [_heading(3, number + question.text + mandatory), ""]
    scale = scale_text(question.as_data().get("scale"))
    if scale and scale != scale_shown:
        lines += [f"*{_line(scale)}*", ""]
    lines += _said(question_said(framework, question.id))
    lines += kinds.get(question.kind).markdown_lines(question.as_data(), _line)
    lines += _field("Medarbejderens noter", question.employee_notes)
    lines += _field(_question_notes_label(theme, question, framework), question.notes)
    return lines


def _wheel(session: Session) -> list[Section]:
    from musterm.documents import wheel

    spokes = wheel.spokes(session)
    if not spokes:
        return []
    lines = ["## Kompetencehjul", "", "*Nu og ønsket for hver kompetence; gabet er ønsket minus nu.*", ""]
    lines += wheel.markdown_table(spokes, _line)
    return [Section("wheel", _join(lines), wheel.svg(spokes))]


def _plan(session: Session, framework: Framework | None) -> str:
    plan = session.plan
    title = framework.plan.title if framework else DEFAULT_PLAN_TITLE
    lines = [_heading(2, title), ""]
    if plan_intro(framework):
        lines += [*_paragraphs(plan_intro(framework).replace("**", "")), ""]
    keys = framework.plan.column_keys if framework else PLAN_COLUMN_KEYS
    rows = [row for row in plan.rows if not row.empty]
    with_status = any(row.status for row in rows)
    with_competence = any(row.competence for row in rows)
    if rows and keys:
        headings = [getattr(plan.headings, key) for key in keys]
        headings += (["Kompetence"] if with_competence else []) + (["Status"] if with_status else [])
        lines.append(_table_row(headings))
        lines.append("|" + "---|" * len(headings))
        for row in rows:
            cells = [row.column(key) for key in keys]
            if with_competence:
                cells.append(session.competence_name(row))
            if with_status:
                cells.append(FOLLOWUP_LABELS.get(str(row.status), "") if row.status else "")
            lines.append(_table_row(cells))
        lines.append("")
    elif keys:
        lines += ["Der er ikke aftalt nogen punkter i planen.", ""]
    for field in plan.fields:
        if field.text.strip():
            lines += [_heading(3, field.label), "", *_paragraphs(field.text), ""]
    return _join(lines)


def _closing(session: Session, audience: str, framework: Framework | None = None) -> str:
    closing = session.closing
    lines: list[str] = []
    if closing.followup_date:
        lines += [f"**Opfølgning aftalt:** {danish_date(closing.followup_date)}", ""]
    if audience == EMPLOYEE:
        if evaluation_prompt(framework):
            lines += [f"**Evaluering:** {_line(evaluation_prompt(framework))}", ""]
        lines += _field("Evaluering af samtalen", closing.evaluation)
    if not lines:
        return ""
    return _join(["## Afslutning", "", *lines])


def _signatures(session: Session, framework: Framework | None) -> str:
    labels = list(framework.closing.signatures) if framework else list(DEFAULT_SIGNATURES)
    if not labels:
        return ""
    with_date_row = any(label.casefold() == "dato" for label in labels)
    signers = [label for label in labels if label.casefold() != "dato"]
    if not signers:  # a date line only (Norddjurs' plan page: "Dato:")
        return _join(["## Underskrifter", "", "| Dato | |", "|---|---|", "| | |"])
    closing = session.closing
    names, dates = [], []
    for label in signers:
        key = label.casefold()
        if key.startswith("leder"):
            names.append(session.manager.name)
            dates.append(danish_date(closing.leader_signed, weekday=False) if closing.leader_signed else "")
        elif key.startswith("medarbejder"):
            names.append(session.employee.name)
            dates.append(danish_date(closing.employee_signed, weekday=False) if closing.employee_signed else "")
        else:
            names.append("")
            dates.append("")
    lines = ["## Underskrifter", "", _table_row(["", *signers]), "|" + "---|" * (len(signers) + 1)]
    lines.append(_table_row(["Navn", *names]))
    if with_date_row or any(dates):
        lines.append(_table_row(["Dato", *dates]))
    lines.append(_table_row(["Underskrift", *[""] * len(signers)]))
    return _join(lines)


def _said(said: Said) -> list[str]:
    """The guide's notice, description, helper questions and options' explanations, as Markdown blocks."""
    lines: list[str] = []
    if said.notice:
        lines += [f"**OBS:** {_line(said.notice)}", ""]
    if said.description:
        lines += [*_paragraphs(said.description.replace("**", "")), ""]
    if said.helpers:
        lines += ["*Hjælpespørgsmål:*", "", *(f"- {_line(helper)}" for helper in said.helpers), ""]
    if said.options:
        lines += ["*Valgmuligheder:*", ""]
        for option in said.options:
            lines.append(f"- **{_line(option.label)}**" + (f": {_line(option.description)}" if option.description else ""))
            lines += [f"  - {_line(helper)}" for helper in option.helpers]
        lines.append("")
    return lines


# --- labels from the framework -----------------------------------------------------------------


def _theme_notes_label(theme: ThemeRecord, framework: Framework | None) -> str:
    if framework is None:
        return DEFAULT_NOTES_LABEL
    source = next((t for t in framework.themes if t.id == theme.id), None)
    return (source.notes_label if source else None) or framework.notes_label


def _question_notes_label(theme: ThemeRecord, question: QuestionRecord, framework: Framework | None) -> str:
    if framework is None:
        return DEFAULT_NOTES_LABEL
    for source_theme, source in framework.questions():
        if source.id == question.id:
            return source.notes_label or source_theme.notes_label or framework.notes_label
    return _theme_notes_label(theme, framework)


# --- escaping --------------------------------------------------------------------------------


def escape_inline(text: str) -> str:
    """Text that Markdown shows as written: no emphasis, links, code or HTML."""
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def _line(text: str) -> str:
    return escape_inline(one_line(text))


def _heading(level: int, text: str) -> str:
    """An ATX heading; a trailing '#' in the text would otherwise be read as a closing sequence."""
    shown = _line(text)
    if shown.endswith("#"):
        shown = shown[:-1] + "\\#"
    return "#" * level + " " + shown


def _escape_block_line(line: str) -> str:
    """One line of a note: inline escapes, no block syntax, indentation kept without becoming code."""
    indent = _LEADING_SPACE.match(line)
    rest = line[indent.end() :] if indent else line
    rest = escape_inline(rest)
    rest = _BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], rest)
    prefix = NBSP * len(indent.group(0).expandtabs(4)) if indent and rest else ""
    return prefix + rest


def _paragraphs(text: str) -> list[str]:
    """A multi-line note as Markdown paragraphs; line breaks stay line breaks (HTML renders with breaks)."""
    return [_escape_block_line(line) if line.strip() else "" for line in text.strip("\n").split("\n")]


def _field(label: str, text: str) -> list[str]:
    """'**Label:** text', the text's own lines and paragraphs kept; nothing when the text is empty."""
    if not text.strip():
        return []
    body = _paragraphs(text)
    label = one_line(label)
    shown = label if label.endswith(("?", ":")) else label + ":"  # "Hvad?", not "Hvad?:"
    return [f"**{escape_inline(shown)}**", *body, ""]


def _table_row(cells: list[str]) -> str:
    shown = [_cell(cell) for cell in cells]
    return "| " + " | ".join(shown) + " |"


def _cell(text: str) -> str:
    lines = [escape_inline(" ".join(line.split())) for line in text.strip().split("\n")]
    return "<br>".join(line for line in lines if line)


def _join(lines: list[str]) -> str:
    text = "\n".join(lines).strip("\n")
    return text + "\n"


# --- HTML ------------------------------------------------------------------------------------

PRINT_CSS = """\
@page {
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @bottom-right { content: "Side " counter(page) " af " counter(pages); font: 9pt "Segoe UI", Arial, "Liberation Sans", sans-serif; color: #555; }
}
html { font-family: Charter, "Bitstream Charter", Cambria, Georgia, "Liberation Serif", "DejaVu Serif", serif; font-size: 11pt; line-height: 1.45; color: #111; }
body { margin: 0 auto; max-width: 178mm; }
h1, h2, h3, th { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 19pt; margin: 0 0 2pt 0; }
h2 { font-size: 14pt; margin: 18pt 0 6pt 0; padding-bottom: 2pt; border-bottom: 1px solid #999; }
h3 { font-size: 11.5pt; margin: 12pt 0 4pt 0; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 6pt 0; orphans: 3; widows: 3; }
section.header ul { list-style: none; padding: 0; margin: 6pt 0 0 0; }
section.header em { color: #555; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 4pt 0 10pt 0; }
th, td { border: 1px solid #444; padding: 4pt 5pt; text-align: left; vertical-align: top; overflow-wrap: break-word; hyphens: auto; }
th { background: #eee; font-size: 9pt; }
td { font-size: 9.5pt; line-height: 1.35; }
thead { display: table-header-group; }
tr, td, th { break-inside: avoid; page-break-inside: avoid; }
section.plan { break-before: page; page-break-before: always; }
body.personnel-file section.plan { break-before: auto; page-break-before: auto; }
section.signatures { break-inside: avoid; page-break-inside: avoid; }
section.wheel { break-inside: avoid; page-break-inside: avoid; }
section.wheel svg { display: block; margin: 4pt auto 8pt auto; max-width: 100%; height: auto; }
section.signatures th:first-child, section.signatures td:first-child { width: 22%; background: #eee; font-weight: bold; }
section.signatures tr:last-child td { height: 16mm; }
@media screen {
  body { padding: 12mm; background: #fff; }
}
"""


def export_html(session: Session, audience: str = EMPLOYEE, framework: Framework | None = None) -> str:
    """A standalone HTML page with print CSS (A4, page break before the plan); user text escaped."""
    renderer = markdown_renderer()
    title = f"MUS-samtale med {one_line(session.employee.name)}, {danish_date(session.date, weekday=False)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="da">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>\n{PRINT_CSS}</style>",
        "</head>",
        f'<body class="{audience}">',
    ]
    for section in document_sections(session, audience, framework):
        body = renderer.render(section.markdown)
        if section.html:  # the picture right below the section's heading
            end = body.find("</h2>")
            cut = end + len("</h2>\n") if end >= 0 else 0
            body = body[:cut] + section.html + "\n" + body[cut:]
        parts.append(f'<section class="{section.kind}">\n{body}</section>')
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def markdown_renderer():  # noqa: ANN201 - markdown_it is imported lazily
    """CommonMark with tables; line breaks kept. Only inline HTML passes, and only musterm writes any
    (<br> in table cells): user text has '<' and '&' escaped before it gets here."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "breaks": True}).enable("table").disable("html_block")
