"""A sessions repository with several years of conversations, built through the real code.

Used by test_history.py and test_cli_history.py. Three employees, 2023–2025, with a
framework ("testkommune") whose version 2025 renames a question, changes its scale,
removes one question and adds another. Commit dates are fixed, so `git log` is exact.

Also what the search tests share: loading a framework of their own, writing a session as
earlier versions did, and watching what search parses or switching off the index's trigrams.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomli_w

from musterm.formats import session_file
from musterm.formats.session_file import dump_bytes, to_data
from musterm.frameworks.catalog import load_files
from musterm.model.framework import Framework
from musterm.model.session import (
    FollowUpStatus,
    PlanRow,
    Session,
    Status,
)
from musterm.store.events import Event
from musterm.store.gitrepo import GitRepo
from musterm.store.planning import plan_conversation
from musterm.store.repository import Store

FRAMEWORK_V1 = """\
format = 1
id = "testkommune"
name = "MUS i Testkommune"
municipality = "Testkommune"
version = "2023"

[scales.fem]
min = 1
max = 5
label = "Fra 1 til 5"

[[themes]]
id = "trivsel"
title = "Trivsel"
scale = "fem"

[[themes.questions]]
id = "trivsel-generelt"
number = "1"
text = "Hvordan trives du?"
kind = "score"

[[themes.questions]]
id = "arbejdsmaengde"
number = "2"
text = "Hvordan er din arbejdsmængde?"
kind = "score"

[[themes.questions]]
id = "god-dag"
number = "3"
text = "Hvad er en god arbejdsdag for dig?"
kind = "text"

[[themes]]
id = "udvikling"
title = "Udvikling"

[[themes.questions]]
id = "faglig-udvikling"
number = "4"
text = "Hvordan vurderer du din faglige udvikling?"
kind = "score"
scale = "fem"

[[themes.questions]]
id = "oensker"
number = "5"
text = "Hvilke ønsker har du til det kommende år?"
kind = "text"
"""

# Version 2025: question 1 renamed and moved to a 0–10 scale, "arbejdsmaengde" removed,
# "balance" added.
FRAMEWORK_V2 = """\
format = 1
id = "testkommune"
name = "MUS i Testkommune"
municipality = "Testkommune"
version = "2025"

[scales.fem]
min = 1
max = 5
label = "Fra 1 til 5"

[scales.ti]
min = 0
max = 10
label = "Fra 0 til 10"

[[themes]]
id = "trivsel"
title = "Trivsel"
scale = "fem"

[[themes.questions]]
id = "trivsel-generelt"
number = "1"
text = "Hvordan trives du i hverdagen?"
kind = "score"
scale = "ti"

[[themes.questions]]
id = "balance"
number = "2"
text = "Hvordan er balancen mellem arbejde og fritid?"
kind = "score"

[[themes.questions]]
id = "god-dag"
number = "3"
text = "Hvad er en god arbejdsdag for dig?"
kind = "text"

[[themes]]
id = "udvikling"
title = "Udvikling"

[[themes.questions]]
id = "faglig-udvikling"
number = "4"
text = "Hvordan vurderer du din faglige udvikling?"
kind = "score"
scale = "fem"

[[themes.questions]]
id = "oensker"
number = "5"
text = "Hvilke ønsker har du til det kommende år?"
kind = "text"
"""

MANAGER = "Lars Leder"


def load_framework(folder: Path, name: str, text: str) -> Framework:
    """The framework `text`, written to `folder` / `name` and loaded as musterm loads one."""
    file = folder / name
    file.write_text(text, encoding="utf-8")
    entries, errors = load_files([(file, "test")])
    assert not errors, errors
    (entry,) = entries.values()
    return entry.framework


def session_bytes(session: Session, earlier_layout: bool = False) -> bytes:
    """As musterm writes it now, or as earlier versions did (short rows as inline tables)."""
    if earlier_layout:
        return tomli_w.dumps(to_data(session), multiline_strings=True).encode("utf-8")
    return dump_bytes(session)


def parse_every_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Search without the index's trigrams: every text of every conversation is checked."""
    from musterm.store import index

    monkeypatch.setattr(index, "_trigrams", lambda needle: "")


def files_parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed in this process from now on (each as it is parsed): `session_file.loads`
    is what the store and the index (store/index_rows.py) both parse with."""
    parsed: list[str] = []
    original = session_file.loads

    def loads(text: str, file: Path | str | None = None, *args, **kwargs) -> Session:  # noqa: ANN002, ANN003
        parsed.append(str(file))
        return original(text, file, *args, **kwargs)

    monkeypatch.setattr(session_file, "loads", loads)
    return parsed


class Clock:
    """Fixes the author and committer date of every git call while set."""

    def __init__(self) -> None:
        self.now = ""

    def at(self, when: str) -> Clock:
        self.now = when
        return self


@contextlib.contextmanager
def fixed_git_dates(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    clock = Clock()
    original = GitRepo.environment

    def environment(self: GitRepo, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = original(self, extra)
        if clock.now:
            env.update(GIT_AUTHOR_DATE=clock.now, GIT_COMMITTER_DATE=clock.now)
        return env

    monkeypatch.setattr(GitRepo, "environment", environment)
    yield clock


@dataclass
class Built:
    root: Path
    store: Store
    v1: Framework
    v2: Framework
    paths: dict[str, str]
    followup_at_creation: str
    """The 2024 file of Anna as plan_conversation wrote it, before anything was filled in."""


def edit(store: Store, relative: str, clock: Clock, when: str, change, event: Event | None = None) -> Session:  # noqa: ANN001
    session = store.load(relative)
    change(session)
    clock.at(when)
    store.save(relative, session)
    store.commit(relative, session, event)
    return session


def build(root: Path, frameworks: Path, monkeypatch: pytest.MonkeyPatch) -> Built:
    v1 = load_framework(frameworks, "testkommune-2023.toml", FRAMEWORK_V1)
    v2 = load_framework(frameworks, "testkommune-2025.toml", FRAMEWORK_V2)
    with fixed_git_dates(monkeypatch) as clock:
        clock.at("2023-10-01T09:00:00+02:00")
        store = Store.open(root)
        paths: dict[str, str] = {}

        def new(key: str, framework: Framework, employee: str, number: str, date: str, when: str) -> str:
            clock.at(when)
            paths[key] = plan_conversation(store, framework, employee=employee, number=number, manager=MANAGER, date=date)
            return paths[key]

        # Built in time order, as a real archive grows.
        # --- Anna Sørensen 2023 on version 2023 -------------------------------------------------
        anna23 = new("anna23", v1, "Anna Sørensen", "1001", "2023-11-20", "2023-11-01T08:30:00+01:00")

        def anna23_scores(s: Session) -> None:
            _score(s, "trivsel-generelt", 3, 4)
            _score(s, "arbejdsmaengde", 2, 2)
            _score(s, "faglig-udvikling", 3, None)
            s.theme("trivsel").notes = "Travlt i perioder.\nGod stemning i teamet.\nSavner sparring."
            s.question("god-dag").notes = "Når opgaverne er klare."
            s.status = Status.HELD

        def anna23_plan(s: Session) -> None:
            s.plan.rows = [
                PlanRow(id="1", what="Kursus i Excel", goal="Hurtigere rapporter", how="Kommunens e-læring",
                        when="Forår 2024", followup="Ved næste MUS"),
                PlanRow(id="2", what="Øvebane: lede teammøder", goal="Mere erfaring som mødeleder",
                        how="Leder hvert andet teammøde", when="Hele 2024"),
            ]
            s.private.notes = "Overvejer at søge internt.\nHold øje med STRESS."

        edit(store, anna23, clock, "2023-11-20T10:15:00+01:00", anna23_scores)
        edit(store, anna23, clock, "2023-11-20T10:42:00+01:00", anna23_plan)
        edit(store, anna23, clock, "2023-11-21T08:00:00+01:00", lambda s: setattr(s, "status", Status.CLOSED))

        # --- Bo Hansen 2024 on version 2023 ----------------------------------------------------
        bo24 = new("bo24", v1, "Bo Hansen", "", "2024-03-05", "2024-02-20T12:00:00+01:00")

        def bo24_conversation(s: Session) -> None:
            _score(s, "trivsel-generelt", 5, 5)
            _score(s, "arbejdsmaengde", 4, None)
            s.question("oensker").notes = "Vil gerne have en øvebane i planlægning."
            s.plan.rows = [PlanRow(id="1", what="Planlægningskursus", when="Efterår 2024")]
            s.status = Status.HELD

        edit(store, bo24, clock, "2024-03-05T14:00:00+01:00", bo24_conversation)

        # --- Anna Sørensen 2024 on version 2023: the 2023 plan comes along as follow-up -------
        anna24 = new("anna24", v1, "Anna Sørensen", "1001", "2024-11-18", "2024-11-04T09:00:00+01:00")
        followup_at_creation = (root / anna24).read_text(encoding="utf-8")

        def anna24_followup(s: Session) -> None:
            s.followup[0].status = FollowUpStatus.DONE
            s.followup[0].comment = "Gennemført i april."
            s.followup[1].status = FollowUpStatus.IN_PROGRESS

        def anna24_scores(s: Session) -> None:
            _score(s, "trivsel-generelt", 4, 4)
            _score(s, "arbejdsmaengde", 3, 2)
            _score(s, "faglig-udvikling", 4, 4)
            s.theme("trivsel").notes = "God stemning i teamet.\nMindre travlt efter omlægningen.\nSavner sparring."
            s.status = Status.HELD

        def anna24_plan(s: Session) -> None:
            s.plan.rows = [
                PlanRow(id="1", what="Mentorordning", goal="Sparring med en erfaren kollega", how="Møde hver måned",
                        when="2025"),
                PlanRow(id="2", what="Øvebane: lede teammøder", goal="Lede alle teammøder",
                        how="Med feedback fra mig", when="Forår 2025"),
            ]

        edit(store, anna24, clock, "2024-11-18T13:05:00+01:00", anna24_followup)
        edit(store, anna24, clock, "2024-11-18T13:30:00+01:00", anna24_scores)
        edit(store, anna24, clock, "2024-11-18T13:55:00+01:00", anna24_plan)

        # --- Bo Hansen 2025, Carl Ærø 2025 (only one conversation) ---------------------------
        bo25 = new("bo25", v2, "Bo Hansen", "", "2025-03-04", "2025-02-18T12:00:00+01:00")
        edit(store, bo25, clock, "2025-03-04T14:20:00+01:00",
             lambda s: _score(s, "trivsel-generelt", 9, None))

        carl25 = new("carl25", v2, "Carl Ærø", "", "2025-06-02", "2025-05-20T08:00:00+02:00")
        edit(store, carl25, clock, "2025-06-02T09:30:00+02:00",
             lambda s: setattr(s.preparation, "employee_notes", "Ærø-færgen er ofte forsinket."))

        # --- Anna Sørensen 2025 on version 2025 -----------------------------------------------
        anna25 = new("anna25", v2, "Anna Sørensen", "1001", "2025-11-24", "2025-11-03T09:00:00+01:00")

        def anna25_conversation(s: Session) -> None:
            s.followup[0].status = FollowUpStatus.ABANDONED
            s.followup[0].comment = "Ingen mentor ledig."
            s.followup[1].status = FollowUpStatus.DONE
            _score(s, "trivsel-generelt", 8, 7)
            _score(s, "balance", 4, 3)
            _score(s, "faglig-udvikling", 5, 4)
            s.theme("trivsel").notes = "God stemning i teamet.\nMindre travlt efter omlægningen.\nFår sparring af Bo."
            s.question("oensker").notes = "Ærligt talt: vil gerne prøve projektledelse."

        edit(store, anna25, clock, "2025-11-24T11:00:00+01:00", anna25_conversation)

        clock.at("")
    return Built(root, store, v1, v2, paths, followup_at_creation)


def _score(session: Session, question_id: str, score: int | None, own: int | None) -> None:
    question = session.question(question_id)
    assert question is not None, question_id
    question.score = score
    question.own_score = own


def at_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The archive, built once per test module on a fresh machine (tests only read it)."""
    home = tmp_path_factory.mktemp("archive-home")
    (home / ".gitconfig").write_text("")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("HOME", str(home))
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
        monkeypatch.setenv("TZ", "Europe/Copenhagen")
        for name in ("MUSTERM_SESSIONS", "MUSTERM_FRAMEWORKS", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
            monkeypatch.delenv(name, raising=False)
        built = build(tmp_path_factory.mktemp("archive") / "sessions", tmp_path_factory.mktemp("frameworks"), monkeypatch)
    yield built
