"""The names of the fields search reads, and the snippets it shows."""

from __future__ import annotations

import re
import unicodedata

from musterm.store.index_text import fold  # one folding for the index and for search

SNIPPET_CONTEXT = 30


# What hits call the parts and fields of a conversation (`searchable_fields`).
_PLACE = ("Samtalen", "Sted")


_PREPARATION = "Forberedelse"


_PREPARATION_FIELDS = {"manager_notes": "Lederens forberedelse", "employee_notes": "Medarbejderens noter"}


_NOTES_FIELDS = {"notes": "Noter", "employee_notes": "Medarbejderens noter"}


_CLOSING = ("Afslutning", "Evaluering af samtalen")


# Strings whose raw TOML spelling could differ from their value: \u escapes and line continuations
# (an odd number of backslashes: '\\\\u' is a backslash and a 'u').
_HIDING_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\(?:[uU]|[ \t]*\r?\n)")


_NEEDS_PARSING = re.compile(r'["\\\x00-\x1f\x7f]')


_STRING = r'[^"\\\n]*(?:\\.[^"\\\n]*)*'  # what is between the quotes of a basic string


_SINGLE_LINE_PAIR = re.compile(rf'([A-Za-z0-9_-]+)[ \t]*=[ \t]*"({_STRING})"')


def _multiline_regions(raw: str) -> list[tuple[int, int]] | None:
    """The spans of \"\"\"-strings, or None when they are not plain (odd count, unescaped quotes)."""
    regions = []
    position = 0
    while True:
        start = raw.find('"""', position)
        if start < 0:
            return regions
        end = raw.find('"""', start + 3)
        while end > 0 and _escaped(raw, end):
            end = raw.find('"""', end + 1)
        if end < 0:
            return None
        body = raw[start + 3 : end]
        if '"' in body and re.search(r'(?<!\\)"', body.replace("\\\\", "")):
            return None
        regions.append((start, end + 3))
        position = end + 3


def _escaped(raw: str, position: int) -> bool:
    """Whether the character at `position` follows an odd number of backslashes."""
    count = 0
    while position - count - 1 >= 0 and raw[position - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _agreement(row: str, since: str = "") -> str:
    """A plan row as hits name it, 'Aftale 2', or as followed up: 'Aftale 2 fra 2024-11-18'."""
    return f"Aftale {row} fra {since}" if since else f"Aftale {row}"


def _snippet(value: str, needle: str) -> str | None:
    if not value:
        return None
    text = unicodedata.normalize("NFC", value)
    folded = text.casefold()
    found = folded.find(needle)
    if found < 0:
        return None
    if len(folded) == len(text):
        start, end = found, found + len(needle)
    else:
        start, end = _original_span(text, found, len(needle))
    return _window(text, start, end)


def _original_span(text: str, start: int, length: int) -> tuple[int, int]:
    """Map a span of text.casefold() back to text (casefold can lengthen: 'ß' -> 'ss')."""
    position = 0
    begin = end = len(text)
    for index, char in enumerate(text):
        size = len(char.casefold())
        if position <= start < position + size:
            begin = index
        if position < start + length <= position + size:
            end = index + 1
            break
        position += size
    return begin, end


def _window(text: str, start: int, end: int) -> str:
    size, low, high = len(text), start - SNIPPET_CONTEXT, end + SNIPPET_CONTEXT
    if low > 0:
        space = text.find(" ", low, start)
        if space >= 0:
            low = space + 1
    else:
        low = 0
    if high < size:
        space = text.rfind(" ", end, high)
        if space >= 0:
            high = space
    else:
        high = size
    snippet = " ".join(text[low:high].split())
    if low > 0:
        snippet = "…" + snippet
    return snippet + "…" if high < size else snippet
