"""The sessions repository's git history in plain Danish. Nothing here starts a git process per file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from musterm.errors import MustermError
from musterm.store.events import EVENT_LABELS, EVENT_TRAILER, Event
from musterm.store.repository import Store

# --- the git log ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    commit: str
    author: str
    when: dt.datetime
    subject: str
    event: Event | None
    conversation: str
    """'Anna Sørensen 2026-11-23' from the subject, else the changed file(s)."""
    what: str
    """What happened, in Danish: the event's label, or the commit subject."""
    paths: tuple[str, ...] = field(default=())


_RECORD = "\x1e"
_UNIT = "\x1f"
LOG_FORMAT = f"%x1e%H%x1f%an%x1f%aI%x1f%s%x1f%(trailers:key={EVENT_TRAILER},valueonly,separator=%x2C)%x1f"


def log_entries(store: Store, employee_folder: str | None = None, limit: int | None = None) -> list[LogEntry]:
    """The git history of the conversations (of one employee), newest first, from one `git log`."""
    args = ["-c", "core.quotePath=false", "log", f"--format={LOG_FORMAT}", "--name-only", "--no-renames"]
    if limit:
        args.append(f"--max-count={limit}")
    # The folder is a name: it goes on stdin (--stdin reads revisions, then paths after "--").
    paths = f"--\n{employee_folder}/\n" if employee_folder else None
    if paths is not None:
        args.append("--stdin")
    result = store.git.run(args, check=False, input=paths)
    if not result.ok:
        if "does not have any commits" in result.stderr:
            return []
        raise MustermError(f"git log fejlede: {result.stderr.strip() or result.stdout.strip()}")
    return parse_log(result.stdout)


def parse_log(output: str) -> list[LogEntry]:
    entries = []
    for record in output.split(_RECORD):
        parts = record.split(_UNIT)
        if len(parts) < 6:
            continue
        commit, author, when, subject, trailer, rest = parts[:6]
        paths = tuple(line for line in rest.splitlines() if line.strip())
        entries.append(_log_entry(commit, author, when, subject, trailer.strip(), paths))
    return entries


def _log_entry(commit: str, author: str, when: str, subject: str, trailer: str, paths: tuple[str, ...]) -> LogEntry:
    event = None
    for value in trailer.split(","):
        try:
            event = Event(value.strip())
            break
        except ValueError:
            continue
    conversation, what = "", subject
    if event is not None:
        what = EVENT_LABELS[event]
        head, separator, _ = subject.rpartition(": ")
        conversation = head if separator else ""
    if not conversation and paths and all("/" in path and path.endswith(".toml") for path in paths):
        conversation = ", ".join(paths[:3]) + (f" (+{len(paths) - 3})" if len(paths) > 3 else "")
    return LogEntry(commit, author, dt.datetime.fromisoformat(when), subject, event, conversation, what, paths)


def format_log(entries: Sequence[LogEntry]) -> str:
    """'2026-11-23 10:42  Lars Leder  Anna Sørensen 2026-11-23: udviklingsplan ændret', newest first."""
    if not entries:
        return "Ingen historik endnu.\n"
    width = min(24, max(len(entry.author) for entry in entries))
    lines = []
    for entry in entries:
        what = f"{entry.conversation}: {entry.what}" if entry.conversation and entry.event else entry.what
        if entry.conversation and not entry.event and entry.conversation not in entry.what:
            what += f" ({entry.conversation})"
        lines.append(f"{entry.when:%Y-%m-%d %H:%M}  {entry.author:<{width}}  {what}")
    return "\n".join(lines) + "\n"
