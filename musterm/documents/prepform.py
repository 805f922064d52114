"""The employee's preparation form: a plain-text file for any text editor (read back by `prepform_reader`).

Employees are not technical, so the form is not TOML. It reads like a letter with
blanks to fill in:

    # Lines that begin with one '#' are guidance; the import skips them.
    Medarbejder: Anna Sørensen

    ## Personlige noter til forberedelse
    Noter:
    (free text, until the next heading)

    ## [job-og-arbejdsindhold] Job og arbejdsindhold
    Noter:

    ### [glad-for-job] 2. Hvor glad er du for dit job?
    # Skriv et tal fra 1 til 6 (6 = top).
    Score: 4
    Noter:
    (free text)

Headings `## [id]` (a theme) and `### [id]` (a question) carry the id the answers
belong to. In a section, before "Noter:", musterm reads the fields of the
question's kind (`musterm.model.kinds`): "Score:", "Valg:", "Svar (ja/nej):" and
numbered lines "1." for list questions; '#' lines are guidance; any other text
counts as notes. After "Noter:" every line is the employee's text until the next
heading, '#' lines included, so nothing the employee writes there is lost. A note line that looks like a heading is written with a
leading backslash, which the import removes again.
"""

from __future__ import annotations

import re
import textwrap

from musterm.documents.guide import source_of
from musterm.documents.invite import danish_date, danish_time, prep_deadline
from musterm.model import kinds
from musterm.model.framework import Framework, Phase, ThemeRole
from musterm.model.framework import Question as FrameworkQuestion
from musterm.model.framework import Theme as FrameworkTheme
from musterm.model.session import (
    QuestionRecord,
    Session,
    ThemeRecord,
    normalize_text,
    one_line,
)

WIDTH = 78
GENERAL_HEADING = "Personlige noter til forberedelse"

_MARKER = re.compile(r"^(#{2,3}) \[([^\]]*)\](.*)$")
_ESCAPED_MARKER = re.compile(r"^\\+#{2,3} \[")
_NEEDS_ESCAPE = re.compile(r"^\\*#{2,3} \[")
_ITEM = re.compile(r"^(\d{1,3})\.(.*)$")

INSTRUCTIONS = """\
SÅDAN UDFYLDER DU SKEMAET
- Åbn filen i en almindelig teksteditor (fx Notesblok, TextEdit eller gedit),
  skriv dine svar, og gem filen som ren tekst, som den er.
- Linjer, der begynder med #, er vejledning. De bliver ikke læst, og du kan
  lade dem stå.
- Lad overskrifterne, der begynder med ## [...] eller ### [...], stå, som de er.
  De fortæller, hvilket spørgsmål dine svar hører til.
{answers}
- Noter: skriv frit på linjerne under "Noter:", så mange linjer du vil.
- Du behøver ikke svare på alt. Det, du lader stå tomt, kan vi tale om til
  samtalen.
- Lad linjen "Medarbejder:" stå med dit navn."""


# --- writing the form ------------------------------------------------------------------------


def prep_form(session: Session, framework: Framework | None = None) -> str:
    """The form for `session`, filled with whatever the employee has already given.

    The framework adds guidance: descriptions, helper questions, option texts and the
    deadline. Without it (a framework that is gone) the form still has every question.
    """
    lines: list[str] = []
    lines += _banner(session, framework)
    lines += [f"Medarbejder: {one_line(session.employee.name)}", ""]
    lines += _general_section(session, framework)
    for theme in session.themes:
        source_theme = _framework_theme(framework, theme.id)
        if not _offered(session, theme, source_theme):
            continue
        lines += _theme_section(theme, source_theme)
        for question in theme.questions:
            lines += _question_section(question, _framework_question(source_theme, question.id))
    return "\n".join(lines).rstrip("\n") + "\n"


def _banner(session: Session, framework: Framework | None) -> list[str]:
    rule = "# " + "=" * (WIDTH - 2)
    when = danish_date(session.date)
    if session.time:
        when += f" kl. {danish_time(session.time)}"
    if session.place:
        when += f", {one_line(session.place)}"
    deadline = prep_deadline(session, framework) if framework else None
    manager = one_line(session.manager.name)
    send = f"Send skemaet til {manager} senest {danish_date(deadline)}." if deadline else (
        f"Send skemaet til {manager} inden samtalen."
    )
    lines = [
        rule,
        "# FORBEREDELSE TIL MUS (medarbejderudviklingssamtale)",
        f"# {one_line(session.framework.name)}",
        *(_comment(one_line(framework.revised)) if framework and framework.revised.strip() else []),
        *(_comment(f"Kilde: {source_of(framework)}") if source_of(framework) else []),
        rule,
        "#",
        *_comment(f"Samtale: {when}"),
        *_comment(f"Leder: {manager}"),
        *_comment(send),
        "#",
        *_comment(INSTRUCTIONS.format(answers="\n".join(kinds.form_instructions(_kinds_asked(session)))), wrap=False),
        rule,
        "",
    ]
    return lines


def _kinds_asked(session: Session) -> set[str]:
    return {str(question.kind) for _, question in session.questions()}


def _general_section(session: Session, framework: Framework | None) -> list[str]:
    lines = [f"## {GENERAL_HEADING}"]
    for guidance in framework.guidance_for(Phase.PREPARATION) if framework else []:
        lines += ["#", *_comment(guidance.title.upper()), *_comment(guidance.text)]
    if session.followup:
        lines += ["#", *_comment("Aftaler fra sidste udviklingsplan, som vi følger op på:")]
        for row in session.followup:
            lines += _comment(f"- {one_line(row.what) or 'aftale ' + row.row}", indent="  ")
    lines += _notes_block(session.preparation.employee_notes)
    return lines


def _theme_section(theme: ThemeRecord, source: FrameworkTheme | None) -> list[str]:
    mandatory = " (obligatorisk)" if theme.mandatory else ""
    lines = [f"## [{theme.id}] {one_line(theme.title)}{mandatory}"]
    if theme.minutes:
        lines += _comment(f"Til samtalen: ca. {theme.minutes} minutter.")
    if source is not None:
        lines += _comment(source.description)
        if source.notice:
            lines += _comment(f"OBS: {source.notice}")
        lines += _helpers(source.helpers)
    lines += _notes_block(theme.employee_notes)
    return lines


def _question_section(question: QuestionRecord, source: FrameworkQuestion | None) -> list[str]:
    number = f"{question.number}. " if question.number else ""
    mandatory = " (obligatorisk)" if question.mandatory else ""
    wording = question.employee_text or question.text  # the employee's own wording, when the framework has one
    lines = [f"### [{question.id}] {one_line(number + wording)}{mandatory}"]
    if question.mandatory:
        lines += _comment("Obligatorisk: spørgsmålet skal tales om til samtalen.")
    if source is not None:
        lines += _comment(source.description)
        if source.notice:
            lines += _comment(f"OBS: {source.notice}")
    lines += kinds.get(question.kind).form_lines(question.as_data(), _FormWriter(source))
    if source is not None:
        lines += _helpers(source.helpers)
    lines += _notes_block(question.employee_notes)
    return lines


class _FormWriter:
    """What a question's kind writes its lines with (`kinds.Form`): guidance, and the framework's options."""

    def __init__(self, source: FrameworkQuestion | None) -> None:
        self.source = source

    def comment(self, text: str, *, indent: str = "", hanging: str = "") -> list[str]:
        return _comment(text, indent=indent, hanging=hanging)

    def option(self, option_id: str) -> tuple[str, list[str]]:
        options = self.source.options if self.source else []
        option = next((o for o in options if o.id == option_id), None)
        return (option.description, option.helpers) if option else ("", [])


def _helpers(helpers: list[str]) -> list[str]:
    if not helpers:
        return []
    lines = _comment("Hjælpespørgsmål, du kan tænke over:")
    for helper in helpers:
        lines += _comment(f"- {helper}", indent="  ", hanging="  ")
    return lines


def _notes_block(text: str) -> list[str]:
    lines = ["Noter:"]
    if text.strip():
        lines += [_escape_note_line(line) for line in text.strip("\n").split("\n")]
    return [*lines, "", ""]


def _escape_note_line(line: str) -> str:
    return "\\" + line if _NEEDS_ESCAPE.match(line) else line


def _comment(text: str, *, wrap: bool = True, indent: str = "", hanging: str = "") -> list[str]:
    """Guidance as '#' lines: the text's own paragraphs kept, long lines wrapped."""
    text = normalize_text(text).replace("**", "").strip("\n")
    if not text:
        return []
    lines: list[str] = []
    for raw in text.split("\n"):
        if not raw.strip():
            lines.append("#")
            continue
        if not wrap:
            lines.append(f"# {indent}{raw}".rstrip())
            continue
        list_indent = "  " if raw.lstrip().startswith("- ") and not hanging else hanging
        wrapped = textwrap.wrap(
            raw.strip(),
            width=WIDTH - 2,
            initial_indent=indent,
            subsequent_indent=indent + list_indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines += [f"# {part}" for part in wrapped]
    return lines


def _framework_theme(framework: Framework | None, theme_id: str) -> FrameworkTheme | None:
    if framework is None:
        return None
    return next((theme for theme in framework.themes if theme.id == theme_id), None)


def _framework_question(theme: FrameworkTheme | None, question_id: str) -> FrameworkQuestion | None:
    if theme is None:
        return None
    return next((question for question in theme.questions if question.id == question_id), None)


def _offered(session: Session, theme: ThemeRecord, source: FrameworkTheme | None) -> bool:
    """A senior theme is left out for an employee known to be younger than the age it is offered from,
    unless it already holds the employee's answers."""
    if source is None or source.role != ThemeRole.SENIOR or source.offered_from_age is None:
        return True
    age = session.employee.age_in(session.date.year)
    if age is None or age >= source.offered_from_age:
        return True
    return bool(theme.employee_notes.strip()) or any(_has_own_answer(q) for q in theme.questions)


def _has_own_answer(question: QuestionRecord) -> bool:
    return bool(question.employee_notes.strip()) or kinds.get(question.kind).prepared_given(question.as_data())
