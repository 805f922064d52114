"""What the index holds of one conversation file: its listing row and the text people wrote in it.

The text is exactly what search reads (`searchable_fields`), so a new question kind is indexed
as soon as search knows it. A file that cannot be read still gets a row: the listing shows
its damage, and search shows where its raw text holds the needle.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from musterm.errors import FileError
from musterm.model import limits

if TYPE_CHECKING:
    from musterm.model.session import Session


class Text(NamedTuple):
    """One text of a conversation and where it stands. A named tuple, not a dataclass: a rebuild
    pickles some 43 of them a file from the worker processes, and a dataclass is unpickled by a
    `__setstate__` in Python (about a quarter of the writing process's time at 10,000 files)."""

    theme: str
    field: str
    private: bool
    text: str


@dataclass(frozen=True, slots=True)
class Row:
    """One conversation as the index stores it."""

    path: str
    folder: str
    employee: str
    """As the listing shows it: on one line."""
    number: str
    date: str
    time: str
    framework: str
    status: str
    error: str = ""
    """What the listing says of a file that cannot be read ('' for a good one)."""
    damaged: bool = False
    """The file exists but does not load: `texts` is its raw text, under the reason."""
    scores: str = "{}"
    """{question id: [agreed, own]} of the scored questions, as JSON."""
    plan_rows: int = 0
    followup_date: str = ""
    signature: str = ""
    """mtime, size and inode of the file as read ('' when it was not read from disk)."""
    texts: tuple[Text, ...] = field(default=())
    name: str = ""
    """The employee's name as the file spells it (what search shows); the folder for a damaged file."""


Fields = Callable[["Session"], Iterable[tuple[str, str, str, bool]]]
"""(theme or part, field, text, private) of every text of a conversation: `searchable_fields`."""
_fields: Fields | None = None


def use_fields(function: Fields) -> None:
    """Say what the index reads of a conversation. The history layer does (`history.search`,
    when imported), so the store never imports it, and search and the index read the same."""
    global _fields
    _fields = function


def _searchable(session: Session) -> Iterable[tuple[str, str, str, bool]]:
    if _fields is None:
        from musterm.errors import StoreError

        raise StoreError("musterm-fejl: indekset ved ikke, hvad der skal læses af en samtale (history.search er ikke indlæst)")
    return _fields(session)


def signature_of(stat: os.stat_result) -> str:
    # The inode too: every save replaces the file, and two saves within the filesystem's
    # timestamp granularity can leave mtime and size alike.
    return f"{stat.st_mtime_ns}:{stat.st_size}:{stat.st_ino}"


def row_of_session(relative: str, session: Session, signature: str = "") -> Row:
    from musterm.model.framework import QuestionKind
    from musterm.model.session import one_line

    texts = tuple(
        Text(theme, name, private, value) for theme, name, value, private in _searchable(session) if value
    )
    scores = {
        question.id: [question.score, question.own_score]
        for _, question in session.questions()
        if question.kind == QuestionKind.SCORE and (question.score is not None or question.own_score is not None)
    }
    return Row(
        path=relative,
        folder=relative.split("/", 1)[0],
        employee=one_line(session.employee.name),  # the listing goes to a terminal: no control characters
        number=one_line(session.employee.number),
        date=session.date.isoformat(),
        time=session.time.strftime("%H:%M") if session.time else "",
        framework=one_line(session.framework.id),
        status=session.status.value,
        scores=json.dumps(scores, ensure_ascii=False, separators=(",", ":")),
        plan_rows=sum(1 for row in session.plan.rows if not row.empty),
        followup_date=session.closing.followup_date.isoformat() if session.closing.followup_date else "",
        signature=signature,
        texts=texts,
        name=session.employee.name,
    )


def read_row(root: Path, relative: str, committed: Callable[[], bytes | None] | None = None) -> Row | None:
    """The row of a file on disk; None when it is gone (or is no longer a file).

    `committed`: the file's committed version, to tell a file cut off from an older one."""
    from musterm.formats import session_file, tomlsource

    file = root / relative
    folder, name = relative.split("/", 1)
    try:
        descriptor = os.open(file, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as error:
        return _unreadable(relative, folder, name, error)
    try:
        stat = os.fstat(descriptor)
        if not _is_regular(stat):
            return None
        if stat.st_size > limits.SESSION_FILE_BYTES:
            reason = limits.file_too_large(stat.st_size, limits.SESSION_FILE_BYTES, "en samtale")
            return Row(relative, folder, folder, "", Path(name).stem[:10], "", "", "", error=f"beskadiget: {reason}",
                       signature=signature_of(stat), name=folder)
        data = _read_all(descriptor)
    except OSError as error:
        return _unreadable(relative, folder, name, error)
    finally:
        os.close(descriptor)
    signature = signature_of(stat)
    try:
        # Decoded here, then parsed: the same two steps as `session_file.load_bytes`.
        session = session_file.loads(tomlsource.decode(file, data), file, committed)
    except FileError as refused:
        raw = data.decode("utf-8", errors="replace")
        problem = refused.problems[0] if refused.problems else None
        reason = problem.message if problem else str(refused)
        where = f" (linje {problem.line})" if problem and problem.line else ""
        return Row(
            path=relative, folder=folder, employee=folder, number="", date=Path(name).stem[:10], time="", framework="",
            status="", error=f"beskadiget{where}: {reason}", damaged=True, signature=signature,
            texts=(Text("", f"Filen kan ikke læses ({reason})", False, raw),), name=folder,
        )
    return row_of_session(relative, session, signature)


def _unreadable(relative: str, folder: str, name: str, error: OSError) -> Row:
    return Row(relative, folder, folder, "", Path(name).stem[:10], "", "", "",
               error=f"kan ikke læses: {error.strerror or error}", name=folder)


def _is_regular(stat: os.stat_result) -> bool:
    import stat as stat_module

    return stat_module.S_ISREG(stat.st_mode)


def _read_all(descriptor: int) -> bytes:
    chunks = []
    while chunk := os.read(descriptor, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
