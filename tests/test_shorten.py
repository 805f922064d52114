"""musterm.app.shorten: labels for a narrow column that still tell their items apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from musterm.app.shorten import distinct_labels

NORDDJURS = ["Hvordan oplever du samarbejdet i din afdeling?", "Hvordan oplever du samarbejdet med andre afdelinger?"]


def test_a_text_that_fits_is_left_whole() -> None:
    assert distinct_labels([("Tillid", 10), ("Ordentlighed", 12)]) == ["Tillid", "Ordentlighed"]


def test_a_text_alone_is_cut_at_the_end() -> None:
    assert distinct_labels([("Hvad er en god arbejdsdag for dig?", 20)]) == ["Hvad er en god arbe…"]


def test_two_texts_alike_at_the_beginning_show_where_they_differ() -> None:
    assert distinct_labels([(text, 25) for text in NORDDJURS]) == [
        "Hvordan o…i din afdeling?", "Hvordan…med andre afdeli…"
    ]
    assert distinct_labels([("Jeg efterlever værdien ‘Resultater’", 25), ("Jeg efterlever værdien ‘Ambitioner’", 25)]) == [
        "Jeg efterlev…‘Resultater’", "Jeg efterlev…‘Ambitioner’"
    ]


def test_the_same_text_twice_stays_the_same() -> None:
    assert distinct_labels([("Andre emner du gerne vil drøfte?", 12)] * 2) == ["Andre emner…"] * 2


words = st.lists(st.sampled_from(["Jeg", "har", "et", "godt", "samarbejde", "med", "mine", "kolleger", "æøå", "🔒"]),
                 min_size=1, max_size=12).map(" ".join)


@given(texts=st.lists(words, min_size=2, max_size=8, unique=True), width=st.integers(min_value=8, max_value=60))
def test_labels_fit_and_differ_where_the_texts_do(texts: list[str], width: int) -> None:
    labels = distinct_labels([(text, width) for text in texts])
    assert all(cell_len(label) <= width for label in labels)
    # Texts that differ within what the column can show (plus the ellipsis) never look alike.
    for first in range(len(texts)):
        for second in range(first + 1, len(texts)):
            if labels[first] == labels[second]:
                assert _difference_beyond(texts[first], texts[second], width), (texts[first], texts[second], labels)


def _difference_beyond(one: str, other: str, width: int) -> bool:
    """True if the two texts only differ further into a word than `width` lets a label show."""
    common = 0
    while common < min(len(one), len(other)) and one[common] == other[common]:
        common += 1
    return len(one[common:]) > width or len(other[common:]) > width


@pytest.mark.parametrize("width", [12, 20, 30, 60])
def test_norddjurs_and_haderslev_questions_differ_at_every_width(width: int) -> None:
    texts = [*NORDDJURS, "Jeg har et godt samarbejde med mine kolleger.",
             "Jeg har et godt samarbejde med dem, jeg skal samarbejde med."]
    labels = distinct_labels([(text, width) for text in texts])
    assert len(set(labels)) == len(labels), labels


def test_two_pairs_whose_differences_look_alike_in_a_very_narrow_column() -> None:
    """Haderslev at 40×12: 'Jeg oplever balance mellem mit …'/'… mine opgaver …' and 'Jeg har et godt
    samarbejde med mine kolleger.'/'… med dem, …' both differed at 'mine'."""
    texts = ["Jeg oplever balance mellem mit arbejde og mit privatliv.",
             "Jeg oplever balance mellem mine opgaver og den tid, jeg har til rådighed.",
             "Jeg har et godt samarbejde med mine kolleger.",
             "Jeg har et godt samarbejde med dem, jeg skal samarbejde med."]
    labels = distinct_labels([(text, 7) for text in texts])
    assert len(set(labels)) == 4, labels
    assert all(cell_len(label) <= 7 for label in labels)
