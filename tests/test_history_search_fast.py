"""Search answers from the index's trigrams: it must find exactly what checking every text finds.

Random conversations (every searchable field, short rows written inline and long ones as
tables, quotes, backslashes, line breaks, Danish and other letters that fold oddly) are
searched twice: through the trigrams, and with them switched off so every text is checked.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import types
from pathlib import Path

import pytest
from history_data import files_parsed, load_framework, parse_every_file, session_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musterm.history.search import search, searchable_fields
from musterm.model.session import (
    FollowUpRow,
    FollowUpStatus,
    Person,
    PlanFieldRecord,
    PlanRow,
    Session,
    new_session,
)
from musterm.store.repository import Store

FRAMEWORK = """\
format = 1
id = "hurtig"
name = "Søgeramme"
municipality = "Testkommune"
version = "1"

[scales.fem]
min = 1
max = 5
label = "Fra 1 til 5"

[[themes]]
id = "trivsel"
title = "Trivsel \\"og\\" sted"
scale = "fem"

[[themes.questions]]
id = "trives"
number = "1"
text = "Hvordan trives du?"
kind = "score"

[[themes.questions]]
id = "opgaver"
text = "Dine tre vigtigste opgaver"
kind = "list"
items = 3

[[themes.questions]]
id = "ledelse"
text = "Hvilken ledelse?"
kind = "choice"
options = [{ id = "noter", label = "Noter" }, { id = "b", label = "Støttende" }]

[[themes]]
id = "vaerdier"
title = "Værdier"

[[themes.questions]]
id = "tillid"
text = "Tillid"

[[themes.questions]]
id = "mod"
number = "2"
text = "Mod"

[[themes]]
id = "fremtid"
title = "Fremtid"

[[themes.questions]]
id = "droemme"
number = "3"
text = "Hvad drømmer du om at arbejde med om fem år, og hvad skal der til for at komme dertil sammen med os?"

[plan]
fields = [{ id = "maal", label = "Mål for året" }]

[plan.columns.what]
heading = "Hvad skal du?"
"""

PLAIN = list("abcdeksøæåØÆÅ  -.,:=[]{}#'\"\\\né") + [
    "sted", "noter", "Øvebane", '"""', "a = [", "text = \"x\"", "\n    ",
    "\n<<<<<<< HEAD\n=======\n>>>>>>> b\n",  # makes musterm write every string on one line
]
# Letters that fold into ASCII ('ß' -> 'ss', Kelvin sign -> 'k', 'ﬁ' -> 'fi'), a decomposed 'å' and
# a \u-escape look-alike go into some conversations only, so others hold plain letters alone.
ODD = ["ß", "ﬁ", "\u212a", "a\u030a", "\\u00f8"]


texts = st.lists(st.sampled_from(PLAIN), max_size=12).map("".join)
short_or_long = st.one_of(texts, texts.map(lambda text: text + " " + "lang tekst " * 12))


@st.composite
def sessions(draw: st.DrawFn, base: Session) -> Session:
    session = base.model_copy(deep=True)
    session.place = draw(texts)
    session.preparation.manager_notes = draw(texts)
    session.preparation.employee_notes = draw(short_or_long)
    session.followup = [
        FollowUpRow(
            session=dt.date(2024, 1, 1), row=str(index + 1), what=draw(short_or_long), goal=draw(texts),
            how=draw(texts), when=draw(texts), followup=draw(texts), comment=draw(texts),
            status=draw(st.sampled_from([None, *FollowUpStatus])),
        )
        for index in range(draw(st.integers(0, 2)))
    ]
    for theme in session.themes:
        theme.notes = draw(short_or_long)
        theme.employee_notes = draw(texts)
        for question in theme.questions:
            question.notes = draw(short_or_long)
            question.employee_notes = draw(texts)
            if question.items:
                question.items = [draw(texts) for _ in question.items]
    session.plan.rows = [
        PlanRow(id=str(index + 1), what=draw(short_or_long), goal=draw(texts), how=draw(texts), when=draw(texts),
                followup=draw(texts))
        for index in range(draw(st.integers(0, 3)))
    ]
    session.plan.fields = [PlanFieldRecord(id="maal", label="Mål for året", text=draw(short_or_long))]
    session.closing.evaluation = draw(texts)
    session.private.notes = draw(texts)
    if draw(st.booleans()):
        session.closing.evaluation += draw(st.sampled_from(ODD))
    return session


@pytest.fixture(scope="module")
def base() -> Session:
    with tempfile.TemporaryDirectory() as folder:
        chosen = load_framework(Path(folder), "hurtig.toml", FRAMEWORK)
    return new_session(chosen, Person(name="Åse Ærø"), Person(name="Lars Leder"), dt.date(2025, 5, 1))


def search_both_ways(root: Path, needle: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    store = types.SimpleNamespace(root=root)
    fast = search(store, needle)
    with monkeypatch.context() as patch:
        parse_every_file(patch)
        parsed = search(store, needle)
    return fast, parsed


@settings(max_examples=int(os.environ.get("MUSTERM_SEARCH_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_trigrams_find_what_checking_every_text_finds(base: Session, data: st.DataObject, monkeypatch: pytest.MonkeyPatch) -> None:
    generated = [data.draw(sessions(base)) for _ in range(2)]
    contents = [text for session in generated for _, _, text, _ in searchable_fields(session) if text]
    needles = ["a", "ø", "Ø", "ss", "fi", "k", "sted", "noter", "øvebane", "lang tekst", "tillid", "trivsel"]
    for text in contents[:6]:
        start = data.draw(st.integers(0, max(0, len(text) - 1)))
        piece = text[start : start + data.draw(st.integers(1, 6))].strip()
        if piece:
            needles += [piece, piece.upper()]
    root = Path(tempfile.mkdtemp())
    try:
        (root / "aase").mkdir()
        for index, session in enumerate(generated):
            (root / "aase" / f"2025-05-0{index + 1}.toml").write_bytes(session_bytes(session, data.draw(st.booleans())))
        for needle in needles:
            fast, parsed = search_both_ways(root, needle, monkeypatch)
            assert fast == parsed, needle
    finally:
        shutil.rmtree(root)


@pytest.mark.parametrize("earlier_layout", [False, True], ids=["now", "earlier-inline-rows"])
def test_once_indexed_a_search_parses_no_file(
    base: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, earlier_layout: bool
) -> None:
    session = base.model_copy(deep=True)
    session.themes[0].notes = "Øvebane\nmed flere linjer"
    session.plan.rows = [PlanRow(id="1", what="Øvebane kort")]
    session.followup = [FollowUpRow(session=dt.date(2024, 1, 1), row="1", what="Øvebane")]
    session.question("opgaver").items = ["øvebane", "", ""]
    session.question("tillid").notes = "øvebane"
    store = Store.open(tmp_path / "sessions")  # a repository: the index lives in its .git
    (store.root / "aase").mkdir()
    data = session_bytes(session, earlier_layout)
    (store.root / "aase" / "2025-05-01.toml").write_bytes(data)
    assert earlier_layout == ("rows = [" in data.decode())
    first = search(store, "ØVEBANE")  # builds the index, parsing the file once
    parsed = files_parsed(monkeypatch)
    hits = search(store, "ØVEBANE")
    assert hits == first
    assert [(hit.theme, hit.field) for hit in hits] == [
        ("Opfølgning på sidste udviklingsplan", "Aftale 1 fra 2024-01-01 › Hvad?"),
        ('Trivsel "og" sted', "Noter"),
        ('Trivsel "og" sted', "Dine tre vigtigste opgaver › Punkt 1"),
        ("Værdier", "Tillid › Noter"),
        ("Udviklingsplan", "Aftale 1 › Hvad skal du?"),
    ]
    assert parsed == []


def test_a_file_with_folding_letters_or_escapes_is_parsed(base: Session, tmp_path: Path) -> None:
    session = base.model_copy(deep=True)
    session.themes[0].notes = "Weiße STRASSE"
    (tmp_path / "aase").mkdir()
    (tmp_path / "aase" / "2025-05-01.toml").write_bytes(session_bytes(session))
    escaped = session_bytes(session).decode().replace("Weiße", "Wei\\u00dfe")
    (tmp_path / "aase" / "2025-05-02.toml").write_text(escaped, encoding="utf-8")
    store = types.SimpleNamespace(root=tmp_path)
    assert [(hit.path, hit.snippet) for hit in search(store, "weisse")] == [
        ("aase/2025-05-01.toml", "Weiße STRASSE"),
        ("aase/2025-05-02.toml", "Weiße STRASSE"),
    ]
    assert len(search(store, "strasse")) == 2
    assert len(search(store, "STRAßE")) == 2
