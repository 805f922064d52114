"""The session file: a conversation as deterministic, diff-friendly TOML, and reading it back with located errors.

The file is self-contained and deterministic (same session, same bytes): stable key order,
multi-line notes, LF endings, no trailing spaces, defaults left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w

from musterm.errors import FileError
from musterm.formats import tomlsource
from musterm.model.session import SCHEMA_VERSION, Session

_CONFLICT_START = re.compile(r"^<{7}(?: |$)", re.MULTILINE)


_CONFLICT_END = re.compile(r"^>{7}(?: |$)", re.MULTILINE)


def to_data(session: Session) -> dict[str, Any]:
    """The session as the plain dict its file holds: defaults and empty values left out."""
    data = _without_empty(session.model_dump(mode="python", exclude_defaults=True))
    return {name: data[name] for name in Session.model_fields if name in data}


def dumps(session: Session) -> str:
    data = to_data(session)
    text = "".join(_toml_chunks(data, multiline=True))
    if _conflict_markers(text) is not None:
        # A note that itself holds lines like git's conflict markers (pasted from a merge)
        # would make musterm refuse its own file: write every string on one line instead.
        text = "".join(_toml_chunks(data, multiline=False))
    return text


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
        yield tomli_w.dumps(literals, multiline_strings=multiline)
    for key, value, is_list_item in tables:
        if written:
            yield "\n"
        written = True
        part = tomli_w.dumps({key: 0}).removesuffix(" = 0\n")
        yield from _toml_chunks(value, multiline=multiline, name=f"{name}.{part}" if name else part, in_list=is_list_item)


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


def loads(text: str, file: Path | str = "<samtale>") -> Session:
    """Parse a session file, refusing damage with a message that names the line and key."""
    text = text.removeprefix("\ufeff")  # a byte order mark from a Windows editor
    _refuse_conflict_markers(file, text)
    data = tomlsource.parse(file, text)
    _refuse_newer_schema(file, text, data)
    return tomlsource.validate(Session, file, text, data)


def load(file: Path) -> Session:
    return loads(tomlsource.read_text(file), file)


def load_bytes(data: bytes, file: Path | str) -> Session:
    return loads(tomlsource.decode(file, data), file)


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
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise FileError.single(
            file,
            f"er skrevet af en nyere musterm (format {version}; denne version læser {SCHEMA_VERSION}): opdatér musterm",
            tomlsource.locate(text, ("schema_version",)),
            ("schema_version",),
        )
