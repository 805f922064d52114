"""Size limits of frameworks and conversations: far beyond any real guide or conversation, so a
hostile or broken file is refused at once, with a Danish message, instead of taking minutes and
gigabytes. Documented in frameworks/README.md and sessions/README.md.

The bundled guides have at most 9 themes, 35 questions, texts of 1,438 characters and files of
22 kB; a long conversation is some 100 kB.
"""

from __future__ import annotations

from typing import Any

from musterm.errors import KeyPath, Problem

FRAMEWORK_FILE_BYTES = 1_000_000
MAX_THEMES = 100
MAX_QUESTIONS = 1_000
"""Questions in all themes of one framework file together."""
MAX_FRAMEWORK_TEXT = 20_000
"""Characters in any one text of a framework (a question, a help text, a label)."""

SESSION_FILE_BYTES = 32_000_000
MAX_TEXT = 8_000_000
"""Characters in any one text of a conversation (a note, the evaluation)."""


def number(value: int) -> str:
    """12345 -> '12.345', as Danish writes it."""
    return f"{value:,}".replace(",", ".")


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",")


def file_too_large(size: int, limit: int, what: str) -> str:
    return f"filen er {megabytes(size)} MB; musterm læser højst {megabytes(limit)} MB af {what}"


def text_too_long(length: int, limit: int = MAX_TEXT) -> str:
    return f"teksten er {number(length)} tegn lang; højst {number(limit)} tegn"


def framework_problems(data: dict[str, Any]) -> list[Problem]:
    """What in a parsed framework file is beyond the limits, checked before it is validated (a
    validation of a million questions alone takes most of a minute)."""
    themes = data.get("themes")
    if not isinstance(themes, list):
        return []
    if len(themes) > MAX_THEMES:
        return [Problem(("themes",), f"rammen har {number(len(themes))} temaer; musterm læser højst {number(MAX_THEMES)}")]
    questions = sum(len(theme["questions"]) for theme in themes
                    if isinstance(theme, dict) and isinstance(theme.get("questions"), list))
    if questions > MAX_QUESTIONS:
        return [Problem(("themes",), f"rammen har {number(questions)} spørgsmål; musterm læser højst {number(MAX_QUESTIONS)}")]
    return [Problem(path, f"teksten er {number(length)} tegn lang; musterm læser højst {number(MAX_FRAMEWORK_TEXT)}")
            for path, length in _long_texts(data, ())][:1]


def _long_texts(value: Any, path: KeyPath) -> list[tuple[KeyPath, int]]:
    if isinstance(value, str):
        return [(path, len(value))] if len(value) > MAX_FRAMEWORK_TEXT else []
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _long_texts(item, (*path, key))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _long_texts(item, (*path, index))]
    return []
