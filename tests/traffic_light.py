"""A question kind that only the tests know: a traffic light (grøn, gul, rød), registered here alone.

Run as a script it registers the kind before musterm builds its models, then holds two conversations
a year apart through the `musterm` commands, each answered through the employee's preparation form,
and prints what every command wrote as JSON (tests/test_kinds_registry.py asserts it). The kind
reaches the session file, `check`, `show`, `export`, `prep-form`/`prep-import`, `diff`, `search` and
`history` only by asking the registry: nothing in musterm names it.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

from musterm.model import kinds

COLOURS = {"rød": 1, "gul": 2, "grøn": 3}

FRAMEWORK = """\
format = 1
id = "lys"
name = "Lysramme"
municipality = "Testkommune"
version = "1"

[[themes]]
id = "opgaver"
title = "Opgaver"

[[themes.questions]]
id = "status"
number = "1"
text = "Hvordan står det til med opgaverne?"
kind = "trafiklys"
"""


def _a_colour(value: Any, question: kinds.Data) -> str | None:
    return None if value in COLOURS else f"'{value}' er hverken grøn, gul eller rød"


LIGHT = kinds.AnswerField("light", str | None, text=True, label="Lys", check=_a_colour)
LIGHT_LINE = kinds.FormField("lys", "lys", "har intet trafiklys", "trafiklys")
LIGHTS = kinds.Tally("trafiklys", "trafiklys", own=False)


class TrafficLight(kinds.Kind):
    name = "trafiklys"
    fields = (LIGHT,)
    form_fields = (LIGHT_LINE,)
    form_instructions = ('- Lys: skriv grøn, gul eller rød efter "Lys:".',)
    prepared = ("light",)
    tallies = (LIGHTS,)

    def answered(self, question: kinds.Data) -> bool:
        return question.get("light") is not None

    def text_lines(self, question: kinds.Data) -> list[str]:
        return [f"Lys: {question['light']}"] if question.get("light") else []

    def markdown_lines(self, question: kinds.Data, inline: Any) -> list[str]:
        return [f"**Lys:** {inline(question['light'])}", ""] if question.get("light") else []

    def compared(self, question: kinds.Data) -> list[kinds.Compared]:
        return [kinds.Compared("Lys", question.get("light") or "")]

    def trend(self, question: kinds.Data) -> kinds.Trend | None:
        light = question.get("light")
        return kinds.Trend(COLOURS.get(light) if light else None, None, 1, 3)

    def form_lines(self, question: kinds.Data, form: kinds.Form) -> list[str]:
        return [*form.comment("Skriv grøn, gul eller rød."), kinds.filled("Lys:", question.get("light") or "")]

    def read_form(self, question: kinds.Data, key: str, value: str) -> dict[str, Any]:
        if not value:
            return {}
        if value.casefold() not in COLOURS:
            raise kinds.FormProblem(f"»{value}« er hverken grøn, gul eller rød")
        return {"light": value.casefold()}

    def counted(self, before: kinds.Data, after: kinds.Data) -> set[kinds.Tally]:
        return {LIGHTS} if before.get("light") != after.get("light") else set()


def run(argv: list[str]) -> dict[str, Any]:
    """`musterm ARGV` in this process: its exit code and what it wrote."""
    from musterm.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


def answer_in_form(form: Path, light: str) -> None:
    """The employee fills in the form: the light."""
    form.write_text(form.read_text(encoding="utf-8").replace("\nLys:\n", f"\nLys: {light}\n", 1), encoding="utf-8")


def scenario(folder: Path) -> dict[str, Any]:
    frameworks, sessions = folder / "rammer", folder / "samtaler"
    frameworks.mkdir()
    (frameworks / "lys.toml").write_text(FRAMEWORK, encoding="utf-8")
    common = ["--sessions", str(sessions), "--frameworks", str(frameworks)]
    steps: dict[str, Any] = {"check": run([*common, "check", str(frameworks / "lys.toml")])}
    for year, light in (("2025", "grøn"), ("2026", "gul")):
        new = ["new", "--employee", "Anna Sørensen", "--framework", "lys", "--date", f"{year}-11-20", "--manager", "Lis Leder"]
        steps[f"new {year}"] = run([*common, *new])
        target = steps[f"new {year}"]["out"].strip()
        form = folder / f"skema-{year}.txt"
        steps[f"prep-form {year}"] = run([*common, "prep-form", target, "-o", str(form)])
        steps[f"form {year}"] = form.read_text(encoding="utf-8")
        answer_in_form(form, light)
        steps[f"prep-import {year}"] = run([*common, "prep-import", target, str(form)])
        steps[f"file {year}"] = Path(target).read_text(encoding="utf-8")
    wrong = folder / "skema-forkert.txt"
    wrong.write_text(steps["form 2026"].replace("\nLys:\n", "\nLys: blå\n", 1), encoding="utf-8")
    steps["prep-import wrong"] = run([*common, "prep-import", target, str(wrong)])
    steps["file after wrong"] = Path(target).read_text(encoding="utf-8")
    steps["show"] = run([*common, "show", "Anna Sørensen"])
    steps["export md"] = run([*common, "export", "Anna Sørensen"])
    steps["export html"] = run([*common, "export", "Anna Sørensen", "--format", "html"])
    steps["diff"] = run([*common, "diff", "Anna Sørensen"])
    steps["search"] = run([*common, "search", "gul"])
    steps["history"] = run([*common, "history", "Anna Sørensen"])
    return steps


if __name__ == "__main__":
    kinds.register(TrafficLight())
    print(json.dumps(scenario(Path(sys.argv[1]))))
