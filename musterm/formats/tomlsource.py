"""Reading TOML files people wrote or edited, with errors that point at a line.

tomllib gives no positions for valid TOML, so when a value is wrong we ask
tomlkit (which keeps the source layout) where the key sits. tomlkit is only
imported on that error path, so loading good files stays cheap.
"""

from __future__ import annotations

import datetime
import difflib
import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from musterm.errors import FileError, KeyPath, LocatedProblem, Problem
from musterm.model import limits

ModelT = TypeVar("ModelT", bound=BaseModel)

_SENTINEL = "\u2063musterm-locate\u2063"
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")
_TOML_MESSAGES = {
    "Invalid value": "ugyldig værdi (mangler der anførselstegn om en tekst?)",
    "Invalid statement": "ugyldig linje: forventede 'nøgle = værdi' eller en [tabel]",
    "Expected '=' after a key in a key/value pair": "forventede '=' efter nøglen",
    "Cannot overwrite a value": "nøglen er angivet to gange",
    "Unclosed array": "listen mangler sin afsluttende ']' (eller et komma mellem elementerne)",
    "Unclosed inline table": "tabellen { ... } mangler sin afsluttende '}'",
    "Unterminated string": "teksten mangler sit afsluttende anførselstegn",
    "Invalid initial character for a key part": "ugyldigt tegn i en nøgle",
    "Expected newline or end of document after a statement": "forventede linjeskift efter værdien",
    "Expected ']' at the end of a table declaration": "tabelnavnet mangler sit afsluttende ']'",
    "Expected ']]' at the end of an array declaration": "tabelnavnet mangler sit afsluttende ']]'",
    "Invalid date or datetime": "ugyldig dato eller tidspunkt",
    "Invalid hex value": "ugyldig \\u-kode i teksten",
    "Escaped character is not a Unicode scalar value": "ugyldig \\u-kode i teksten",
    "Unescaped '\\' in a string": "ugyldig '\\' i teksten (skriv '\\\\' eller brug enkelte anførselstegn)",
}
_TOML_PREFIXES = (
    ("Cannot declare ", "tabellen er angivet to gange"),
    ("Cannot mutate immutable namespace ", "tabellen er allerede skrevet færdig og kan ikke udvides her"),
    ("Cannot redefine namespace ", "tabellen er allerede skrevet færdig og kan ikke udvides her"),
    ("Duplicate inline table key ", "nøglen er angivet to gange i tabellen { ... }"),
    ("Illegal character ", "ugyldigt kontroltegn {rest}"),
    ("Found invalid character ", "ugyldigt tegn {rest}"),
    ("Expected ", "forventede {rest}"),
)


def read_bytes(file: Path, max_bytes: int | None = None, what: str = "en fil") -> bytes:
    """A file someone gave us, or a Danish error saying why it cannot be read (or is too large
    to be `what` at all: refused before it is read)."""
    try:
        if max_bytes is not None and (size := file.stat().st_size) > max_bytes:
            raise FileError.single(file, limits.file_too_large(size, max_bytes, what))
        return file.read_bytes()
    except FileNotFoundError:
        raise FileError.single(file, "filen findes ikke") from None
    except IsADirectoryError:
        raise FileError.single(file, "er en mappe, ikke en fil") from None
    except OSError as error:
        raise FileError.single(file, f"kan ikke læses: {error.strerror}") from None


def read_text(file: Path, max_bytes: int | None = None, what: str = "en fil") -> str:
    """The file's text as UTF-8; a precise error for unreadable or binary content."""
    return decode(file, read_bytes(file, max_bytes, what))


def refuse_beyond_limits(file: Path | str, text: str, problems: list[Problem]) -> None:
    """Refuse a file whose parsed data is beyond musterm's size limits (`musterm.model.limits`),
    located without tomlkit, which would take longer than the limits are meant to allow."""
    if problems:
        raise FileError(file, [LocatedProblem(file, _line_of_key(text, problem.path), problem.path, problem.message)
                               for problem in problems])


def decode(file: Path | str, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileError.single(
            file, f"er ikke gyldig UTF-8 (byte 0x{data[error.start]:02x}); gem filen som UTF-8", line
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FileError.single(file, "indeholder et NUL-tegn; filen er beskadiget eller ikke en tekstfil", line)
    return text.removeprefix("\ufeff")


def parse(file: Path | str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FileError.single(file, *_describe_syntax_error(text, str(error))) from None
    except RecursionError:
        raise FileError.single(
            file, "TOML-syntaksfejl: lister eller tabeller er lagt for dybt inden i hinanden", nesting_line(text)
        ) from None


MAX_NESTING = 100
"""Lists and inline tables inside each other deeper than this are refused where they pass it."""


def nesting_line(text: str, limit: int = MAX_NESTING) -> int | None:
    """The line where lists and inline tables first nest deeper than `limit` (strings and comments
    skipped); None when they never do."""
    depth, line, index, length = 0, 1, 0, len(text)
    while index < length:
        char = text[index]
        if char == "\n":
            line += 1
        elif char == "#":
            end = text.find("\n", index)
            index = length if end < 0 else end
            continue
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, index) else char
            index += len(quote)
            while index < length and not text.startswith(quote, index):
                if text[index] == "\\" and quote[0] == '"':
                    index += 1
                elif text[index] == "\n":
                    line += 1
                index += 1
            index += len(quote)
            continue
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth = max(depth - 1, 0)
        index += 1
    return None


def _describe_syntax_error(text: str, message: str) -> tuple[str, int | None]:
    match = _TOML_POSITION.search(message)
    bare = _TOML_POSITION.sub("", message).strip()
    danish = _TOML_MESSAGES.get(bare)
    for prefix, meaning in _TOML_PREFIXES:
        if danish is None and bare.startswith(prefix):
            danish = meaning.replace("{rest}", bare.removeprefix(prefix))
    described = f"TOML-syntaksfejl: {danish}" if danish else f"TOML-syntaksfejl: {bare}"
    if bare == "Illegal character '\\n'":  # a line break inside "...": the closing quote is missing
        described = 'TOML-syntaksfejl: teksten mangler sit afsluttende anførselstegn (skriv """ om tekst over flere linjer)'
    if match is None:
        return described, None
    if match.group(1):
        return described, int(match.group(1))
    # "at end of document": the last line with content, not the empty line after a final newline
    return described, text.rstrip().count("\n") + 1


def validate(model: type[ModelT], file: Path | str, text: str, data: dict[str, Any]) -> ModelT:
    """Validate parsed TOML into `model`, turning pydantic's errors into located Danish ones."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = validation_problems(error, known_keys(model), model)
        raise FileError(file, locate_all(file, text, problems)) from None


def load(model: type[ModelT], file: Path) -> ModelT:
    text = read_text(file)
    return validate(model, file, text, parse(file, text))


def locate_all(file: Path | str, text: str, problems: list[Problem]) -> list[LocatedProblem]:
    doc = _tomlkit_document(text)
    located = [
        LocatedProblem(file, _locate_in(doc, problem.path) if doc is not None else _line_of_key(text, problem.path),
                       problem.path, problem.message)
        for problem in problems
    ]
    return sorted(located, key=lambda problem: problem.line or 0)


def locate(text: str, path: KeyPath) -> int | None:
    """The 1-based line where `path` is written, or where its nearest existing parent is.

    A key missing at the top level belongs to the document itself: line 1.
    """
    doc = _tomlkit_document(text)
    return _locate_in(doc, path) if doc is not None else _line_of_key(text, path)


def _line_of_key(text: str, path: KeyPath) -> int | None:
    """Where tomlkit cannot follow (lists nested hundreds deep): the line of the last plain key of
    `path` written as `key = ...`, or of its table's heading; the first such line, roughly placed."""
    for key in reversed([part for part in path if isinstance(part, str)]):
        for pattern in (rf"^[ \t]*{re.escape(key)}[ \t]*=", rf"^[ \t]*\[\[?[^\]\n]*\b{re.escape(key)}\]"):
            found = re.search(pattern, text, re.MULTILINE)
            if found:
                return text.count("\n", 0, found.start()) + 1
    return None


def _tomlkit_document(text: str):  # noqa: ANN202 - tomlkit is imported lazily
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        return tomlkit.parse(text)
    except (TOMLKitError, ValueError, RecursionError):
        return None


def _locate_in(doc, path: KeyPath) -> int | None:  # noqa: ANN001
    from tomlkit.items import AoT, Table

    chain: list[tuple[Any, str | int]] = []
    node = doc
    for key in path:
        child = _child(node, key)
        if child is None:
            break
        chain.append((node, key))
        node = child
    while chain:
        parent, key = chain[-1]
        marked = _marked_copy_line(doc, parent, key, node, Table, AoT)
        if marked is None and isinstance(node, Table):
            marked = _first_line_inside(doc, node, Table, AoT)
        if marked is not None:
            return marked
        chain.pop()
        node = parent
    return 1  # the nearest existing parent is the document itself, which starts on line 1


def _first_line_inside(doc, table, table_type, aot_type) -> int | None:  # noqa: ANN001
    """A table written only through its sub-tables ([a.b] without [a]) has no line of its own."""
    for key in list(table.keys()):
        child = table[key]
        line = _marked_copy_line(doc, table, key, child, table_type, aot_type)
        if line is None and isinstance(child, table_type):
            line = _first_line_inside(doc, child, table_type, aot_type)
        if line is not None:
            return line
    return None


def _marked_copy_line(doc, parent, key, node, table_type, aot_type) -> int | None:  # noqa: ANN001
    """Mark `node` with a sentinel, render the document, and find the sentinel's line."""
    try:
        if isinstance(node, table_type):
            original = node.trivia.comment
            node.comment(_SENTINEL)
            rendered = doc.as_string()
            node.trivia.comment = original
        elif isinstance(node, aot_type):
            if not node.body:
                return None
            first = node.body[0]
            original = first.trivia.comment
            first.comment(_SENTINEL)
            rendered = doc.as_string()
            first.trivia.comment = original
        else:
            parent[key] = _SENTINEL
            rendered = doc.as_string()
            parent[key] = node
    except Exception:  # tomlkit refuses some edits of odd layouts; fall back to the parent
        return None
    index = rendered.find(_SENTINEL)
    return rendered.count("\n", 0, index) + 1 if index >= 0 else None


def _child(node, key: str | int):  # noqa: ANN001, ANN202
    try:
        is_mapping = hasattr(node, "keys")
        if isinstance(key, int) and not is_mapping and not isinstance(node, str):
            return node[key]
        if isinstance(key, str) and is_mapping and key in node:
            return node[key]
    except (IndexError, KeyError, TypeError):
        return None
    return None


def known_keys(model: type[BaseModel]) -> set[str]:
    """Every field name in `model` and the models inside it, for 'did you mean' hints."""
    names: set[str] = set()
    stack: list[type[BaseModel]] = [model]
    seen: set[type[BaseModel]] = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, field in current.model_fields.items():
            names.add(field.alias or name)
            stack.extend(_models_in(field.annotation))
    return names


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in getattr(annotation, "__args__", ()) for model in _models_in(arg)]


def validation_problems(
    error: ValidationError, keys: set[str] | None = None, model: type[BaseModel] | None = None
) -> list[Problem]:
    """Located Danish problems; with `model`, an unknown key is compared with the keys of its own table first."""
    problems = []
    for detail in error.errors(include_url=False):
        path = tuple(part for part in detail["loc"] if part != "[key]")
        local = keys_at(model, path[:-1]) if model is not None and detail["type"] == "extra_forbidden" else None
        problems.append(Problem(path=path, message=danish_message(detail, keys or set(), local)))
    return problems


def keys_at(model: type[BaseModel], path: KeyPath) -> list[str]:
    """The keys the table at `path` may have, following `model`'s fields (list items and dict values too)."""
    current = [model]
    for part in path:
        if isinstance(part, int):
            continue  # an item of a list: the same models
        fields = [m.model_fields[part] for m in current if part in m.model_fields]
        if fields:
            current = [inner for field in fields for inner in _models_in(field.annotation)]
        # otherwise `part` is a key of a dict such as [scales.fem]: its values have the same models
    names = [field.alias or name for m in current for name, field in m.model_fields.items()]
    return list(dict.fromkeys(names))


def danish_message(detail: Any, keys: set[str], local: list[str] | None = None) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    given = detail.get("input")
    simple = {
        "missing": "mangler",
        "string_type": f"skal være en tekst i anførselstegn, ikke {toml_type(given)}",
        "int_type": f"skal være et heltal, ikke {toml_type(given)}",
        "int_from_float": "skal være et heltal, ikke et decimaltal",
        "bool_type": f"skal være true eller false, ikke {toml_type(given)}",
        "list_type": f"skal være en liste [ ... ], ikke {toml_type(given)}",
        "dict_type": f"skal være en tabel, ikke {toml_type(given)}",
        "model_type": f"skal være en tabel, ikke {toml_type(given)}",
        "model_attributes_type": f"skal være en tabel, ikke {toml_type(given)}",
        "date_type": f"skal være en dato som 2026-03-01, ikke {toml_type(given)}",
        "time_type": f"skal være et klokkeslæt som 10:00:00, ikke {toml_type(given)}",
        "datetime_type": f"skal være et tidspunkt som 2026-03-01T10:00:00, ikke {toml_type(given)}",
        "string_too_short": "må ikke være tom",
        "frozen_instance": "kan ikke ændres",
    }
    if kind in simple:
        return simple[kind]
    if kind == "extra_forbidden":
        key = str(detail["loc"][-1]) if detail["loc"] else "?"
        candidates = local if local else sorted(keys - {key})
        close = difflib.get_close_matches(key, candidates, n=1)
        if close:
            hint = f" (mente du '{close[0]}'?)"
        elif key in keys:
            hint = " her (den hører til en anden tabel; står den under den rigtige [overskrift]?)"
        elif local and len(local) <= 8:
            hint = f" (mulige nøgler: {', '.join(local)})"
        else:
            hint = ""
        return f"ukendt nøgle '{key}'{hint}"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "?")).replace(" or ", " eller ")
        return f"skal være en af {expected}, ikke {_shown(given)}"
    if kind == "string_pattern_mismatch":
        return f"{_shown(given)} er ikke et gyldigt id: brug små bogstaver a-z, cifre, '-' og '_' (fx 'trivsel-1')"
    if kind == "string_too_long":
        return f"er for lang (højst {ctx.get('max_length')} tegn)"
    if kind in ("greater_than_equal", "greater_than"):
        return f"skal være mindst {ctx.get('ge', ctx.get('gt'))}, ikke {_shown(given)}"
    if kind in ("less_than_equal", "less_than"):
        return f"må højst være {ctx.get('le', ctx.get('lt'))}, ikke {_shown(given)}"
    if kind == "too_short":
        return f"skal have mindst {ctx.get('min_length')} element(er)"
    if kind == "too_long" and isinstance(given, str):
        return f"er for lang (højst {ctx.get('max_length')} tegn)"
    if kind == "too_long":
        return f"må højst have {ctx.get('max_length')} element(er)"
    if kind == "value_error":
        return str(detail["msg"]).removeprefix("Value error, ")
    return str(detail["msg"])


def _shown(value: Any) -> str:
    """A value as quoted in a message, cut short so one problem stays one readable line."""
    if isinstance(value, str) and len(value) > 40:
        value = value[:40] + "…"
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return repr(value)
    return toml_type(value)


def toml_type(value: Any) -> str:
    """How a TOML value is named in a message: "tallet 5", "teksten 'x'", "en liste"."""
    if isinstance(value, bool):
        return "en sandhedsværdi"
    if isinstance(value, int):
        return f"tallet {value}"
    if isinstance(value, float):
        return f"decimaltallet {value}"
    if isinstance(value, str):
        return f"teksten {_shown(value)}"
    if isinstance(value, list):
        return "en liste"
    if isinstance(value, dict):
        return "en tabel"
    if isinstance(value, datetime.datetime):
        return "et tidspunkt"
    if isinstance(value, datetime.date):
        return "en dato"
    if isinstance(value, datetime.time):
        return "et klokkeslæt"
    return type(value).__name__
