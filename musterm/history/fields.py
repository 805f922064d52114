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


_HIDING_ESCAPE_BYTES = re.compile(_HIDING_ESCAPE.pattern.encode("ascii"))


_NEEDS_PARSING = re.compile(r'["\\\x00-\x1f\x7f]')


_STRING = r'[^"\\\n]*(?:\\.[^"\\\n]*)*'  # what is between the quotes of a basic string


_SINGLE_LINE_PAIR = re.compile(rf'([A-Za-z0-9_-]+)[ \t]*=[ \t]*"({_STRING})"')


# Characters that casefold (or NFC-normalize) into something with an ASCII letter in it: 'ß' -> 'ss',
# Kelvin sign -> 'k', 'ﬁ' -> 'fi'. tests/test_history_search_fast.py checks this against the running
# Unicode data.
ASCII_FOLDING_CHARS = (
    "\u00df\u0130\u0149\u017f\u01f0\u037e\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e\u1fef\u212a"
    "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
)


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


def _plain_snippet(raw: str, offset: int, length: int) -> str | None:
    """`_snippet` of a value from a plain file (see `_plain_bytes`), without folding all of it.

    `raw` is the value's Latin-1 view without escapes, and holds an ASCII needle at `offset`, its
    first place in the value: no folding character can make an earlier one, nor move the ASCII
    letters. Only normalization could; None when the value is not in NFC already.
    """
    data = raw.encode("latin-1")
    text = data.decode("utf-8", errors="replace")
    if not text.isascii():
        try:
            text.encode("latin-1")  # Latin-1 letters are all in NFC
        except UnicodeEncodeError:
            if unicodedata.normalize("NFC", text) != text:
                return None
    start = len(data[:offset].decode("utf-8", errors="replace"))
    return _window(text, start, start + length)


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
