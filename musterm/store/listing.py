"""The listing: what `musterm list` and the start screen show of a conversation (read from the index,
or from a file's head when one employee is looked up without it), and the text of `musterm list`."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from musterm.errors import FileError
from musterm.model.labels import STATUS_LABELS



def format_listing(summaries: list[Summary]) -> str:
    newest_first = sorted(summaries, key=lambda s: (s.date, s.time, s.path), reverse=True)
    return format_rows(
        (s.path, s.folder, s.employee, s.number, s.date, s.time, s.framework, s.status, s.error) for s in newest_first
    )


def format_rows(rows: Iterable[tuple[str, str, str, str, str, str, str, str, str]]) -> str:
    """The text of `musterm list` from rows as the index lists them (`SessionIndex.listing`: path,
    folder, employee, number, date, time, framework, status, error), newest first. `musterm list`
    formats the index's rows themselves: at 100,000 conversations a `Summary` for each, and sorting
    them again, would be a third of its time."""
    # One pass: folders in the order of their newest conversation, each folder's newest first.
    by_folder: dict[str, list[str]] = {}
    named: dict[str, tuple[str, str]] = {}  # each folder's employee: from its newest readable conversation, else its newest
    settled: set[str] = set()
    labels = STATUS_LABELS
    for path, folder, employee, number, date, time, framework, status, error in rows:
        lines = by_folder.get(folder)
        if lines is None:
            lines = by_folder[folder] = []
            named[folder] = (employee, number)
            if not error:
                settled.add(folder)
        elif not error and folder not in settled:
            named[folder] = (employee, number)
            settled.add(folder)
        if error:
            lines.append(f"  {date:<10}  {'':5}  {error}  {path}")
        else:
            lines.append(f"  {date}  {time or '     '}  {framework:<20} {labels.get(status, status):<10} {path}")
    blocks = []
    for folder, lines in by_folder.items():
        employee, number = named[folder]
        number = f", nr. {number}" if number else ""
        lines.insert(0, f"{employee}{number}  [{folder}]")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a listing shows of one conversation (slots: `musterm list` makes one per conversation)."""

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


def summarize(root: Path, relative: str) -> Summary:
    """A summary from the head of the file (everything before the themes), or the error that stops it."""
    folder = relative.split("/", 1)[0]
    file = root / relative
    try:
        # as a Windows editor may save it: a byte order mark, CRLF line endings
        text = (root / relative).read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
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
    return "beskadiget: filen kan ikke læses som en samtale"  # tomllib's own (English) words never reach the listing


def _head_of(text: str) -> str:
    for marker in ("\n[preparation]", "\n[[followup]]", "\n[[themes]]", "\n[plan"):
        index = text.find(marker)
        if index >= 0:
            text = text[:index]
    return text
