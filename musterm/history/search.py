"""Search across every conversation: the field and a snippet of each place the text occurs."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from musterm.errors import FileError, MustermError
from musterm.formats import session_file
from musterm.history.conversations import session_files
from musterm.history.diff import _heading
from musterm.history.fields import (
    _CLOSING,
    _HIDING_ESCAPE,
    _HIDING_ESCAPE_BYTES,
    _NEEDS_PARSING,
    _NOTES_FIELDS,
    _PLACE,
    _PREPARATION,
    _PREPARATION_FIELDS,
    _SINGLE_LINE_PAIR,
    _agreement,
    _multiline_regions,
    _snippet,
    fold,
)
from musterm.history.rawview import _WEAK_SKELETON, _RawView, _Shared
from musterm.history.text import (
    _FOLLOWUP_HEADINGS,
    FOLLOWUP_SECTION,
    PLAN_SECTION,
    PRIVATE_NOTES,
    _one_line,
    _question_label,
)
from musterm.model import kinds
from musterm.model.framework import PLAN_COLUMN_KEYS
from musterm.model.session import Session
from musterm.store.repository import Store

# --- search --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One field of one conversation where the searched text occurs."""

    employee: str
    folder: str
    path: str
    date: str
    theme: str
    """The theme's title, or the part of the conversation ("Udviklingsplan", "Forberedelse", ...)."""
    field: str
    """Which field: "Noter", a question's text and "Noter", a plan column heading, ..."""
    snippet: str
    private: bool = False
    damaged: bool = False


# Printable ASCII but for the quote and the backslash, which the file may spell as escapes.
_ASCII_RUN = re.compile(r'[\x20\x21\x23-\x5b\x5d-\x7e]+')
_FRAMEWORK_KEYS = frozenset(
    {"id", "kind", "role", "status", "title", "label", "low_label", "high_label", "name", "version", "number", "email"}
)
_FRAMEWORK_TABLES = frozenset({"[themes.questions.options]", "[plan.headings]", "[framework]", "[employee]", "[manager]"})
_QUESTION_TABLES = frozenset({"[[themes]]", "[[themes.questions]]"})




def search(store: Store, text: str) -> list[Hit]:
    """Every field of every conversation, across employees, that contains `text` (case-insensitive).

    Only what was written in the conversations is searched (notes, answers, plan, follow-up,
    preparation, evaluation, private notes), not the framework's question texts and titles.
    Files are read directly, never through git. A file is skipped when its bytes cannot hold
    the needle (or, when the needle's ASCII stretch is short, when its folded text does not hold
    it); a file laid out as musterm writes it is read without parsing (`_RawView`); any other
    file is parsed, and one that cannot be read is a hit marked `damaged`.
    """
    needle = fold(text.strip())
    if not needle:
        raise MustermError("Skriv den tekst, der skal søges efter.")
    prefilter = not _NEEDS_PARSING.search(needle)
    skeleton = _ascii_skeleton(needle)
    # A short ASCII stretch of a longer needle ("m" of "mål", none of "ø") is in nearly every file:
    # then a file is first folded whole, to see whether it holds the needle at all.
    weak = prefilter and len(skeleton) < min(len(needle), _WEAK_SKELETON)
    found: list[list[Hit]] = []  # per file with hits: all its hits share employee, folder, date, path
    shared = _Shared()
    root = store.root
    base = str(root)
    for folder in sorted(_employee_folders(root)):
        for name in session_files(root, folder):
            relative = f"{folder}/{name}"
            data = _read_bytes(f"{base}/{relative}")
            if data is None:
                continue
            plain = (skeleton or weak) and _plain_bytes(data)
            if plain:
                if skeleton:
                    lowered = data.lower()
                    if lowered.rfind(skeleton) < 0:  # (rfind: a few times faster than `in` in Python 3.11)
                        continue
                if weak and not _folded_holds(data, needle):
                    continue  # not there at all (where it is, the file is searched as ever)
            if plain and skeleton:
                view = _RawView.of(data, shared)
                located = view.hits(lowered, skeleton, needle) if view is not None else None
                if located is not None:
                    if located:
                        employee, date = view.employee, view.date
                        found.append([Hit(employee, folder, relative, date, *spot) for spot in located])
                    continue
            raw = data.decode("utf-8", errors="replace")
            if prefilter and not _may_contain(raw, needle):
                continue
            try:
                session = session_file.load_bytes(data, root / relative)
            except FileError as error:
                hits = _damaged_hit(folder, relative, name, raw, needle, error)
            else:
                hits = _session_hits(session, folder, relative, needle)
            if hits:
                found.append(hits)
    folded: dict[str, str] = {}
    for hits in found:
        if hits[0].employee not in folded:
            folded[hits[0].employee] = fold(hits[0].employee)
    # A stable sort of the files is the sort of their hits: each file's hits keep their order.
    found.sort(key=lambda hits: (folded[hits[0].employee], hits[0].folder, hits[0].date, hits[0].path))
    return [hit for hits in found for hit in hits]


def _read_bytes(path: str) -> bytes | None:
    """A file's bytes, None when it cannot be read (os.read: a third faster than a file object)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        size = os.fstat(descriptor).st_size
        data = os.read(descriptor, size + 1)
        if len(data) != size:  # it changed while being read, or gave less at once: read to the end
            chunks = [data]
            while chunk := os.read(descriptor, 1 << 16):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _employee_folders(root: Path) -> Iterator[str]:
    for entry in os.scandir(root):
        if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
            yield entry.name


def _ascii_skeleton(needle: str) -> bytes:
    """The longest stretch of plain ASCII in the folded needle: bytes any file with a match holds."""
    runs = _ASCII_RUN.findall(needle)
    return max(runs, key=len).encode("ascii") if runs else b""


# Bytes that start or make up the UTF-8 of every character in ASCII_FOLDING_CHARS: a file with
# none of them has none of those characters (single bytes are found with memchr, quickly).
_FOLDING_BYTES = (b"\xc4", b"\xc5", b"\xc7", b"\xcd", b"\xe1", b"\xef", b"\xc3\x9f", b"\xe2\x84\xaa")


def _plain_bytes(data: bytes) -> bool:
    """Whether the needle's ASCII stretch must stand, unbroken, in the file's own bytes.

    True when the file has no escape that hides characters (\\u, line continuation) and no
    character that folds into ASCII ('ß' into 'ss', the Kelvin sign into 'k', 'ﬁ' into 'fi'):
    then every ASCII character of a casefolded, NFC-normalized match is an ASCII byte of the
    file, in the same order and next to each other, and `bytes.lower()` folds it alike.
    """
    if b"\\" in data and _HIDING_ESCAPE_BYTES.search(data):
        return False
    # The last byte first: one byte is found with memchr, while a search for "\xc3\x9f" is slow in
    # Danish text, where nearly every letter æ, ø, å starts with \xc3.
    for part in _FOLDING_BYTES:
        if part[-1:] in data and part in data:
            return False
    return True


def _may_contain(raw: str, needle: str) -> bool:
    """False only when no searchable value of the file can contain `needle` (a quote-free needle).

    The raw text (NFC, casefolded) must contain the needle, unless an escape could hide it.
    When every occurrence is inside a framework value (a question's text, a title, a label)
    on a plain `key = "..."` line, parsing is skipped too: a search for a word of the framework
    must not parse every file.
    """
    if _HIDING_ESCAPE.search(raw):
        return True
    if not raw.isascii():
        raw = unicodedata.normalize("NFC", raw)
    folded = raw.casefold()
    start = folded.find(needle)
    if start < 0:
        return False
    if len(folded) != len(raw) or "'''" in raw:
        return True
    regions = _multiline_regions(raw)
    if regions is None:
        return True
    while start >= 0:
        if not _in_framework_value(raw, start, len(needle), regions):
            return True
        start = folded.find(needle, start + 1)
    return False






def _in_framework_value(raw: str, start: int, length: int, regions: list[tuple[int, int]]) -> bool:
    if any(low <= start < high for low, high in regions):
        return False
    line_start = raw.rfind("\n", 0, start) + 1
    line_end = raw.find("\n", start)
    line = raw[line_start : len(raw) if line_end < 0 else line_end]
    if "'" in line or "#" in line:
        return False
    offset = start - line_start
    for match in _SINGLE_LINE_PAIR.finditer(line):
        if match.start(2) <= offset and offset + length <= match.end(2):
            header = _table_header_before(raw, line_start, regions)
            key = match.group(1)
            if header in _FRAMEWORK_TABLES:
                return True
            if key == "text":
                return header in _QUESTION_TABLES
            return key in _FRAMEWORK_KEYS
    return False


def _table_header_before(raw: str, position: int, regions: list[tuple[int, int]]) -> str:
    while position > 0:
        found = raw.rfind("\n[", 0, position)
        start = found + 1 if found >= 0 else (0 if raw.startswith("[") else -1)
        if start < 0:
            return ""
        if not any(low <= start < high for low, high in regions):
            end = raw.find("\n", start)
            return raw[start : len(raw) if end < 0 else end].strip().replace(" ", "")
        position = found
    return ""



def _session_hits(session: Session, folder: str, relative: str, needle: str) -> list[Hit]:
    hits = []
    for theme, field_name, value, private in searchable_fields(session):
        snippet = _snippet(value, needle)
        if snippet is not None:
            hits.append(
                Hit(session.employee.name, folder, relative, session.date.isoformat(), theme, field_name, snippet, private)
            )
    return hits


def searchable_fields(session: Session) -> Iterator[tuple[str, str, str, bool]]:
    """(theme or part, field, text, private) for every text a conversation holds, in file order."""
    yield *_PLACE, session.place, False
    for key, name in _PREPARATION_FIELDS.items():
        yield _PREPARATION, name, getattr(session.preparation, key), False
    for row in session.followup:
        where = _agreement(row.row, row.session.isoformat())
        for key, heading in _FOLLOWUP_HEADINGS.items():  # the plan's columns, then the comment
            yield FOLLOWUP_SECTION, f"{where} › {heading}", getattr(row, key), False
    for theme in session.themes:
        title = _one_line(theme.title)
        for key, name in _NOTES_FIELDS.items():
            yield title, name, getattr(theme, key), False
        for question in theme.questions:
            label = _question_label(question.number, question.text)
            for field_name, value in kinds.get(question.kind).searched(question.as_data()):
                yield title, f"{label} › {field_name}", value, False
            for key, name in _NOTES_FIELDS.items():
                yield title, f"{label} › {name}", getattr(question, key), False
    for row in session.plan.rows:
        where = _agreement(row.id)
        for column in PLAN_COLUMN_KEYS:
            yield PLAN_SECTION, f"{where} › {_heading(session.plan.headings, column)}", row.column(column), False
    for plan_field in session.plan.fields:
        yield PLAN_SECTION, _one_line(plan_field.label), plan_field.text, False
    yield *_CLOSING, session.closing.evaluation, False
    yield PRIVATE_NOTES, "", session.private.notes, True






def _folded_holds(data: bytes, needle: str) -> bool:
    """Whether a plain file (`_plain_bytes`) may hold a needle without `_NEEDS_PARSING` characters:
    its whole text, folded as the needle is, holds it (as `_may_contain`, without what an
    escape could hide: a plain file has no such escape)."""
    return needle in fold(data.decode("utf-8", errors="replace"))








def _damaged_hit(folder: str, relative: str, name: str, raw: str, needle: str, error: FileError) -> list[Hit]:
    """A file that cannot be parsed still shows where its raw text contains the needle."""
    snippet = _snippet(raw, needle)
    if snippet is None:
        return []
    problem = error.problems[0].message if error.problems else str(error)
    return [Hit(folder, folder, relative, name[:10], "", f"Filen kan ikke læses ({problem})", snippet, damaged=True)]


def format_search(hits: Sequence[Hit], text: str) -> str:
    if not hits:
        return f"Ingen fund for \"{text}\".\n"
    conversations = len({hit.path for hit in hits})
    noun = "samtale" if conversations == 1 else "samtaler"
    lines = [f"{len(hits)} fund for \"{text}\" i {conversations} {noun}:"]
    append = lines.append
    current = None
    for hit in hits:
        if hit.path != current:
            current = hit.path
            lines += ["", f"{hit.employee} {hit.date}  ({current})"]
        theme, field_name = hit.theme, hit.field
        where = f"{theme} › {field_name}" if theme and field_name else theme or field_name
        append(f"  [PRIVAT] {where}: {hit.snippet}" if hit.private else f"  {where}: {hit.snippet}")
    return "\n".join(lines) + "\n"
