"""How the index stores and finds text: the folding search uses, the trigram query, and each
conversation's texts packed into one blob compressed with the repository's own dictionary."""

from __future__ import annotations

import json
import sqlite3
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
"""Between the texts and their labels (theme, field, private: three for each text), and between
the labels and the texts folded, in a blob."""


def _pack(texts: Iterable[Text], dictionary: bytes) -> bytes:
    """The texts, their labels and, when folding keeps every letter in its place (see `folded`),
    the texts folded: search then neither folds nor normalizes a conversation it reads."""
    return _pack_and_body(list(texts), dictionary)[0]


def _pack_and_body(texts: list[Text], dictionary: bytes) -> tuple[bytes, str]:
    """`_pack`, and what the trigram index holds of the texts (`_body`): the texts folded once for both."""
    values = [text.text for text in texts]
    labels = []
    for text in texts:
        labels += [text.theme, text.field, "1" if text.private else "0"]
    plain = True
    raw = "".join(values) + "".join(labels)
    if SEPARATOR in raw or _LABELS in raw:  # (a NUL or \x01 in a text becomes a space: they only mark where parts end)
        plain = False
        values, labels = [_plain(value) for value in values], [_plain(label) for label in labels]
    joined = SEPARATOR.join(values)
    payload = joined + _LABELS + SEPARATOR.join(labels)
    if _folds_in_place(joined):
        folded = joined.casefold()
        payload += _LABELS + folded
        # `_body` of texts in NFC that fold in place is their casefolded forms one after the other
        # (casefold works letter by letter, and no text holds a SEPARATOR).
        body = folded.replace(SEPARATOR, "\n") if plain else _body(text.text for text in texts)
    else:
        body = _body(text.text for text in texts)
    compressor = _compressor(dictionary).copy()
    return compressor.compress(payload.encode("utf-8")) + compressor.flush(), body


LEVEL = 6
"""zlib's level for the texts: 9 made blobs 6 % smaller at 2.5 times the time (10,000 files)."""
_primed: tuple[bytes, object] | None = None


def _compressor(dictionary: bytes):  # noqa: ANN202 - a zlib.Compress
    """A compressor with the dictionary set, to copy for each blob: setting a 32 kB dictionary
    costs as much as compressing a conversation."""
    global _primed
    if _primed is None or _primed[0] is not dictionary:
        _primed = (dictionary, zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, dictionary))
    return _primed[1]


def _unpack(blob: bytes, dictionary: bytes) -> bytes:
    """The payload of a blob, in UTF-8: split it with `_parts`."""
    decompressor = zlib.decompressobj(-15, dictionary)
    return decompressor.decompress(blob) + decompressor.flush()


def _parts(payload: bytes) -> tuple[bytes, bytes, bytes | None]:
    """(texts, labels, the texts folded or None: see `_pack`), in UTF-8."""
    end = payload.find(b"\x01")
    folded = payload.find(b"\x01", end + 1)
    if folded < 0:
        return payload[:end], payload[end + 1 :], None
    return payload[:end], payload[end + 1 : folded], payload[folded + 1 :]


def _folds_in_place(text: str) -> bool:
    """Whether `text` is in NFC and folding puts each letter's fold, one letter of as many UTF-8
    bytes, in its place ('Ø' -> 'ø', not 'ß' -> 'ss' or the Kelvin sign -> 'k'): then a match in
    the folded text is a match in the text, at the same letters and the same bytes."""
    if text.isascii():
        return True
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return _each_folds_in_place(text)
    # Latin-1 text is in NFC, and each of its letters folds in its place, but 'ß' ('ss'): no need to
    # look at each letter (a set of a conversation's 4,000 letters was most of this check's time).
    return "ß" not in text


def _each_folds_in_place(text: str) -> bool:
    """`_folds_in_place`, letter by letter."""
    known = _IN_PLACE
    for char in set(text):
        if char >= "\x80":
            in_place = known.get(char)
            if in_place is None:
                folded = char.casefold()
                in_place = known[char] = len(folded) == 1 and len(folded.encode()) == len(char.encode())
            if not in_place:
                return False
    return unicodedata.is_normalized("NFC", text)


_IN_PLACE: dict[str, bool] = {}
"""Whether each letter beyond ASCII seen so far folds in its place (see `_folds_in_place`)."""


def _plain(text: str) -> str:
    return text.replace(SEPARATOR, " ").replace(_LABELS, " ") if SEPARATOR in text or _LABELS in text else text


def _dictionary_from(rows: list[Row], size: int = 32 * 1024) -> bytes:
    """The most common lines and field names of `rows`, the most common last (zlib finds the
    end of its dictionary most cheaply)."""
    counts: Counter[str] = Counter()
    for row in rows:
        for text in row.texts:
            counts[f"{text.theme}\0{text.field}\0{int(text.private)}"] += 1
            lines = [line for line in text.text.split("\n") if len(line) > 8]
            counts.update(lines)
            counts.update(line.casefold() for line in lines)  # the folded copy (see `_pack`)
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


class Indexed:
    """One conversation as search reads it back: the row's columns and its texts, decoded only
    when asked for (`joined`, `texts`): search looks for the needle in the bytes."""

    __slots__ = ("path", "folder", "employee", "date", "damaged", "joined_bytes", "labels_bytes", "folded_bytes")

    def __init__(self, path: str, folder: str, employee: str, date: str, damaged: bool, payload: bytes):
        self.path, self.folder, self.employee, self.date, self.damaged = path, folder, employee, date, damaged
        self.joined_bytes, self.labels_bytes, self.folded_bytes = _parts(payload)
        """The texts one after the other with SEPARATOR between them, their labels (three for each
        text: theme, field, private) and, when folding keeps every letter in its place, the texts
        folded (else None: search folds them), each in UTF-8."""

    @property
    def joined(self) -> str:
        return self.joined_bytes.decode("utf-8")

    @property
    def labels(self) -> list[str]:
        return self.labels_bytes.decode("utf-8").split(SEPARATOR)

    @property
    def texts(self) -> list[Text]:
        values = self.joined.split(SEPARATOR)
        labels = self.labels
        return [
            Text(labels[3 * place], labels[3 * place + 1], labels[3 * place + 2] == "1", value)
            for place, value in enumerate(values)
        ]


def _require_trigrams() -> None:
    if sqlite3.sqlite_version_info < (3, 34, 0):
        from musterm.errors import StoreError

        raise StoreError(
            f"musterm kræver SQLite 3.34 eller nyere med FTS5 (til søgning); denne Python har {sqlite3.sqlite_version}. "
            "Brug en nyere Python."
        )


def _haystack_filter(words: Iterable[str]) -> tuple[str, list[str]]:
    words = [word for word in words if word]
    if not words:
        return "", []
    return " WHERE " + " AND ".join("instr(haystack, ?) > 0" for _ in words), words


def _like_prefix(folder: str) -> str:
    return folder.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"


def _status_label(status: str) -> str:
    from musterm.model.labels import STATUS_LABELS

    return STATUS_LABELS.get(status, status)
