"""`search` + `format_search` on a small generated store: the exact output, kept in a golden file.

The store is built deterministically from a seed: every searchable field, conversations carried
over from year to year (follow-up), files as musterm writes them now and as earlier versions did
(short rows inline), and a few hand-edited or damaged files that take the parsing way. The output
for a handful of words (common, rare, with Danish letters, in the framework only) must stay
byte for byte what it is, whichever way search finds it. After a deliberate change of the
output, rewrite the golden file with MUSTERM_UPDATE_GOLDEN=1 and review its diff.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import types
from pathlib import Path

import pytest
from history_data import load_framework, parse_every_file, session_bytes

from musterm.history.search import format_search, search
from musterm.model.framework import QuestionKind
from musterm.model.session import FollowUpStatus, Person, PlanRow, Session, new_session

GOLDEN = Path(__file__).with_name("search_golden.txt")
WORDS = [
    "kursus", "øvebane", "Møder", "mål", "trivsel", "lønforhandling", "næste mus", "ss", '"nej"', "DECOMPOSED Å",
    "zzz",
]
# Needles whose ASCII stretch is short ("år") or none ("ø"): a file is folded whole first (`_folded_holds`).
FOLDED = ["ø", "Å", "år", "øl", "mål", "æ"]

FRAMEWORK = """\
format = 1
id = "gylden"
name = "Gylden ramme"
municipality = "Testkommune"
version = "1"

[scales.fem]
min = 1
max = 5
label = "Fra 1 til 5"

[[themes]]
id = "trivsel"
title = "Trivsel og møder"
scale = "fem"

[[themes.questions]]
id = "trives"
number = "1"
text = "Hvordan trives du? Tænk også på lønforhandling."
kind = "score"

[[themes.questions]]
id = "opgaver"
number = "2"
text = "Dine tre vigtigste opgaver"
kind = "list"
items = 3

[[themes.questions]]
id = "ledelse"
text = "Hvilken ledelse?"
kind = "choice"
options = [{ id = "a", label = "Kursus og sparring" }, { id = "b", label = "Støttende" }]

[[themes]]
id = "udvikling"
title = "Udvikling"

[[themes.questions]]
id = "kursus"
number = "3"
text = "Hvilket kursus ønsker du?"

[[themes.questions]]
id = "frem"
text = "Hvad drømmer du om at arbejde med om fem år, og hvad skal der til for at komme dertil?"

[plan]
fields = [{ id = "maal", label = "Mål for året" }, { id = "andet", label = "Andet" }]

[plan.columns.what]
heading = "Hvad skal du lære?"
"""

SENTENCES = [
    "Vil gerne på kursus i konflikthåndtering.",
    "Ønsker et KURSUS i Excel og bedre overblik over budgettet.",
    "Trives godt i teamet; møderne er blevet kortere.",
    "Øvebane: lede teammøder hver anden uge.",
    "Har været på efteruddannelseskursus i foråret og fik meget ud af det, "
    "især af de praktiske øvelser sammen med kollegerne.",
    "Oplever, at møderne tager for meget tid fra kerneopgaven, "
    "og at der sjældent er tid til at følge op på det, der blev aftalt.",
    'Han sagde "nej" til kurset, men vil gerne tale om det igen.',
    "Næste MUS skal handle om lønforhandling.",
    "Mål: færre fejl i registreringen.",
    "Stillingen passer godt til hende.",
    "En sti med \\ i: C:\\Kursus\\noter.",
]
ODD = ["Weiße Straße", "ﬁlm om kursus", "\u212aursus på Kelvin-skala", "a\u030a decomposed å"]
BULLETS = ["kursus", "supervision", "øvebane", "sidemandsoplæring", ""]


def note(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return ""
    lines = [rng.choice(SENTENCES) for _ in range(rng.randint(1, 2 if roll < 0.8 else 6))]
    if len(lines) > 3:
        lines.insert(2, "")
    return "\n".join(lines)


def fill(session: Session, rng: random.Random) -> None:
    session.place = rng.choice(["Mødelokale 2", "Kursuslokalet", ""])
    session.preparation.manager_notes = note(rng)
    session.preparation.employee_notes = note(rng)
    for row in session.followup:
        row.status = rng.choice(list(FollowUpStatus))
        row.comment = rng.choice(["", "Kurset er gennemført.", "Udskudt til næste år."])
    for theme in session.themes:
        theme.notes = note(rng)
        theme.employee_notes = note(rng) if rng.random() < 0.3 else ""
        for question in theme.questions:
            question.notes = note(rng)
            question.employee_notes = note(rng) if rng.random() < 0.2 else ""
            if question.kind == QuestionKind.LIST:
                question.items = [rng.choice(BULLETS) for _ in question.items]
    session.plan.rows = [
        PlanRow(
            id=str(number),
            what=rng.choice(["Kursus i Excel", "Øvebane: lede møder", "Diplommodul i ledelse " * rng.randint(1, 6)]),
            goal=rng.choice(["Hurtigere rapporter", "Mål: mere erfaring", ""]),
            how=rng.choice(["Kommunens e-læring", "Kursus hos KL", ""]),
            when=rng.choice(["Forår", "Inden næste MUS", ""]),
            followup=rng.choice(["Ved næste MUS", ""]),
        )
        for number in range(1, rng.randint(0, 3) + 1)
    ]
    for plan_field in session.plan.fields:
        plan_field.text = note(rng)
    session.closing.evaluation = rng.choice(["God samtale.", "Vi nåede ikke kurset.", ""])
    session.private.notes = note(rng) if rng.random() < 0.3 else ""


def build(root: Path) -> Path:
    rng = random.Random(20251)
    chosen = load_framework(root.parent, "gylden.toml", FRAMEWORK)
    people = ["Anna Sørensen", "Bo Hansen", "Carl Ærø", "Dorte Kursus", "Åse Øberg", "Ib Lund"]
    for index, name in enumerate(people):
        folder = root / f"{name.lower().replace(' ', '-')}-{1000 + index}"
        folder.mkdir(parents=True)
        previous = None
        for year in (2023, 2024, 2025):
            date = dt.date(year, rng.randint(1, 11), rng.randint(1, 28))
            session = new_session(chosen, Person(name=name), Person(name="Lis Leder"), date, previous=previous)
            fill(session, rng)
            count = index * 3 + year - 2023
            if count % 3 == 1:  # letters that fold into ASCII: the file is parsed
                session.closing.evaluation += " " + ODD[count // 3 % len(ODD)]
            earlier_layout = rng.random() < 0.3  # as earlier versions wrote it: short rows inline
            (folder / f"{date.isoformat()}.toml").write_bytes(session_bytes(session, earlier_layout))
            previous = session
    hand = root / "hånd-redigeret"
    hand.mkdir()
    source = min((root / "anna-sørensen-1000").iterdir()).read_text(encoding="utf-8")
    escaped = source.replace('place = "', 'place = "Kursus \\u00f8vebane, ')
    (hand / "2025-01-01.toml").write_text(escaped, encoding="utf-8")
    (hand / "2025-02-01.toml").write_text(source.replace('name = "Lis Leder"', "name = 'Lis Leder'") +
                                          "\n[ private ]\nnotes = 'Kursus i møder' # kommentar\n", encoding="utf-8")
    (hand / "2025-03-01.toml").write_text('date = 2025-03-01\nnotes = "Kursus i en ødelagt fil', encoding="utf-8")
    (hand / "2025-04-01.toml").write_bytes(source.replace("\n", "\r\n").encode("utf-8"))
    return root


def output(root: Path, words: list[str] = WORDS) -> str:
    store = types.SimpleNamespace(root=root)
    return "".join(f"=== {word}\n" + format_search(search(store, word), word) for word in words)


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("golden") / "sessions")


def test_search_output_is_unchanged(store_root: Path) -> None:
    text = output(store_root)
    if os.environ.get("MUSTERM_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    store = types.SimpleNamespace(root=store_root)
    assert search(store, "KURSUS") == search(store, "kursus")


def test_search_output_is_the_same_when_every_file_is_parsed(store_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = output(store_root, WORDS + FOLDED)
    parse_every_file(monkeypatch)
    assert output(store_root, WORDS + FOLDED) == fast
