"""Starting conversations: the one place that turns user input into a new session in the store."""

from __future__ import annotations

import datetime as dt
import re

from musterm.errors import MustermError
from musterm.model.framework import Framework
from musterm.model.session import Person, Session, new_session
from musterm.store.repository import Store


def parse_date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise MustermError(f"'{text}' er ikke en dato; skriv ÅÅÅÅ-MM-DD, fx 2026-03-14") from None


def parse_time(text: str | None) -> dt.time | None:
    if not text:
        return None
    written = text.strip()
    short = re.fullmatch(r"(\d{1,2})[:.](\d{2})", written)  # 9:30 and the Danish 9.30
    if short:
        written = f"{int(short.group(1)):02d}:{short.group(2)}"
    try:
        return dt.time.fromisoformat(written)
    except ValueError:
        raise MustermError(f"'{text}' er ikke et klokkeslæt; skriv TT:MM, fx 09:30") from None


def plan_conversation(
    store: Store,
    framework: Framework,
    *,
    employee: str,
    number: str = "",
    birth_year: int | None = None,
    manager: str | None = None,
    date: str | dt.date | None = None,
    time: str | dt.time | None = None,
    place: str = "",
) -> str:
    """Create a draft conversation (carrying over the employee's last plan) and return its path."""
    return store.create(
        prepare_conversation(store, framework, employee=employee, number=number, birth_year=birth_year,
                             manager=manager, date=date, time=time, place=place)
    )


def prepare_conversation(
    store: Store,
    framework: Framework,
    *,
    employee: str,
    number: str = "",
    birth_year: int | None = None,
    manager: str | None = None,
    date: str | dt.date | None = None,
    time: str | dt.time | None = None,
    place: str = "",
) -> Session:
    """The draft `plan_conversation` creates, not yet written."""
    if not employee.strip():
        raise MustermError("Medarbejderens navn mangler.")
    when = date if isinstance(date, dt.date) else parse_date(date)
    at = time if isinstance(time, dt.time) or time is None and not isinstance(time, str) else parse_time(time)
    person = _person("Medarbejderens", name=employee, number=number, birth_year=birth_year)
    leader = _manager_person(store, manager)
    previous = store.previous_session(person, when)
    return new_session(framework, person, leader, when, at, place, previous=previous)


def _manager_person(store: Store, name: str | None) -> Person:
    """The manager of a new conversation: `name` if given, else the store's manager, with the
    e-mail musterm knows for them (none for someone else named on the command line)."""
    known = store.manager
    chosen = name or known.name
    return _person("Lederens", name=chosen, email=known.email if chosen == known.name else "")


_FIELD_NAMES = {"name": "navn", "number": "medarbejdernummer", "birth_year": "fødselsår", "email": "e-mail"}


def _person(whose: str, **fields: object) -> Person:
    """A Person from user input, or a Danish sentence saying which field is wrong."""
    from pydantic import ValidationError

    from musterm.formats.tomlsource import danish_message

    try:
        return Person.model_validate(fields)
    except ValidationError as error:
        detail = error.errors(include_url=False)[0]
        field = str(detail["loc"][0]) if detail["loc"] else ""
        kind, limits = detail["type"], detail.get("ctx") or {}
        if kind in ("too_short", "string_too_short"):
            problem = "mangler"
        elif kind in ("too_long", "string_too_long"):
            problem = f"er for langt (højst {limits.get('max_length')} tegn)"
        else:
            problem = danish_message(detail, set())
        raise MustermError(f"{whose} {_FIELD_NAMES.get(field, field)} {problem}.") from None
