"""Handing one employee's conversations, with their whole history, to another manager's repository.

The employee's history is cut out of a private clone with git-filter-repo (only their folder,
every version, the original authors, dates and messages), merged into the receiving sessions
repository as a history of its own (`merge --allow-unrelated-histories`), and checked there;
only then are the conversations erased here, as `musterm erase` does. The receiver is a
sessions folder this account can write, or the receiver's git remote (a bare repository by
path, or a URL), which is cloned, merged into and pushed to.

Every temporary copy lives in .git/musterm/tmp and is removed, whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from musterm.errors import StoreError
from musterm.store import durable
from musterm.store.erase import ErasurePlan, _write_private, run_filter_repo
from musterm.store.gitrepo import GitRepo, GitResult
from musterm.store.layout import MARKER

if TYPE_CHECKING:
    from musterm.store.repository import Store


class HandoverError(StoreError):
    pass


@dataclass
class HandoverResult:
    target: str
    count: int
    commits: int


def hand_over(store: Store, plan: ErasurePlan, target: str) -> HandoverResult:
    """Put `plan`'s conversations with their history into `target`; the caller erases them here after."""
    store._require_writable()
    store.commit_leftovers()
    status = store.git.run(["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all"]).stdout
    dirty = [entry[3:] for entry in status.split("\0") if entry[3:].startswith(f"{plan.folder}/")]
    if dirty:
        raise HandoverError(f"Der er ændringer, som ikke er committet: {', '.join(dirty)}. Commit dem først. "
                            "Intet er overdraget eller slettet.")
    with _private_folder(store, "handover") as work:
        extract = work / "employee"
        _extract(store, plan, extract)
        commits = len(GitRepo(extract).run(["rev-list", "HEAD"]).stdout.split())
        receiver = Path(target).expanduser()
        if (receiver / MARKER).is_file() and (receiver / ".git").is_dir():
            from musterm.store.repository import Store as Receiving

            if receiver.resolve() == store.root.resolve():
                raise HandoverError("Modtageren er dette samtalearkiv selv.")
            receiving = Receiving.open(receiver)
            _merge_into(receiving, plan, extract, store)
            receiving.refresh_index()
        else:
            clone = work / "receiver"
            cloned = _plain_git(["clone", "--quiet", "--no-local", target, str(clone)], work)
            if not cloned.ok:
                raise HandoverError(f"Modtagerens samtalearkiv {target} kan ikke hentes: "
                                    f"{cloned.stderr.strip().splitlines()[-1] if cloned.stderr.strip() else 'ukendt fejl'}. "
                                    "Intet er overdraget eller slettet.")
            if not (clone / MARKER).is_file():
                raise HandoverError(f"{target} er ikke et musterm-samtalearkiv (filen {MARKER} mangler). "
                                    "Modtageren skal have oprettet sit arkiv og skubbet det (musterm sync) først. "
                                    "Intet er overdraget eller slettet.")
            from musterm.store.repository import Store as Receiving

            receiving = Receiving.open(clone, manager=store.manager)
            _merge_into(receiving, plan, extract, store)
            pushed = receiving.git.run(["push", "--quiet", "origin", "HEAD:refs/heads/main"], check=False, env=_ssh_env())
            if not pushed.ok:
                raise HandoverError(f"Kunne ikke skubbe til modtageren {target}: {pushed.stderr.strip()[-300:]}. "
                                    "Intet er slettet her.")
    return HandoverResult(target, plan.count, commits)


@contextlib.contextmanager
def _private_folder(store: Store, name: str) -> Iterator[Path]:
    durable.make_private_dirs(store.git.private_tmp)
    folder = store.git.private_tmp / f"{name}-{secrets.token_hex(4)}"
    durable.make_private_dir(folder)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _extract(store: Store, plan: ErasurePlan, extract: Path) -> None:
    """A clone holding only the employee's folder, with every version and commit of it."""
    cloned = _plain_git(["clone", "--quiet", "--no-local", "--single-branch", str(store.root), str(extract)],
                        extract.parent)
    if not cloned.ok:
        raise HandoverError(f"Kunne ikke kopiere samtalearkivet: {cloned.stderr.strip()}")
    paths = extract / ".git" / "handover-paths"
    _write_private(paths, f"{plan.folder}/\n")
    try:
        done = run_filter_repo(extract, ["--force", "--quiet", "--paths-from-file", str(paths)])
    finally:
        paths.unlink(missing_ok=True)
    if done.returncode != 0:
        raise HandoverError(f"git filter-repo fejlede: {done.stderr.decode('utf-8', 'replace').strip()[-300:]}")


def _merge_into(receiving: Store, plan: ErasurePlan, extract: Path, giving: Store) -> None:
    if (receiving.root / plan.folder).exists():
        raise HandoverError(
            f"Modtageren har allerede en mappe {plan.folder} (en anden medarbejder med samme navn?). "
            "Intet er overdraget eller slettet."
        )
    git = receiving.git
    ref = f"refs/musterm/handover-{secrets.token_hex(4)}"
    with git.writer():
        fetched = git.run(["fetch", "--quiet", "--no-tags", str(extract), f"+HEAD:{ref}"], check=False)
        if not fetched.ok:
            raise HandoverError(f"Kunne ikke hente historikken ind hos modtageren: {fetched.stderr.strip()}")
        try:
            from musterm.store.remote import _committer_env

            env = _committer_env(receiving)
            manager = giving.manager
            env.update(GIT_AUTHOR_NAME=manager.name, GIT_AUTHOR_EMAIL=manager.email)
            message = (f"Overdraget: {plan.shown_name}, {plan.count} samtale{'r' if plan.count != 1 else ''} "
                       f"med historik, fra {manager.name}\n")
            with git._message_file(message) as message_file:
                merged = git.run(["merge", "--quiet", "--allow-unrelated-histories", "--no-edit", "-F",
                                  str(message_file), ref], check=False, env=env)
            if not merged.ok:
                git.run(["merge", "--abort"], check=False)
                raise HandoverError(f"Kunne ikke lægge samtalerne ind hos modtageren: {merged.stderr.strip()}")
        finally:
            git.run(["update-ref", "-d", ref], check=False)
    _check_arrived(receiving, plan, giving)


def _check_arrived(receiving: Store, plan: ErasurePlan, giving: Store) -> None:
    """Every current file of the employee is in the receiver, byte for byte, and readable."""
    from musterm.formats import session_file

    for relative in plan.conversations:
        mine = giving.root / relative
        if not mine.is_file():
            continue
        theirs = receiving.root / relative
        if not theirs.is_file() or theirs.read_bytes() != mine.read_bytes():
            raise HandoverError(f"{relative} kom ikke rigtigt frem hos modtageren. Intet er slettet her.")
        session_file.load(theirs)


def _plain_git(args: list[str], cwd: Path) -> GitResult:
    """git outside any repository's environment (a clone), in `cwd`."""
    import subprocess

    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    for keep in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_SSH_COMMAND"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0", **_ssh_env())
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, stdin=subprocess.DEVNULL,
                          umask=0o077, check=False)
    return GitResult(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def _ssh_env() -> dict[str, str]:
    from musterm.store.remote import SSH_COMMAND

    return {} if "GIT_SSH_COMMAND" in os.environ else {"GIT_SSH_COMMAND": SSH_COMMAND}
