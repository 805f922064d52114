"""Each command is defined once (musterm.app.commands): every binding of the app, the palette's
entries, F1 and the README's key table come from those definitions."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import musterm.app
from musterm.app import commands
from musterm.app.palette import command_entries
from textual.binding import Binding
from textual.dom import DOMNode

from .helpers import make_store, new_app, open_from_start, plan

README = Path(__file__).resolve().parents[2] / "README.md"


def _app_classes() -> list[type[DOMNode]]:
    found = []
    for info in pkgutil.walk_packages(musterm.app.__path__, "musterm.app."):
        module = importlib.import_module(info.name)
        found += [
            value for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, DOMNode) and value.__module__ == info.name
        ]
    return found


def test_every_binding_of_the_app_is_a_command() -> None:
    known = commands.by_id()
    classes = _app_classes()
    assert len(classes) > 20
    checked = 0
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r} is not made by commands.bindings"
            assert binding.id in known, f"{cls.__name__}: binding {binding.key!r} has no command id"
            assert binding == known[binding.id].binding(), f"{cls.__name__}: {binding.id} differs from its command"
            checked += 1
    assert checked >= 40


def test_no_binding_is_made_outside_the_commands_module() -> None:
    package = Path(musterm.app.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "commands.py" and re.search(r"\bBinding\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_command_ids_are_unique_and_no_help_line_types_a_key() -> None:
    everything = [command for _, group in commands.GROUPS for command in group]
    everything += [*commands.CHOICE, *commands.CHOOSE_FILE, *commands.HELP_SCREEN]
    ids = [command.id for command in everything]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for command in everything:
        # The palette and F1 add the key from the binding itself: a key map may have moved it.
        assert not re.search(r"\((ctrl|F\d|esc|enter)", command.help), command


def test_the_readme_has_the_key_table_of_the_definitions() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index("<!-- keys -->\n") + len("<!-- keys -->\n"), text.index("<!-- /keys -->")
    assert text[start:end] == commands.key_table(), "run: python -m musterm.app.commands, and paste it into README.md"
    assert "| Samtalen | **F9** | Afslut: Afslut og lås samtalen |" in text


async def test_the_palette_offers_what_can_run_now_with_its_key(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    plan(store, "ringkobing-skjern")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        entries = {title: help_text for title, help_text, _ in command_entries(screen, screen.COMMAND_LIST)}
        assert entries["Gem og commit nu"] == "Skriv samtalen og commit den i git (^s)"
        assert entries["Indlæs medarbejderens forberedelse"].startswith("Læs et udfyldt skema ind")
        screen.conversation.read_only = True  # as after F9 closed it
        titles = [title for title, _, _ in command_entries(screen, screen.COMMAND_LIST)]
        assert "Gem og commit nu" not in titles and "Indlæs medarbejderens forberedelse" not in titles
        assert "Eksportér til personalemappen (HTML)" in titles
        screen.conversation.read_only = False
        await pilot.press("ctrl+q")
