"""Folder and file names for employees and conversations that are safe everywhere.

Readable (æ, ø, å stay), but nothing that breaks a shell or another filesystem:
no path separators, no '..', no control characters, no leading dots, no spaces.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

MAX_NAME_LENGTH = 80
MAX_NAME_BYTES = 120
"""Filesystems limit a name to 255 bytes, not characters: a folder is a name and a number, plus '-2'."""
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_SEPARATORS = re.compile(r"-{2,}")
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""As `musterm.model.session` removes from every text (which the store does not import for a lookup)."""


def visible(text: str) -> str:
    """`text` composed (NFC) and without control characters: a name as the files hold it, safe to print."""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def employee_folder(name: str, number: str = "") -> str:
    """'Anna Sørensen', '1234' -> 'anna-sørensen-1234'."""
    base = slug(name) or "medarbejder"
    suffix = slug(number)
    return f"{base}-{suffix}" if suffix else base


def session_file(date: dt.date, taken: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """'2026-11-23.toml', or '2026-11-23-2.toml' when two conversations share a day."""
    candidate = f"{date.isoformat()}.toml"
    counter = 2
    while candidate in taken:
        candidate = f"{date.isoformat()}-{counter}.toml"
        counter += 1
    return candidate


def is_session_file_of(date: dt.date, name: str) -> bool:
    """Whether `name` is one of the file names `session_file` gives for `date`."""
    stem = date.isoformat()
    if name == f"{stem}.toml":
        return True
    counter = name.removeprefix(f"{stem}-").removesuffix(".toml")
    return name.startswith(f"{stem}-") and name.endswith(".toml") and counter.isdigit()


def slug(text: str) -> str:
    # NFC again after casefold, which can decompose ('İ' -> 'i' + U+0307); marks left over are dropped.
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    kept = "".join(char if _allowed(char) else "-" for char in text if unicodedata.category(char) != "Mn")
    kept = _SEPARATORS.sub("-", kept).strip("-._")
    kept = kept[:MAX_NAME_LENGTH]
    while len(kept.encode("utf-8")) > MAX_NAME_BYTES:
        kept = kept[:-1]
    kept = kept.rstrip("-._")
    if kept in _WINDOWS_RESERVED:
        kept += "-"
    return kept


def _allowed(char: str) -> bool:
    if char in "-_":
        return True
    category = unicodedata.category(char)
    return category[0] in ("L", "N") and category not in ("Nl",)
