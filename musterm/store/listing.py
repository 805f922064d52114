"""The listing: a cheap summary of every conversation, cached in `.git/musterm/`, and the text of `musterm list`."""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from musterm.errors import FileError, StoreError
from musterm.model.labels import STATUS_LABELS
from musterm.store import durable
from musterm.store.layout import _is_session_file

if TYPE_CHECKING:
    from musterm.store.repository import Store



def format_listing(summaries: list[Summary]) -> str:
    newest_first = sorted(summaries, key=lambda s: (s.date, s.time, s.path), reverse=True)
    # One pass: folders in the order of their newest conversation, each folder's newest first.
    by_folder: dict[str, list[Summary]] = {}
    for summary in newest_first:
        by_folder.setdefault(summary.folder, []).append(summary)
    blocks = []
    for folder, items in by_folder.items():
        named = next((summary for summary in items if not summary.error), items[0])
        number = f", nr. {named.number}" if named.number else ""
        lines = [f"{named.employee}{number}  [{folder}]"]
        for summary in items:
            if summary.error:
                lines.append(f"  {summary.date:<10}  {'':5}  {summary.error}  {summary.path}")
                continue
            time = summary.time or "     "
            lines.append(f"  {summary.date}  {time}  {summary.framework:<20} {summary.status_label:<10} {summary.path}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


INDEX_VERSION = 3


@dataclass(frozen=True, slots=True)
class Summary:
    """What a listing shows of one conversation, read cheaply and cached (slots: there are
    as many as there are conversations, 10,000 after ten years of a large department)."""

    path: str
    folder: str
    employee: str
    number: str
    date: str
    time: str
    framework: str
    status: str
    error: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class SummaryIndex:
    """Summaries of all sessions, kept in .git/musterm/index.json and refreshed by stat()."""

    def __init__(self, store: Store):
        self.store = store
        self.file = store.git.git_dir / "musterm" / "index.json"

    def refresh(self) -> list[Summary]:
        cached = self._read_cache()
        fresh: dict[str, tuple[int, int, int, dict[str, str]]] = {}
        changed = False
        for relative, stat in self._session_files():
            # The inode too: every save replaces the file, and two saves within the
            # filesystem's timestamp granularity can leave mtime and size alike.
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            old = cached.get(relative)
            if old is not None and tuple(old[:3]) == key:
                fresh[relative] = old
                continue
            fresh[relative] = (*key, asdict(summarize(self.store.root, relative)))
            changed = True
        if changed or len(fresh) != len(cached):
            self._write_cache(fresh)
        summaries = [Summary(**entry[3]) for entry in fresh.values()]
        return sorted(summaries, key=lambda s: (s.date, s.time, s.path), reverse=True)

    def _session_files(self) -> Iterable[tuple[str, os.stat_result]]:
        root = self.store.root
        for folder in os.scandir(root):
            if folder.name.startswith(".") or not folder.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(folder.path):
                if _is_session_file(entry.name) and entry.is_file(follow_symlinks=False):
                    yield f"{folder.name}/{entry.name}", entry.stat()

    def _read_cache(self) -> dict[str, tuple[int, int, int, dict[str, str]]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        sessions = data.get("sessions")
        if not isinstance(sessions, dict):
            return {}
        return {
            path: tuple(entry)
            for path, entry in sessions.items()
            if isinstance(entry, list) and len(entry) == 4 and isinstance(entry[3], dict)
        }

    def _write_cache(self, entries: dict[str, tuple[int, int, int, dict[str, str]]]) -> None:
        if not self.store.writable:
            return
        try:
            durable.make_private_dir(self.file.parent)
            payload = json.dumps({"version": INDEX_VERSION, "sessions": entries}, ensure_ascii=False)
            durable.write_atomic(self.file, payload.encode("utf-8"))
        except (StoreError, OSError):
            pass  # the cache only saves time; listing works without it


def summarize(root: Path, relative: str) -> Summary:
    """A summary from the head of the file (everything before the themes), or the error that stops it."""
    folder = relative.split("/", 1)[0]
    file = root / relative
    try:
        text = (root / relative).read_bytes().decode("utf-8")
        data = tomllib.loads(_head_of(text))
        if not {"framework", "employee", "date"} <= data.keys():
            data = tomllib.loads(text)
        employee = data.get("employee", {})
        when = data.get("time")
        from musterm.model.session import (
            one_line as clean,  # the listing goes to a terminal: no control characters
        )

        return Summary(
            path=relative,
            folder=folder,
            employee=clean(str(employee.get("name", folder))),
            number=clean(str(employee.get("number", ""))),
            date=clean(str(data.get("date", ""))),
            time=when.strftime("%H:%M") if isinstance(when, dt.time) else "",
            framework=clean(str(data.get("framework", {}).get("id", ""))),
            status=clean(str(data.get("status", ""))),
        )
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError) as error:
        return Summary(relative, folder, folder, "", file.stem[:10], "", "", "", error=_damage(file, error))


def _damage(file: Path, error: Exception) -> str:
    """What is wrong with a file the listing could not read, in the words `musterm show` would use."""
    if isinstance(error, OSError):
        return f"kan ikke læses: {error.strerror or error}"
    from musterm.formats import session_file

    try:
        session_file.load(file)
    except FileError as refused:
        problem = refused.problems[0]
        where = f" (linje {problem.line})" if problem.line else ""
        return f"beskadiget{where}: {problem.message}"
    except OSError as unreadable:
        return f"kan ikke læses: {unreadable.strerror or unreadable}"
    return f"beskadiget: {error}"


def _head_of(text: str) -> str:
    for marker in ("\n[preparation]", "\n[[followup]]", "\n[[themes]]", "\n[plan"):
        index = text.find(marker)
        if index >= 0:
            text = text[:index]
    return text
