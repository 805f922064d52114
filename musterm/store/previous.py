"""The employee's latest conversation before a date, whose plan a new conversation carries over
(moved from store/repository.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from musterm.errors import FileError, MustermError
from musterm.store import names
from musterm.store.layout import _session_names

if TYPE_CHECKING:
    from musterm.model.session import Person, Session
    from musterm.store.repository import Store


class HistoryUnreadable(MustermError):
    """The employee's latest conversation cannot be read, so its plan cannot be carried over."""


def previous_session(store: Store, employee: Person, date: dt.date) -> Session | None:
    """The employee's most recent conversation before `date`, for carrying its plan over."""
    folder = store._existing_folder(employee) or unreadable_folder_of(store, employee)
    return latest_before(store, folder, date, employee.name) if folder else None


def unreadable_folder_of(store: Store, employee: Person) -> str | None:
    """The folder musterm would name for `employee`, when it holds conversations and none can be
    read: it is most likely theirs, so a new conversation must not start a second folder."""
    folder = names.employee_folder(employee.name, employee.number)
    readable, damaged = sessions_of(store, folder) if not folder.startswith(".") else ([], [])
    return folder if damaged and not readable else None


def latest_before(store: Store, folder: str, date: dt.date, who: str = "") -> Session | None:
    """The latest conversation in `folder` before `date`. HistoryUnreadable when that one (by its
    file name's date) cannot be read: an older plan must not be carried over in its place."""
    readable, damaged = sessions_of(store, folder)
    earlier = [(s.date.isoformat(), rel, s) for rel, s in readable if s.date < date]
    earlier += [(rel.split("/")[-1][:10], rel, error) for rel, error in damaged if rel.split("/")[-1][:10] < date.isoformat()]
    if not earlier:
        return None
    _, _, latest = max(earlier, key=lambda found: (found[0], found[1]))
    if isinstance(latest, FileError):
        raise HistoryUnreadable(
            f"Den seneste samtale{f' med {who}' if who else ''} før {date.isoformat()} kan ikke læses, så dens plan "
            f"kan ikke føres over i den nye samtale: {str(latest).rstrip('.')}. Ret filen, og prøv igen."
        )
    return latest


def sessions_of(store: Store, folder: str) -> tuple[list[tuple[str, Session]], list[tuple[str, FileError]]]:
    from musterm.formats import session_file

    from musterm.formats.tomlsource import read_bytes
    from musterm.model.limits import SESSION_FILE_BYTES

    base = store.root / folder
    found, damaged, read = [], [], {}
    for name in _session_names(base):
        try:
            read[f"{folder}/{name}"] = read_bytes(base / name, SESSION_FILE_BYTES, "en samtale")
        except FileError as error:
            damaged.append((f"{folder}/{name}", error))
    committed = store.committed_versions(read)  # one git process for the files from before the end line
    for relative, data in read.items():
        try:
            found.append((relative, session_file.load_bytes(data, store.root / relative, committed[relative])))
        except FileError as error:
            damaged.append((relative, error))
    return found, damaged
