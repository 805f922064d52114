"""The session file format: round-trip, determinism, diff-friendliness, self-containedness.

The property tests build sessions through the pydantic model from random parts:
Danish and other unicode text with quotes, backslashes, CR, tabs, trailing spaces
and emoji; scores inside their scales; choices among the options; plan and
follow-up rows; dates, times and timestamps.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musterm.formats.session_file import dumps, loads
from musterm.frameworks.catalog import Catalog
from musterm.model.framework import QuestionKind, ThemeRole
from musterm.model.session import (
    SCHEMA_VERSION,
    Closing,
    FollowUpRow,
    FollowUpStatus,
    FrameworkRef,
    Person,
    Plan,
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
    new_session,
)

# --- strategies ---------------------------------------------------------------------------------

# Characters people type into notes, and characters that make file formats stumble.
TRICKY = list('æøåÆØÅéü"\'\\`$#[]{}=,.:;-_ \t\r\n') + ["\r\n", '"""', "'''", "\\n", "😀", "👩‍👩‍👧", "\u00a0", "\u2028", "\x0b", "\x1b", "\x7f"]

fragment = st.one_of(
    st.sampled_from(TRICKY),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(["Anna Sørensen", "Vil gerne på kursus i Excel.  ", "- punkt 1\n- punkt 2", "  indrykket"]),
    st.sampled_from(["\n<<<<<<< HEAD\n", "\n=======\n", "\n>>>>>>> andet\n"]),
)
text = st.lists(fragment, max_size=12).map("".join)
# One line of visible text: a name must keep at least one non-space character.
name = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Z", "Cc")), min_size=1, max_size=20)
ident = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
times = st.times()
offsets = st.integers(-12 * 60, 14 * 60).map(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)))
timestamps = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.none() | offsets
)
followup_status = st.none() | st.sampled_from(FollowUpStatus)


@st.composite
def scales(draw: st.DrawFn) -> ScaleSnapshot:
    low = draw(st.integers(-5, 10))
    return ScaleSnapshot(
        min=low,
        max=low + draw(st.integers(1, 20)),
        label=draw(text),
        low_label=draw(text),
        high_label=draw(text),
    )


@st.composite
def questions(draw: st.DrawFn) -> QuestionRecord:
    kind = draw(st.sampled_from(QuestionKind))
    scale = draw(scales()) if kind == QuestionKind.SCORE or draw(st.booleans()) else None
    score = st.none() | (st.integers(scale.min, scale.max) if scale else st.none())
    options = draw(st.dictionaries(ident, text, max_size=4)) if kind == QuestionKind.CHOICE else {}
    choice = draw(st.none() | st.sampled_from(sorted(options))) if options else None
    return QuestionRecord(
        id=draw(ident),
        number=draw(st.sampled_from(["", "1", "2a", "10"])),
        text=draw(text.filter(str.strip)),
        kind=kind,
        mandatory=draw(st.booleans()),
        own_score=draw(score),
        score=draw(score),
        choice=choice,
        answer=draw(st.none() | st.booleans()) if kind == QuestionKind.YESNO else None,
        items=draw(st.lists(text, max_size=4)) if kind == QuestionKind.LIST else [],
        notes=draw(text),
        employee_notes=draw(text),
        scale=scale,
        options=options,
    )


@st.composite
def themes(draw: st.DrawFn) -> ThemeRecord:
    return ThemeRecord(
        id=draw(ident),
        title=draw(text.filter(str.strip)),
        role=draw(st.sampled_from(ThemeRole)),
        notes=draw(text),
        employee_notes=draw(text),
        questions=draw(st.lists(questions(), max_size=3)),
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    headings = draw(st.none() | st.builds(PlanHeadings, what=text, goal=text, how=text, when=text, followup=text))
    rows = [
        PlanRow(
            id=str(index + 1),
            what=draw(text),
            goal=draw(text),
            how=draw(text),
            when=draw(text),
            followup=draw(text),
            status=draw(followup_status),
        )
        for index in range(draw(st.integers(0, 3)))
    ]
    fields = draw(st.lists(st.builds(PlanFieldRecord, id=ident, label=text, text=text), max_size=2))
    return Plan(headings=headings or PlanHeadings(), rows=rows, fields=fields)


@st.composite
def followup_rows(draw: st.DrawFn) -> FollowUpRow:
    return FollowUpRow(
        session=draw(dates),
        row=draw(st.sampled_from(["1", "2", "3"])),
        what=draw(text),
        goal=draw(text),
        how=draw(text),
        when=draw(text),
        followup=draw(text),
        status=draw(followup_status),
        comment=draw(text),
    )


def people() -> st.SearchStrategy[Person]:
    return st.builds(
        Person,
        name=name,
        number=st.sampled_from(["", "1234", "A-17"]),
        birth_year=st.none() | st.integers(1900, 2100),
        email=st.sampled_from(["", "leder@kommune.dk"]),
    )


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    return Session(
        schema_version=SCHEMA_VERSION,
        status=draw(st.sampled_from(Status)),
        date=draw(dates),
        time=draw(st.none() | times),
        place=draw(text),
        started=draw(st.none() | timestamps),
        framework=FrameworkRef(id=draw(ident), name=draw(name), version=draw(st.sampled_from(["1", "2024-01", "v2.1"]))),
        employee=draw(people()),
        manager=draw(people()),
        preparation=Preparation(
            manager_notes=draw(text), employee_notes=draw(text), employee_submitted=draw(st.none() | dates)
        ),
        followup=draw(st.lists(followup_rows(), max_size=2)),
        themes=draw(st.lists(themes(), max_size=3)),
        plan=draw(plans()),
        closing=Closing(
            evaluation=draw(text),
            followup_date=draw(st.none() | dates),
            leader_signed=draw(st.none() | dates),
            employee_signed=draw(st.none() | dates),
        ),
        private=Private(notes=draw(text)),
    )


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- round trip -----------------------------------------------------------------------------------


@PROPERTY
@given(sessions())
def test_round_trip_for_generated_sessions(session: Session) -> None:
    """load(dump(s)) == s, dump(load(text)) == text, and the text is one a diff reads well."""
    text = dumps(session)
    assert loads(text) == session
    assert dumps(loads(text)) == text
    assert dumps(Session.model_validate(session.model_dump())) == text, "same session, same bytes"
    assert "\r" not in text
    assert text.endswith("\n")
    for number, line in enumerate(text.split("\n"), start=1):
        assert line == line.rstrip(" \t"), f"line {number} ends in white space: {line!r}"


def test_a_note_that_looks_like_a_merge_conflict_still_round_trips() -> None:
    """Pasted conflict markers must not make musterm refuse its own file."""
    session = small_session()
    session.private.notes = "Fra en mail:\n<<<<<<< HEAD\nA\n=======\nB\n>>>>>>> andet\n"
    text = dumps(session)
    assert loads(text) == session
    assert dumps(loads(text)) == text


def test_a_growing_plan_row_changes_only_its_own_lines() -> None:
    """Rows are [[plan.rows]] blocks however long they get, so a plain diff stays small."""
    import difflib

    session = small_session()
    session.plan.rows.append(PlanRow(id="2", what="Mentor"))
    before = dumps(session).splitlines()
    session.plan.rows[1].how = "Ugentlige møder med en erfaren kollega i hele foråret, og en opsamling i maj " * 2
    after = dumps(session).splitlines()
    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0) if line[:1] in "+-"]
    assert changed == ["--- ", "+++ ", f'+how = "{session.plan.rows[1].how.strip()}"']


# --- files musterm writes from the bundled frameworks -------------------------------------------


def bundled_frameworks() -> list[str]:
    return sorted(entry.framework.id for entry in Catalog.discover())


def answered(framework_id: str) -> Session:
    """A conversation on a bundled framework with every question answered, and a plan."""
    framework = Catalog.discover().get(framework_id)
    session = new_session(
        framework,
        Person(name="Åse Ærø-Østergård", number="1234", birth_year=1961),
        Person(name="Lis Leder", email="lis@kommune.dk"),
        dt.date(2026, 11, 23),
        dt.time(9, 30),
        "Mødelokale 2",
    )
    for index, (_, question) in enumerate(session.questions()):
        question.notes = f"Note {index}:\n\"citat\" og \\ og æøå\n"
        if question.scale:
            question.score = question.scale.max
            question.own_score = question.scale.min
        if question.options:
            question.choice = sorted(question.options)[0]
        if question.kind == QuestionKind.YESNO:
            question.answer = index % 2 == 0
        if question.kind == QuestionKind.LIST:
            question.items = ["første", "anden"]
    session.plan.rows.append(PlanRow(id="1", what="Kursus", goal="Mål", how="Hvordan", when="Forår", followup="Maj"))
    session.status = Status.HELD
    session.closing.evaluation = "God samtale."
    return Session.model_validate(session.model_dump())


@pytest.mark.parametrize("framework_id", bundled_frameworks())
def test_files_written_from_bundled_frameworks_round_trip(framework_id: str) -> None:
    session = answered(framework_id)
    text = dumps(session)
    assert loads(text) == session
    assert dumps(loads(text)) == text
    assert dumps(answered(framework_id)) == text, "same session, same bytes"


@pytest.mark.parametrize("framework_id", bundled_frameworks())
def test_the_file_is_self_contained(framework_id: str) -> None:
    """Each question's text, kind and scale are copied in, with the framework's id and version."""
    import tomllib

    framework = Catalog.discover().get(framework_id)
    data = tomllib.loads(dumps(answered(framework_id)))
    assert data["framework"] == {"id": framework.id, "name": framework.name, "version": framework.version}
    written = {q["id"]: q for theme in data["themes"] for q in theme.get("questions", [])}
    for theme in framework.themes_for(2026):
        for question in theme.questions:
            record = written[question.id]
            assert record["text"] == question.text
            assert record.get("kind", "text") == question.kind.value
            if question.kind == QuestionKind.SCORE:
                scale = framework.scale_of(theme, question)
                assert (record["scale"]["min"], record["scale"]["max"]) == (scale.min, scale.max)
            assert record.get("options", {}) == {option.id: option.label for option in question.options}


def test_no_paths_or_machine_names_in_the_file() -> None:
    import os
    import socket

    text = dumps(answered("ringkobing-skjern"))
    assert os.getcwd() not in text
    assert os.environ["HOME"] not in text
    assert socket.gethostname() not in text


# --- the exact file -------------------------------------------------------------------------------


def small_session() -> Session:
    return Session(
        schema_version=SCHEMA_VERSION,
        status=Status.HELD,
        date=dt.date(2026, 11, 23),
        time=dt.time(9, 30),
        place="Mødelokale 2",
        framework=FrameworkRef(id="lille", name="Lille ramme", version="1"),
        employee=Person(name="Anna Sørensen", number="1234"),
        manager=Person(name="Lis Leder"),
        themes=[
            ThemeRecord(
                id="trivsel",
                title="Trivsel",
                notes="Godt år.  \r\nTravlt i foråret.\t\n",
                questions=[
                    QuestionRecord(
                        id="glad",
                        number="1",
                        text="Hvor glad er du for dit job?",
                        kind=QuestionKind.SCORE,
                        mandatory=True,
                        own_score=4,
                        score=5,
                        scale=ScaleSnapshot(min=1, max=6, label="1-6"),
                        notes='Trives med "de nye" opgaver.',
                    ),
                    QuestionRecord(
                        id="tid",
                        text="Hvordan er balancen?",
                        kind=QuestionKind.CHOICE,
                        choice="god",
                        options={"god": "God", "skaev": "Skæv"},
                    ),
                ],
            )
        ],
        plan=Plan(rows=[PlanRow(id="1", what="Excel-kursus", when="Forår 2027", status=FollowUpStatus.IN_PROGRESS)]),
        closing=Closing(followup_date=dt.date(2027, 5, 1), leader_signed=dt.date(2026, 11, 23)),
        private=Private(notes="Spørg til\nflytningen."),
    )


EXPECTED_SMALL_FILE = '''\
schema_version = 1
status = "held"
date = 2026-11-23
time = 09:30:00
place = "Mødelokale 2"

[framework]
id = "lille"
name = "Lille ramme"
version = "1"

[employee]
name = "Anna Sørensen"
number = "1234"

[manager]
name = "Lis Leder"

[[themes]]
id = "trivsel"
title = "Trivsel"
notes = """
Godt år.
Travlt i foråret.
"""

[[themes.questions]]
id = "glad"
number = "1"
text = "Hvor glad er du for dit job?"
kind = "score"
mandatory = true
own_score = 4
score = 5
notes = "Trives med \\"de nye\\" opgaver."

[themes.questions.scale]
min = 1
max = 6
label = "1-6"

[[themes.questions]]
id = "tid"
text = "Hvordan er balancen?"
kind = "choice"
choice = "god"

[themes.questions.options]
god = "God"
skaev = "Skæv"

[[plan.rows]]
id = "1"
what = "Excel-kursus"
when = "Forår 2027"
status = "in_progress"

[closing]
followup_date = 2027-05-01
leader_signed = 2026-11-23

[private]
notes = """
Spørg til
flytningen."""

# musterm: slut på filen
'''


def test_the_exact_file_of_a_small_session() -> None:
    text = dumps(small_session())
    assert text == EXPECTED_SMALL_FILE
    assert loads(text) == small_session()


# --- the fast paths are the slow paths' bytes --------------------------------------------------

_ANY_TEXT = st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(list("\r\n\t \f\v\"\\\x1b\x7f\u202e"))),
                    max_size=60)


@settings(max_examples=400, deadline=None)
@given(_ANY_TEXT, st.booleans())
def test_a_string_is_written_as_tomli_w_writes_it(text: str, multiline: bool) -> None:
    import tomli_w

    from musterm.formats.session_file import toml_string

    assert toml_string(text, multiline=multiline) == tomli_w.dumps({"k": text}, multiline_strings=multiline)[4:-1]


@settings(max_examples=400, deadline=None)
@given(_ANY_TEXT)
def test_normalize_text_skips_only_what_a_text_does_not_need(text: str) -> None:
    import re
    import unicodedata

    from musterm.model.session import _CONTROL, normalize_text

    # Every step, always: the definition the quick looks in normalize_text must agree with.
    expected = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    expected = unicodedata.normalize("NFC", expected).encode("utf-8", "replace").decode("utf-8")
    expected = re.sub(r"[ \t\f\v]+$", "", expected, flags=re.MULTILINE)
    assert normalize_text(text) == expected


# A table's `key = value` lines (session_file._literal_lines: strings by toml_string under bare keys,
# the rest by tomli_w) are the lines tomli_w.dumps writes for the same table: quoted keys (empty,
# a dot, a space, 'æ'), strings in arrays, and the order of keys of either kind kept.
_KEYS = st.one_of(st.from_regex(r"[A-Za-z0-9_-]{1,6}", fullmatch=True), _ANY_TEXT)
_SCALARS = st.one_of(_ANY_TEXT, st.integers(), st.booleans(), st.dates())
_LITERALS = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3))

_EDGE_STRINGS = ["", '"', "\\", 'slut\n"', "slut\n\\", "a\n\"\"\"b", "\r", "a\r\nb\rc\n", "\x7f", "\u2028", "\x1b[31m",
                 "tab\there\n", "\n", "\r\n"]


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_KEYS, _LITERALS, max_size=6), st.booleans())
def test_a_tables_values_are_written_as_tomli_w_writes_them(table: dict, multiline: bool) -> None:
    import tomli_w

    from musterm.formats.session_file import _literal_lines

    assert _literal_lines(table, multiline) == tomli_w.dumps(table, multiline_strings=multiline)


@pytest.mark.parametrize("multiline", [True, False])
@pytest.mark.parametrize("text", _EDGE_STRINGS)
def test_edge_strings_are_written_as_tomli_w_writes_them(text: str, multiline: bool) -> None:
    import tomli_w

    from musterm.formats.session_file import _literal_lines

    table = {"note": text, "": text, "a.b": [text, 1], "æ": text, "last": text}
    assert _literal_lines(table, multiline) == tomli_w.dumps(table, multiline_strings=multiline)
