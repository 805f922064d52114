"""Labels that fit a narrow column and still tell their items apart.

Cut at the end, "Hvordan oplever du samarbejdet i din afdeling?" and "Hvordan oplever du samarbejdet
med andre afdelinger?" both become "Hvordan oplever du sama…". Where plain cutting makes two
different texts alike, each keeps its beginning and the words where it starts to differ:
"Hvordan ople…i din afdeling?" and "Hvordan ople…med andre afdelinger?".
"""

from __future__ import annotations

from os.path import commonprefix

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"
MAX_HEAD = 8
"""At most this much of the first word stays before the ellipsis when the differing words do not fit."""
MIN_TAIL = 6
"""Below this many cells for the differing words, the label begins with the ellipsis."""


def distinct_labels(items: list[tuple[str, int]]) -> list[str]:
    """Each (text, width) as a label of at most `width` cells: the text itself if it fits, else cut at
    the end, else, when that would look like another item's label, its beginning and the words where
    it differs from the most alike of them. Texts that are the same stay the same."""
    texts = [" ".join(text.split()) for text, _ in items]
    widths = [max(1, width) for _, width in items]
    plain = [_cut(text, width) for text, width in zip(texts, widths, strict=True)]
    labels = list(plain)
    for position, (text, width) in enumerate(zip(texts, widths, strict=True)):
        if plain[position] == text:
            continue
        rivals = [
            other for other_position, other in enumerate(texts)
            if other != text and plain[other_position] == plain[position]
        ]
        if rivals:
            common = max(len(commonprefix([text, rival])) for rival in rivals)
            labels[position] = _from_difference(text, common, width)
    # In a very narrow column the differing words of two pairs can still look alike ("…mine…"):
    # those labels begin at the very character where their texts differ.
    for _ in range(3):
        alike: dict[str, list[int]] = {}
        for position, label in enumerate(labels):
            alike.setdefault(label, []).append(position)
        clashes = [group for group in alike.values() if len({texts[position] for position in group}) > 1]
        if not clashes:
            break
        for group in clashes:
            for position in group:
                text = texts[position]
                common = max(len(commonprefix([text, texts[other]])) for other in group if texts[other] != text)
                labels[position] = ELLIPSIS + _cut(text[common:], widths[position] - 1) if common else _cut(
                    text, widths[position]
                )
    return labels


def _from_difference(text: str, common: int, width: int) -> str:
    """`text` in `width` cells, showing where it differs: the first `common` characters are shared."""
    start = text.rfind(" ", 0, common) + 1  # the beginning of the word that differs
    if cell_len(text[start:common]) + 2 > width - 1:
        start = common  # a long shared word: from the very character that differs
    tail = text[start:]
    first_word = text.split(" ", 1)[0]
    head = _head(text[:start], width - 1 - cell_len(tail))
    if cell_len(head) < min(cell_len(first_word), MAX_HEAD):
        # The differing words do not fit whole: keep the first word (or its beginning) and cut them.
        head = _head(first_word, min(MAX_HEAD, width // 3))
        if width - 1 - cell_len(head) < MIN_TAIL:
            head = ""
    return head + ELLIPSIS + _cut(tail, width - 1 - cell_len(head))


def _head(text: str, width: int) -> str:
    if width <= 0:
        return ""
    return set_cell_size(text, width).rstrip() if cell_len(text) > width else text.rstrip()


def _cut(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + ELLIPSIS
