"""Reading a session file musterm wrote without parsing it (the fast path of search)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate

from musterm.history.fields import (
    _CLOSING,
    _NOTES_FIELDS,
    _PLACE,
    _PREPARATION,
    _PREPARATION_FIELDS,
    _SINGLE_LINE_PAIR,
    _STRING,
    _agreement,
    _multiline_regions,
    _plain_snippet,
    _snippet,
)
from musterm.history.text import (
    _DEFAULT_PLAN_HEADINGS,
    _FOLLOWUP_HEADINGS,
    FOLLOWUP_SECTION,
    PLAN_SECTION,
    PRIVATE_NOTES,
    _one_line,
    _question_label,
)
from musterm.model import kinds
from musterm.model.framework import PLAN_COLUMN_KEYS

# --- reading a file musterm wrote without parsing it ---------------------------------------------
#
# A search for a word that many conversations hold must not parse every file (about 2 ms each).
# musterm writes session files with tomli_w in a fixed shape: `[table]`/`[[array]]` headers, one
# `key = "value"` or `key = """...` per line, arrays of one item per indented line. `_RawView`
# finds the field of each place the needle's ASCII stretch occurs from that shape alone, and
# gives up (None: parse the file) at anything else. tests/test_history_search_fast.py checks that
# it finds exactly what searching the parsed session finds; tests/test_history_search_golden.py
# keeps the output as it is.
#
# This is also the inner loop of a search for a common word (in the benchmark 10,000 files and
# 40,000 hits, in under a second): each file is scanned a few times by str, bytes and re methods,
# Python only works per multi-line string and per hit, and what many files have alike (question
# labels, theme titles, the snippets of short values) is kept for the whole search (`_Shared`).

_KEY_LINE = re.compile(rf'([A-Za-z0-9_-]+) = "({_STRING})"')
_OPENER_PREFIX = re.compile(r"([A-Za-z0-9_-]+) = ")
_ARRAY_OPENER = re.compile(r"([A-Za-z0-9_-]+) = \[")
_ITEM_LINE = re.compile(rf'    "({_STRING})",')
_INLINE_ITEMS = re.compile(r"(?:    \{[^\n]*\},\n)*")
_STRING_ITEMS = re.compile(rf'(?:    "{_STRING}",\n)*')
_INLINE_TOKEN = re.compile(rf'"{_STRING}"|[{{}}]')
_TOML_ESCAPES = {'"': '"', "\\": "\\", "b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r"}
_SIMPLE_ESCAPE = re.compile(r'\\(["\\btnfr])')
_PLAN_COLUMN_RANK = {key: rank for rank, key in enumerate(PLAN_COLUMN_KEYS)}
_FOLLOWUP_RANK = {**_PLAN_COLUMN_RANK, "comment": len(PLAN_COLUMN_KEYS)}
_NOT_SEARCHED_TABLES = frozenset(
    {"[framework]", "[employee]", "[manager]", "[plan.headings]", "[themes.questions.scale]", "[themes.questions.options]"}
)
# The answers' texts a question's kind may have (`musterm.model.kinds`): not read here, but a file
# that holds one (a list's items aside, read below) is parsed, so that search never skips one.
_ANSWER_TEXTS = {field.name for field in kinds.answer_fields() if field.text}
# The searchable keys of each table, and of the arrays written inline (one item per line).
_TABLE_CONTENT = {
    "": {"place"},
    "[preparation]": set(_PREPARATION_FIELDS),
    "[[followup]]": set(_FOLLOWUP_RANK),
    "[[themes]]": set(_NOTES_FIELDS),
    "[[themes.questions]]": set(_NOTES_FIELDS) | _ANSWER_TEXTS,
    "[plan]": set(),
    "[[plan.rows]]": set(_PLAN_COLUMN_RANK),
    "[[plan.fields]]": {"text"},
    "[closing]": {"evaluation"},
    "[private]": {"notes"},
}
# The lines on which musterm opens its multi-line strings (any other `key = ` is checked in full).
_USUAL_OPENERS = tuple(sorted({f"\n{key} = " for keys in _TABLE_CONTENT.values() for key in keys}))
_ARRAY_CONTENT = {
    ("", "followup"): set(_FOLLOWUP_RANK),
    ("[[themes]]", "questions"): set(_NOTES_FIELDS) | _ANSWER_TEXTS,
    ("[[themes.questions]]", "items"): {""},
    ("[plan]", "rows"): set(_PLAN_COLUMN_RANK),
    ("[plan]", "fields"): {"text"},
}
_CONFLICT_START = re.compile(r"^<{7}(?: |$)", re.MULTILINE)
# A line that starts with a bracket but is not a table header as musterm writes it (spaced,
# indented, an array of arrays). The newline in front lets the regex engine jump from line to line;
# the first line is matched on its own.
_ODD_BRACKET_LINE = re.compile(r"\n(?:[ \t]+\[|\[(?!\[?[A-Za-z0-9_.-]+\]\]?$))", re.MULTILINE)
_FIRST_ODD_BRACKET_LINE = re.compile(r"[ \t]+\[|\[(?!\[?[A-Za-z0-9_.-]+\]\]?$)", re.MULTILINE)
_VALUE_LINES: dict[str, re.Pattern[str]] = {}
# The first lines of a theme's and of a question's table, as musterm writes them.
_THEME_TOP = re.compile(rf'\nid = "{_STRING}"\ntitle = "({_STRING})"$', re.MULTILINE)
_QUESTION_TOP = re.compile(rf'\nid = "{_STRING}"\n(?:number = "({_STRING})"\n)?text = "({_STRING})"$', re.MULTILINE)
_FIRST_DATE = re.compile(r"date = (\d{4}-\d{2}-\d{2})$", re.MULTILINE)
_DATE = re.compile(r"\ndate = (\d{4}-\d{2}-\d{2})$", re.MULTILINE)
_FOLLOWUP_SESSION = re.compile(r"(?:^|[{,] )session = (\d{4}-\d{2}-\d{2})(?:$|,| )", re.MULTILINE)
_FOLLOWUP_ROW = re.compile(rf'(?:^|[{{,] )row = "({_STRING})"', re.MULTILINE)
_SKIP = object()
_GIVE_UP = object()
_TRIPLE_QUOTES = re.compile('"""')
_NEAR_THE_TOP = 1000  # characters: where [employee] is looked for first
_WEAK_SKELETON = 3  # an ASCII stretch shorter than this is in nearly every file (see `search`)
_SHORT_VALUE = 120  # characters: a value this short (plan rows, follow-up) is in many files
_NOWHERE = 1 << 62  # the raw text of a unit's value: not one stretch of the file


def _toml_value(raw: str) -> str:
    """A basic string's value from its Latin-1 view (no \\u escapes: those files are parsed)."""
    text = raw.encode("latin-1").decode("utf-8", errors="replace")
    return _SIMPLE_ESCAPE.sub(lambda match: _TOML_ESCAPES[match.group(1)], text) if "\\" in text else text


@dataclass
class _Shared:
    """What many files have alike, kept from one file to the next in a search: the labels of
    question tables (by their text outside the notes), the titles of themes (by their raw value)
    and the snippets of short values (by the raw value and where the needle is in it)."""

    labels: dict[str, str | None] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    snippets: dict[tuple[str, int], str | None] = field(default_factory=dict)


class _RawView:
    """A session file as one character per byte (Latin-1), and its structure.

    The structure is read from `outside`: the file with each multi-line string cut down to one NUL,
    so that every line of it that starts with a bracket is a table header (`of` checks that) and
    no search for a key or a header can land in what someone wrote. Positions in `text` are
    mapped to `outside` with `shifts`. A header is known by where its line starts in `outside`
    (-1: the top of the file, before any header).
    """

    def __init__(self, text: str, regions: list[tuple[int, int]], outside: str, shifts: list[int], shared: _Shared):
        self.text = text
        self.regions = regions
        self.region_starts = [start for start, _ in regions]
        self.outside = outside
        self.shifts = shifts
        """How much shorter `outside` is than `text` before each multi-line string (and after the last)."""
        self._cache: dict[tuple[str, object], str | int | None] = {}
        self._shared = shared
        """What files have alike, kept from one file to the next (for one search)."""
        self._themes: dict[int, int | None] = {}
        self._last_theme: tuple[int, int | None] = (-1, None)
        self._tables: dict[int, tuple[int, int]] = {}
        self.employee = ""
        self.date = ""

    @classmethod
    def of(cls, data: bytes, shared: _Shared) -> _RawView | None:
        text = data.decode("latin-1")
        # (A single character is found with memchr: the longer searches only run when it is there.)
        if "'" in text and "\'\'\'" in text or "\r" in text or "<" in text and _CONFLICT_START.search(text):
            return None  # literal strings, CRLF, git conflict markers (musterm refuses such a file)
        layout = _plain_layout(text)
        if layout is None:
            return None
        regions, outside, shifts = layout
        if _FIRST_ODD_BRACKET_LINE.match(outside) or _ODD_BRACKET_LINE.search(outside):
            return None  # a table header written some other way than musterm writes it
        return cls(text, regions, outside, shifts, shared)

    def _identify(self) -> bool:
        """The employee's name and the date, for the hits; False when not written the usual way."""
        head = self.outside[: 0 if self.outside.startswith("[") else self._next_header(-1)]
        date = _FIRST_DATE.match(head) or _DATE.search(head)
        header = self._find_header("[employee]", near_the_top=True)
        name = self._first_value(header, "name") if header is not None else None
        self.employee = _toml_value(name) if name is not None else ""
        self.date = date.group(1) if date else ""
        return bool(self.date and self.employee)

    def hits(self, lowered: bytes, skeleton: bytes, needle: str) -> list[tuple[str, str, str, bool]] | None:
        """(theme, field, snippet, private) in the order of `searchable_fields`; None: parse instead."""
        found: dict[tuple, tuple[str, str, str, bool] | None] = {}
        # An ASCII needle's length (see `_plain_snippet`); no value is as long as _NOWHERE.
        length = len(needle) if len(skeleton) == len(needle) else _NOWHERE
        find, unit_at = lowered.find, self._unit
        start = find(skeleton)
        while start >= 0:
            unit = unit_at(start)
            if unit is None:
                return None
            spots, end, value_start = unit
            for order, theme, field_name, value, private in spots:
                if order not in found:
                    found[order] = self._hit(theme, field_name, value, private, start - value_start, length, needle)
            start = find(skeleton, end if end > start else start + 1)  # a value is looked at whole
        hits = [hit for _, hit in sorted(found.items()) if hit is not None]
        if hits and not self._identify():
            return None
        return hits

    def _hit(self, theme, field_name, value, private, offset, length, needle):  # noqa: ANN001, ANN202, PLR0913
        """(theme, field, snippet, private), or None when the value does not hold the needle.

        `offset`: where the needle's ASCII stretch is in the raw value, its first place there (or
        not in the value at all); `length`: the needle's length when it is ASCII."""
        # A short value (a line, as in plan rows) is in many conversations: its snippet is kept.
        short = len(value) < _SHORT_VALUE
        snippet = self._shared.snippets.get((value, offset), _SKIP) if short else _SKIP
        if snippet is _SKIP:
            snippet = None
            if 0 <= offset <= len(value) - length and "\\" not in value:
                snippet = _plain_snippet(value, offset, length)
            if snippet is None:
                snippet = _snippet(_toml_value(value), needle)
            if short:
                self._shared.snippets[value, offset] = snippet
        return (theme, field_name, snippet, private) if snippet is not None else None

    # --- the string or line a place in the text is in ---------------------------------------------

    def _region_at(self, position: int) -> tuple[int, int] | None:
        index = bisect.bisect_right(self.region_starts, position) - 1
        if index >= 0 and position < self.regions[index][1]:
            return self.regions[index]
        return None

    def _outside_at(self, position: int) -> int:
        """Where a place in `text` outside the multi-line strings is in `outside`."""
        index = bisect.bisect_right(self.region_starts, position) - 1
        return position - self.shifts[index + 1]

    def _line(self, position: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, position) + 1
        end = self.text.find("\n", position)
        return start, len(self.text) if end < 0 else end

    def _unit(self, position: int) -> tuple[list[tuple], int, int] | None:
        """The searchable values of the string or line at `position`, where it ends and, for a single
        value, where its raw text starts (else _NOWHERE); None: give up.

        A value is looked at whole, so the rest of the same string or line need not be."""
        text = self.text
        index = bisect.bisect_right(self.region_starts, position) - 1
        if index >= 0 and position < self.regions[index][1]:
            start, end = self.regions[index]
            opener = _OPENER_PREFIX.fullmatch(text, text.rfind("\n", 0, start) + 1, start)
            if opener is None:
                return None  # a multi-line string inside an array
            value_start = start + 3 + text.startswith("\n", start + 3)
            at = start - self.shifts[index]  # its NUL in `outside`
            spot = self._field(at, None, -1, opener.group(1), text[value_start : end - 3], "")
            return self._spot(spot, end, value_start)
        line_start, line_end = self._line(position)
        line = text[line_start:line_end]
        if '"' not in line:
            return ([], line_end, _NOWHERE) if "'" not in line else None  # a 'literal string' is parsed
        if not line.startswith(" "):
            match = _KEY_LINE.fullmatch(line)
            if match is None:
                # The opening line of a multi-line string: the string itself is its own unit.
                opens = line.endswith('"""') and '"' not in line[:-3] and self._region_at(line_end - 3) is not None
                return ([], line_end, _NOWHERE) if opens else None
            at = position - self.shifts[index + 1]
            spot = self._field(at, None, -1, match.group(1), match.group(2), "")
            return self._spot(spot, line_end, line_start + match.start(2))
        return self._array_item(line_start, line_end, line)

    def _array_item(self, line_start: int, line_end: int, line: str) -> tuple[list[tuple], int, int] | None:
        text = self.text
        opener = text.rfind(" = [\n", 0, line_start)
        if opener < 0:
            return None
        opener_start = text.rfind("\n", 0, opener) + 1
        match = _ARRAY_OPENER.fullmatch(text, opener_start, opener + 4)
        if match is None or self._region_at(opener) is not None:
            return None
        array, between = match.group(1), text[opener + 5 : line_start]
        index, at = between.count("\n"), self._outside_at(opener)
        item = _ITEM_LINE.fullmatch(line)
        if item is not None:
            if _STRING_ITEMS.fullmatch(between) is None:
                return None
            spot = self._field(at, array, index, "", item.group(1), "")
            return self._spot(spot, line_end, line_start + item.start(1))
        if not (line.startswith("    { ") and line.endswith(" },")) or _INLINE_ITEMS.fullmatch(between) is None:
            return None
        pairs = _inline_pairs(line)
        if pairs is None:
            return None
        spots = [self._field(at, array, index, key, value, line) for key, (_, _, value) in pairs.items()]
        return self._spots(spots, line_end)

    @staticmethod
    def _spots(spots: list, end: int, value_start: int = _NOWHERE) -> tuple[list[tuple], int, int] | None:
        """The unit's spots and where it ends, and for one value: where its raw text starts."""
        if any(spot is _GIVE_UP for spot in spots):
            return None
        return [spot for spot in spots if spot is not _SKIP], end, value_start

    @staticmethod
    def _spot(spot: object, end: int, value_start: int) -> tuple[list[tuple], int, int] | None:
        """`_spots` of one value."""
        if spot is _GIVE_UP:
            return None
        return [] if spot is _SKIP else [spot], end, value_start

    # --- which field ----------------------------------------------------------------------------

    def _field(self, at: int, array: str | None, index: int, key: str, value: str, line: str):  # noqa: ANN202, PLR0911
        """(order, theme, field, value, private) like `searchable_fields`, _SKIP or _GIVE_UP.

        `at` is where the value is in `outside` (for an array item: the array's opening line)."""
        header = self._header_at(at)
        name = self._header_name(header)
        if array is None:
            content = _TABLE_CONTENT.get(name)
            if content is None:
                return _SKIP if name in _NOT_SEARCHED_TABLES else _GIVE_UP
            if key not in content:
                return _SKIP
            # The order of a row, a theme or a question is where its header starts (see `_theme_header`).
            if name == "[[themes.questions]]":
                if key not in _NOTES_FIELDS:
                    return _GIVE_UP
                order = (header, 1 + (key == "employee_notes"))
                return self._question_field(header, self._theme_header(header), order, _NOTES_FIELDS[key], value, at)
            if name == "" and key == "place":
                return (0,), *_PLACE, value, False
            if name == "[preparation]":
                return (1, key == "employee_notes"), _PREPARATION, _PREPARATION_FIELDS[key], value, False
            if name == "[closing]":
                return (6,), *_CLOSING, value, False
            if name == "[private]":
                return (7,), PRIVATE_NOTES, "", value, True
            if name == "[[themes]]":
                theme = self._theme_header(header)
                title = self._title(theme)
                if title is None:
                    return _GIVE_UP
                return (3, theme, -1, key == "employee_notes"), title, _NOTES_FIELDS[key], value, False
            if name == "[[followup]]":
                where = self._followup_where(self.outside, *self._table(header, at))
                if where is None:
                    return _GIVE_UP
                label = f"{where} › {_FOLLOWUP_HEADINGS[key]}"
                return (2, header, _FOLLOWUP_RANK[key]), FOLLOWUP_SECTION, label, value, False
            if name == "[[plan.rows]]":
                row_id = self._first_value(header, "id")
                if row_id is None:
                    return _GIVE_UP
                heading = f"{_agreement(_toml_value(row_id))} › {self._plan_heading(key)}"
                return (4, header, _PLAN_COLUMN_RANK[key]), PLAN_SECTION, heading, value, False
            label = self._first_value(header, "label")  # [[plan.fields]]
            if label is None:
                return _GIVE_UP
            return (5, header), PLAN_SECTION, _one_line(_toml_value(label)), value, False
        content = _ARRAY_CONTENT.get((name, array))
        if content is None:
            return _GIVE_UP
        if key not in content:
            return _SKIP
        inline = (_inline_pairs(line) if line else None) or {}
        if array == "followup":
            where = self._followup_where(line, 0, len(line))
            if where is None:
                return _GIVE_UP
            label = f"{where} › {_FOLLOWUP_HEADINGS[key]}"
            return (2, index, _FOLLOWUP_RANK[key]), FOLLOWUP_SECTION, label, value, False
        if array == "questions":
            if key not in _NOTES_FIELDS:
                return _GIVE_UP
            order, field_name = (index, 1 + (key == "employee_notes")), _NOTES_FIELDS[key]
            return self._question_field(header, self._theme_header(header), order, field_name, value, at, inline)
        if array == "items":
            order = (header, 0, index)
            return self._question_field(header, self._theme_header(header), order, f"Punkt {index + 1}", value, at)
        if array == "rows":
            if "id" not in inline:
                return _GIVE_UP
            heading = f"{_agreement(_toml_value(inline['id'][2]))} › {self._plan_heading(key)}"
            return (4, index, _PLAN_COLUMN_RANK[key]), PLAN_SECTION, heading, value, False
        if "label" not in inline:  # fields
            return _GIVE_UP
        return (5, index), PLAN_SECTION, _one_line(_toml_value(inline["label"][2])), value, False

    def _question_field(self, header, theme, order, field_name, value, at, inline=None):  # noqa: ANN001, ANN202, PLR0913
        """A field of a question: `theme` is the header of its theme, `order` what orders it in the theme;
        `inline`: the pairs of the question written as an inline table, else it is read from its table."""
        title = self._title(theme)
        if inline is None:
            label = self._question_label(header, at)
        else:
            number, text = inline.get("number", (0, 0, ""))[2], inline.get("text", (0, 0, None))[2]
            label = None if text is None else _question_label(_toml_value(number), _toml_value(text))
        if title is None or label is None:
            return _GIVE_UP
        return (3, theme, *order), title, f"{label} › {field_name}", value, False

    def _title(self, theme: int | None) -> str | None:
        """The title of the theme whose header is at `theme` (cached: many hits share it)."""
        if theme is None:
            return None
        key = ("title", theme)
        if key not in self._cache:
            # As musterm writes it, the title is the line after the id: no need to look further.
            end = self.outside.find("\n", theme)
            top = _THEME_TOP.match(self.outside, end) if end >= 0 else None
            title = top.group(1) if top else self._first_value(theme, "title")
            if title is not None:
                shown = self._shared.titles.get(title)
                if shown is None:
                    shown = self._shared.titles[title] = _one_line(_toml_value(title))
                title = shown
            self._cache[key] = title
        return self._cache[key]

    def _question_label(self, header: int, at: int) -> str | None:
        """A question's number and text, from its table (which holds `at`).

        Many conversations have the same question table (outside the notes): it is read once."""
        key = ("question", header)
        if key not in self._cache:
            block = self.outside[header : self._table(header, at)[1]]
            label = self._shared.labels.get(block, _SKIP)
            if label is _SKIP:
                label = self._shared.labels[block] = _block_question_label(block)
            self._cache[key] = label
        return self._cache[key]

    # --- the structure, in `outside` -------------------------------------------------------------

    def _header_at(self, position: int) -> int:
        """The header whose table holds `position`."""
        found = self.outside.rfind("\n[", 0, position + 1)
        if found < 0:
            return 0 if self.outside.startswith("[") else -1
        return found + 1

    def _next_header(self, header: int) -> int:
        """Where the header after `header` starts (the end of the file after the last one)."""
        found = self.outside.find("\n[", header + 1)
        return found + 1 if found >= 0 else len(self.outside)

    def _header_name(self, header: int) -> str:
        if header < 0:
            return ""
        end = self.outside.find("\n", header)
        return self.outside[header : end if end >= 0 else len(self.outside)]

    def _find_header(self, name: str, near_the_top: bool = False) -> int | None:
        """The first header that reads `name` (looked for from the top first when it is usually there)."""
        key = ("header", name)
        if key not in self._cache:
            outside, line = self.outside, f"\n{name}\n"
            if outside.startswith(name + "\n"):
                header = 0
            elif near_the_top and (found := outside.find(line, 0, _NEAR_THE_TOP)) >= 0:
                header = found + 1
            else:
                # From the end backwards (rfind is a few times faster than find in Python 3.11):
                # the last one found is the first one.
                header, end = None, len(outside)
                while (found := outside.rfind(line, 0, end)) >= 0:
                    header, end = found + 1, found + len(name) + 1  # an earlier one may end where this starts
            self._cache[key] = header
        return self._cache[key]

    def _theme_header(self, header: int) -> int | None:
        """The [[themes]] header at or above `header` (cached: every hit in a theme asks).

        The hits are ordered like `searchable_fields` by where the headers of their theme, question
        or row start (or, in a list written inline, by the item's line in it): these places ascend
        as the indices in the session do, and a list is never both tables and inline in one file.
        Without a theme (None) there is no title either: the hit is given up."""
        if header in self._themes:
            return self._themes[header]
        outside, theme = self.outside, None
        # Hits come in the order of the file: above the header asked about last, the answer is known.
        last, last_theme = self._last_theme
        floor = last if 0 <= last < header else 0
        if header < 0:
            pass
        elif outside.startswith("[[themes]]\n", header):
            theme = header
        elif (found := outside.rfind("\n[[themes]]\n", floor, header)) >= 0:
            theme = found + 1
        elif floor:
            theme = last_theme
        elif outside.startswith("[[themes]]\n"):
            theme = 0
        self._themes[header] = theme
        if header > last:
            self._last_theme = (header, theme)
        return theme

    def _table(self, header: int, inside: int = -1) -> tuple[int, int]:
        """Where the lines of a header's table are: from the end of its line to the next header.

        `inside`, a place known to be in the table, is where the search for its end starts."""
        table = self._tables.get(header)
        if table is None:
            outside = self.outside
            end = outside.find("\n", header)
            table = (end, self._next_header(max(header, inside - 1))) if end >= 0 else (len(outside), len(outside))
            self._tables[header] = table
        return table

    def _value(self, table: tuple[int, int], key: str) -> str | None:
        """A single-line string value in a table (None when absent or written otherwise)."""
        match = _value_line(key).search(self.outside, *table)
        return match.group(1) if match else None

    def _first_value(self, header: int, key: str) -> str | None:
        """`_value` in a header's table for a key near its top: found without finding where it ends."""
        outside = self.outside
        start = outside.find("\n", header)
        match = _value_line(key).search(outside, start) if start >= 0 else None
        # The first such line after the header, unless a later header comes first.
        if match is None or outside.find("\n[", start, match.start()) >= 0:
            return None
        return match.group(1)

    def _value_in_table(self, name: str, key: str) -> str:
        header = self._find_header(name)
        if header is not None:
            value = self._value(self._table(header), key)
            return _toml_value(value) if value is not None else ""
        return ""

    def _followup_where(self, text: str, start: int, end: int) -> str | None:
        session = _FOLLOWUP_SESSION.search(text, start, end)
        row = _FOLLOWUP_ROW.search(text, start, end)
        if session is None or row is None:
            return None
        return _agreement(_toml_value(row.group(1)), session.group(1))

    def _plan_heading(self, key: str) -> str:
        cache_key = ("heading", key)
        if cache_key not in self._cache:
            value = self._value_in_table("[plan.headings]", key)
            self._cache[cache_key] = _one_line(value) or _DEFAULT_PLAN_HEADINGS[key]
        return self._cache[cache_key] or ""


def _block_question_label(block: str) -> str | None:
    """A question's label from its table (the header line, then its lines, in `outside`)."""
    end = block.find("\n")
    top = _QUESTION_TOP.match(block, end) if end >= 0 else None
    if top is not None:  # the id, the number, the text: the first lines, as musterm writes them
        text, number = top.group(2), top.group(1)
        if number is None:  # a number further down?
            number = (match := _value_line("number").search(block, top.end())) and match.group(1)
    else:
        text = (match := _value_line("text").search(block, max(end, 0))) and match.group(1)
        number = (match := _value_line("number").search(block, max(end, 0))) and match.group(1)
    return None if text is None else _question_label(_toml_value(number or ""), _toml_value(text))


def _value_line(key: str) -> re.Pattern[str]:
    """A line `key = "value"` (a basic string), the value in group 1."""
    pattern = _VALUE_LINES.get(key)
    if pattern is None:
        pattern = _VALUE_LINES[key] = re.compile(rf'\n{key} = "({_STRING})"$', re.MULTILINE)
    return pattern


def _plain_layout(text: str) -> tuple[list[tuple[int, int]], str, list[int]] | None:
    """The spans of the multi-line strings, the text outside them (each string cut down to a NUL)
    and how much shorter that is before each string and after the last; None when the strings are
    not plain (`_multiline_regions`, `_plain_regions`)."""
    if "\\" in text:
        regions = _multiline_regions(text)
        if regions is None or not _plain_regions(text, regions):
            return None
        ends, starts = [0] + [end for _, end in regions], [start for start, _ in regions] + [len(text)]
        outside = "\0".join([text[end:start] for end, start in zip(ends, starts)])
        return regions, outside, list(accumulate((end - start - 1 for start, end in regions), initial=0))
    # Nothing is escaped (as in most files): each string ends at the next \"\"\", the parts of the
    # split are alternately outside and inside, and the checks of `_plain_regions` are done on them.
    parts = _TRIPLE_QUOTES.split(text)  # as text.split('"""'), in two thirds of the time
    if len(parts) % 2 == 0 or '"' in "".join(parts[1::2]):
        return None
    regions, shifts, position, shift, last = [], [0], 0, 0, len(parts) - 2
    opener = _OPENER_PREFIX.fullmatch
    for index in range(1, len(parts), 2):
        before, after = parts[index - 1], parts[index + 1]
        if after.startswith("\n") or not after and index == last:
            if not before.endswith(_USUAL_OPENERS):
                line = before.rfind("\n")
                if line < 0 and index > 1:
                    return None  # the line holds the end of the string before
                if opener(before, line + 1) is None and before[line + 1 :].strip(" "):
                    return None
        elif not after.startswith(",\n"):
            return None
        start, size = position + len(before), len(parts[index])
        position = start + size + 6
        regions.append((start, position))
        shift += size + 5
        shifts.append(shift)
    return regions, "\0".join(parts[0::2]), shifts


def _plain_regions(text: str, regions: list[tuple[int, int]]) -> bool:
    """Each multi-line string opened after `key = ` (or as an array item) and closed at a line's end."""
    rfind, opener = text.rfind, _OPENER_PREFIX.fullmatch
    for start, end in regions:
        after = text[end : end + 2]
        if after == ",\n":
            continue
        if after[:1] not in ("\n", ""):
            return False
        line_start = rfind("\n", 0, start) + 1
        if opener(text, line_start, start) is None and text[line_start:start].strip(" "):
            return False
    return True


def _inline_pairs(line: str) -> dict[str, tuple[int, int, str]] | None:
    """The top-level `key = "value"` pairs of a one-line inline table: key -> (start, end, raw value).

    None when the line holds a 'literal string' (not read here)."""
    if "'" in _INLINE_TOKEN.sub("", line):
        return None
    depth, strings = 0, []
    for token in _INLINE_TOKEN.finditer(line):
        if token.group() == "{":
            depth += 1
        elif token.group() == "}":
            depth -= 1
        else:
            strings.append((token.start(), depth))
    pairs = {}
    top = {start for start, depth in strings if depth == 1}
    for match in _SINGLE_LINE_PAIR.finditer(line):
        if match.start(2) - 1 in top:
            pairs[match.group(1)] = (match.start(2), match.end(2), match.group(2))
    return pairs
