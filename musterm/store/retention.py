"""Who has left, and when their conversations are due for erasure under the retention period.

Danish municipalities keep personnel records for a period after the employee leaves ("slettes
senest 10 år efter den ansattes fratræden"); GDPR art. 5(1)(e) asks that nothing is kept
longer. `musterm leave` records the day an employee left in a small file in the employee's
folder, `.fratraadt` (committed; musterm reads only *.toml as conversations, and a dot-file
never), so it travels with the folder on sync and handover and goes with it on erasure.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from musterm.errors import MustermError, StoreError
from musterm.store import durable
from musterm.store.gitrepo import Identity

if TYPE_CHECKING:
    from musterm.store.repository import Store

LEFT_FILE = ".fratraadt"
DEFAULT_YEARS = 10


@dataclass(frozen=True)
class Leaver:
    folder: str
    employee: str
    left: dt.date
    due: dt.date

    def is_due(self, today: dt.date) -> bool:
        return self.due <= today


def record_leaving(store: Store, who: str, date: dt.date) -> tuple[str, str]:
    """Write and commit the folder's leaving date; (folder, employee's name)."""
    store._require_writable()
    folder = store.employee_folder(who)
    name = _name_of(store, folder)
    path = store.root / folder / LEFT_FILE
    text = ("# Skrevet af musterm leave: medarbejderen er fratrådt. Slet filen (og commit), hvis det er en fejl.\n"
            f"fratraadt = {date.isoformat()}\n")
    durable.write_atomic(path, text.encode("utf-8"))
    creator = store.manager if store.manager.email else Identity(store.manager.name or "musterm")
    message = f"{name}: fratrådt {date.isoformat()}\n\nMusterm-Event: left\n"
    with store.git.writer():
        result = store.git.commit_paths([f"{folder}/{LEFT_FILE}"], message, creator, add=True)
    if not result.ok and "nothing to commit" not in result.stdout:
        raise StoreError(f"Fratrædelsen er skrevet i {path}, men ikke committet: {result.stderr.strip()}")
    return folder, name


def left_date(root: Path, folder: str) -> dt.date | None:
    path = root / folder / LEFT_FILE
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("fratraadt")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise MustermError(f"{path}: kan ikke læses ({error}); ret eller slet filen.") from None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise MustermError(f"{path}:2: fratraadt: skal være en dato (ÅÅÅÅ-MM-DD)")
    return value


def left_folders(root: Path) -> set[str]:
    """The employee folders with a leaving date (one stat per folder; no file is parsed)."""
    found = set()
    for entry in os.scandir(root):
        if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
            if os.path.exists(os.path.join(entry.path, LEFT_FILE)):
                found.add(entry.name)
    return found


def leavers(store: Store, years: int = DEFAULT_YEARS) -> list[Leaver]:
    """Everyone who has left, the first due first."""
    store.refresh_index()
    names = {row[1]: row[2] for row in store.index.latest_per_folder()}
    found = []
    for folder in sorted(left_folders(store.root)):
        left = left_date(store.root, folder)
        if left is not None:
            found.append(Leaver(folder, names.get(folder, folder), left, add_years(left, years)))
    return sorted(found, key=lambda leaver: (leaver.due, leaver.folder))


def add_years(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February into a year without one
        return date.replace(year=date.year + years, day=28)


def _name_of(store: Store, folder: str) -> str:
    store.refresh_index()
    for row in store.index.latest_per_folder():
        if row[1] == folder:
            return row[2]
    return folder
