"""`musterm diff` pairs the rows of two development plans by what they say, not by their number.

Row numbers say nothing across conversations (each plan numbers its own rows from 1) and little
within one (a row moved up keeps its id). Rows that say the same are the same agreement; rows
that say nearly the same are one agreement changed; the rest are new or removed. Each row is
named by its place in its own plan, as the Plan tab numbers it.
"""

from __future__ import annotations

import datetime as dt

from musterm.frameworks.catalog import Catalog
from musterm.history.diff import ADDED, CHANGED, REMOVED, Change, diff_sessions, format_diff
from musterm.history.text import PLAN_SECTION
from musterm.model.session import FollowUpStatus, Person, PlanRow, Session, new_session

FRAMEWORK = Catalog.discover().get("randers")


def conversation(date: dt.date, rows: list[PlanRow]) -> Session:
    session = new_session(FRAMEWORK, Person(name="Anna Sørensen"), Person(name="Lis Leder"), date)
    session.plan.rows = rows
    return session


def plan_changes(a: Session, b: Session) -> list[Change]:
    return [change for change in diff_sessions(a, b) if change.section == PLAN_SECTION]


def plan_text(a: Session, b: Session) -> str:
    return format_diff(plan_changes(a, b))


EXCEL = PlanRow(id="1", what="Kursus i Excel", goal="Hurtigere rapporter")
TEAM = PlanRow(id="2", what="Øvebane: lede teammøder", goal="Mere erfaring som mødeleder")


def test_next_years_plan_with_a_new_first_row_pairs_the_agreement_that_stayed() -> None:
    last = conversation(dt.date(2025, 11, 24), [EXCEL, TEAM])
    now = conversation(dt.date(2026, 11, 23), [
        PlanRow(id="1", what="Mentorordning", goal="Sparring med en erfaren kollega"),
        PlanRow(id="2", what="Øvebane: lede teammøder", goal="Lede alle teammøder"),
    ])
    assert plan_text(last, now) == (
        "== Udviklingsplan ==\n"
        "  Aftale 1 (ny)\n"
        "      Hvad?: Mentorordning\n"
        "      Mål?: Sparring med en erfaren kollega\n"
        "  Aftale 2\n"
        "      Mål?: Mere erfaring som mødeleder → Lede alle teammøder\n"
        "  Aftale 1 (fjernet): Kursus i Excel\n"
    )


def test_rows_moved_within_a_plan_are_not_changes() -> None:
    before = conversation(dt.date(2026, 11, 23), [EXCEL, TEAM])
    after = before.model_copy(deep=True)
    after.plan.rows.reverse()
    assert plan_changes(before, after) == []


def test_a_row_whose_words_changed_a_little_is_one_agreement_changed() -> None:
    before = conversation(dt.date(2026, 11, 23), [EXCEL, TEAM])
    after = before.model_copy(deep=True)
    after.plan.rows = [PlanRow(id="3", what="Øvebane: lede teammøderne", goal="Mere erfaring som mødeleder",
                               status=FollowUpStatus.IN_PROGRESS)]
    assert plan_changes(before, after) == [
        Change(PLAN_SECTION, "Aftale 1", "Hvad?", CHANGED, "Øvebane: lede teammøder", "Øvebane: lede teammøderne"),
        Change(PLAN_SECTION, "Aftale 1", "Status", CHANGED, "–", "i gang"),
        Change(PLAN_SECTION, "Aftale 1", "", REMOVED, before="Kursus i Excel"),
    ]


def test_rows_with_the_same_numbers_but_other_words_are_removed_and_added() -> None:
    before = conversation(dt.date(2026, 11, 23), [EXCEL])
    after = conversation(dt.date(2026, 11, 23), [PlanRow(id="1", what="Mentor for en ny kollega")])
    assert [(c.subject, c.field, c.kind) for c in plan_changes(before, after)] == [
        ("Aftale 1", "", ADDED),
        ("Aftale 1", "Hvad?", ADDED),
        ("Aftale 1", "", REMOVED),
    ]


def test_two_rows_that_say_the_same_pair_in_their_order() -> None:
    twice = [PlanRow(id="1", what="Sidemandsoplæring"), PlanRow(id="2", what="Sidemandsoplæring", when="Efterår")]
    before = conversation(dt.date(2026, 11, 23), twice)
    after = before.model_copy(deep=True)
    after.plan.rows[1].when = "Vinter"
    assert plan_changes(before, after) == [
        Change(PLAN_SECTION, "Aftale 2", "Hvornår?", CHANGED, "Efterår", "Vinter"),
    ]


HERLEV = Catalog.discover().get("herlev")


def with_competences(rows: list[PlanRow]) -> Session:
    session = new_session(HERLEV, Person(name="Bo Berg"), Person(name="Lis Leder"), dt.date(2026, 11, 20))
    session.plan.rows = rows
    return session


def test_a_row_pointed_at_another_competence_is_a_change_named_by_the_competences() -> None:
    budget = PlanRow(id="1", what="Budgetlægning", goal="Lægge afdelingens budget", competence="faglige-kompetencer")
    before = with_competences([budget])
    after = with_competences([budget.model_copy(update={"competence": "sociale-kompetencer"})])
    assert plan_changes(before, after) == [
        Change(PLAN_SECTION, "Aftale 1", "Kompetence", CHANGED, "Faglige kompetencer", "Sociale kompetencer"),
    ]
    assert plan_text(before, after) == (
        "== Udviklingsplan ==\n"
        "  Aftale 1\n"
        "      Kompetence: Faglige kompetencer → Sociale kompetencer\n"
    )


def test_a_competence_set_taken_away_or_unknown_is_shown_too() -> None:
    budget = PlanRow(id="1", what="Budgetlægning")
    pointed = budget.model_copy(update={"competence": "personlige-kompetencer"})
    assert plan_text(with_competences([budget]), with_competences([pointed])) == (
        "== Udviklingsplan ==\n"
        "  Aftale 1\n"
        "      Kompetence: – → Personlige kompetencer\n"
    )
    assert plan_text(with_competences([pointed]), with_competences([budget])) == (
        "== Udviklingsplan ==\n"
        "  Aftale 1\n"
        "      Kompetence: Personlige kompetencer → –\n"
    )
    # A competence the conversation does not ask (a hand-edited file) is named by its id, as the export names it.
    gone = budget.model_copy(update={"competence": "ledelse"})
    assert plan_text(with_competences([pointed]), with_competences([gone])) == (
        "== Udviklingsplan ==\n"
        "  Aftale 1\n"
        "      Kompetence: Personlige kompetencer → ledelse\n"
    )


def test_a_new_row_with_a_competence_says_which() -> None:
    new = PlanRow(id="1", what="Budgetlægning", competence="faglige-kompetencer")
    assert plan_text(with_competences([]), with_competences([new])) == (
        "== Udviklingsplan ==\n"
        "  Aftale 1 (ny)\n"
        "      Udviklingsmål: Budgetlægning\n"
        "      Kompetence: Faglige kompetencer\n"
    )
