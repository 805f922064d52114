"""Search across every conversation: the field and a snippet of each place the text occurs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, AnyStr

from musterm.errors import MustermError
from musterm.history.fields import (
    _CLOSING,
    _HIDING_ESCAPE,
    _NEEDS_PARSING,
    _NOTES_FIELDS,
    _PLACE,
    _PREPARATION,
    _PREPARATION_FIELDS,
    _SINGLE_LINE_PAIR,
    SNIPPET_CONTEXT,
    _agreement,
    _multiline_regions,
    _original_span,
    _snippet,
    _window,
    fold,
)
from musterm.store.index import Indexed, Progress, SessionIndex
from musterm.store.index_rows import Text, use_fields
from musterm.store.index_text import SEPARATOR

if TYPE_CHECKING:
    from musterm.model.session import Session
    from musterm.store.repository import Store

# Search reads the index and needs no session model (pydantic) to answer: the modules that read
# sessions are imported where a session is read (`searchable_fields`, finding an employee).

# --- search --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Hit:
    """One field of one conversation where the searched text occurs.

    Not frozen: a common word has some 40,000 hits at 10,000 conversations, and a frozen
    dataclass's `__init__` (object.__setattr__ for each field) costs 1.6 µs against 0.3 µs."""

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


_FRAMEWORK_KEYS = frozenset(
    {"id", "kind", "role", "status", "title", "label", "low_label", "high_label", "name", "version", "number", "email"}
)
_FRAMEWORK_TABLES = frozenset({"[themes.questions.options]", "[plan.headings]", "[framework]", "[employee]", "[manager]"})
_QUESTION_TABLES = frozenset({"[[themes]]", "[[themes.questions]]"})




def search(
    store: Store,
    text: str,
    *,
    employee: str | None = None,
    year: int | str | None = None,
    field: str | None = None,
    phrase: bool = False,
    progress: Progress | None = None,
) -> list[Hit]:
    """Every field of every conversation, across employees, that contains `text` (case-insensitive).

    Only what was written in the conversations is searched (notes, answers, plan, follow-up,
    preparation, evaluation, private notes), not the framework's question texts and titles. It
    is read from the repository's index (`musterm.store.index`), brought up to date first; the
    index finds the texts that hold every three letters of the needle, and each is checked here.
    A file that cannot be read is a hit marked `damaged` where its raw text holds the needle.

    `employee` (folder, name or number) and `year` narrow the search; `field` keeps the hits
    whose place ("Udviklingsplan › Aftale 1 › Hvad?") contains it. With `phrase`, the words of
    `text` are found in this order with any spaces or line breaks between them.
    """
    needle = fold(text.strip())
    if not needle:
        raise MustermError("Skriv den tekst, der skal søges efter.")
    index = index_of(store)
    index.refresh(progress)
    folder = None
    if employee:
        from musterm.history.conversations import resolve_employee

        folder = resolve_employee(store, employee)
    wanted_field = fold(field.strip()) if field and field.strip() else None
    words = needle.split()
    pattern = re.compile(r"\s+".join(map(re.escape, words))) if phrase and len(words) > 1 else None
    parts = words if pattern is not None else [needle]
    prefilter = not _NEEDS_PARSING.search(needle)
    found: list[Hit] = []
    append = found.append
    # The common case, a plain needle without a separator: looked for in the UTF-8 of the texts the
    # index folded already, each hit's snippet decoded from the bytes around it (`_byte_hits`).
    fast = needle.encode("utf-8") if pattern is None and SEPARATOR not in needle else None
    for conversation in index.search(parts, folder=folder, year=None if year is None else str(year)):
        if conversation.damaged:
            raw = conversation.texts[0].text
            if pattern is None and prefilter and not _may_contain(raw, needle):
                continue
            hit = _damaged_hit(conversation, raw, needle, pattern)
            if hit is not None and _in_field(hit, wanted_field):
                found.append(hit)
            continue
        if fast is not None and conversation.folded_bytes is not None:
            for theme, field_name, private, snippet in _byte_hits(conversation, fast):
                if wanted_field is None or _in_field_of(theme, field_name, private, wanted_field):
                    append(Hit(conversation.employee, conversation.folder, conversation.path, conversation.date,
                               theme, field_name, snippet, private))
            continue
        for item, start, end in _texts_holding(conversation, needle, pattern):
            if start >= 0:  # where in the text, known: no need to fold it again
                snippet = _window(item.text, start, end)
            else:
                snippet = _snippet(item.text, needle) if pattern is None else _pattern_snippet(item.text, pattern)
                if snippet is None:
                    continue
            hit = Hit(conversation.employee, conversation.folder, conversation.path, conversation.date,
                      item.theme, item.field, snippet, item.private)
            if _in_field(hit, wanted_field):
                found.append(hit)
    return found


def _texts_holding(conversation: Indexed, needle: str, pattern: re.Pattern[str] | None) -> Iterator[tuple[Text, int, int]]:
    """The texts that may hold the needle, in order, each with the span of its first match (-1, -1:
    not known, the caller folds the text and looks). A conversation's texts are searched in one
    go, folded already by the index where folding keeps every letter in its place (and its bytes:
    then the needle is looked for in the UTF-8 itself); a text is cut out only where it was found."""
    folded = conversation.folded_bytes
    if SEPARATOR in needle:
        folded = None
    if folded is not None and pattern is None:
        yield from _places(conversation.joined_bytes, folded, needle.encode("utf-8"), conversation)
        return
    joined = conversation.joined
    if folded is None:  # folded here, where that keeps each letter in its place
        text = joined.casefold()
        if SEPARATOR in needle or len(text) != len(joined) or not unicodedata.is_normalized("NFC", joined):
            for item in conversation.texts:
                yield item, -1, -1
            return
    else:
        text = folded.decode("utf-8")
    yield from _places(joined, text, needle if pattern is None else pattern, conversation)


def _places(joined: AnyStr, folded: AnyStr, needle: AnyStr | re.Pattern[str], conversation: Indexed) -> Iterator[tuple[Text, int, int]]:
    """Where `needle` (a text or a pattern) is in `folded`, the first time in each text of `joined`
    (both str or both UTF-8, place for place): the text, and the span there in letters."""
    separator = SEPARATOR if isinstance(joined, str) else SEPARATOR.encode()
    plain = not isinstance(needle, re.Pattern)
    size = len(needle) if plain else 0
    labels: list[str] = []
    place = counted = position = 0
    while True:
        if plain:
            start = folded.find(needle, position)
            if start < 0:
                return
            end = start + size
        else:
            match = needle.search(folded, position)
            if match is None:
                return
            start, end = match.span()
        if not labels:
            labels = conversation.labels
        place += joined.count(separator, counted, start)  # which text: the separators before it
        counted = start
        begin = joined.rfind(separator, 0, start) + 1
        finish = joined.find(separator, start)  # (the last text has none after it)
        finish = len(joined) if finish < 0 else finish
        value = joined[begin:finish]
        if isinstance(value, bytes):  # spans in letters, not bytes
            before = len(joined[begin:start].decode("utf-8"))
            value, start, end, begin = value.decode("utf-8"), before, before + len(joined[start:end].decode("utf-8")), 0
        label = 3 * place
        yield Text(labels[label], labels[label + 1], labels[label + 2] == "1", value), start - begin, end - begin
        position = finish + 1


def index_of(store: Store) -> SessionIndex:
    """The store's index; a bare folder (anything with a `root`) gets one in memory."""
    index = getattr(store, "index", None)
    if isinstance(index, SessionIndex):
        return index
    return SessionIndex.for_root(Path(store.root))


def _in_field(hit: Hit, wanted: str | None) -> bool:
    if wanted is None:
        return True
    return _in_field_of(hit.theme, hit.field, hit.private, wanted)


def _in_field_of(theme: str, field_name: str, private: bool, wanted: str) -> bool:
    from musterm.history.text import PRIVATE_NOTES

    return wanted in fold(f"{theme} › {field_name}") or (private and wanted in fold(PRIVATE_NOTES))


_SEPARATOR_BYTES = SEPARATOR.encode()
_AROUND = 4 * (SNIPPET_CONTEXT + 2)
"""Bytes decoded on each side of a hit for its snippet: at least SNIPPET_CONTEXT + 1 letters of
UTF-8 (4 bytes at most each, after moving to where a letter starts), so the window in them is
the window `_window` takes in the whole text."""


def _byte_hits(conversation: Indexed, needle: bytes) -> Iterator[tuple[str, str, bool, str]]:
    """(theme, field, private, snippet) of each text holding `needle`, the first place in each, as
    `_places` + `_window` give them, without decoding the texts: the needle is found in the UTF-8
    of the texts folded (place for place the UTF-8 of the texts themselves, see `Indexed`), and
    only the bytes around each hit are decoded."""
    folded = conversation.folded_bytes
    assert folded is not None
    start = folded.find(needle)
    if start < 0:
        return
    joined = conversation.joined_bytes
    labels = conversation.labels_bytes.split(_SEPARATOR_BYTES)
    separator, size, total = _SEPARATOR_BYTES, len(needle), len(joined)
    length = len(needle.decode("utf-8"))
    place = counted = 0
    while start >= 0:
        place += joined.count(separator, counted, start)  # which text: the separators before it
        counted = start
        begin = joined.rfind(separator, 0, start) + 1
        finish = joined.find(separator, start)
        if finish < 0:
            finish = total
        end = start + size
        # The bytes around the hit, from and to where a letter starts (UTF-8 continuation bytes are 10xxxxxx).
        low = start - _AROUND
        if low <= begin:
            low = begin
        else:
            while joined[low] & 0xC0 == 0x80:
                low += 1
        high = end + _AROUND
        if high >= finish:
            high = finish
        else:
            while joined[high] & 0xC0 == 0x80:
                high -= 1
        before = len(joined[low:start].decode("utf-8"))
        letters = before + length  # (the texts hold the needle's letters there, folded or not)
        label = 3 * place
        yield (labels[label].decode("utf-8"), labels[label + 1].decode("utf-8"), labels[label + 2] == b"1",
               _window(joined[low:high].decode("utf-8"), before, letters))
        start = folded.find(needle, finish + 1)


def _pattern_snippet(value: str, pattern: re.Pattern[str]) -> str | None:
    """`_snippet` for a phrase: the first place the folded text matches `pattern`."""
    text = unicodedata.normalize("NFC", value)
    folded = text.casefold()
    match = pattern.search(folded)
    if match is None:
        return None
    if len(folded) == len(text):
        start, end = match.start(), match.end()
    else:
        start, end = _original_span(text, match.start(), match.end() - match.start())
    return _window(text, start, end)


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



def searchable_fields(session: Session) -> Iterator[tuple[str, str, str, bool]]:
    """(theme or part, field, text, private) for every text a conversation holds, in file order."""
    from musterm.history.diff import _heading
    from musterm.history.text import _FOLLOWUP_HEADINGS, FOLLOWUP_SECTION, PLAN_SECTION, PRIVATE_NOTES, _one_line, _question_label
    from musterm.model import kinds
    from musterm.model.framework import PLAN_COLUMN_KEYS

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






def _damaged_hit(conversation: Indexed, raw: str, needle: str, pattern: re.Pattern[str] | None) -> Hit | None:
    """A file that cannot be parsed still shows where its raw text contains the needle."""
    snippet = _snippet(raw, needle) if pattern is None else _pattern_snippet(raw, pattern)
    if snippet is None:
        return None
    name = conversation.path.rsplit("/", 1)[-1]
    label = conversation.texts[0].field
    return Hit(conversation.folder, conversation.folder, conversation.path, name[:10], "", label, snippet, damaged=True)


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


use_fields(searchable_fields)  # what the index reads of a conversation is what search reads
