"""Compare FTS5 set-ups for the index's text, on the text of a built index (see bench/README.md).

    python bench/index_candidates.py REPOSITORY

Reads the texts that .git/musterm/index.sqlite holds (build it first: `musterm list`), writes
each candidate table into a temporary database, and prints its size, build time, and the time of
a query that finds the candidate texts for a few needles (the exact check in Python not included).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from musterm.store.index import SessionIndex  # noqa: E402
from musterm.store.index_text import _trigrams, fold  # noqa: E402

FIELD_BITS = 16

NEEDLES = ["lønforhandling", "kursus", "øvebane", "år"]
CANDIDATES = {
    "trigram, per text, detail=none": ("tokenize='trigram case_sensitive 1', detail='none', columnsize=0", "text"),
    "trigram, per conversation, detail=none": ("tokenize='trigram case_sensitive 1', detail='none', columnsize=0", "conversation"),
    "trigram, per text, detail=full": ("tokenize='trigram case_sensitive 1', columnsize=0", "text"),
    "unicode61, per text, detail=none, prefix 2 3": (
        "tokenize='unicode61 remove_diacritics 0', detail='none', columnsize=0, prefix='2 3'", "text"),
    "unicode61, per conversation, detail=none": ("tokenize='unicode61 remove_diacritics 0', detail='none', columnsize=0", "conversation"),
}


def texts_of(root: Path) -> list[tuple[int, list[str]]]:
    index = SessionIndex(root, None, root / ".git" / "musterm" / "index.sqlite")
    rows = index._rows("SELECT id, texts FROM body JOIN conversation USING (id) WHERE NOT damaged")
    return [(identifier, [fold(item.text) for item in index._unpack(blob)]) for identifier, blob in rows]


def query_for(options: str, needle: str) -> str:
    if "trigram" in options:
        return _trigrams(needle) if len(needle) >= 3 else ""
    return '"' + needle + '"*'  # a word start only: not the substring search musterm keeps


def main() -> int:
    root = Path(sys.argv[1])
    conversations = texts_of(root)
    text_bytes = sum(len(text.encode()) for _, texts in conversations for text in texts)
    print(f"{len(conversations)} conversations, {text_bytes / 1e6:.1f} MB of text")
    for name, (options, grain) in CANDIDATES.items():
        with tempfile.TemporaryDirectory() as folder:
            database = os.path.join(folder, "c.sqlite")
            connection = sqlite3.connect(database, isolation_level=None)
            connection.execute(f"CREATE VIRTUAL TABLE t USING fts5 (body, content='', {options})")
            started = time.perf_counter()
            connection.execute("BEGIN")
            for identifier, texts in conversations:
                if grain == "text":
                    connection.executemany(
                        "INSERT INTO t (rowid, body) VALUES (?, ?)",
                        ((identifier << FIELD_BITS | place, text) for place, text in enumerate(texts)),
                    )
                else:
                    connection.execute("INSERT INTO t (rowid, body) VALUES (?, ?)", (identifier, "\n".join(texts)))
            connection.execute("COMMIT")
            connection.execute("INSERT INTO t (t) VALUES ('optimize')")
            built = time.perf_counter() - started
            connection.execute("VACUUM")
            size = os.path.getsize(database)
            timings = []
            for needle in NEEDLES:
                query = query_for(options, needle)
                if not query:
                    timings.append(f"{needle}: (all)")
                    continue
                started = time.perf_counter()
                count = len(connection.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall())
                timings.append(f"{needle}: {count} in {(time.perf_counter() - started) * 1000:.0f} ms")
            connection.close()
            print(f"{name}: {size / 1e6:.1f} MB ({size / text_bytes:.2f}× the text), built in {built:.1f} s; "
                  + "; ".join(timings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
