"""Errors that reach the user: every one says which file, which line and which key."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

KeyPath = tuple[str | int, ...]

_PLAIN_KEY = re.compile(r"[\w-]+")


def format_path(path: KeyPath) -> str:
    """('themes', 2, 'questions', 0, 'scale') -> 'themes[2].questions[0].scale'.

    A key that is not a plain word (empty, or with spaces, dots or control characters)
    is quoted as TOML would write it, so the path stays unambiguous and on one line.
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = str(part) if _PLAIN_KEY.fullmatch(str(part)) else json.dumps(str(part), ensure_ascii=False)
            text += f".{name}" if text else name
    return text


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters escaped: one problem, one line."""
    if text.isprintable():
        return text
    return "".join(
        repr(char)[1:-1] if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text
    )


@dataclass(frozen=True)
class Problem:
    """Something wrong at a key path inside a file, before it is tied to a line."""

    path: KeyPath
    message: str


@dataclass(frozen=True)
class LocatedProblem:
    file: Path | str
    line: int | None
    path: KeyPath
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        if self.path:
            return one_line(f"{where}: {format_path(self.path)}: {self.message}")
        return one_line(f"{where}: {self.message}")


class MustermError(Exception):
    """An error with a message meant for the user (in Danish); never shown as a traceback."""


class FileError(MustermError):
    """A file that cannot be used, with every problem found in it."""

    def __init__(self, file: Path | str, problems: list[LocatedProblem]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @classmethod
    def single(cls, file: Path | str, message: str, line: int | None = None, path: KeyPath = ()) -> FileError:
        return cls(file, [LocatedProblem(file, line, path, message)])


class StoreError(MustermError):
    """The session store could not do what was asked; the message says what to do."""
