"""How the index stores and finds text: the folding search uses, the trigram query, and each
conversation's texts packed into one blob compressed with the repository's own dictionary."""

from __future__ import annotations

import json
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable

from musterm.store.index_rows import Row, Text

def fold(text: str) -> str:
    """Case-insensitive form: NFC, then casefold (the one search uses; see history/fields.py)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.casefold()



def _body(texts: Iterable[str]) -> str:
    """What the trigram index holds of a conversation: its texts, folded, one after the other."""
    return "\n".join(fold(text) for text in texts)


def _trigrams(needle: str) -> str:
    """An FTS5 query for the conversations holding every three letters of `needle` (detail=none has
    no positions, so no phrase: what it finds may not hold the needle itself, and is checked)."""
    grams = dict.fromkeys(needle[start : start + 3] for start in range(len(needle) - 2))
    return " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)


SEPARATOR = "\x00"
"""After each text in a blob: no text holds it (a session file cannot), nor can a needle or a
phrase's whitespace match it, so a match in the texts folded at once never spans two."""
_LABELS = "\x01"
"""Between the texts and their labels (theme, field, private: three for each text) in a blob."""


def _pack(texts: Iterable[Text], dictionary: bytes) -> bytes:
    values, labels = [], []
    for text in texts:  # (a NUL can only come from a model built in code: it becomes a space)
        values.append(text.text.replace(SEPARATOR, " "))
        labels += [text.theme.replace(SEPARATOR, " "), text.field.replace(SEPARATOR, " "), "1" if text.private else "0"]
    payload = SEPARATOR.join(values) + _LABELS + SEPARATOR.join(labels)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, dictionary)
    return compressor.compress(payload.encode("utf-8")) + compressor.flush()


def _unpack(blob: bytes, dictionary: bytes) -> tuple[str, str]:
    decompressor = zlib.decompressobj(-15, dictionary)
    payload = (decompressor.decompress(blob) + decompressor.flush()).decode("utf-8")
    joined, _, labels = payload.rpartition(_LABELS)
    return joined, labels



def _dictionary_from(rows: list[Row], size: int = 32 * 1024) -> bytes:
    """The most common lines and field names of `rows`, the most common last (zlib finds the
    end of its dictionary most cheaply)."""
    counts: Counter[str] = Counter()
    for row in rows:
        for text in row.texts:
            counts[f"{text.theme}\0{text.field}\0{int(text.private)}"] += 1
            counts.update(line for line in text.text.split("\n") if len(line) > 8)
    chosen, used = [], 0
    for line, count in counts.most_common():
        if count < 2:
            break
        data = line.encode("utf-8")
        if used + len(data) + 1 > size:
            break
        chosen.append(data)
        used += len(data) + 1
    return b"\n".join(reversed(chosen)) or b" "
