"""A private remote for the sessions repository, with git as the transport: set it, sync with it.

`sync` never loses a keystroke and never pushes a damaged session: it commits what musterm saved
first, fetches, rebases the local commits onto the remote's, checks every conversation that
would be pushed, and only then pushes. A conflict stops the rebase with both versions in the
file between git's markers (which every musterm command refuses, naming the file), and the
next `musterm sync` after the file is put right goes on where it stopped. A remote that cannot
be reached changes nothing here.

The remote is called `origin` and its branch is `main`; any git URL works (a path to a bare
repository, ssh://, a git host). Its URL is not confidential, so it may be on git's command
line; names and text never are (gitrepo.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from musterm.errors import FileError, StoreError
from musterm.store.gitrepo import GitResult

if TYPE_CHECKING:
    from musterm.store.repository import Store

REMOTE = "origin"
BRANCH = "main"
TRACKING = f"refs/remotes/{REMOTE}/{BRANCH}"
SSH_COMMAND = "ssh -o BatchMode=yes -o ConnectTimeout=15 -o ServerAliveInterval=10 -o ServerAliveCountMax=3"
"""Without a password prompt (the app owns the terminal), and giving up on a dropped network."""
NETWORK_CONFIG = ["-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=30"]


class SyncError(StoreError):
    pass


class RemoteUnreachable(SyncError):
    pass


class SyncConflict(SyncError):
    def __init__(self, files: list[str]):
        self.files = files
        shown = ", ".join(files)
        super().__init__(
            f"Konflikt i {shown}: samtalen er ændret både her og i fjernrepoet. Begge versioner står nu i filen "
            "mellem linjerne <<<<<<<, ======= og >>>>>>> (musterm åbner den ikke, før det er rettet). Ret filen i "
            "en teksteditor: behold det rigtige, slet de tre slags markeringslinjer, og kør musterm sync igen. "
            "Intet er skubbet, og intet er tabt."
        )


@dataclass(frozen=True)
class Position:
    """Where the repository stands against the remote, as of the last fetch (no network)."""

    configured: bool
    ahead: int = 0
    behind: int = 0
    conflict: bool = False

    def describe(self) -> str:
        if not self.configured:
            return ""
        if self.conflict:
            return "konflikt: kør musterm sync"
        if not self.ahead and not self.behind:
            return "synkroniseret"
        parts = []
        if self.ahead:
            parts.append(f"↑{self.ahead} at skubbe")
        if self.behind:
            parts.append(f"↓{self.behind} at hente")
        return ", ".join(parts)


@dataclass
class SyncResult:
    committed: list[str] = field(default_factory=list)
    pulled: int = 0
    pushed: int = 0
    skipped: list[str] = field(default_factory=list)
    """Uncommitted hand edits that stay as they are (not synced)."""
    forced: list[str] = field(default_factory=list)
    """After an erasure: what the forced push did and what is left to do (lines)."""

    def describe(self) -> str:
        if self.forced:
            return "\n".join(self.forced)
        parts = []
        if self.committed:
            parts.append(f"{len(self.committed)} gemt{'e' if len(self.committed) != 1 else ''} ændring(er) committet")
        parts.append(f"{self.pulled} commit(s) hentet" if self.pulled else "intet nyt at hente")
        parts.append(f"{self.pushed} commit(s) skubbet" if self.pushed else "intet nyt at skubbe")
        return "Synkroniseret: " + ", ".join(parts) + "."


# --- the remote --------------------------------------------------------------------------------


def remote_url(store: Store) -> str | None:
    result = store.git.run(["config", "--get", f"remote.{REMOTE}.url"], check=False)
    return result.stdout.strip() or None if result.ok else None


def set_remote(store: Store, url: str) -> str:
    """Make `url` the repository's remote; returns a line saying whether it can be reached."""
    store._require_writable()
    url = url.strip()
    if not url or "\n" in url or url.startswith("-"):
        raise SyncError(f"Ugyldig adresse til fjernrepo: {url!r}")
    if _is_local(url):
        local = Path(url.removeprefix("file://")).expanduser()
        url = str(local.resolve()) if not url.startswith("file://") else url
        if local.resolve() == store.root.resolve():
            raise SyncError("Fjernrepoet kan ikke være samtalearkivet selv.")
    if remote_url(store) is None:
        store.git.run(["remote", "add", REMOTE, url])
    else:
        store.git.run(["remote", "set-url", REMOTE, url])
    store.git.run(["config", f"branch.{BRANCH}.remote", REMOTE])
    store.git.run(["config", f"branch.{BRANCH}.merge", f"refs/heads/{BRANCH}"])
    reached = _network(store, ["ls-remote", "--heads", REMOTE])
    if not reached.ok:
        return f"Fjernrepoet er sat til {url}, men kan ikke nås lige nu: {_reason(reached)}"
    return f"Fjernrepoet er sat til {url}."


def _is_local(url: str) -> bool:
    return url.startswith(("/", "./", "../", "~", "file://")) or not re.match(r"^[\w.+-]+(://|@|:)", url)


def position(store: Store) -> Position:
    """Ahead/behind against the remote-tracking branch; no network."""
    if remote_url(store) is None:
        return Position(False)
    conflict = rebase_in_progress(store)
    tracking = store.git.run(["rev-parse", "--verify", "--quiet", TRACKING], check=False)
    if not tracking.ok:
        count = store.git.run(["rev-list", "--count", "HEAD"], check=False)
        return Position(True, int(count.stdout.strip() or 0) if count.ok else 0, 0, conflict)
    counted = store.git.run(["rev-list", "--left-right", "--count", f"HEAD...{TRACKING}"], check=False)
    if not counted.ok:
        return Position(True, 0, 0, conflict)
    ahead, behind = (int(part) for part in counted.stdout.split())
    return Position(True, ahead, behind, conflict)


def rebase_in_progress(store: Store) -> bool:
    return (store.git.git_dir / "rebase-merge").is_dir() or (store.git.git_dir / "rebase-apply").is_dir()


# --- sync --------------------------------------------------------------------------------------


def sync(store: Store, held: Collection[str] = ()) -> SyncResult:
    """Commit, fetch, rebase, check, push. `held`: conversations this process has open."""
    store._require_writable()
    if remote_url(store) is None:
        raise SyncError("Der er intet fjernrepo. Sæt et op med: musterm remote set ADRESSE")
    result = SyncResult()
    if rewrite_pending(store):
        # After an erasure the remote still has the old history: pulling it would bring the
        # erased conversations back. The rewritten history goes first, with --force.
        result.committed = store.commit_leftovers(held).committed
        result.forced = after_rewrite(store)
        return result
    if rebase_in_progress(store):
        _continue_rebase(store)
    else:
        leftovers = store.commit_leftovers(held)
        result.committed = leftovers.committed
        result.skipped = leftovers.hand_edited
    _refuse_damaged(store, _outgoing_files(store))
    before = store.git.run(["rev-parse", "--verify", "--quiet", TRACKING], check=False).stdout.strip()
    fetched = _network(store, ["fetch", "--quiet", "--prune", REMOTE])
    if not fetched.ok:
        raise RemoteUnreachable(
            f"Fjernrepoet kan ikke nås: {_reason(fetched)}. Intet er ændret: alt er gemt og committet her, "
            "og synkroniseres, næste gang du kører musterm sync."
        )
    has_remote_branch = store.git.run(["rev-parse", "--verify", "--quiet", TRACKING], check=False).ok
    if before and has_remote_branch and not store.git.run(["merge-base", "--is-ancestor", before, TRACKING],
                                                          check=False).ok:
        # The remote's history was rewritten (an erasure on another computer): rebasing onto it would
        # replay the old commits, erased conversations included, and push them back.
        raise SyncError(
            "Fjernrepoets historik er skrevet om, fordi en medarbejder er slettet (musterm erase) fra en anden "
            "klon. Denne klon har stadig de gamle versioner og synkroniseres ikke, så de slettede samtaler ikke "
            "kommer tilbage. Gem det, du har lavet her siden sidst (musterm export), slet denne mappe, og klon "
            "fjernrepoet på ny (git clone). Intet er skubbet."
        )
    if has_remote_branch:
        result.pulled = _count(store, f"HEAD..{TRACKING}")
        if result.pulled and result.skipped:
            raise SyncError(
                "Der er ændringer, som ikke er skrevet af musterm og ikke er committet: " + ", ".join(result.skipped)
                + ". Commit dem selv (git commit), eller fortryd dem, og kør musterm sync igen. Intet er ændret."
            )
        if result.pulled:
            _rebase(store)
    outgoing = _outgoing_files(store)
    _refuse_damaged(store, outgoing)
    result.pushed = _count(store, f"{TRACKING}..HEAD") if has_remote_branch else _count(store, "HEAD")
    if result.pushed:
        pushed = _network(store, ["push", "--quiet", REMOTE, f"HEAD:refs/heads/{BRANCH}"])
        if not pushed.ok:
            if "rejected" in pushed.stderr or "fetch first" in pushed.stderr:
                raise SyncError("Fjernrepoet fik nye commits, mens der blev synkroniseret. Kør musterm sync igen.")
            if "pre-receive" in pushed.stderr or "hook declined" in pushed.stderr:
                raise SyncError(f"Fjernrepoet afviste ændringerne: {_reason(pushed, 6)}")
            raise RemoteUnreachable(
                f"Kunne ikke skubbe til fjernrepoet: {_reason(pushed)}. Alt er committet her og skubbes ved næste "
                "musterm sync."
            )
    store.refresh_index()
    return result


def _rebase(store: Store) -> None:
    with store.git.writer():
        rebased = store.git.run(["-c", "core.editor=true", "rebase", "--quiet", TRACKING], check=False,
                                env=_committer_env(store))
    if rebased.ok:
        return
    conflicted = _conflicted(store)
    if conflicted:
        raise SyncConflict(conflicted)
    store.git.run(["rebase", "--abort"], check=False)
    raise SyncError(f"Kunne ikke hente fjernrepoets ændringer ind: {_reason(rebased)}. Intet er ændret her.")


def _continue_rebase(store: Store) -> None:
    """After a conflict: go on once every conflicted file is put right (no markers, readable)."""
    from musterm.formats import session_file

    conflicted = _conflicted(store)
    for relative in conflicted:
        path = store.root / relative
        try:
            session_file.load_bytes(path.read_bytes(), path)
        except FileError as error:
            raise SyncError(f"Konflikten er ikke løst endnu:\n{error}") from None
        except OSError as error:
            raise SyncError(f"{path} kan ikke læses: {error.strerror}") from None
    with store.git.writer():
        if conflicted:
            store.git.run(["add", "--pathspec-from-file=-", "--pathspec-file-nul"],
                          input="".join(f"{relative}\0" for relative in conflicted))
        going = store.git.run(["-c", "core.editor=true", "rebase", "--continue"], check=False,
                              env=_committer_env(store))
    if not going.ok:
        again = _conflicted(store)
        if again:
            raise SyncConflict(again)
        raise SyncError(f"Kunne ikke gøre synkroniseringen færdig: {_reason(going)}")


def _committer_env(store: Store) -> dict[str, str]:
    """A rebase keeps each commit's author; its committer is git's user, or the manager (as commits are)."""
    env = {"GIT_EDITOR": "true"}
    configured = store.git.run(["config", "user.email"], check=False).stdout.strip()
    if not configured:
        manager = store.manager
        env.update(GIT_COMMITTER_NAME=manager.name, GIT_COMMITTER_EMAIL=manager.email)
    return env


def _conflicted(store: Store) -> list[str]:
    listed = store.git.run(["diff", "--name-only", "--diff-filter=U", "-z"], check=False).stdout
    return sorted(path for path in listed.split("\0") if path)


def _outgoing_files(store: Store) -> list[str]:
    """The conversation files changed by commits the remote does not have yet."""
    base = TRACKING if store.git.run(["rev-parse", "--verify", "--quiet", TRACKING], check=False).ok else None
    if base is None:
        listed = store.git.run(["ls-tree", "-r", "--name-only", "-z", "HEAD"], check=False).stdout
    else:
        listed = store.git.run(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=AMR", f"{base}...HEAD"],
                               check=False).stdout
    return sorted(path for path in listed.split("\0") if is_session_path(path))


FEW = 50
"""Up to this many files to push are read and checked one by one; more (a first push) are asked of the index."""


def _refuse_damaged(store: Store, relatives: list[str]) -> None:
    if len(relatives) > FEW:
        relatives = _not_known_good(store, relatives)
    problems = check_blobs(store.git.git_dir, [("HEAD", relative) for relative in relatives])
    if problems:
        raise SyncError("Der skubbes ikke: musterm kan ikke læse\n" + "\n".join(problems)
                        + "\nRet filen (eller åbn den i musterm), og kør musterm sync igen.")


def _not_known_good(store: Store, relatives: list[str]) -> list[str]:
    """Of `relatives`, those the index does not vouch for: damaged files, and files that differ from
    HEAD on disk (the index read the disk; what is pushed is HEAD). Parsing 10,000 files on a first
    push would take minutes; the index has read them already."""
    store.refresh_index()
    damaged = {row[0] for row in store.index.listing() if row[8]}
    status = store.git.run(["--no-optional-locks", "status", "--porcelain=v1", "-z", "--no-renames"], check=False)
    differing = {entry[3:] for entry in status.stdout.split("\0") if len(entry) > 3}
    wanted = set(relatives)
    return sorted(wanted & (damaged | differing))


def check_blobs(git_dir: Path, wanted: list[tuple[str, str]]) -> list[str]:
    """file:line: key: message for each (revision or object id, path) whose content musterm cannot
    read; one `git cat-file --batch` for all of them."""
    from musterm.formats import session_file

    problems = []
    for relative, data in read_blobs(git_dir, wanted):
        try:
            session_file.load_bytes(data, relative)
        except FileError as error:
            problems.append(str(error))
    return problems


def read_blobs(git_dir: Path, wanted: list[tuple[str, str]]) -> Iterator[tuple[str, bytes]]:
    """(path, content) of each (revision, path) or (object id, path) that is a blob."""
    import subprocess

    if not wanted:
        return
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({k: v for k, v in os.environ.items() if k in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM")})
    # In a pre-receive hook the pushed objects are in quarantine: git says where.
    env.update({k: v for k, v in os.environ.items() if k in ("GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                                                             "GIT_QUARANTINE_PATH")})
    env.update(GIT_DIR=str(git_dir), LC_ALL="C")
    names = "".join(f"{rev if len(rev) == 40 and ':' not in rev and rev != 'HEAD' else f'{rev}:{path}'}\n"
                    for rev, path in wanted if "\n" not in path)
    output = subprocess.run(["git", "cat-file", "--batch"], input=names.encode(), env=env, capture_output=True,
                            check=False).stdout
    position = 0
    for _, path in (pair for pair in wanted if "\n" not in pair[1]):
        end = output.find(b"\n", position)
        if end == -1:
            return
        header = output[position:end].split()
        position = end + 1
        if len(header) != 3:
            continue  # "missing"
        size = int(header[2])
        if header[1] == b"blob":
            yield path, output[position : position + size]
        position += size + 1


def is_session_path(relative: str) -> bool:
    parts = relative.split("/")
    return len(parts) == 2 and not parts[0].startswith(".") and parts[1].endswith(".toml") and not parts[1].startswith(".")


def _count(store: Store, revisions: str) -> int:
    counted = store.git.run(["rev-list", "--count", revisions], check=False)
    return int(counted.stdout.strip() or 0) if counted.ok else 0


def _network(store: Store, args: list[str]) -> GitResult:
    env = {}
    if "GIT_SSH_COMMAND" not in os.environ:
        env["GIT_SSH_COMMAND"] = SSH_COMMAND
    return store.git.run([*NETWORK_CONFIG, *args], check=False, env=env)


def _reason(result: GitResult, lines: int = 2) -> str:
    shown = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    shown = [line.removeprefix("fatal: ").removeprefix("error: ").removeprefix("remote: ") for line in shown]
    return " / ".join(shown[-lines:]) or f"git sluttede med kode {result.returncode}"


# --- after a rewrite (erase, handover) ---------------------------------------------------------


REWRITE_PENDING = "rewritten-history-not-pushed"
"""In .git/musterm while the remote still has the history an erasure rewrote."""


def rewrite_pending(store: Store) -> bool:
    return (store.git.git_dir / "musterm" / REWRITE_PENDING).exists()


def mark_rewritten(store: Store) -> None:
    """Before the forced push: should it fail, the next sync pushes instead of pulling the old history back."""
    if remote_url(store) is not None:
        (store.git.git_dir / "musterm" / REWRITE_PENDING).write_text("musterm erase\n")


def after_rewrite(store: Store) -> list[str]:
    """Force-push the rewritten history, clean a remote this account can reach as a folder, and
    say what must still be done elsewhere. No lines when there is no remote."""
    url = remote_url(store)
    if url is None:
        return []
    pushed = _network(store, ["push", "--quiet", "--force", REMOTE, f"HEAD:refs/heads/{BRANCH}"])
    if not pushed.ok:
        raise RemoteUnreachable(
            f"Historikken er skrevet om her, men kunne ikke skubbes til fjernrepoet {url}: {_reason(pushed)}. "
            "Fjernrepoet har stadig de slettede samtaler. Kør musterm sync, så snart det kan nås: den skubber "
            "den nye historik (med --force) i stedet for at hente den gamle."
        )
    (store.git.git_dir / "musterm" / REWRITE_PENDING).unlink(missing_ok=True)
    store.git.run(["fetch", "--quiet", REMOTE], check=False)
    lines = [f"Den nye historik er skubbet til fjernrepoet {url} (med --force)."]
    cleaned = _clean_local_remote(url)
    if cleaned:
        lines.append("Fjernrepoet er ryddet: de gamle versioner er slettet fra det (git gc --prune=now).")
    else:
        lines.append("På fjernrepoet skal administratoren nu slette de gamle versioner, som stadig ligger der uden "
                     "reference: git reflog expire --expire=now --all && git gc --prune=now (på en git-tjeneste "
                     "som GitLab eller GitHub: bed tjenesten om at fjerne gemte kopier og forks).")
    lines.append("Alle andre kloner af samtalearkivet (fx på en anden computer) har stadig de slettede samtaler: "
                 "slet dem, og klon fjernrepoet på ny. Et push fra en gammel klon ville bringe dem tilbage.")
    return lines


def _clean_local_remote(url: str) -> bool:
    import subprocess

    if not _is_local(url):
        return False
    path = Path(url.removeprefix("file://")).expanduser()
    if not path.is_dir() or not os.access(path, os.W_OK):
        return False
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {"GIT_DIR": str(path), "LC_ALL": "C"}
    for keep in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    for args in (["reflog", "expire", "--expire=now", "--expire-unreachable=now", "--all"], ["gc", "--quiet", "--prune=now"]):
        done = subprocess.run(["git", *args], env=env, capture_output=True, check=False, umask=0o077)
        if done.returncode != 0:
            return False
    return True
