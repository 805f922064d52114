"""The files and folders of a sessions repository: its marker files, and which names are conversations."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from musterm.errors import MustermError, StoreError

MARKER = ".musterm"


MARKER_TEXT = "# This folder is a musterm sessions repository.\nformat = 1\n"


GITIGNORE = "# Written by musterm: temp files of interrupted saves never belong in history.\n.*.musterm-tmp\n*.swp\n"


GITATTRIBUTES = (
    "# Written by musterm. Session files are text with LF endings; diffs use a readable rendering\n"
    "# when musterm is installed (diff.musterm.textconv in .git/config), plain TOML otherwise.\n"
    "*.toml text eol=lf diff=musterm\n"
)


TEXTCONV = (
    "musterm_textconv() {{ {python} -m musterm.documents.textconv \"$1\" 2>/dev/null || cat \"$1\"; }}; musterm_textconv"
)


def diff_driver_config() -> dict[str, str]:
    """git's diff driver for session files, run by the Python this musterm is installed in.

    Written into .git/config at every writable open when it differs, so after a reinstall
    (a new virtualenv, pipx, another Python) `git log -p` finds the musterm that is there now.
    Should that Python disappear before the next open, the driver prints the file as it is.
    """
    import shlex
    import sys

    return {
        "diff.musterm.textconv": TEXTCONV.format(python=shlex.quote(sys.executable)),
        # No cachetextconv: caching writes notes commits during `git log -p`, which fails on an
        # account without a git identity and would record the machine's name in the repository.
        "diff.musterm.xfuncname": "^== .* ==$",
    }


INITIAL_FILES = {MARKER: MARKER_TEXT, ".gitignore": GITIGNORE, ".gitattributes": GITATTRIBUTES}


def _is_session_file(name: str) -> bool:
    return name.endswith(".toml") and not name.startswith(".")


def _session_names(folder: Path) -> list[str]:
    """The conversation files in an employee folder, oldest first (they are named by date);
    none when the folder is missing or unreadable. A folder named like one (2026-11-23.toml) is no
    conversation, not even a damaged one, nor is a named pipe (reading one waits for ever); a
    symbolic link is, so that the reader can refuse it, saying why."""
    try:
        return sorted(entry.name for entry in os.scandir(folder)
                      if _is_session_file(entry.name) and (entry.is_symlink() or entry.is_file(follow_symlinks=False)))
    except (OSError, ValueError):  # ValueError: a NUL in a name typed on the command line
        return []


def _checked_relative(relative: str) -> str:
    """Refuse paths that could leave the repository or hide files."""
    parts = relative.replace("\\", "/").split("/")
    if (
        not relative
        or relative.startswith("/")
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
        or any(ord(char) < 32 for char in relative)
    ):
        raise MustermError(f"Ugyldig sti i samtalearkivet: {relative!r}")
    return "/".join(parts)


def refuse_links(root: Path, relative: str) -> None:
    """Refuse a symbolic link anywhere in `relative`: saving through it would write outside the
    private folder (a person may have replaced an employee folder with a link)."""
    path = root
    for part in relative.split("/"):
        path = path / part
        try:
            is_link = stat.S_ISLNK(os.lstat(path).st_mode)
        except FileNotFoundError:
            return
        except OSError as error:
            raise StoreError(f"{path} kan ikke læses: {error.strerror or error}") from None
        if is_link:
            what = "mappe" if path.is_dir() else "fil"
            raise StoreError(
                f"{path} er et symbolsk link. musterm læser og skriver ikke gennem links i samtalearkivet; "
                f"erstat linket med den rigtige {what}."
            )


def _refuse_foreign_owner(root: Path) -> None:
    try:
        owner = os.stat(root).st_uid
    except FileNotFoundError:
        return
    except PermissionError:
        raise StoreError(f"Ingen adgang til {root}: mappen tilhører en anden bruger.") from None
    if owner != os.getuid():
        raise StoreError(
            f"{root} tilhører en anden bruger. Samtaler er fortrolige: brug din egen mappe med --sessions."
        )


def _refuse_non_empty(root: Path) -> None:
    """Only an empty folder (or the project's sessions/ with its README) becomes a new archive."""
    if not root.exists():
        return
    if not root.is_dir():
        raise StoreError(f"{root} er en fil, ikke en mappe.")
    others = sorted(entry.name for entry in os.scandir(root) if entry.name not in ("README.md",))
    if others:
        shown = ", ".join(others[:5])
        raise StoreError(
            f"{root} er ikke et git-repo og er ikke tom ({shown}). musterm skriver ikke i den; "
            "vælg en tom eller ny mappe med --sessions."
        )


def _account_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "musterm"
