"""The invitation letter: the framework's template filled in for one conversation.

Pure functions returning text, for `musterm invite` and the app's command palette.
Dates are written the Danish way from our own tables, never from the locale, so the
letter reads the same on every machine.
"""

from __future__ import annotations

import datetime as dt
import re
import string

from musterm.errors import MustermError
from musterm.model.framework import Framework
from musterm.model.session import Session

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
NOT_AGREED = "(ikke aftalt)"
TIME_NOT_AGREED = "(tidspunkt ikke aftalt)"
DEFAULT_SUBJECT = "Invitation til MUS"

# The date placeholders already say "mandag den 23. november 2026"; a template written as
# "MUS den {dato}" would otherwise read "den mandag den 23. ...". Likewise "kl. {tid}" loses
# its "kl." when no time is agreed yet.
_DEN_BEFORE = re.compile(r"(?<![\w])den $", re.IGNORECASE)
_KL_BEFORE = re.compile(r"(?<![\w])kl\. $", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&#|~])")
_BOLD_FIELDS = frozenset({"dato", "tid", "sted", "frist"})


def danish_date(day: dt.date, weekday: bool = True) -> str:
    """2026-11-23 -> 'mandag den 23. november 2026' (or '23. november 2026')."""
    plain = f"{day.day}. {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} den {plain}" if weekday else plain


def danish_time(time: dt.time) -> str:
    """09:30 -> '9.30': Danish writes the hour without a leading zero and a full stop between."""
    return f"{time.hour}.{time.minute:02d}"


def session_framework(session: Session, catalog) -> Framework:  # noqa: ANN001 - Catalog, imported lazily
    """The framework a conversation was held under, from the catalog; a clear error when it is gone."""
    entry = catalog.entry(session.framework.id)
    if entry is None:
        raise MustermError(
            f"Rammen '{session.framework.id}' ({session.framework.name}), som samtalen bygger på, "
            "findes ikke længere blandt rammerne. Læg rammefilen tilbage, eller angiv dens mappe med --frameworks."
        )
    return entry.framework


def prep_deadline(session: Session, framework: Framework) -> dt.date | None:
    """The day the employee's preparation is due, when the framework sets a deadline."""
    invitation = framework.invitation
    if invitation is None or invitation.prep_deadline_days is None:
        return None
    return session.date - dt.timedelta(days=invitation.prep_deadline_days)


def invitation_values(session: Session, framework: Framework) -> dict[str, str]:
    """What each placeholder stands for; anything not yet agreed says so."""
    deadline = prep_deadline(session, framework)
    return {
        "medarbejder": session.employee.name,
        "leder": session.manager.name,
        "dato": danish_date(session.date),
        "tid": danish_time(session.time) if session.time else TIME_NOT_AGREED,
        "sted": session.place.strip() or NOT_AGREED,
        "frist": danish_date(deadline) if deadline else NOT_AGREED,
        "ramme": framework.name,
        "kommune": framework.municipality,
    }


def no_invitation_message(framework: Framework) -> str:
    """Why there is no letter: the municipality's guide gives none, and musterm writes none in its name."""
    return (
        f"Rammen »{framework.name}« har ingen invitation: {framework.municipality}s MUS-guide giver ikke et brev, "
        "og musterm skriver ikke et i kommunens navn. Skriv invitationen selv, eller bed HR om at tilføje "
        "[invitation] til rammefilen (se frameworks/README.md)."
    )


def _template(framework: Framework) -> str:
    if framework.invitation is None:
        raise MustermError(no_invitation_message(framework))
    return framework.invitation.template


def invitation_subject(framework: Framework) -> str:
    return framework.invitation.subject if framework.invitation else DEFAULT_SUBJECT


def invitation_body(session: Session, framework: Framework, markdown: bool = False) -> str:
    """The letter itself, ready to paste into a mail."""
    template = _template(framework)
    values = invitation_values(session, framework)
    dropped = {"dato": _DEN_BEFORE, "frist": _DEN_BEFORE}
    if session.time is None:
        dropped["tid"] = _KL_BEFORE
    if markdown:
        values = {name: _markdown_value(name, value) for name, value in values.items()}
    body = _fill(template, values, dropped).strip("\n")
    if markdown:
        body = _hard_breaks(body)
    return body + "\n"


def invitation_text(session: Session, framework: Framework, markdown: bool = False) -> str:
    """Subject line and letter: plain text, or Markdown with the agreed facts in bold.
    A framework without an invitation raises MustermError (`no_invitation_message`)."""
    subject = invitation_subject(framework)
    heading = f"**Emne:** {_escape_markdown(subject)}" if markdown else f"Emne: {subject}"
    return f"{heading}\n\n{invitation_body(session, framework, markdown)}"


def _fill(template: str, values: dict[str, str], dropped: dict[str, re.Pattern[str]]) -> str:
    """str.format, except that a word the value already says ('den ', 'kl. ') is dropped before it."""
    parts: list[str] = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        if field in dropped:
            literal = dropped[field].sub("", literal)
        parts.append(literal)
        if field is None:
            continue
        value = values.get(field)
        if value is None:  # `musterm check` refuses unknown placeholders; keep them visible if one slips by
            value = "{" + field + "}"
        if conversion == "r":
            value = repr(value)
        parts.append(format(value, spec or ""))
    return "".join(parts)


def _markdown_value(name: str, value: str) -> str:
    escaped = _escape_markdown(value)
    return f"**{escaped}**" if name in _BOLD_FIELDS else escaped


def _escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _hard_breaks(body: str) -> str:
    """Keep the letter's line breaks in Markdown: a backslash ends every line followed by another."""
    lines = body.split("\n")
    out = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        out.append(line + "\\" if line.strip() and following.strip() else line)
    return "\n".join(out)
