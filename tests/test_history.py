"""musterm.history: follow-up carried over, trends, earlier notes, diff, search and log on a real archive."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from history_data import MANAGER, Built, archive, files_parsed  # noqa: F401 - archive is a fixture

from musterm.errors import MustermError
from musterm.formats import session_file
from musterm.history.conversations import (
    EmployeeHistory,
    TrendPoint,
    format_counts,
    format_earlier_scores,
    resolve_employee,
)
from musterm.history.diff import (
    ADDED,
    CHANGED,
    REMOVED,
    Change,
    diff_sessions,
    format_diff,
)
from musterm.history.fields import _snippet
from musterm.history.log import format_log, log_entries, parse_log
from musterm.history.search import Hit, _may_contain, format_search, search
from musterm.history.text import FOLLOWUP_SECTION
from musterm.history.trends import format_history
from musterm.model.session import FollowUpStatus, PlanRow, Session
from musterm.store.events import Event
from musterm.store.gitrepo import GitRepo
from musterm.store.repository import Store

ANNA = "anna-sørensen-1001"
D = dt.date.fromisoformat


def anna(built: Built) -> EmployeeHistory:
    return EmployeeHistory.load(built.store, ANNA)


# --- follow-up carried over into the new conversation's file ----------------------------------


def test_the_earlier_plan_comes_into_the_new_file_as_follow_up(archive: Built) -> None:
    text = archive.followup_at_creation
    block = text[text.index("[[followup]]") : text.index("[[themes]]")]
    assert block == (
        "[[followup]]\n"
        "session = 2023-11-20\n"
        'row = "1"\n'
        'what = "Kursus i Excel"\n'
        'goal = "Hurtigere rapporter"\n'
        'how = "Kommunens e-læring"\n'
        'when = "Forår 2024"\n'
        'followup = "Ved næste MUS"\n'
        "\n"
        "[[followup]]\n"
        "session = 2023-11-20\n"
        'row = "2"\n'
        'what = "Øvebane: lede teammøder"\n'
        'goal = "Mere erfaring som mødeleder"\n'
        'how = "Leder hvert andet teammøde"\n'
        'when = "Hele 2024"\n'
        "\n"
    )


def test_statuses_and_comments_set_in_the_new_conversation_are_in_its_file(archive: Built) -> None:
    text = (archive.root / archive.paths["anna24"]).read_text(encoding="utf-8")
    block = text[text.index("[[followup]]") : text.index("[[themes]]")]
    assert block == (
        "[[followup]]\n"
        "session = 2023-11-20\n"
        'row = "1"\n'
        'what = "Kursus i Excel"\n'
        'goal = "Hurtigere rapporter"\n'
        'how = "Kommunens e-læring"\n'
        'when = "Forår 2024"\n'
        'followup = "Ved næste MUS"\n'
        'status = "done"\n'
        'comment = "Gennemført i april."\n'
        "\n"
        "[[followup]]\n"
        "session = 2023-11-20\n"
        'row = "2"\n'
        'what = "Øvebane: lede teammøder"\n'
        'goal = "Mere erfaring som mødeleder"\n'
        'how = "Leder hvert andet teammøde"\n'
        'when = "Hele 2024"\n'
        'status = "in_progress"\n'
        "\n"
    )


def test_the_next_year_follows_up_the_plan_of_the_year_before_only(archive: Built) -> None:
    """2025 (on the new framework version) carries the 2024 plan, not the 2023 one again."""
    session = session_file.load(archive.root / archive.paths["anna25"])
    rows = [(row.session, row.row, row.what, row.status, row.comment) for row in session.followup]
    assert rows == [
        (D("2024-11-18"), "1", "Mentorordning", FollowUpStatus.ABANDONED, "Ingen mentor ledig."),
        (D("2024-11-18"), "2", "Øvebane: lede teammøder", FollowUpStatus.DONE, ""),
    ]
    assert session.framework.version == "2025"


# --- conversations, trends, earlier scores and notes ----------------------------------------


def test_conversations_with_plan_outcomes_and_follow_up_counts(archive: Built) -> None:
    rows = [
        (c.date.isoformat(), c.framework_id, c.framework_version, c.status_label, c.plan_rows, c.plan_outcomes, c.followup_counts)
        for c in anna(archive).conversations
    ]
    assert rows == [
        ("2023-11-20", "testkommune", "2023", "afsluttet", 2,
         {FollowUpStatus.DONE: 1, FollowUpStatus.IN_PROGRESS: 1}, {}),
        ("2024-11-18", "testkommune", "2023", "holdt", 2,
         {FollowUpStatus.DONE: 1, FollowUpStatus.ABANDONED: 1},
         {FollowUpStatus.DONE: 1, FollowUpStatus.IN_PROGRESS: 1}),
        ("2025-11-24", "testkommune", "2025", "kladde", 0, {},
         {FollowUpStatus.DONE: 1, FollowUpStatus.ABANDONED: 1}),
    ]


def test_a_plan_row_not_yet_assessed_counts_as_such(archive: Built) -> None:
    conversations = EmployeeHistory.load(archive.store, "bo-hansen").conversations
    assert [(c.plan_rows, c.plan_outcomes, c.followup_counts) for c in conversations] == [
        (1, {None: 1}, {}),
        (0, {}, {None: 1}),
    ]
    assert format_counts({None: 1, FollowUpStatus.DONE: 2}) == "1 ikke vurderet, 2 gennemført"


def test_score_trends_match_questions_by_id_across_framework_versions(archive: Built) -> None:
    trends = anna(archive).score_trends()
    # Order: the newest conversation's questions, then those only earlier ones asked.
    assert list(trends) == ["trivsel-generelt", "balance", "faglig-udvikling", "arbejdsmaengde"]
    points = {
        question_id: [(p.date.isoformat(), p.score, p.own_score, p.scale_min, p.scale_max, p.framework_version) for p in trend.points]
        for question_id, trend in trends.items()
    }
    assert points == {
        "trivsel-generelt": [
            ("2023-11-20", 3, 4, 1, 5, "2023"),
            ("2024-11-18", 4, 4, 1, 5, "2023"),
            ("2025-11-24", 8, 7, 0, 10, "2025"),
        ],
        "balance": [("2025-11-24", 4, 3, 1, 5, "2025")],
        "faglig-udvikling": [
            ("2023-11-20", 3, None, 1, 5, "2023"),
            ("2024-11-18", 4, 4, 1, 5, "2023"),
            ("2025-11-24", 5, 4, 1, 5, "2025"),
        ],
        "arbejdsmaengde": [("2023-11-20", 2, 2, 1, 5, "2023"), ("2024-11-18", 3, 2, 1, 5, "2023")],
    }
    renamed = trends["trivsel-generelt"]
    assert (renamed.text, renamed.number, renamed.theme_title) == ("Hvordan trives du i hverdagen?", "1", "Trivsel")
    assert renamed.label == "1. Hvordan trives du i hverdagen?"
    assert [p.fraction for p in renamed.points] == [0.5, 0.75, 0.8]
    assert renamed.sparkline() == "▅▆▇"
    assert trends["arbejdsmaengde"].text == "Hvordan er din arbejdsmængde?"


def test_unscored_points_stay_in_the_trend_but_not_in_earlier_scores(archive: Built) -> None:
    bo = EmployeeHistory.load(archive.store, "bo-hansen")
    trend = bo.score_trends()["faglig-udvikling"]
    assert [(p.date.isoformat(), p.score) for p in trend.points] == [("2024-03-05", None), ("2025-03-04", None)]
    assert trend.sparkline() == "··"
    assert bo.earlier_scores("faglig-udvikling", D("2026-01-01")) == []


def test_earlier_scores_beside_a_question(archive: Built) -> None:
    employee = anna(archive)
    before = D("2025-11-24")
    assert [(p.year, p.score) for p in employee.earlier_scores("faglig-udvikling", before)] == [(2023, 3), (2024, 4)]
    session = session_file.load(archive.root / archive.paths["anna25"])
    scale = session.question("trivsel-generelt").scale
    assert employee.earlier_scores_text("trivsel-generelt", before, scale) == "2023: 3 (1–5) · 2024: 4 (1–5)"
    assert employee.earlier_scores_text("faglig-udvikling", before, session.question("faglig-udvikling").scale) == (
        "2023: 3 · 2024: 4"
    )
    assert employee.earlier_scores_text("balance", before) == ""
    assert employee.earlier_scores_text("unknown", before) == ""
    # Only conversations before the date count: the 2024 conversation sees 2023 alone.
    assert employee.earlier_scores_text("trivsel-generelt", D("2024-11-18")) == "2023: 3"


def test_two_conversations_in_one_year_are_told_apart_by_date(archive: Built) -> None:
    points = [
        TrendPoint(D("2024-03-01"), "a", 3, None, 1, 5, "1"),
        TrendPoint(D("2024-09-01"), "b", 4, None, 1, 5, "1"),
        TrendPoint(D("2025-03-01"), "c", 5, None, 1, 5, "1"),
    ]
    assert format_earlier_scores(points) == "2024-03-01: 3 · 2024-09-01: 4 · 2025: 5"


def test_ten_years_of_scores_fit_in_80_columns(archive: Built) -> None:
    """Only the newest conversations that fit are shown, and the table says so."""
    base = session_file.load(archive.root / archive.paths["anna24"])
    sessions = []
    for year in range(2015, 2025):
        session = base.model_copy(deep=True)
        session.date = D(f"{year}-11-18")
        session.question("trivsel-generelt").score = 1 + year % 5
        sessions.append((f"{ANNA}/{year}-11-18.toml", session))
    text = format_history(EmployeeHistory(ANNA, sessions))
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    table = lines[lines.index("Scorer pr. år (aftalt score; medarbejderens egen i parentes)") + 1 :]
    assert table[:3] == [
        "  (de 6 seneste af 10 samtaler)",
        "  Spørgsmål                      Skala   2019   2020   2021   2022   2023   2024",
        "  1. Hvordan trives du?          1–5    5 (4)  1 (4)  2 (4)  3 (4)  4 (4)  5 (4)",
    ]
    assert table[3] == "  2. Hvordan er din arbejdsmæng… 1–5    3 (2)  3 (2)  3 (2)  3 (2)  3 (2)  3 (2)"


def test_earlier_notes_of_a_theme(archive: Built) -> None:
    notes = anna(archive).earlier_theme_notes("trivsel", D("2025-11-24"))
    assert [(n.date.isoformat(), n.path, n.theme_title) for n in notes] == [
        ("2023-11-20", f"{ANNA}/2023-11-20.toml", "Trivsel"),
        ("2024-11-18", f"{ANNA}/2024-11-18.toml", "Trivsel"),
    ]
    assert notes[0].text() == (
        "2023-11-20 – Trivsel\n"
        "Noter:\n"
        "  Travlt i perioder.\n"
        "  God stemning i teamet.\n"
        "  Savner sparring.\n"
        "3. Hvad er en god arbejdsdag for dig?\n"
        "  Noter:\n"
        "    Når opgaverne er klare."
    )
    assert notes[1].questions == ()
    # A theme with nothing noted earlier gives nothing; nor does a date before the first conversation.
    assert anna(archive).earlier_theme_notes("udvikling", D("2025-11-24")) == []
    assert anna(archive).earlier_theme_notes("trivsel", D("2023-11-20")) == []
    assert [n.date.year for n in anna(archive).earlier_theme_notes("udvikling", D("2026-01-01"))] == [2025]


def test_the_history_leaves_the_stores_record_of_read_files_alone(archive: Built) -> None:
    """Reading history must not make the store forget which version an open conversation read."""
    store = Store.open(archive.root)
    store.load(archive.paths["anna25"])
    known = dict(store._known)
    EmployeeHistory.load(store, ANNA)
    assert store._known == known


def test_damaged_files_are_skipped_and_reported(archive: Built, tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    shutil.copytree(archive.root, root)
    (root / ANNA / "2022-11-21.toml").write_text('schema_version = 1\nstatus = "held"\ndate = "ikke en dato"\n')
    employee = EmployeeHistory.load(Store.open(root, writable=False), ANNA)
    assert [path for path, _ in employee.sessions] == [archive.paths[k] for k in ("anna23", "anna24", "anna25")]
    assert [path for path, _ in employee.damaged] == [f"{ANNA}/2022-11-21.toml"]
    assert "2022-11-21.toml" in employee.damaged[0][1]


def test_a_folder_named_like_a_conversation_is_no_conversation(archive: Built, tmp_path: Path) -> None:
    """A folder called 2027-11-22.toml (a copy gone wrong) is neither read, nor listed as damaged,
    nor taken for the latest conversation: not by the history, the plan carried over or `find`."""
    from musterm.store.previous import previous_session, sessions_of

    root = tmp_path / "sessions"
    shutil.copytree(archive.root, root)
    whole = [path for path, _ in anna(archive).sessions]
    (root / ANNA / "2027-11-22.toml").mkdir()
    (root / ANNA / "2024-01-02.toml").mkdir()
    store = Store.open(root, writable=False)
    employee = EmployeeHistory.load(store, ANNA)
    assert ([path for path, _ in employee.sessions], employee.damaged) == (whole, [])
    readable, damaged = sessions_of(store, ANNA)
    assert ([path for path, _ in readable], damaged) == (whole, [])
    latest = employee.sessions[-1][1]
    assert previous_session(store, latest.employee, D("2028-01-01")) == latest
    assert store.find(ANNA) == whole[-1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_named_like_a_conversation_is_no_conversation_and_never_waited_on(
    archive: Built, tmp_path: Path
) -> None:
    """Opening a FIFO to read waits for a writer that never comes: the history must not hang on one."""
    root = tmp_path / "sessions"
    shutil.copytree(archive.root, root)
    whole = [path for path, _ in anna(archive).sessions]
    os.mkfifo(root / ANNA / "2027-11-22.toml")
    store = Store.open(root, writable=False)
    found: list[EmployeeHistory] = []
    reader = threading.Thread(target=lambda: found.append(EmployeeHistory.load(store, ANNA)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # unblock the reader: a writer opens and closes the pipe
        os.close(os.open(root / ANNA / "2027-11-22.toml", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the history waited on the named pipe")
    assert ([path for path, _ in found[0].sessions], found[0].damaged) == (whole, [])
    assert store.find(ANNA) == whole[-1]


def test_a_file_beyond_the_size_limit_is_reported_unread(archive: Built, tmp_path: Path) -> None:
    """The history refuses a file larger than a conversation can be before reading it, as the store does."""
    from musterm.model import limits

    root = tmp_path / "sessions"
    shutil.copytree(archive.root, root)
    huge = root / ANNA / "2021-11-22.toml"
    with huge.open("wb") as file:
        file.truncate(limits.SESSION_FILE_BYTES + 1)  # sparse: nothing written, and nothing to read
    employee = EmployeeHistory.load(Store.open(root, writable=False), ANNA)
    assert [path for path, _ in employee.sessions] == [path for path, _ in anna(archive).sessions]
    too_large = limits.file_too_large(limits.SESSION_FILE_BYTES + 1, limits.SESSION_FILE_BYTES, "en samtale")
    assert employee.damaged == [(f"{ANNA}/2021-11-22.toml", f"{huge}: {too_large}")]


def test_an_employee_by_name_number_or_folder(archive: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    # Found from the folders named after them: not from the listing, which stats every file.
    monkeypatch.setattr(Store, "summaries", lambda self, progress=None: pytest.fail("the whole listing was read"))
    monkeypatch.setattr(Store, "refresh_index", lambda self, progress=None: pytest.fail("the index was brought up to date"))
    for who in ("Anna Sørensen", "anna sørensen", "1001", ANNA):
        assert resolve_employee(archive.store, who) == ANNA


def test_two_employees_with_one_name_are_not_told_apart_by_guessing(archive: Built, tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    shutil.copytree(archive.root, root)
    (root / "anna-sørensen-2002").mkdir()
    shutil.copy(root / archive.paths["anna25"], root / "anna-sørensen-2002")
    with pytest.raises(MustermError, match="passer på flere medarbejdere"):
        resolve_employee(Store.open(root, writable=False), "Anna Sørensen")


# --- diff ---------------------------------------------------------------------------------------


def sessions(built: Built, *keys: str) -> list[Session]:
    return [session_file.load(built.root / built.paths[key]) for key in keys]


def test_diff_across_a_framework_change(archive: Built) -> None:
    a, b = sessions(archive, "anna24", "anna25")
    changes = diff_sessions(a, b)
    trivsel = [c for c in changes if c.section == "Trivsel"]
    assert trivsel == [
        Change("Trivsel", "", "Noter", CHANGED,
               "God stemning i teamet.\nMindre travlt efter omlægningen.\nSavner sparring.",
               "God stemning i teamet.\nMindre travlt efter omlægningen.\nFår sparring af Bo.",
               ("  Mindre travlt efter omlægningen.", "- Savner sparring.", "+ Får sparring af Bo.")),
        Change("Trivsel", "1. Hvordan trives du i hverdagen?", "Spørgsmål", CHANGED,
               "Hvordan trives du?", "Hvordan trives du i hverdagen?"),
        Change("Trivsel", "1. Hvordan trives du i hverdagen?", "Skala", CHANGED, "1–5", "0–10"),
        Change("Trivsel", "1. Hvordan trives du i hverdagen?", "Score", CHANGED, "4", "8"),
        Change("Trivsel", "1. Hvordan trives du i hverdagen?", "Egen score", CHANGED, "4", "7"),
        Change("Trivsel", "2. Hvordan er balancen mellem arbejde og fritid?", "", ADDED),
        Change("Trivsel", "2. Hvordan er balancen mellem arbejde og fritid?", "Score", ADDED, "", "4"),
        Change("Trivsel", "2. Hvordan er balancen mellem arbejde og fritid?", "Egen score", ADDED, "", "3"),
        Change("Trivsel", "2. Hvordan er din arbejdsmængde?", "", REMOVED),
        Change("Trivsel", "2. Hvordan er din arbejdsmængde?", "Score", REMOVED, "3", ""),
        Change("Trivsel", "2. Hvordan er din arbejdsmængde?", "Egen score", REMOVED, "2", ""),
    ]
    followup = [(c.subject, c.field, c.kind, c.after) for c in changes if c.section == FOLLOWUP_SECTION]
    assert followup == [
        ("Aftale 1 fra 2024-11-18", "Status", ADDED, "opgivet"),
        ("Aftale 1 fra 2024-11-18", "Hvad?", ADDED, "Mentorordning"),
        ("Aftale 1 fra 2024-11-18", "Kommentar", ADDED, "Ingen mentor ledig."),
        ("Aftale 2 fra 2024-11-18", "Status", ADDED, "gennemført"),
        ("Aftale 2 fra 2024-11-18", "Hvad?", ADDED, "Øvebane: lede teammøder"),
    ]


def test_diff_of_two_versions_of_one_conversation(archive: Built) -> None:
    (a,) = sessions(archive, "anna24")
    b = a.model_copy(deep=True)
    b.theme("trivsel").notes = "God stemning i teamet.\nMindre travlt.\nSavner sparring.\nLinje 4\nLinje 5\nLinje 6."
    a.theme("trivsel").notes += "\nLinje 4\nLinje 5\nLinje 6"
    b.followup[1].status = FollowUpStatus.DONE
    b.followup[1].comment = "Leder nu alle møder."
    b.plan.rows[0].how = "Møde hver uge"
    b.plan.rows[1].status = FollowUpStatus.IN_PROGRESS
    b.plan.rows.append(PlanRow(id="3", what="Excel for viderekomne"))
    b.question("god-dag").notes = "Ro til fordybelse."
    b.question("faglig-udvikling").own_score = None
    b.private.notes = "Søger måske internt."
    assert format_diff(diff_sessions(a, b)) == (
        "== Opfølgning på sidste udviklingsplan ==\n"
        "  Aftale 2 fra 2023-11-20\n"
        "      Status: i gang → gennemført\n"
        "      Kommentar: Leder nu alle møder.\n"
        "\n"
        "== Trivsel ==\n"
        "  Noter:\n"
        "      God stemning i teamet.\n"
        "    - Mindre travlt efter omlægningen.\n"
        "    + Mindre travlt.\n"
        "      Savner sparring.\n"
        "    …\n"
        "      Linje 5\n"
        "    - Linje 6\n"
        "    + Linje 6.\n"
        "  3. Hvad er en god arbejdsdag for dig?\n"
        "      Noter: Ro til fordybelse.\n"
        "\n"
        "== Udvikling ==\n"
        "  4. Hvordan vurderer du din faglige udvikling?\n"
        "      Egen score: 4 → –\n"
        "\n"
        "== Udviklingsplan ==\n"
        "  Aftale 1\n"
        "      Hvordan?: Møde hver måned → Møde hver uge\n"
        "  Aftale 2\n"
        "      Status: – → i gang\n"
        "  Aftale 3 (ny)\n"
        "      Hvad?: Excel for viderekomne\n"
        "\n"
        "== Private noter (kun for lederen) ==\n"
        "  Noter: Søger måske internt.\n"
    )


def test_no_differences(archive: Built) -> None:
    (a,) = sessions(archive, "anna24")
    assert diff_sessions(a, a) == []
    assert format_diff([]) == "Ingen forskelle.\n"


# --- search -------------------------------------------------------------------------------------


def hit_rows(hits: list[Hit]) -> list[tuple[str, str, str, str, str, bool]]:
    return [(h.employee, h.date, h.theme, h.field, h.snippet, h.private) for h in hits]


def test_search_is_case_insensitive_across_danish_letters(archive: Built) -> None:
    expected = [
        ("Anna Sørensen", "2023-11-20", "Udviklingsplan", "Aftale 2 › Hvad?", "Øvebane: lede teammøder", False),
        ("Anna Sørensen", "2024-11-18", "Opfølgning på sidste udviklingsplan", "Aftale 2 fra 2023-11-20 › Hvad?",
         "Øvebane: lede teammøder", False),
        ("Anna Sørensen", "2024-11-18", "Udviklingsplan", "Aftale 2 › Hvad?", "Øvebane: lede teammøder", False),
        ("Anna Sørensen", "2025-11-24", "Opfølgning på sidste udviklingsplan", "Aftale 2 fra 2024-11-18 › Hvad?",
         "Øvebane: lede teammøder", False),
        ("Bo Hansen", "2024-03-05", "Udvikling", "5. Hvilke ønsker har du til det kommende år? › Noter",
         "Vil gerne have en øvebane i planlægning.", False),
    ]
    assert hit_rows(search(archive.store, "ØVEBANE")) == expected
    assert hit_rows(search(archive.store, "øvebane")) == expected
    assert hit_rows(search(archive.store, "  ØveBane ")) == expected
    assert hit_rows(search(archive.store, "FÆRGEN")) == [
        ("Carl Ærø", "2025-06-02", "Forberedelse", "Medarbejderens noter", "Ærø-færgen er ofte forsinket.", False)
    ]
    assert [h.employee for h in search(archive.store, "æRLIGT")] == ["Anna Sørensen"]
    # 'aa' is not 'å': "måned" is not found by "maaned".
    assert search(archive.store, "maaned") == []
    assert [(h.date, h.field) for h in search(archive.store, "MÅNED")] == [
        ("2024-11-18", "Aftale 1 › Hvordan?"),
        ("2025-11-24", "Aftale 1 fra 2024-11-18 › Hvordan?"),
    ]


def test_private_notes_are_found_and_marked_private(archive: Built) -> None:
    hits = search(archive.store, "stress")
    assert hit_rows(hits) == [
        ("Anna Sørensen", "2023-11-20", "Private noter (kun for lederen)", "",
         "…søge internt. Hold øje med STRESS.", True)
    ]
    assert "[PRIVAT] Private noter (kun for lederen): …søge internt. Hold øje med STRESS." in format_search(hits, "stress")


def test_framework_text_is_not_searched_and_no_file_is_parsed(
    archive: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    search(archive.store, "sparring")  # builds the index: each file is parsed once, for it
    parsed = files_parsed(monkeypatch)
    for words in ("arbejdsdag", "Hvordan trives du", "TRIVSEL", "fra 0 til 10", "Testkommune", "testkommune"):
        assert search(archive.store, words) == [], words
    assert parsed == []
    # A word both in the framework and in notes: only the files with it in notes matter.
    assert [(h.date, h.field) for h in search(archive.store, "sparring")] == [
        ("2023-11-20", "Noter"),
        ("2024-11-18", "Noter"),
        ("2024-11-18", "Aftale 1 › Mål?"),
        ("2025-11-24", "Aftale 1 fra 2024-11-18 › Mål?"),
        ("2025-11-24", "Noter"),
    ]
    # Once indexed, searches answer from the index and parse no file at all.
    assert parsed == []


def test_search_sees_through_escapes_and_hand_edited_files(archive: Built, tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    shutil.copytree(archive.root, root)
    source = (root / archive.paths["carl25"]).read_text(encoding="utf-8")
    (root / "hand").mkdir()
    # A \u escape for 'ø', a multi-line string with unescaped quotes, a note with quotes.
    escaped = source.replace('employee_notes = "Ærø-færgen er ofte forsinket."',
                             'employee_notes = "Snakker om \\u00f8vebaner"\nmanager_notes = """\ntext = "hemmelig"\n"""')
    (root / "hand" / "2025-01-01.toml").write_text(escaped, encoding="utf-8")
    quoted = source.replace('"Ærø-færgen er ofte forsinket."', '"Han sagde \\"nej\\" og \\\\gik"')
    (root / "hand" / "2025-02-01.toml").write_text(quoted, encoding="utf-8")
    (root / "hand" / "2025-03-01.toml").write_text('date = 2025-03-01\nnotes = "øvebane i en ødelagt fil', encoding="utf-8")
    # Written by hand in ways musterm does not write: a literal string, a spaced header, a comment.
    literal = source.replace('employee_notes = "Ærø-færgen er ofte forsinket."', "employee_notes = 'Øvebaner i litteral'")
    (root / "hand" / "2025-04-01.toml").write_text(literal, encoding="utf-8")
    spaced = source + '\n[ private ]\nnotes = "øvebaner privat" # kommentar\n'
    (root / "hand" / "2025-05-01.toml").write_text(spaced, encoding="utf-8")
    store = Store.open(root, writable=False)
    found = [(h.path, h.field, h.snippet, h.damaged) for h in search(store, "ØVEBANER")]
    assert ("hand/2025-01-01.toml", "Medarbejderens noter", "Snakker om øvebaner", False) in found
    assert ("hand/2025-04-01.toml", "Medarbejderens noter", "Øvebaner i litteral", False) in found
    assert ("hand/2025-05-01.toml", "", "øvebaner privat", False) in found
    assert [(h.path, h.snippet) for h in search(store, "HEMMELIG")] == [("hand/2025-01-01.toml", 'text = "hemmelig"')]
    assert [h.snippet for h in search(store, '"nej"')] == ['Han sagde "nej" og \\gik']
    assert [h.snippet for h in search(store, "\\GIK")] == ['Han sagde "nej" og \\gik']
    damaged = [h for h in search(store, "øvebane") if h.damaged]
    assert [(h.path, h.snippet) for h in damaged] == [("hand/2025-03-01.toml", 'date = 2025-03-01 notes = "øvebane i en ødelagt fil')]
    assert damaged[0].field.startswith("Filen kan ikke læses")


def test_the_prefilter_never_hides_a_searchable_value() -> None:
    may = _may_contain
    assert not may('[[themes.questions]]\nid = "x"\ntext = "Øvebane?"\nkind = "text"\n', "øvebane")
    assert may('[[themes.questions]]\nid = "x"\ntext = "Øvebane?"\nnotes = "øvebane"\n', "øvebane")
    # 'text' holds what was written in a plan field, but a question's text in a theme.
    assert may('[[plan.fields]]\nid = "x"\nlabel = "Mål"\ntext = "øvebane"\n', "øvebane")
    assert may('[plan]\nfields = [\n    { id = "x", label = "Mål", text = "øvebane" },\n]\n', "øvebane")
    assert not may('[[themes]]\nid = "t"\nquestions = [\n    { id = "x", text = "Øvebane", kind = "text" },\n]\n', "øvebane")
    assert may('[[themes]]\nid = "t"\nquestions = [\n    { id = "x", text = "Ø", notes = "øvebane" },\n]\n', "øvebane")
    # Inside a multi-line string a line that looks like a title is text someone wrote.
    assert may('[[themes]]\nnotes = """\ntitle = \\"øvebane\\"\n"""\n', "øvebane")
    assert may("[[themes]]\nnotes = '''\ntitle = \"øvebane\"\n'''\n", "øvebane")
    assert may("[[themes]]\nnotes = 'title = \"øvebane\"'\n", "øvebane")
    assert may('[[themes]]\nitems = [\n    "øvebane",\n]\n', "øvebane")
    assert may('[[themes]]\nnotes = "\\u00f8vebane"\n', "øvebane")
    assert may('[[themes]]\nnotes = """\nøve\\\n  bane"""\n', "øvebane")
    assert not may('[[themes]]\nnotes = "noget andet"\n', "øvebane")
    assert not may("[themes.questions.options]\na = \"Øvebane\"\n", "øvebane")
    assert may('[private]\nnotes = "ØVEBANE"\n', "øvebane")


def test_casefold_mapping_keeps_the_snippet_on_the_match() -> None:
    assert _snippet("Weiße Straße und Øvebane", "strasse") == "Weiße Straße und Øvebane"
    long = "Først en lang indledning om alt muligt andet, så Straße og bagefter en lang afslutning om noget helt andet"
    assert _snippet(long, "strasse") == "…om alt muligt andet, så Straße og bagefter en lang…"


def test_an_empty_search_is_refused(archive: Built) -> None:
    with pytest.raises(MustermError, match="Skriv den tekst"):
        search(archive.store, "   ")


# --- git log ------------------------------------------------------------------------------------


def test_log_of_one_employee_from_git(archive: Built) -> None:
    entries = log_entries(archive.store, ANNA)
    rows = [(e.when.strftime("%Y-%m-%d %H:%M"), e.author, e.conversation, e.what, e.event, e.paths) for e in entries]
    first, second, third = (archive.paths[key] for key in ("anna23", "anna24", "anna25"))
    assert rows == [
        ("2025-11-24 11:00", MANAGER, "Anna Sørensen 2025-11-24", "opfølgning på sidste plan opdateret", Event.FOLLOWUP, (third,)),
        ("2025-11-03 09:00", MANAGER, "Anna Sørensen 2025-11-24", "samtale oprettet", Event.CREATED, (third,)),
        ("2024-11-18 13:55", MANAGER, "Anna Sørensen 2024-11-18", "udviklingsplan ændret", Event.PLAN, (second,)),
        ("2024-11-18 13:30", MANAGER, "Anna Sørensen 2024-11-18", "samtale holdt", Event.HELD, (second,)),
        ("2024-11-18 13:05", MANAGER, "Anna Sørensen 2024-11-18", "opfølgning på sidste plan opdateret", Event.FOLLOWUP, (second,)),
        ("2024-11-04 09:00", MANAGER, "Anna Sørensen 2024-11-18", "samtale oprettet", Event.CREATED, (second,)),
        ("2023-11-21 08:00", MANAGER, "Anna Sørensen 2023-11-20", "samtale afsluttet", Event.CLOSED, (first,)),
        ("2023-11-20 10:42", MANAGER, "Anna Sørensen 2023-11-20", "udviklingsplan ændret", Event.PLAN, (first,)),
        ("2023-11-20 10:15", MANAGER, "Anna Sørensen 2023-11-20", "samtale holdt", Event.HELD, (first,)),
        ("2023-11-01 08:30", MANAGER, "Anna Sørensen 2023-11-20", "samtale oprettet", Event.CREATED, (first,)),
    ]
    assert all(e.when.utcoffset() == dt.timedelta(hours=1) for e in entries)


def test_log_of_the_whole_archive_ends_with_its_creation(archive: Built) -> None:
    entries = log_entries(archive.store)
    assert len(entries) == 17  # 1 to create the archive, 16 for six conversations
    assert [e.conversation for e in entries[:3]] == ["Anna Sørensen 2025-11-24", "Anna Sørensen 2025-11-24", "Carl Ærø 2025-06-02"]
    last = entries[-1]
    assert (last.event, last.what, last.conversation, last.author) == (
        None, "Samtalearkiv oprettet af musterm", "", getpass.getuser()
    )
    assert log_entries(archive.store, limit=2) == entries[:2]


def test_log_lines_in_plain_danish() -> None:
    output = (
        "\x1eabc\x1fLars Leder\x1f2026-11-23T10:42:07+01:00\x1fAnna Sørensen 2026-11-23: udviklingsplan ændret\x1fplan\x1f\n\n"
        "anna-sørensen/2026-11-23.toml\n"
        "\x1edef\x1fMette Hansen\x1f2026-11-24T08:00:00+01:00\x1fRettet stavefejl\x1f\x1f\n\nanna-sørensen/2026-11-23.toml\n"
    )
    assert format_log(parse_log(output)) == (
        "2026-11-23 10:42  Lars Leder    Anna Sørensen 2026-11-23: udviklingsplan ændret\n"
        "2026-11-24 08:00  Mette Hansen  Rettet stavefejl (anna-sørensen/2026-11-23.toml)\n"
    )
    assert format_log([]) == "Ingen historik endnu.\n"


# --- no git process per file --------------------------------------------------------------------


def test_history_runs_no_git_search_a_few_for_the_archive_and_log_once(archive: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    original_run = GitRepo.run

    def counting_run(self: GitRepo, args, **kwargs):  # noqa: ANN001, ANN202
        calls.append(list(args))
        return original_run(self, args, **kwargs)

    processes: list[object] = []
    original_subprocess = subprocess.run

    def counting_subprocess(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        processes.append(args[0] if args else kwargs.get("args"))
        return original_subprocess(*args, **kwargs)

    monkeypatch.setattr(GitRepo, "run", counting_run)
    monkeypatch.setattr(subprocess, "run", counting_subprocess)
    store = Store.open(archive.root, writable=False)
    employee = EmployeeHistory.of(store, "Anna Sørensen")
    employee.score_trends()
    employee.earlier_theme_notes("trivsel", D("2030-01-01"))
    format_history(employee)
    assert calls == [] and processes == []
    search(store, "øvebane")
    search(store, "'")
    # Search brings the index up to date: the same few git calls whatever the number of files.
    commands = [next(arg for arg in args if not arg.startswith("-")) for args in calls]
    assert set(commands) <= {"rev-parse", "status", "diff"} and len(commands) <= 6, calls
    assert len(processes) == len(calls)
    calls.clear()
    processes.clear()
    log_entries(store)
    log_entries(store, ANNA)
    assert [args[2] for args in calls] == ["log", "log"]
    assert len(processes) == 2
