"""A small sessions repository with history, for the erasure, sync and handover tests.

Three employees; the one to be erased has a name, a folder and note sentences found nowhere else,
in several conversations and several commits each (so earlier versions and messages hold them).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from musterm.store.repository import Store
from tests.test_cli_store import small_session

ERASED = "Annelise Kvist"
ERASED_NUMBER = "4711"
ERASED_FOLDER = "annelise-kvist-4711"
SECRET_SENTENCES = (
    "Drømmer om at blive hundefører i Tønder",
    "Bekymret for sin mors helbred efter operationen",
    "Ønsker 4.300 kr. mere om måneden",
)
KEPT = ("Bo Ørsted", "Cecilie Holm")


def git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True, input=data).stdout


def conversation(name: str, number: str, date: dt.date, notes: str, private: str = "Intet privat."):
    return small_session(**{
        "employee.name": name, "employee.number": number, "date": date,
        "preparation.employee_notes": f"Forberedelse {date.year}.",
        "themes": [{**small_session().model_dump()["themes"][0], "notes": notes}],
        "private.notes": private,
        "followup": [],
    })


def build(root: Path) -> Store:
    """The repository: ERASED with three conversations (two versions each), and the KEPT employees."""
    store = Store.open(root)
    for year, sentence in zip((2024, 2025, 2026), SECRET_SENTENCES, strict=True):
        session = conversation(ERASED, ERASED_NUMBER, dt.date(year, 11, 3), "Første udkast.")
        relative = store.create(session)
        changed = session.model_copy(deep=True)
        changed.themes[0].notes = f"{sentence}.\nAndet afsnit."
        changed.private.notes = f"Privat: {sentence.lower()}."
        store.save(relative, changed)
        store.commit(relative, changed)
    for index, name in enumerate(KEPT):
        for year in (2025, 2026):
            session = conversation(name, f"10{index}", dt.date(year, 10, 1 + index), f"{name} trives, {year}.")
            relative = store.create(session)
            changed = session.model_copy(deep=True)
            changed.themes[0].notes += "\nMere om kurser."
            store.save(relative, changed)
            store.commit(relative, changed)
    return store


def employee_history(root: Path, folder: str) -> bytes:
    """Everything git says about one folder, without commit ids (which a rewrite changes)."""
    return git(root, "log", "--format=%an%n%ae%n%ad%n%cn%n%B", "-p", "--no-textconv", "--", f"{folder}/")
