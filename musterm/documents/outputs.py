"""Writing what musterm produces for people outside it: letters, forms, documents, calendars.

Outputs never land inside the sessions repository: they would show up as untracked
files next to confidential conversations, and a stray `git add` would put a copy in
history. Files are written atomically and readable by the owner only.
"""

from __future__ import annotations

import os
from pathlib import Path

from musterm.errors import MustermError
from musterm.model.session import Session
from musterm.store import durable, names


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or lies below it, after resolving symlinks on both sides."""
    real_path = Path(os.path.realpath(path))
    real_folder = Path(os.path.realpath(folder))
    return real_path == real_folder or real_folder in real_path.parents


def check_destination(path: Path, sessions_root: Path, *, overwrite: bool = True) -> Path:
    """The absolute path to write to, or a Danish error saying why not."""
    path = Path(os.path.abspath(Path(path).expanduser()))
    if is_inside(path, sessions_root):
        raise MustermError(
            f"Skriver ikke {path}: den ligger i samtalearkivet {Path(os.path.abspath(sessions_root))}. "
            "Udskrifter og eksporter skal ligge uden for arkivet, så de ikke kommer med i historikken. "
            "Vælg en anden mappe."
        )
    if path.is_dir():
        raise MustermError(f"{path} er en mappe; angiv et filnavn.")
    if not path.parent.is_dir():
        raise MustermError(f"Mappen {path.parent} findes ikke; opret den, eller vælg en anden.")
    if not overwrite and os.path.lexists(path):
        raise MustermError(f"{path} findes allerede; vælg et andet navn.")
    return path


def write_output(path: Path, data: bytes | str, sessions_root: Path, *, overwrite: bool = True) -> Path:
    """Write `data` to `path` (0600, atomic) unless it lies inside the sessions repository."""
    target = check_destination(path, sessions_root, overwrite=overwrite)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    durable.write_atomic(target, payload)
    return target


def default_output_dir(sessions_root: Path) -> Path:
    """Where the app offers to write: the current folder, or the home folder when that is in the archive."""
    here = Path.cwd()
    if is_inside(here, sessions_root):
        return Path.home()
    return here


def suggested_filename(session: Session, what: str, extension: str) -> str:
    """'mus-anna-sørensen-2026-11-23-medarbejder.html': safe everywhere, and says what it is."""
    parts = ["mus", names.employee_folder(session.employee.name), session.date.isoformat()]
    if what:
        parts.append(names.slug(what))
    return "-".join(part for part in parts if part) + "." + extension.lstrip(".")
