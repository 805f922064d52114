"""The sessions repository: creating it, saving and committing, listing, finding, privacy, history.

Real git and real files in tmp_path; the account has no git identity (see conftest).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from musterm.errors import MustermError, StoreError
from musterm.formats.session_file import dumps
from musterm.frameworks.catalog import Catalog
from musterm.locations import sessions_readme_text
from musterm.model.session import Person, PlanRow, Session, Status, new_session
from musterm.store.events import Event
from musterm.store.layout import GITATTRIBUTES, GITIGNORE, MARKER
from musterm.store.repository import Store

FRAMEWORK = Catalog.discover().get("ringkobing-skjern")
ANNA = "anna-sørensen-1234/2026-11-23.toml"


def make_session(
    name: str = "Anna Sørensen", number: str = "1234", date: dt.date = dt.date(2026, 11, 23)
) -> Session:
    return new_session(
        FRAMEWORK,
        Person(name=name, number=number),
        Person(name="Lis Leder", email="lis@kommune.dk"),
        date,
        dt.time(9, 30),
        "Mødelokale 2",
    )


def git(root: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=check).stdout


def commit_count(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "sessions")


def change(store: Store, relative: str, session: Session) -> bool:
    store.save(relative, session)
    return store.commit(relative, session)


# --- creating the repository ----------------------------------------------------------------------


def test_first_use_creates_a_repository_with_its_files(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    store = Store.open(root)
    assert store.root == root
    assert (root / MARKER).is_file()
    assert (root / ".gitignore").read_text() == GITIGNORE
    assert (root / ".gitattributes").read_text() == GITATTRIBUTES
    assert (root / "README.md").read_text() == sessions_readme_text()
    assert git(root, "log", "--format=%s") == "Samtalearkiv oprettet af musterm\n"
    assert git(root, "ls-files").split() == [".gitattributes", ".gitignore", ".musterm", "README.md"]
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "config", "diff.musterm.textconv")
    assert git(root, "config", "diff.musterm.cachetextconv", check=False) == ""  # caching writes commits


def test_opening_again_keeps_everything(store: Store) -> None:
    relative = store.create(make_session())
    again = Store.open(store.root)
    assert again.load(relative) == store.load(relative)
    assert commit_count(store.root) == 2


# --- saving, committing, loading --------------------------------------------------------------------


def test_create_writes_the_file_and_commits_it(store: Store) -> None:
    session = make_session()
    relative = store.create(session)
    assert relative == ANNA
    assert (store.root / relative).read_text(encoding="utf-8") == dumps(session)
    assert store.load(relative) == session
    assert git(store.root, "status", "--porcelain") == ""
    assert commit_count(store.root) == 2


def test_a_second_conversation_on_the_same_day_gets_a_suffix(store: Store) -> None:
    assert store.create(make_session()) == ANNA
    afternoon = make_session()
    afternoon.time = dt.time(14, 0)
    assert store.create(afternoon) == "anna-sørensen-1234/2026-11-23-2.toml"
    assert store.create(make_session(date=dt.date(2027, 11, 1))) == "anna-sørensen-1234/2027-11-01.toml"


def test_the_same_conversation_again_is_not_made_twice(store: Store) -> None:
    """A retry of `musterm new` (git was busy) or two at once: the file that is there is named."""
    first = store.create_conversation(make_session())
    again = store.create_conversation(make_session())
    assert (first.relative, first.existed) == (ANNA, False)
    assert (again.relative, again.existed) == (ANNA, True)
    assert sorted(path.name for path in (store.root / "anna-sørensen-1234").iterdir()) == ["2026-11-23.toml"]


def test_same_name_different_number_gets_its_own_folder(store: Store) -> None:
    assert store.create(make_session(number="1234")) == ANNA
    assert store.create(make_session(number="")) == "anna-sørensen/2026-11-23.toml"
    assert store.create(make_session(number="99")) == "anna-sørensen-99/2026-11-23.toml"


def test_commit_messages_say_what_happened(store: Store) -> None:
    session = make_session()
    relative = store.create(session)
    session.question("glad-for-job").score = 5
    assert change(store, relative, session)
    session.plan.rows.append(PlanRow(id="1", what="Excel-kursus", when="Forår 2027"))
    assert change(store, relative, session)
    session.status = Status.HELD
    assert change(store, relative, session)
    session.status = Status.CLOSED
    assert change(store, relative, session)
    session.status = Status.REOPENED
    assert change(store, relative, session)

    first = git(store.root, "rev-list", "--max-parents=0", "HEAD").strip()
    assert git(store.root, "log", "--format=%s%n%b", first) == "Samtalearkiv oprettet af musterm\n\n"
    assert git(store.root, "log", "--reverse", "--format=%an <%ae>%n%s%n%b", f"{first}..HEAD") == EXPECTED_LOG


EXPECTED_LOG = """\
Lis Leder <lis@kommune.dk>
Anna Sørensen 2026-11-23: samtale oprettet
Ramme: MUS i Ringkøbing-Skjern Kommune (version 2024-01)
Status: kladde

Musterm-Event: created

Lis Leder <lis@kommune.dk>
Anna Sørensen 2026-11-23: scorer opdateret
Ramme: MUS i Ringkøbing-Skjern Kommune (version 2024-01)
Status: kladde

Musterm-Event: scores

Lis Leder <lis@kommune.dk>
Anna Sørensen 2026-11-23: udviklingsplan ændret
Ramme: MUS i Ringkøbing-Skjern Kommune (version 2024-01)
Status: kladde

Musterm-Event: plan

Lis Leder <lis@kommune.dk>
Anna Sørensen 2026-11-23: samtale holdt
Ramme: MUS i Ringkøbing-Skjern Kommune (version 2024-01)
Status: holdt

Musterm-Event: held

Lis Leder <lis@kommune.dk>
Anna Sørensen 2026-11-23: samtale afsluttet
Ramme: MUS i Ringkøbing-Skjern Kommune (version 2024-01)
Status: afsluttet

Musterm-Event: closed

Lis Leder <lis@kommune.dk>
Anna Sørensen 2026-11-23: samtale genåbnet
Ramme: MUS i Ringkøbing-Skjern Kommune (version 2024-01)
Status: genåbnet

Musterm-Event: reopened

"""


def test_the_manager_is_author_and_a_configured_git_identity_the_committer(tmp_path: Path) -> None:
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    config.write_text("[user]\n\tname = Server Konto\n\temail = konto@example.org\n")
    store = Store.open(tmp_path / "sessions")
    store.create(make_session())
    assert git(store.root, "log", "-1", "--format=%an <%ae>|%cn <%ce>") == (
        "Lis Leder <lis@kommune.dk>|Server Konto <konto@example.org>\n"
    )


def test_without_git_identity_no_machine_name_lands_in_history(store: Store) -> None:
    import socket

    store.create(make_session())
    identities = git(store.root, "log", "--format=%an <%ae> %cn <%ce>")
    assert socket.gethostname() not in identities
    assert "(none)" not in identities


def test_an_explicit_event_wins(store: Store) -> None:
    session = make_session()
    relative = store.create(session)
    session.closing.leader_signed = dt.date(2026, 11, 23)
    store.save(relative, session)
    store.commit(relative, session, Event.SIGNED)
    assert git(store.root, "log", "-1", "--format=%s") == "Anna Sørensen 2026-11-23: underskrevet\n"


def test_a_save_that_changes_nothing_makes_no_commit(store: Store) -> None:
    session = make_session()
    relative = store.create(session)
    before = commit_count(store.root)
    assert store.save(relative, session) is False
    assert store.commit(relative, session) is False
    assert commit_count(store.root) == before
    session.place = "  Mødelokale 2  "  # normalised to the same line: the same bytes
    assert store.save(relative, session) is False
    assert commit_count(store.root) == before


def test_a_new_store_finds_the_last_committed_version_for_the_message(store: Store) -> None:
    session = make_session()
    relative = store.create(session)
    other = Store.open(store.root)
    loaded = other.load(relative)
    loaded.status = Status.HELD
    change(other, relative, loaded)
    assert git(store.root, "log", "-1", "--format=%s") == "Anna Sørensen 2026-11-23: samtale holdt\n"


def test_the_last_plan_is_carried_over_to_the_next_conversation(store: Store) -> None:
    session = make_session()
    relative = store.create(session)
    session.plan.rows.append(PlanRow(id="1", what="Excel-kursus", when="Forår 2027"))
    change(store, relative, session)
    previous = store.previous_session(session.employee, dt.date(2027, 11, 1))
    assert previous == session
    assert store.previous_session(session.employee, dt.date(2026, 11, 23)) is None


# --- listing ----------------------------------------------------------------------------------------


def test_summaries_list_every_conversation_newest_first(store: Store) -> None:
    store.create(make_session())
    store.create(make_session("Bo Ørsted", "", dt.date(2027, 1, 5)))
    summaries = store.summaries()
    assert [(s.path, s.employee, s.number, s.date, s.time, s.framework, s.status_label) for s in summaries] == [
        ("bo-ørsted/2027-01-05.toml", "Bo Ørsted", "", "2027-01-05", "09:30", "ringkobing-skjern", "kladde"),
        (ANNA, "Anna Sørensen", "1234", "2026-11-23", "09:30", "ringkobing-skjern", "kladde"),
    ]
    index = store.git.git_dir / "musterm" / "index.sqlite"
    assert index.is_file() and index.stat().st_mode & 0o777 == 0o600


def test_the_listing_cache_rereads_a_changed_file(store: Store) -> None:
    session = make_session()
    relative = store.create(session)
    assert store.summaries()[0].status == "draft"
    session.status = Status.HELD
    store.save(relative, session)
    assert store.summaries()[0].status == "held"
    # Same size, and the same mtime as on a filesystem with coarse timestamps: still noticed.
    before = (store.root / relative).stat()
    session.time = dt.time(10, 30)
    store.save(relative, session)
    os.utime(store.root / relative, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (store.root / relative).stat().st_size == before.st_size
    assert store.summaries()[0].time == "10:30"


def test_the_listing_index_is_used_for_unchanged_files(store: Store) -> None:
    import sqlite3

    store.create(make_session())
    store.summaries()
    index = store.git.git_dir / "musterm" / "index.sqlite"
    with contextlib.closing(sqlite3.connect(index)) as connection, connection:
        connection.execute("UPDATE conversation SET employee = 'Fra indekset'")
    assert Store.open(store.root).summaries()[0].employee == "Fra indekset"
    index.write_bytes(b"ikke en database" * 100)
    for suffix in ("-wal", "-shm"):
        index.with_name(index.name + suffix).unlink(missing_ok=True)
    assert Store.open(store.root).summaries()[0].employee == "Anna Sørensen"


def test_a_damaged_file_is_listed_with_what_is_wrong(store: Store) -> None:
    store.create(make_session())
    (store.root / "anna-sørensen-1234" / "2027-01-01.toml").write_text('schema_version = 1\nstatus = \n')
    damaged = store.summaries()[0]
    assert damaged.path == "anna-sørensen-1234/2027-01-01.toml"
    assert damaged.error == "beskadiget (linje 2): TOML-syntaksfejl: ugyldig værdi (mangler der anførselstegn om en tekst?)"


def test_a_removed_file_leaves_the_listing(store: Store) -> None:
    relative = store.create(make_session())
    assert len(store.summaries()) == 1
    (store.root / relative).unlink()
    assert store.summaries() == []


# --- finding ----------------------------------------------------------------------------------------


def test_find_by_path_folder_name_and_number(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.create(make_session())
    latest = store.create(make_session(date=dt.date(2027, 11, 1)))
    store.create(make_session("Bo Ørsted", "77"))
    assert store.find(str(store.root / ANNA)) == ANNA
    assert store.find(ANNA) == ANNA
    assert store.find("anna-sørensen-1234") == latest
    assert store.find(str(store.root / "anna-sørensen-1234")) == latest
    assert store.find(str(store.root / "anna-sørensen-1234") + "/") == latest
    assert store.find("Anna Sørensen") == latest
    assert store.find("anna sørensen") == latest
    assert store.find("1234") == latest
    assert store.find("77") == "bo-ørsted-77/2026-11-23.toml"
    monkeypatch.chdir(store.root)
    assert store.find(f"./{ANNA}") == ANNA


def test_a_number_name_or_folder_name_is_found_without_the_listing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """`musterm open 1234` must not stat() every file of ten years: folder names lead, the newest file confirms."""
    store.create(make_session())
    latest = store.create(make_session(date=dt.date(2027, 11, 1)))

    def no_listing() -> None:
        raise AssertionError("the whole listing was read")

    monkeypatch.setattr(store, "summaries", no_listing)
    assert store.find("1234") == latest
    assert store.find("anna-sørensen-1234") == latest
    assert store.find("Anna Sørensen") == latest


def test_a_folder_name_whose_number_changed_is_checked_against_the_file(store: Store) -> None:
    relative = store.create(make_session("Dina Dam", "42"))
    session = store.load(relative)
    session.employee.number = "43"
    change(store, relative, session)
    assert store.find("43") == relative  # no folder is named for 43: the listing finds it
    with pytest.raises(MustermError, match=r"^Ingen medarbejder hedder '42' i "):
        store.find("42")


def test_uncommitted_sessions_are_the_changed_and_new_files_only(store: Store) -> None:
    changed = store.create(make_session())
    moved = store.create(make_session("Bo Ørsted", "77"))
    session = store.load(changed)
    session.place = "Kantinen"
    store.save(changed, session)
    new = "carl-cort/2027-01-01.toml"
    store.path_of(new).parent.mkdir()
    store.path_of(new).write_bytes(store.path_of(moved).read_bytes())
    git(store.root, "mv", moved, "bo-ørsted-77/2026-11-24.toml")  # a rename someone staged by hand
    assert store.uncommitted_sessions() == [changed, new]


def test_find_explains_what_it_cannot_find(store: Store, tmp_path: Path) -> None:
    store.create(make_session())
    store.create(make_session(number="99"))
    with pytest.raises(MustermError, match=r"^Ingen medarbejder hedder 'Carl' i "):
        store.find("Carl")
    with pytest.raises(MustermError, match=r"^'Anna Sørensen' passer på flere medarbejdere: anna-sørensen-1234, anna-sørensen-99\. Brug mappenavnet\.$"):
        store.find("Anna Sørensen")
    outside = tmp_path / "andet.toml"
    outside.write_text("")
    with pytest.raises(MustermError, match=r"ligger ikke i samtalearkivet"):
        store.find(str(outside))


@pytest.mark.parametrize("relative", ["../x.toml", "/etc/passwd", ".git/config", "a/../../x.toml", "a/.hidden.toml", ""])
def test_paths_that_leave_the_repository_are_refused(store: Store, relative: str) -> None:
    with pytest.raises(MustermError, match="Ugyldig sti i samtalearkivet"):
        store.path_of(relative)


# --- privacy ----------------------------------------------------------------------------------------


def test_everything_is_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = Store.open(tmp_path / "sessions")
        with store.lock_for_editing(ANNA):  # first, so it creates .git/musterm itself
            session = make_session()
            relative = store.create(session)
        session.question("glad-for-job").score = 5
        change(store, relative, session)
        store.create(make_session("Bo Ørsted", ""))
        store.summaries()
        # git run by hand, with the loose umask, must keep the repository private too
        subprocess.run(["git", "gc", "--quiet"], cwd=store.root, check=True)
        subprocess.run(["git", "commit", "--allow-empty", "-qm", "hand", "--author=H <>"], cwd=store.root, check=True,
                       env={**os.environ, "GIT_COMMITTER_NAME": "H", "GIT_COMMITTER_EMAIL": ""})
    finally:
        os.umask(old)
    root = store.root
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    checked = 0
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            mode = stat.S_IMODE((Path(folder) / name).lstat().st_mode)
            assert mode == 0o700, f"{Path(folder) / name}: {oct(mode)}"
        for name in files:
            mode = stat.S_IMODE((Path(folder) / name).lstat().st_mode)
            assert mode & 0o077 == 0, f"{Path(folder) / name}: {oct(mode)}"
            checked += 1
    assert checked > 20
    assert list((root / ".git" / "objects" / "pack").glob("*.pack"))


def test_opening_tightens_a_loosened_folder(store: Store) -> None:
    os.chmod(store.root, 0o755)
    Store.open(store.root)
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700


def test_nothing_is_written_outside_the_sessions_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    parent = tmp_path / "parent"
    parent.mkdir()
    (parent / "andet.txt").write_text("urørt")
    watched_tmp = tmp_path / "tmpdir"
    watched_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(watched_tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.chdir(parent)
    home = Path(os.environ["HOME"])

    def snapshot() -> dict[str, tuple[int, int]]:
        seen = {}
        for base in (parent, watched_tmp, home):
            for folder, dirs, files in os.walk(base):
                if Path(folder) == parent:
                    dirs[:] = [name for name in dirs if name != "sessions"]
                for name in [*dirs, *files]:
                    info = (Path(folder) / name).lstat()
                    seen[str(Path(folder) / name)] = (info.st_mtime_ns, info.st_size)
        return seen

    before = snapshot()
    store = Store.open(parent / "sessions")
    session = make_session()
    relative = store.create(session)
    session.plan.rows.append(PlanRow(id="1", what="Kursus"))
    change(store, relative, session)
    with store.lock_for_editing(relative):
        store.load(store.find("Anna Sørensen"))
    store.summaries()
    store.sweep_temp_files()
    git(store.root, "log", "-p")
    env = {**os.environ, "MUSTERM_MANAGER": "Lis Leder"}
    for args in (
        ["new", "--employee", "Bo Ørsted", "--framework", "randers", "--date", "2026-12-01"],
        ["list"],
        ["show", "Bo Ørsted"],
    ):
        subprocess.run([sys.executable, "-m", "musterm", "--sessions", "sessions", *args], check=True,
                       capture_output=True, env=env, cwd=parent)
    assert snapshot() == before
    assert sorted(os.listdir(parent)) == ["andet.txt", "sessions"]


# --- a failing commit --------------------------------------------------------------------------------


def test_a_failing_commit_is_reported_and_the_next_one_commits_the_change(store: Store) -> None:
    session = make_session()
    relative = store.create(session)
    hook = store.git.git_dir / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'afvist af hook' >&2\nexit 1\n")
    hook.chmod(0o700)
    before = commit_count(store.root)

    session.status = Status.HELD
    assert store.save(relative, session)
    with pytest.raises(StoreError) as refused:
        store.commit(relative, session)
    assert str(refused.value) == (
        "Ændringen blev gemt på disken, men ikke committet i git: afvist af hook. Den committes ved næste gem."
    )
    assert (store.root / relative).read_text(encoding="utf-8") == dumps(session)
    assert commit_count(store.root) == before

    hook.unlink()
    assert store.commit(relative, session)
    assert commit_count(store.root) == before + 1
    assert git(store.root, "log", "-1", "--format=%s") == "Anna Sørensen 2026-11-23: samtale holdt\n"
    assert git(store.root, "status", "--porcelain") == ""


# --- history as a document -----------------------------------------------------------------------------


@pytest.fixture
def history(store: Store) -> Store:
    session = make_session()
    relative = store.create(session)
    session.question("glad-for-job").score = 5
    session.question("glad-for-job").own_score = 4
    change(store, relative, session)
    session.question("tilfreds-med-opgaver").score = 3
    session.question("tilfreds-med-opgaver").notes = "Savner variation.\nVil gerne prøve nye opgaver."
    change(store, relative, session)
    session.plan.rows.append(PlanRow(id="1", what="Excel-kursus", when="Forår 2027"))
    session.status = Status.HELD
    change(store, relative, session)
    return store


def test_git_log_p_reads_like_a_document(history: Store) -> None:
    log = git(history.root, "log", "-p", "--format=--- %s", "--", "anna-sørensen-1234/")  # not the README's example
    lines = log.splitlines()
    assert "+MUS-samtale med Anna Sørensen" in lines
    assert "+== Job og arbejdsindhold ==" in lines
    assert "+2. Hvor glad er du for dit job?" in lines
    assert "-    Score: – på 1–6" in lines
    assert "+    Score: 5 på 1–6; medarbejderens egen: 4" in lines
    assert "+    Score: 3 på 1–6" in lines
    assert "+    Noter:" in lines
    assert "+        Vil gerne prøve nye opgaver." in lines
    assert "-Status: kladde" in lines
    assert "+Status: holdt" in lines
    assert "+== Udviklingsplan ==" in lines
    assert "+    Hvad skal udvikles? (Udviklingsinitiativ): Excel-kursus" in lines
    # the hunk header names the section the change is in
    assert any(line.startswith("@@ ") and line.endswith(" @@ == Job og arbejdsindhold ==") for line in lines)
    # and nothing of the TOML shows through
    assert not any("schema_version" in line or "[[themes" in line or 'kind = "' in line for line in lines)


def test_plain_git_works_without_the_driver(history: Store) -> None:
    """A clone, or a machine without musterm: git shows the TOML itself."""
    git(history.root, "config", "--unset", "diff.musterm.textconv")
    lines = git(history.root, "log", "-p").splitlines()
    assert '+status = "held"' in lines
    assert "+score = 5" in lines


def test_plain_git_works_when_musterm_is_gone(history: Store) -> None:
    """The configured driver falls back to the file itself when its Python is no longer there."""
    configured = git(history.root, "config", "diff.musterm.textconv").strip()
    git(history.root, "config", "diff.musterm.textconv", configured.replace(sys.executable, "/nonexistent/python3"))
    result = subprocess.run(["git", "log", "-p"], cwd=history.root, capture_output=True, text=True)
    assert result.returncode == 0
    assert '+status = "held"' in result.stdout.splitlines()
    assert result.stderr == ""


def test_a_broken_driver_command_fails_in_git_not_in_musterm(history: Store) -> None:
    """git refuses a textconv command that does not exist; the files themselves stay readable."""
    result = subprocess.run(
        ["git", "-c", "diff.musterm.textconv=false-command-that-does-not-exist", "log", "-p"],
        cwd=history.root, capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "false-command-that-does-not-exist" in result.stderr
    assert git(history.root, "-c", "diff.musterm.textconv=false-command-that-does-not-exist", "log", "--stat")
    assert git(history.root, "show", f"HEAD:{ANNA}").startswith("schema_version = 1\n")


def test_git_diff_of_an_uncommitted_change_is_readable(history: Store) -> None:
    session = history.load(ANNA)
    session.private.notes = "Kun til mig."
    history.save(ANNA, session)
    lines = git(history.root, "diff").splitlines()
    assert "+== Private noter (kun for lederen) ==" in lines
    assert "+    Kun til mig." in lines
