"""Commit events and commit messages: what a change to a conversation is called in git."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from musterm.model.session import Session


class Event(StrEnum):
    CREATED = "created"
    STARTED = "started"
    HELD = "held"
    NOTES = "notes"
    SCORES = "scores"
    PLAN = "plan"
    FOLLOWUP = "followup"
    PREPARATION = "preparation"
    SIGNED = "signed"
    CLOSED = "closed"
    REOPENED = "reopened"
    RECOVERED = "recovered"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    Event.CREATED: "samtale oprettet",
    Event.STARTED: "samtale startet",
    Event.HELD: "samtale holdt",
    Event.NOTES: "noter opdateret",
    Event.SCORES: "scorer opdateret",
    Event.PLAN: "udviklingsplan ændret",
    Event.FOLLOWUP: "opfølgning på sidste plan opdateret",
    Event.PREPARATION: "medarbejderens forberedelse modtaget",
    Event.SIGNED: "underskrevet",
    Event.CLOSED: "samtale afsluttet",
    Event.REOPENED: "samtale genåbnet",
    Event.RECOVERED: "ændringer, der ikke nåede at blive committet, er committet",
}


EVENT_TRAILER = "Musterm-Event"


def describe_change(before: Session | None, after: Session) -> Event:
    """The most important thing that changed between two versions of a conversation."""
    from musterm.model.session import Status

    if before is None:
        return Event.CREATED
    if before.status != after.status:
        return {
            Status.HELD: Event.HELD,
            Status.CLOSED: Event.CLOSED,
            Status.REOPENED: Event.REOPENED,
        }.get(after.status, Event.NOTES)
    if before.started is None and after.started is not None:
        return Event.STARTED
    if before.plan != after.plan:
        return Event.PLAN
    if before.followup != after.followup:
        return Event.FOLLOWUP
    if (before.closing.leader_signed, before.closing.employee_signed) != (
        after.closing.leader_signed,
        after.closing.employee_signed,
    ):
        return Event.SIGNED
    if _scores(before) != _scores(after):
        return Event.SCORES
    if _own_answers(before) != _own_answers(after) or before.preparation.employee_notes != after.preparation.employee_notes:
        return Event.PREPARATION
    return Event.NOTES


def _scores(session: Session) -> list[int | None]:
    return [question.score for _, question in session.questions()]


def _own_answers(session: Session) -> list[tuple[int | None, str]]:
    return [(question.own_score, question.employee_notes) for _, question in session.questions()]


def commit_message(session: Session, event: Event) -> str:
    subject = f"{session.employee.name} {session.date.isoformat()}: {event.label}"
    framework = f"{session.framework.name} (version {session.framework.version})"
    return f"{subject}\n\nRamme: {framework}\nStatus: {session.status.label}\n\n{EVENT_TRAILER}: {event.value}\n"
