"""`musterm new`, `musterm list` and `musterm show` on a sessions repository, and the folders they refuse."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
from pathlib import Path

import pytest

from musterm.cli.main import main
from musterm.model.framework import QuestionKind
from musterm.model.session import (
    SCHEMA_VERSION,
    Closing,
    FollowUpRow,
    FollowUpStatus,
    FrameworkRef,
    Person,
    Plan,
    PlanRow,
    Preparation,
    Private,
    QuestionRecord,
    ScaleSnapshot,
    Session,
    Status,
    ThemeRecord,
)
from musterm.store.repository import Store


@pytest.fixture
def musterm(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Run `musterm ARGS` in this process; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("MUSTERM_MANAGER", "Lis Leder")

    def run(*args: str) -> tuple[int, str, str]:
        umask = os.umask(0o077)  # main() sets the umask for the process: put it back afterwards
        os.umask(umask)
        try:
            code = main(list(args))
        finally:
            os.umask(umask)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def small_session(**changes: object) -> Session:
    session = Session(
        schema_version=SCHEMA_VERSION,
        status=Status.HELD,
        date=dt.date(2026, 11, 23),
        time=dt.time(9, 30),
        place="Mødelokale 2",
        framework=FrameworkRef(id="lille", name="Lille ramme", version="1"),
        employee=Person(name="Anna Sørensen", number="1234", birth_year=1970),
        manager=Person(name="Lis Leder", email="lis@kommune.dk"),
        preparation=Preparation(employee_notes="Vil gerne tale om kurser.", employee_submitted=dt.date(2026, 11, 20)),
        followup=[
            FollowUpRow(
                session=dt.date(2025, 11, 20), row="1", what="Mentorordning", status=FollowUpStatus.DONE, comment="Gik godt."
            )
        ],
        themes=[
            ThemeRecord(
                id="trivsel",
                title="Trivsel",
                notes="Godt år.\nTravlt i foråret.",
                questions=[
                    QuestionRecord(
                        id="glad", number="1", text="Hvor glad er du for dit job?", kind=QuestionKind.SCORE,
                        mandatory=True, own_score=4, score=5, scale=ScaleSnapshot(min=1, max=6),
                        notes="Trives med de nye opgaver.",
                    ),
                    QuestionRecord(
                        id="ledelse", number="2", text="Hvilken ledelse har du brug for?", kind=QuestionKind.CHOICE,
                        choice="stoettende", options={"stoettende": "Støttende", "delegerende": "Delegerende"},
                    ),
                    QuestionRecord(
                        id="senior", number="3", text="Ønsker du en seniorsamtale?", kind=QuestionKind.YESNO, answer=False
                    ),
                    QuestionRecord(
                        id="opgaver", number="4", text="Dine tre vigtigste opgaver?", kind=QuestionKind.LIST,
                        items=["Budget", "Borgerkontakt", ""],
                    ),
                ],
            ),
        ],
        plan=Plan(
            rows=[
                PlanRow(id="1", what="Excel-kursus", goal="Hurtigere rapporter", when="Forår 2027",
                        status=FollowUpStatus.IN_PROGRESS)
            ]
        ),
        closing=Closing(
            evaluation="God samtale.",
            followup_date=dt.date(2027, 5, 1),
            leader_signed=dt.date(2026, 11, 23),
            employee_signed=dt.date(2026, 11, 24),
        ),
        private=Private(notes="Spørg til flytningen."),
    )
    data = session.model_dump()
    for key, value in changes.items():
        target = data
        *parents, last = key.split(".")
        for parent in parents:
            target = target[parent]
        target[last] = value
    return Session.model_validate(data)


@pytest.fixture
def small_store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "sessions")
    store.create(small_session())
    store.create(small_session(**{"status": "closed", "date": dt.date(2025, 11, 20)}))
    store.create(
        small_session(**{"employee.name": "Bo Ørsted", "employee.number": "", "employee.birth_year": None,
                         "date": dt.date(2027, 1, 5), "time": None, "status": "draft"})
    )
    return store


# --- new ------------------------------------------------------------------------------------------------


def test_new_prints_the_path_and_commits(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    root = tmp_path / "sessions"
    code, out, err = musterm("--sessions", str(root), "new", "--employee", "Anna Sørensen", "--number", "1234",
                             "--framework", "ringkobing-skjern", "--date", "2026-11-23", "--time", "9.30",
                             "--place", "Mødelokale 2")
    assert (code, err) == (0, "")
    path = root / "anna-sørensen-1234" / "2026-11-23.toml"
    assert out == f"{path}\n"
    session = Store.open(root).load("anna-sørensen-1234/2026-11-23.toml")
    assert (session.status, session.time, session.place, session.manager.name) == (
        Status.DRAFT, dt.time(9, 30), "Mødelokale 2", "Lis Leder"
    )
    assert session.framework.id == "ringkobing-skjern"
    assert git(root, "log", "--format=%an|%s") == (
        "Lis Leder|Anna Sørensen 2026-11-23: samtale oprettet\n"
        f"{git(root, 'log', '-1', '--format=%an', 'HEAD~1').strip()}|Samtalearkiv oprettet af musterm\n"
    )
    assert git(root, "status", "--porcelain") == ""


def test_new_carries_the_last_plan_over(small_store: Store, musterm) -> None:  # noqa: ANN001
    code, out, _ = musterm("--sessions", str(small_store.root), "new", "--employee", "Anna Sørensen", "--number",
                           "1234", "--framework", "randers", "--date", "2027-11-20")
    assert code == 0
    session = small_store.load(small_store.relative(Path(out.strip())))
    assert [(row.session, row.row, row.what, row.status) for row in session.followup] == [
        (dt.date(2026, 11, 23), "1", "Excel-kursus", FollowUpStatus.IN_PROGRESS)
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-13-01"], "musterm: '2026-13-01' er ikke en dato; skriv ÅÅÅÅ-MM-DD, fx 2026-03-14\n"),
        (["--time", "25:00"], "musterm: '25:00' er ikke et klokkeslæt; skriv TT:MM, fx 09:30\n"),
        (["--birth-year", "1800"], "musterm: Medarbejderens fødselsår skal være mindst 1900, ikke 1800.\n"),
        (["--employee", "x" * 300], "musterm: Medarbejderens navn er for langt (højst 200 tegn).\n"),
        (["--employee", "   "], "musterm: Medarbejderens navn mangler.\n"),
        (["--framework", "findes-ikke"],
         "musterm: rammen 'findes-ikke' findes ikke (kendte rammer: haderslev, herlev, norddjurs, randers, ringkobing-skjern)\n"),
    ],
)
def test_new_explains_bad_input_and_writes_nothing(small_store: Store, musterm, args: list[str], message: str) -> None:  # noqa: ANN001
    before = git(small_store.root, "rev-list", "--count", "HEAD")
    base = {"--employee": "Carl", "--framework": "randers"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    code, out, err = musterm("--sessions", str(small_store.root), "new", *[part for pair in base.items() for part in pair])
    assert (code, out, err) == (1, "", message)
    assert git(small_store.root, "rev-list", "--count", "HEAD") == before
    assert git(small_store.root, "status", "--porcelain", "--untracked-files=all") == ""


# --- list ------------------------------------------------------------------------------------------------


def test_list_shows_employees_and_their_conversations(small_store: Store, musterm) -> None:  # noqa: ANN001
    code, out, err = musterm("--sessions", str(small_store.root), "list")
    assert (code, err) == (0, "")
    assert out == (
        "Bo Ørsted  [bo-ørsted]\n"
        "  2027-01-05         lille                kladde     bo-ørsted/2027-01-05.toml\n"
        "\n"
        "Anna Sørensen, nr. 1234  [anna-sørensen-1234]\n"
        "  2026-11-23  09:30  lille                holdt      anna-sørensen-1234/2026-11-23.toml\n"
        "  2025-11-20  09:30  lille                afsluttet  anna-sørensen-1234/2025-11-20.toml\n"
    )


def test_list_of_an_empty_archive(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    root = tmp_path / "sessions"
    Store.open(root)
    assert musterm("--sessions", str(root), "list") == (
        0, f"Ingen samtaler endnu i {root}. Start en med: musterm new --employee NAVN --framework ID\n", ""
    )


def test_list_where_there_is_no_archive_yet(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    root = tmp_path / "sessions"
    assert musterm("--sessions", str(root), "list") == (1, "", f"musterm: Der er ingen samtaler endnu: {root} findes ikke.\n")
    assert not root.exists()


def test_list_uses_musterm_sessions_from_the_environment(small_store: Store, musterm, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("MUSTERM_SESSIONS", str(small_store.root))
    code, out, _ = musterm("list")
    assert code == 0
    assert out.startswith("Bo Ørsted  [bo-ørsted]\n")


# --- show ------------------------------------------------------------------------------------------------

SHOWN = """\
MUS-samtale med Anna Sørensen
Dato: 2026-11-23 kl. 09:30
Sted: Mødelokale 2
Leder: Lis Leder
Ramme: Lille ramme (version 1)
Status: holdt
Medarbejdernummer: 1234
Fødselsår: 1970

== Forberedelse ==
Medarbejderens forberedelse modtaget: 2026-11-20
Medarbejderens noter:
    Vil gerne tale om kurser.

== Opfølgning på sidste udviklingsplan ==
Aftale 1 fra 2025-11-20: gennemført
    Hvad?: Mentorordning
    Kommentar: Gik godt.

== Trivsel ==
    Noter:
        Godt år.
        Travlt i foråret.

1. Hvor glad er du for dit job? (obligatorisk)
    Score: 5 på 1–6; medarbejderens egen: 4
    Noter: Trives med de nye opgaver.

2. Hvilken ledelse har du brug for?
    Valgt: Støttende

3. Ønsker du en seniorsamtale?
    Svar: Nej

4. Dine tre vigtigste opgaver?
    1. Budget
    2. Borgerkontakt

== Udviklingsplan ==
Aftale 1 (i gang)
    Hvad?: Excel-kursus
    Mål?: Hurtigere rapporter
    Hvornår?: Forår 2027

== Afslutning ==
Opfølgning aftalt: 2027-05-01
    Evaluering af samtalen: God samtale.
Underskrevet: leder 2026-11-23, medarbejder 2026-11-24

== Private noter (kun for lederen) ==
    Spørg til flytningen.
"""


@pytest.mark.parametrize(
    "target",
    ["Anna Sørensen", "anna sørensen", "1234", "anna-sørensen-1234", "anna-sørensen-1234/2026-11-23.toml", "{root}/anna-sørensen-1234/2026-11-23.toml"],
)
def test_show_prints_the_conversation_as_text(small_store: Store, musterm, target: str) -> None:  # noqa: ANN001
    code, out, err = musterm("--sessions", str(small_store.root), "show", target.format(root=small_store.root))
    assert (code, err) == (0, "")
    assert out == SHOWN


def test_show_of_an_older_conversation_by_path(small_store: Store, musterm) -> None:  # noqa: ANN001
    code, out, _ = musterm("--sessions", str(small_store.root), "show", "anna-sørensen-1234/2025-11-20.toml")
    assert code == 0
    assert out.startswith("MUS-samtale med Anna Sørensen\nDato: 2025-11-20 kl. 09:30\n")
    assert "Status: afsluttet\n" in out


def test_show_of_someone_unknown(small_store: Store, musterm) -> None:  # noqa: ANN001
    assert musterm("--sessions", str(small_store.root), "show", "Carl") == (
        1, "", f"musterm: Ingen medarbejder hedder 'Carl' i {small_store.root}.\n"
    )


def test_show_and_list_write_nothing(small_store: Store, musterm) -> None:  # noqa: ANN001
    small_store.summaries()  # the cache is up to date
    before = tree(small_store.root)
    musterm("--sessions", str(small_store.root), "show", "Anna Sørensen")
    musterm("--sessions", str(small_store.root), "list")
    assert tree(small_store.root) == before


# --- folders musterm refuses -------------------------------------------------------------------------------


def tree(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under root with its mode, size and mtime: any write shows up."""
    entries = {".": (root.stat().st_mode, 0, root.stat().st_mtime_ns)}
    for path in root.rglob("*"):
        info = path.lstat()
        entries[str(path.relative_to(root))] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return entries


def test_a_folder_with_other_files_is_not_taken_over(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    root = tmp_path / "dokumenter"
    root.mkdir()
    (root / "budget.xlsx").write_bytes(b"regneark")
    (root / "noter.txt").write_text("mine noter")
    before = tree(root)
    code, out, err = musterm("--sessions", str(root), "new", "--employee", "Anna", "--framework", "randers")
    assert (code, out) == (1, "")
    assert err == (
        f"musterm: {root} er ikke et git-repo og er ikke tom (budget.xlsx, noter.txt). musterm skriver ikke i den; "
        "vælg en tom eller ny mappe med --sessions.\n"
    )
    assert musterm("--sessions", str(root), "list") == (
        1, "", f"musterm: {root} er ikke et musterm-repo (der er ingen .git).\n"
    )
    assert tree(root) == before


def test_a_git_repository_of_something_else_is_not_used(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    root = tmp_path / "projekt"
    root.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / "main.c").write_text("int main(void) { return 0; }\n")
    before = tree(root)
    message = (
        f"musterm: {root} er et git-repo, men ikke et musterm-samtalearkiv (filen .musterm mangler). "
        "Vælg en anden mappe med --sessions.\n"
    )
    assert musterm("--sessions", str(root), "new", "--employee", "Anna", "--framework", "randers") == (1, "", message)
    assert musterm("--sessions", str(root), "list") == (1, "", message)
    assert musterm("--sessions", str(root), "show", "Anna") == (1, "", message)
    assert tree(root) == before


def test_an_empty_folder_becomes_an_archive(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    root = tmp_path / "tom"
    root.mkdir(mode=0o755)
    code, _, _ = musterm("--sessions", str(root), "new", "--employee", "Anna", "--framework", "randers")
    assert code == 0
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert (root / ".musterm").is_file()


def test_a_sessions_folder_with_only_the_project_readme_becomes_an_archive(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    root = tmp_path / "sessions"
    root.mkdir()
    (root / "README.md").write_text("# Projektets README\n")
    code, _, _ = musterm("--sessions", str(root), "new", "--employee", "Anna", "--framework", "randers")
    assert code == 0
    assert (root / "README.md").read_text() == "# Projektets README\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_folder_is_reported_and_left_alone(tmp_path: Path, musterm) -> None:  # noqa: ANN001
    empty = tmp_path / "tom"
    empty.mkdir()
    empty.chmod(0o500)
    parent = tmp_path / "laast"
    parent.mkdir()
    parent.chmod(0o500)
    archive = tmp_path / "arkiv"
    Store.open(archive).create(small_session())
    archive.chmod(0o500)
    before = {path: tree(path) for path in (empty, parent, archive)}
    try:
        new = ("new", "--employee", "Carl", "--framework", "randers")
        assert musterm("--sessions", str(empty), *new) == (
            1, "", f"musterm: Ingen skriveadgang til {empty}. Intet er gemt; vælg en anden mappe med --sessions.\n"
        )
        assert musterm("--sessions", str(parent / "sessions"), *new) == (
            1, "", f"musterm: Ingen skriveadgang til {parent}: mappen sessions kunne ikke oprettes. Intet er gemt.\n"
        )
        assert musterm("--sessions", str(archive), *new) == (
            1, "", f"musterm: Ingen skriveadgang til {archive}. Intet er gemt; vælg en anden mappe med --sessions.\n"
        )
        code, out, _ = musterm("--sessions", str(archive), "list")  # reading still works
        assert code == 0 and "Anna Sørensen, nr. 1234" in out
        code, out, _ = musterm("--sessions", str(archive), "show", "Anna Sørensen")
        assert (code, out) == (0, SHOWN)
        assert {path: tree(path) for path in (empty, parent, archive)} == before
    finally:
        for path in (empty, parent, archive):
            path.chmod(0o700)
