"""Follow-up dates as calendar events (.ics) that Outlook and other calendars import.

One all-day event for the agreed follow-up date, and one for each date that the
plan's "Hvornår?" and "Opfølgning" texts name with a year: "2027-03-01",
"1. marts 2027", "1/3-2027", "01.03.2027", "marts 2027" (the first of the month) and
"uge 12 2027" (its Monday). Text without a year ("i foråret", "1. marts") is skipped:
musterm does not guess the year.

UIDs are derived from the conversation and the row, not from the date, so importing
the file again after a date changed updates the event instead of adding a second one.
Named `ics` so it does not shadow the icalendar package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from musterm.documents.invite import MONTHS, danish_date
from musterm.model.labels import PLAN_COLUMN_KEYS
from musterm.model.session import PlanRow, Session, one_line

PRODID = "-//musterm//MUS-opfølgning//DA"
UID_DOMAIN = "musterm"
SUMMARY_WHAT_LENGTH = 60

_ABBREVIATIONS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
MONTH_NUMBERS = {name: index for index, name in enumerate(MONTHS, start=1)} | _ABBREVIATIONS
_MONTH = "(" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")(?![a-zæøå])\.?"
_FLAGS = re.IGNORECASE

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DAY_MONTH_NAME = re.compile(r"(?<![\d.])(\d{1,2})\.?\s*" + _MONTH + r",?\s+(\d{4})(?!\d)", _FLAGS)
_NUMERIC = re.compile(r"(?<![\d./-])(\d{1,2})[./-](\d{1,2})\s*[./ -]\s*(\d{4}|\d{2})(?!\d|[./-]\d)")
_WEEK = re.compile(r"(?<![a-zæøå])uge\s*(\d{1,2})\s*(?:,|/|-|\s)\s*(\d{4})(?!\d)", _FLAGS)
_MONTH_YEAR = re.compile(r"(?<![a-zæøå\d.])" + _MONTH + r",?\s+(\d{4})(?!\d)", _FLAGS)

PLAN_DATE_COLUMNS = ("when", "followup")


@dataclass(frozen=True)
class CalendarEntry:
    """One all-day event: what the app can list before writing the file."""

    uid: str
    day: dt.date
    summary: str
    description: str


# --- finding dates in text -------------------------------------------------------------------


def find_dates(text: str) -> list[dt.date]:
    """Every date with a year that `text` names, in the order written, each once."""
    found: list[tuple[int, dt.date]] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], day: dt.date | None) -> None:
        if any(match.start() < end and start < match.end() for start, end in taken):
            return
        taken.append(match.span())  # an impossible date ("31. februar 2027") is no "februar 2027" either
        if day is not None:
            found.append((match.start(), day))

    for match in _ISO.finditer(text):
        add(match, _date(int(match[1]), int(match[2]), int(match[3])))
    for match in _DAY_MONTH_NAME.finditer(text):
        add(match, _date(int(match[3]), MONTH_NUMBERS[match[2].casefold()], int(match[1])))
    for match in _NUMERIC.finditer(text):
        add(match, _date(_full_year(match[3]), int(match[2]), int(match[1])))
    for match in _WEEK.finditer(text):
        add(match, _week_monday(int(match[2]), int(match[1])))
    for match in _MONTH_YEAR.finditer(text):
        add(match, _date(int(match[2]), MONTH_NUMBERS[match[1].casefold()], 1))
    days: list[dt.date] = []
    for _, day in sorted(found, key=lambda pair: pair[0]):
        if day not in days:
            days.append(day)
    return days


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _week_monday(year: int, week: int) -> dt.date | None:
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


# --- events ----------------------------------------------------------------------------------


def calendar_events(session: Session, source: str = "") -> list[CalendarEntry]:
    """The follow-up date and the plan's dated "Hvornår?" and "Opfølgning" texts, as all-day events.

    `source` is the session's path in the sessions repository; it keeps UIDs apart for
    two conversations with the same employee on the same day.
    """
    key = _session_key(session, source)
    name = one_line(session.employee.name)
    held = danish_date(session.date)
    entries: list[CalendarEntry] = []
    if session.closing.followup_date:
        entries.append(
            CalendarEntry(
                uid=f"{key}-opfoelgning@{UID_DOMAIN}",
                day=session.closing.followup_date,
                summary=f"Opfølgning på MUS med {name}",
                description=_followup_description(session, held),
            )
        )
    headings = session.plan.headings
    for row in session.plan.rows:
        for column in PLAN_DATE_COLUMNS:
            for index, day in enumerate(find_dates(getattr(row, column)), start=1):
                prefix = "Opfølgning på udviklingsplan" if column == "followup" else "Udviklingsplan"
                entries.append(
                    CalendarEntry(
                        uid=f"{key}-plan-{_uid_part(row.id)}-{column}-{index}@{UID_DOMAIN}",
                        day=day,
                        summary=f"{prefix} for {name}: {_what(row)}",
                        description=_row_description(session, row, headings, held),
                    )
                )
    return entries


def undated_plan_texts(session: Session) -> list[str]:
    """The plan's "Hvornår?"/"Opfølgning" texts that name no date with a year: what the calendar skips."""
    skipped = []
    for row in session.plan.rows:
        for column in PLAN_DATE_COLUMNS:
            text = one_line(getattr(row, column))
            if text and not find_dates(text):
                skipped.append(f"{getattr(session.plan.headings, column)} ({_what(row)}): {text}")
    return skipped


def calendar_bytes(session: Session, source: str = "", now: dt.datetime | None = None) -> bytes:
    """An iCalendar file (VERSION 2.0, METHOD:PUBLISH) with the conversation's follow-up events."""
    from icalendar import Calendar, Event

    stamp = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"MUS: {one_line(session.employee.name)}")
    for entry in calendar_events(session, source):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + dt.timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("class", "PRIVATE")  # MUS is confidential: a shared calendar shows only "busy"
        event.add("transp", "TRANSPARENT")  # an all-day reminder, not a meeting that blocks the day
        calendar.add_component(event)
    return calendar.to_ical()


def _session_key(session: Session, source: str) -> str:
    identity = source or f"{session.employee.name}|{session.employee.number}|{session.date.isoformat()}"
    return "mus-" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]


def _uid_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", text) or "_"


def _what(row: PlanRow) -> str:
    what = one_line(row.what)
    if not what:
        return f"aftale {row.id}"
    if len(what) > SUMMARY_WHAT_LENGTH:
        return what[: SUMMARY_WHAT_LENGTH - 1].rstrip() + "…"
    return what


def _followup_description(session: Session, held: str) -> str:
    lines = [f"Opfølgning på MUS-samtalen {held} med {one_line(session.employee.name)}."]
    agreed = [one_line(row.what) for row in session.plan.rows if row.what.strip()]
    if agreed:
        lines += ["", "Aftaler i udviklingsplanen:", *[f"- {what}" for what in agreed]]
    return "\n".join(lines)


def _row_description(session: Session, row: PlanRow, headings, held: str) -> str:  # noqa: ANN001
    lines = [f"Fra MUS-samtalen {held} med {one_line(session.employee.name)}.", ""]
    for column in PLAN_COLUMN_KEYS:
        text = one_line(getattr(row, column))
        if text:
            lines.append(f"{one_line(getattr(headings, column))}: {text}")
    return "\n".join(lines)
