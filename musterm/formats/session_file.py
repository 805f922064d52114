"""The session file: a conversation as deterministic, diff-friendly TOML, and reading it back with located errors.

The file is self-contained and deterministic (same session, same bytes): stable key order,
multi-line notes, LF endings, no trailing spaces, defaults left out. Its last line is always
`END_MARKER`, a comment: a file without it lost its end, unless an older musterm wrote it (then
the committed version tells, see `refuse_cut_off`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import tomli_w

from pydantic import ValidationError

from musterm.errors import FileError, StoreError, format_path
from musterm.formats import tomlsource
from musterm.model import limits
from musterm.model.session import NEWEST_SCHEMA, Session

_CONFLICT_START = re.compile(r"^<{7}(?: |$)", re.MULTILINE)


_CONFLICT_END = re.compile(r"^>{7}(?: |$)", re.MULTILINE)

END_MARKER = "# musterm: slut på filen"
"""The last line of every session file musterm writes (a TOML comment, so older versions read it)."""

_END_LINE = re.compile(rf"^{re.escape(END_MARKER)}[ \t\r]*$", re.MULTILINE)

Committed = Callable[[], bytes | None]
"""The file as last committed (None when it never was), asked for only when the end line is missing."""


def to_data(session: Session) -> dict[str, Any]:
    """The session as the plain dict its file holds: defaults and empty values left out.

    Validated again first: a value assigned in memory (a note of spaces, CRLF) is compared with
    its default only once normalised, so the first write is the bytes every later write gives.
    """
    try:
        session = Session.model_validate(session.model_dump(mode="python"))
    except ValidationError as error:  # beyond a limit (a pasted 8 MB text), or a value the app let through
        problem = tomlsource.validation_problems(error)[0]
        raise StoreError(f"{format_path(problem.path)}: {problem.message}") from None
    data = _without_empty(session.model_dump(mode="python", exclude_defaults=True))
    data["schema_version"] = session.schema_needed()
    return {name: data[name] for name in Session.model_fields if name in data}


def dumps(session: Session) -> str:
    data = to_data(session)
    text = "".join(_toml_chunks(data, multiline=True))
    if _conflict_markers(text) is not None or has_end_line(text):
        # A note that itself holds lines like git's conflict markers (pasted from a merge), or
        # musterm's end line, would make musterm refuse its own file, or miss a cut after that
        # line: write every string on one line instead.
        text = "".join(_toml_chunks(data, multiline=False))
    return f"{text}\n{END_MARKER}\n"


def has_end_line(text: str) -> bool:
    """Whether `text` holds musterm's end line (as a line of its own; people may add lines after it)."""
    return text.endswith(f"{END_MARKER}\n") or _END_LINE.search(text) is not None


def _toml_chunks(table: dict[str, Any], *, multiline: bool, name: str = "", in_list: bool = False) -> Iterator[str]:
    """tomli_w's layout, except that a list of tables is always written as [[name]] blocks.

    tomli_w writes such a list inline when every row fits on one line, so one plan row
    growing past 100 characters would rewrite all rows; a plain git diff should show
    only the line that changed. Values are still formatted by tomli_w.
    """
    literals: dict[str, Any] = {}
    tables: list[tuple[str, dict[str, Any], bool]] = []
    for key, value in table.items():
        if isinstance(value, dict):
            tables.append((key, value, False))
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            tables.extend((key, item, True) for item in value)
        else:
            literals[key] = value
    written = False
    if in_list or name and (literals or not tables):
        written = True
        yield f"[[{name}]]\n" if in_list else f"[{name}]\n"
    if literals:
        written = True
        yield _literal_lines(literals, multiline)
    for key, value, is_list_item in tables:
        if written:
            yield "\n"
        written = True
        part = tomli_w.dumps({key: 0}).removesuffix(" = 0\n")
        yield from _toml_chunks(value, multiline=multiline, name=f"{name}.{part}" if name else part, in_list=is_list_item)


def _literal_lines(literals: dict[str, Any], multiline: bool) -> str:
    """`key = value` lines as tomli_w.dumps writes them; strings by `toml_string`, the rest by tomli_w."""
    lines: list[str] = []
    others: dict[str, Any] = {}
    for key, value in literals.items():
        if isinstance(value, str) and _BARE_KEY.fullmatch(key):
            if others:
                lines.append(tomli_w.dumps(others, multiline_strings=multiline))
                others = {}
            lines.append(f"{key} = {toml_string(value, multiline=multiline)}\n")
        else:
            others[key] = value
    if others:
        lines.append(tomli_w.dumps(others, multiline_strings=multiline))
    return "".join(lines)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_CONTROL = [*range(0x20), 0x7F, ord('"'), ord("\\")]
_SHORT_ESCAPES = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_ESCAPES = {chr(code): _SHORT_ESCAPES.get(chr(code), f"\\u{code:04x}") for code in _CONTROL if chr(code) != "\t"}
_ONE_LINE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_MULTI_LINE = re.compile("[" + re.escape("".join(char for char in _ESCAPES if char != "\n")) + "]")


def _escaped(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


def toml_string(text: str, *, multiline: bool) -> str:
    """A TOML basic string, byte for byte as tomli_w writes it (its format_string): tomli_w looks
    at the text a character at a time in Python, 15 ms for a 2,000-line note at every save and
    when a conversation is opened; a regular expression finds the few characters to escape
    (tests/test_session_format.py compares the two)."""
    if multiline and "\n" in text:
        return '"""\n' + _MULTI_LINE.sub(_escaped, text.replace("\r\n", "\n")) + '"""'
    return '"' + _ONE_LINE.sub(_escaped, text) + '"'


def dump_bytes(session: Session) -> bytes:
    return dumps(session).encode("utf-8")


def _without_empty(value: Any) -> Any:
    """Drop empty tables and lists left by exclude_defaults, keeping list positions intact."""
    if isinstance(value, dict):
        cleaned = {key: _without_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in ({}, [], None)}
    if isinstance(value, list):
        return [_without_empty(item) for item in value]
    return value


def loads(text: str, file: Path | str = "<samtale>", committed: Committed | None = None) -> Session:
    """Parse a session file, refusing damage with a message that names the line and key.

    `committed` gives the file's committed version: without it a file that lacks the end line
    cannot be told from one an older musterm wrote, and is read as it is.
    """
    text = text.removeprefix("\ufeff")  # a byte order mark from a Windows editor
    _refuse_conflict_markers(file, text)
    data = tomlsource.parse(file, text)
    refuse_cut_off(file, text, committed)
    _refuse_newer_schema(file, text, data)
    return tomlsource.validate(Session, file, text, data)


def load(file: Path, committed: Committed | None = None) -> Session:
    return loads(tomlsource.read_text(file, limits.SESSION_FILE_BYTES, "en samtale"), file, committed)


def load_bytes(data: bytes, file: Path | str, committed: Committed | None = None) -> Session:
    return loads(tomlsource.decode(file, data), file, committed)


def refuse_cut_off(file: Path | str, text: str, committed: Committed | None) -> None:
    """Refuse a file that lost its end: no end line, and the committed version has one or goes on.

    A file written before the end line existed has none, and loads when it is not a shorter
    piece of its committed version (a hand edit that keeps it whole, or a file never committed).
    """
    if has_end_line(text) or committed is None:
        return
    before = committed()
    if before is None:
        return
    old = before.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
    now = text.replace("\r\n", "\n")
    if not has_end_line(old) and not (len(now) < len(old) and old.startswith(now)):
        return
    last = max(text.count("\n") + (0 if text.endswith("\n") or not text else 1), 1)
    relative = _relative_name(file)
    what = (
        "filen er tom, men den seneste commit har samtalen"
        if not text.strip()
        else f"filen er afkortet: den slutter ved linje {last} uden musterms slutlinje '{END_MARKER}', og den "
        "seneste commit har mere"
    )
    raise FileError.single(
        file,
        f"{what}. musterm åbner og gemmer den ikke. Hent hele filen med 'git restore {relative}' i "
        "samtalearkivet, eller skriv slutlinjen nederst, hvis du selv har fjernet resten.",
        last,
    )


def rewrite_changes(data: bytes, ours: str) -> list[str]:
    """What writing `ours` over the file holding `data` would change besides the content, in Danish:
    a byte order mark, Windows line endings, comments, a layout of the person's own. [] when saving
    changes nothing a person chose (a file from before the end line only gets that line)."""
    text = data.decode("utf-8", "replace")
    changes = []
    if text.startswith("\ufeff"):
        changes.append("et byte order mark (BOM) først i filen")
        text = text.removeprefix("\ufeff")
    if "\r\n" in text:
        changes.append("Windows-linjeskift (CRLF)")
        text = text.replace("\r\n", "\n")
    if text == ours or (not has_end_line(text) and f"{text}\n{END_MARKER}\n" == ours):
        return changes
    theirs = text.splitlines()
    comments = [number for number, line in enumerate(theirs, 1) if line.lstrip().startswith("#") and line != END_MARKER]
    if comments:
        return [*changes, f"kommentarer (linje {', '.join(map(str, comments[:5]))})"]
    mine = ours.splitlines()
    first = next((n for n, (a, b) in enumerate(zip(theirs, mine, strict=False), 1) if a != b), min(len(theirs), len(mine)) + 1)
    return [*changes, f"egen opstilling fra linje {first}"]


def _relative_name(file: Path | str) -> str:
    """FOLDER/FILE.toml: how git names a conversation inside the sessions folder."""
    parts = Path(file).parts
    return "/".join(parts[-2:]) if len(parts) >= 2 else str(file)


def _conflict_markers(text: str) -> tuple[int, int] | None:
    """The first and last line of what looks like a git merge conflict, if any."""
    start = _CONFLICT_START.search(text)
    if start is None:
        return None
    end = _CONFLICT_END.search(text, start.end())
    if end is None:
        return None
    return text.count("\n", 0, start.start()) + 1, text.count("\n", 0, end.start()) + 1


def _refuse_conflict_markers(file: Path | str, text: str) -> None:
    lines = _conflict_markers(text)
    if lines is None:
        return
    first, last = lines
    raise FileError.single(
        file,
        f"indeholder konfliktmarkører fra git (linje {first}–{last}): vælg den rigtige version i en "
        "teksteditor, fjern linjerne med <<<<<<<, ======= og >>>>>>>, og prøv igen",
        first,
    )


def _refuse_newer_schema(file: Path | str, text: str, data: dict[str, Any]) -> None:
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > NEWEST_SCHEMA:
        raise FileError.single(
            file,
            f"er skrevet af en nyere musterm (format {version}; denne version læser {NEWEST_SCHEMA}): opdatér musterm",
            tomlsource.locate(text, ("schema_version",)),
            ("schema_version",),
        )
