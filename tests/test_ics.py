"""Follow-up dates as calendar events: parsed back with icalendar, stable UIDs, undated text skipped."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from icalendar import Calendar

from musterm.cli.main import main
from musterm.documents.ics import (
    calendar_bytes,
    calendar_events,
    find_dates,
    undated_plan_texts,
)
from musterm.frameworks.catalog import Catalog
from musterm.model.session import Closing, Person, PlanRow, Session, new_session
from musterm.store.repository import Store

FRAMEWORK = Catalog.discover().get("ringkobing-skjern")
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)


def make_session(rows: list[PlanRow] | None = None, followup: dt.date | None = dt.date(2027, 5, 3)) -> Session:
    session = new_session(
        FRAMEWORK, Person(name="Anna Sørensen", number="1234"), Person(name="Bo Hansen"), dt.date(2026, 11, 23)
    )
    if rows is None:
        rows = [
            PlanRow(id="1", what="Excel", goal="Budget i Excel", when="Kursus 1. marts 2027", followup="1/6-2027"),
            PlanRow(id="2", what="Sidemandsoplæring hos Per", when="i foråret", followup="marts 2027"),
            PlanRow(id="3", what="", when="2027-09-15 og 2027-10-01"),
            PlanRow(id="4", what="Førstehjælp", when="1. marts", followup="løbende"),
        ]
    return session.model_copy(
        update={
            "plan": session.plan.model_copy(update={"rows": rows}),
            "closing": Closing(followup_date=followup),
        }
    )


def parse(data: bytes) -> tuple[Calendar, list]:
    calendar = Calendar.from_ical(data)
    return calendar, list(calendar.walk("VEVENT"))


def test_the_calendar_parses_back_with_the_right_dates_and_summaries() -> None:
    calendar, events = parse(calendar_bytes(make_session(), "anna-sørensen-1234/2026-11-23.toml", now=NOW))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//musterm//MUS-opfølgning//DA"
    assert str(calendar["METHOD"]) == "PUBLISH"
    found = [(event.decoded("DTSTART"), event.decoded("DTEND"), str(event["SUMMARY"])) for event in events]
    assert found == [
        (dt.date(2027, 5, 3), dt.date(2027, 5, 4), "Opfølgning på MUS med Anna Sørensen"),
        (dt.date(2027, 3, 1), dt.date(2027, 3, 2), "Udviklingsplan for Anna Sørensen: Excel"),
        (dt.date(2027, 6, 1), dt.date(2027, 6, 2), "Opfølgning på udviklingsplan for Anna Sørensen: Excel"),
        (
            dt.date(2027, 3, 1),
            dt.date(2027, 3, 2),
            "Opfølgning på udviklingsplan for Anna Sørensen: Sidemandsoplæring hos Per",
        ),
        (dt.date(2027, 9, 15), dt.date(2027, 9, 16), "Udviklingsplan for Anna Sørensen: aftale 3"),
        (dt.date(2027, 10, 1), dt.date(2027, 10, 2), "Udviklingsplan for Anna Sørensen: aftale 3"),
    ]
    for event in events:
        assert isinstance(event.decoded("DTSTART"), dt.date) and not isinstance(event.decoded("DTSTART"), dt.datetime)
        assert event.decoded("DTSTAMP") == NOW
        assert str(event["CLASS"]) == "PRIVATE"
        assert str(event["TRANSP"]) == "TRANSPARENT"
    assert str(events[1]["DESCRIPTION"]) == (
        "Fra MUS-samtalen mandag den 23. november 2026 med Anna Sørensen.\n"
        "\n"
        "Hvad skal udvikles? (Udviklingsinitiativ): Excel\n"
        "Målet for initiativet?: Budget i Excel\n"
        "Hvornår? (Tidsplan): Kursus 1. marts 2027\n"
        "Opfølgning (Tidspunkt): 1/6-2027"
    )
    assert str(events[0]["DESCRIPTION"]).startswith("Opfølgning på MUS-samtalen mandag den 23. november 2026")


def test_the_file_is_plain_ical_with_crlf_lines() -> None:
    data = calendar_bytes(make_session(), now=NOW)
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"DTSTART;VALUE=DATE:20270503\r\n" in data
    assert data.count(b"BEGIN:VEVENT") == 6
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_uids_are_unique_and_stable_when_dates_change() -> None:
    source = "anna-sørensen-1234/2026-11-23.toml"
    first = calendar_events(make_session(), source)
    uids = [entry.uid for entry in first]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@musterm") for uid in uids)
    assert [entry.uid for entry in calendar_events(make_session(), source)] == uids
    moved = make_session(
        [
            PlanRow(id="1", what="Excel", when="Kursus 8. marts 2027", followup="1/7-2027"),
            PlanRow(id="2", what="Sidemandsoplæring hos Per", followup="april 2027"),
            PlanRow(id="3", when="2027-09-20 og 2027-10-08"),
        ],
        followup=dt.date(2027, 6, 7),
    )
    assert [entry.uid for entry in calendar_events(moved, source)] == uids
    assert [entry.day for entry in calendar_events(moved, source)][:3] == [
        dt.date(2027, 6, 7),
        dt.date(2027, 3, 8),
        dt.date(2027, 7, 1),
    ]
    # another conversation's events never share a UID
    other = calendar_events(make_session(), "anna-sørensen-1234/2027-11-22.toml")
    assert not {entry.uid for entry in other} & set(uids)


def test_undated_text_is_skipped_and_reported() -> None:
    session = make_session()
    assert undated_plan_texts(session) == [
        "Hvornår? (Tidsplan) (Sidemandsoplæring hos Per): i foråret",
        "Hvornår? (Tidsplan) (Førstehjælp): 1. marts",
        "Opfølgning (Tidspunkt) (Førstehjælp): løbende",
    ]
    summaries = [entry.summary for entry in calendar_events(session)]
    assert not any("Førstehjælp" in summary for summary in summaries)


def test_no_follow_up_date_and_no_dated_plan_means_no_events() -> None:
    assert calendar_events(make_session([PlanRow(id="1", what="X", when="snart")], followup=None)) == []
    _, events = parse(calendar_bytes(make_session([], followup=None), now=NOW))
    assert events == []


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("2027-03-01", [dt.date(2027, 3, 1)]),
        ("Kursus 1. marts 2027", [dt.date(2027, 3, 1)]),
        ("1.marts 2027", [dt.date(2027, 3, 1)]),
        ("3. sept. 2027", [dt.date(2027, 9, 3)]),
        ("1/3-2027", [dt.date(2027, 3, 1)]),
        ("Opfølgning 1/6-2027.", [dt.date(2027, 6, 1)]),
        ("01.03.2027", [dt.date(2027, 3, 1)]),
        ("1-3-2027", [dt.date(2027, 3, 1)]),
        ("1/3-27", [dt.date(2027, 3, 1)]),
        ("marts 2027", [dt.date(2027, 3, 1)]),
        ("I Marts, 2027", [dt.date(2027, 3, 1)]),
        ("maj 2027 og maj 2028", [dt.date(2027, 5, 1), dt.date(2028, 5, 1)]),
        ("uge 12 2027", [dt.date(2027, 3, 22)]),
        ("uge 12, 2027", [dt.date(2027, 3, 22)]),
        ("april og november 2027", [dt.date(2027, 11, 1)]),
        ("1. marts 2027, igen marts 2027", [dt.date(2027, 3, 1)]),
        ("1. marts", []),
        ("marts", []),
        ("i foråret", []),
        ("2027", []),
        ("budget 2027-2028", []),
        ("31/2-2027", []),
        ("31. februar 2027", []),
        ("2027-13-01", []),
        ("uge 54 2027", []),
        ("majestætisk 2027", []),
        ("", []),
    ],
)
def test_dates_that_can_be_read(text: str, dates: list[dt.date]) -> None:
    assert find_dates(text) == dates


# --- the command ----------------------------------------------------------------------------------


def test_calendar_command_writes_an_ics_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sessions = tmp_path / "sessions"
    store = Store.open(sessions)
    relative = store.create(make_session())
    target = tmp_path / "opfølgning.ics"
    assert main(["--sessions", str(sessions), "calendar", "Anna Sørensen", "-o", str(target)]) == 0
    assert os.stat(target).st_mode & 0o777 == 0o600
    _, events = parse(target.read_bytes())
    assert [event.decoded("DTSTART") for event in events][:3] == [
        dt.date(2027, 5, 3),
        dt.date(2027, 3, 1),
        dt.date(2027, 6, 1),
    ]
    assert [str(event["UID"]) for event in events] == [entry.uid for entry in calendar_events(make_session(), relative)]
    err = capsys.readouterr().err
    assert "Springer over (ingen dato med årstal): Hvornår? (Tidsplan) (Sidemandsoplæring hos Per): i foråret" in err
    assert "6 kalenderaftale(r) er skrevet til" in err

    assert main(["--sessions", str(sessions), "calendar", "Anna Sørensen", "-o", str(sessions / "x.ics")]) == 1
    assert "ligger i samtalearkivet" in capsys.readouterr().err


def test_calendar_command_says_when_there_is_nothing_to_add(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sessions = tmp_path / "sessions"
    Store.open(sessions).create(make_session([], followup=None))
    target = tmp_path / "x.ics"
    assert main(["--sessions", str(sessions), "calendar", "Anna Sørensen", "-o", str(target)]) == 1
    assert "Der er ingen datoer at lægge i kalenderen" in capsys.readouterr().err
    assert not target.exists()
