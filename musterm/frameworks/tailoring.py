"""Tailoring: applying a child framework (`extends`) to its parent, with problems reported in the child's terms.

A tailored framework names its parent by id and changes it: it may override
metadata, add scales, patch or add themes, add or replace questions, remove
questions and themes, and reorder them. It may never remove or weaken a
question the parent marks mandatory.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from musterm.errors import FileError, KeyPath, Problem
from musterm.formats import tomlsource
from musterm.model.framework import Framework, Id, semantic_problems

OVERLAY_KEYS = ("extends", "remove", "theme_order", "themes")


@dataclass(frozen=True)
class _Source:
    file: Path
    origin: str
    text: str
    data: dict[str, Any]

    @property
    def declared_id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None


class _Controls(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    extends: Id
    remove: list[Id] = []
    theme_order: list[Id] = []
    themes: list[dict[str, Any]] = []


_QUESTION_ORDER = TypeAdapter(list[Id])


_TAILORING_KEYS = tomlsource.known_keys(Framework) | set(OVERLAY_KEYS) | {"question_order"}


@dataclass
class _ThemeOrigin:
    """Where the child wrote a merged theme (its [[themes]] entry, if any) and each of its questions."""

    child_index: int | None
    questions: list[tuple[int, int] | None] = field(default_factory=list)


def _error_at(source: _Source, path: KeyPath, message: str) -> FileError:
    return FileError.single(source.file, message, tomlsource.locate(source.text, path), path)


class _Tailoring:
    """Applies one child file to its resolved parent and reports problems in the child's terms."""

    def __init__(self, parent: Framework, source: _Source, controls: _Controls):
        self.parent = parent
        self.source = source
        self.controls = controls
        self.problems: list[Problem] = []
        self.origins: list[_ThemeOrigin] = []

    def apply(self) -> Framework:
        merged = self._merged_top_level()
        themes = self._merged_themes()
        themes = self._without_removed(themes)
        themes = self._reordered(themes, self.controls.theme_order, ("theme_order",), "blandt temaerne")
        merged["themes"] = [theme for theme, _ in themes]
        self.origins = [origin for _, origin in themes]
        self.merged_ids = [_id_of(theme) or "?" for theme, _ in themes]
        try:
            framework = Framework.model_validate(merged)
        except ValidationError as error:
            self.problems += [
                Problem(self._child_path(p.path), p.message)
                for p in tomlsource.validation_problems(error, _TAILORING_KEYS, Framework)
            ]
            self._raise_if_problems()
            raise
        self.problems += [self._in_child_terms(framework, p) for p in semantic_problems(framework)]
        self.problems += self._weakened_mandatory(framework)
        self._raise_if_problems()
        return framework

    def _merged_top_level(self) -> dict[str, Any]:
        merged = self.parent.model_dump()
        for key, value in self.source.data.items():
            if key in OVERLAY_KEYS:
                continue
            if key == "scales" and isinstance(value, dict):
                merged["scales"] = {**merged["scales"], **value}
            else:
                merged[key] = value
        return merged

    def _merged_themes(self) -> list[tuple[dict[str, Any], _ThemeOrigin]]:
        themes = [(theme.model_dump(), _ThemeOrigin(None, questions=[None] * len(theme.questions))) for theme in self.parent.themes]
        by_id = {theme["id"]: index for index, (theme, _) in enumerate(themes)}
        for child_index, entry in enumerate(self.controls.themes):
            entry = copy.deepcopy(entry)
            theme_id = entry.get("id")
            if isinstance(theme_id, str) and theme_id in by_id:
                slot = by_id[theme_id]
                themes[slot] = self._patched_theme(themes[slot], entry, child_index)
            else:
                if "question_order" in entry:
                    entry.pop("question_order")
                    self.problems.append(
                        Problem(
                            ("themes", child_index, "question_order"),
                            f"temaet {_shown_id(theme_id)} findes ikke i '{self.parent.id}', så der er ingen "
                            "spørgsmål at flytte; et nyt tema har spørgsmålene i den rækkefølge, de står i filen",
                        )
                    )
                questions = entry.get("questions") if isinstance(entry.get("questions"), list) else []
                origin = _ThemeOrigin(child_index, [(child_index, q) for q in range(len(questions))])
                themes.append((entry, origin))
        return themes

    def _patched_theme(
        self, current: tuple[dict[str, Any], _ThemeOrigin], patch: dict[str, Any], child_index: int
    ) -> tuple[dict[str, Any], _ThemeOrigin]:
        base, origin = current
        order = patch.pop("question_order", [])
        new_questions = patch.pop("questions", [])
        theme = {**base, **patch}
        origin = _ThemeOrigin(child_index, list(origin.questions))
        questions = list(base["questions"])
        if not isinstance(new_questions, list):
            self.problems.append(Problem(("themes", child_index, "questions"), "skal være en liste af spørgsmål"))
            new_questions = []
        for q_index, question in enumerate(new_questions):
            question_id = question.get("id") if isinstance(question, dict) else None
            existing = [
                i
                for i, known in enumerate(questions)
                if isinstance(question_id, str) and isinstance(known, dict) and known.get("id") == question_id
            ]
            if existing:
                questions[existing[0]] = question
                origin.questions[existing[0]] = (child_index, q_index)
            else:
                questions.append(question)
                origin.questions.append((child_index, q_index))
        try:
            order = _QUESTION_ORDER.validate_python(order)
        except ValidationError as error:
            self.problems += [
                Problem(("themes", child_index, "question_order", *p.path), p.message)
                for p in tomlsource.validation_problems(error)
            ]
            order = []
        paired = self._reordered(
            list(zip(questions, origin.questions, strict=True)),
            order,
            ("themes", child_index, "question_order"),
            f"i temaet '{base['id']}'",
        )
        theme["questions"] = [question for question, _ in paired]
        origin.questions = [where for _, where in paired]
        return theme, origin

    def _without_removed(
        self, themes: list[tuple[dict[str, Any], _ThemeOrigin]]
    ) -> list[tuple[dict[str, Any], _ThemeOrigin]]:
        mandatory = {q.id: q for _, q in self.parent.questions() if q.mandatory}
        parent_themes = {theme.id: theme for theme in self.parent.themes}
        patched = {_id_of(entry) for entry in self.controls.themes}
        for index, removed in enumerate(self.controls.remove):
            at = ("remove", index)
            if removed in self.controls.remove[:index]:
                self.problems.append(Problem(at, f"'{removed}' står allerede tidligere i remove"))
            elif removed in parent_themes:
                kept = [q.id for q in parent_themes[removed].questions if q.mandatory]
                if parent_themes[removed].mandatory:
                    title = parent_themes[removed].title
                    self.problems.append(Problem(at, f"fjerner det obligatoriske tema '{removed}' ({title}) fra '{self.parent.id}'"))
                elif kept:
                    self.problems.append(Problem(at, _removes_mandatory(self.parent, kept)))
                elif removed in patched:
                    self.problems.append(
                        Problem(at, f"temaet '{removed}' fjernes, men filen ændrer det også under [[themes]]; vælg det ene")
                    )
                themes = [pair for pair in themes if _id_of(pair[0]) != removed]
            elif removed in mandatory:
                self.problems.append(Problem(at, _removes_mandatory(self.parent, [removed])))
            elif any(removed == q.id for _, q in self.parent.questions()):
                dropped = [self._drop_question(pair, removed) for pair in themes]
                if sum(len(pair[1].questions) for pair in dropped) == sum(len(pair[1].questions) for pair in themes):
                    # the child replaced the question in its own theme, so there is no parent's one left to remove
                    home = next(theme.id for theme, q in self.parent.questions() if q.id == removed)
                    self.problems.append(
                        Problem(
                            at, f"spørgsmålet '{removed}' fjernes, men filen erstatter det også i temaet '{home}'; vælg det ene"
                        )
                    )
                themes = dropped
            else:
                self.problems.append(Problem(at, f"'{removed}' er hverken et tema eller et spørgsmål i '{self.parent.id}'"))
        return themes

    @staticmethod
    def _drop_question(pair: tuple[dict[str, Any], _ThemeOrigin], question_id: str) -> tuple[dict[str, Any], _ThemeOrigin]:
        """Drop the parent's question; one the child writes (perhaps moving it to another theme) stays."""
        theme, origin = pair
        if not isinstance(theme.get("questions"), list):
            return pair  # a new theme without (proper) questions; validation reports it
        kept = [
            (q, o)
            for q, o in zip(theme["questions"], origin.questions, strict=True)
            if o is not None or _id_of(q) != question_id
        ]
        return {**theme, "questions": [q for q, _ in kept]}, _ThemeOrigin(origin.child_index, [o for _, o in kept])

    def _reordered(
        self, items: list[tuple[Any, Any]], order: list[str], at: KeyPath, where: str
    ) -> list[tuple[Any, Any]]:
        if not order:
            return items
        ids = [_id_of(item) for item, _ in items]
        for index, wanted in enumerate(order):
            if wanted not in ids:
                self.problems.append(Problem((*at, index), f"'{wanted}' findes ikke {where} og kan ikke flyttes"))
        rank = {wanted: position for position, wanted in enumerate(order)}
        return sorted(items, key=lambda pair: rank.get(_id_of(pair[0]) or "", len(order)))

    def _weakened_mandatory(self, framework: Framework) -> list[Problem]:
        problems = []
        # A question still mandatory somewhere (a child reusing its id elsewhere is a duplicate) is kept.
        mandatory = {q.id for _, q in self.parent.questions() if q.mandatory} - {
            q.id for _, q in framework.questions() if q.mandatory
        }
        for t, theme in enumerate(framework.themes):
            for q, question in enumerate(theme.questions):
                if question.id in mandatory and not question.mandatory:
                    path = self._child_path(("themes", t, "questions", q, "mandatory"))
                    problems.append(
                        Problem(
                            path,
                            f"det obligatoriske spørgsmål '{question.id}' ({question.text}) må ikke gøres valgfrit; "
                            "skriv mandatory = true",
                        )
                    )
        required = {theme.id for theme in self.parent.themes if theme.mandatory}
        for t, theme in enumerate(framework.themes):
            if theme.id in required and not theme.mandatory:
                problems.append(
                    Problem(
                        self._child_path(("themes", t, "mandatory")),
                        f"det obligatoriske tema '{theme.id}' ({theme.title}) må ikke gøres valgfrit; skriv mandatory = true",
                    )
                )
        return problems + self._narrowed_mandatory_themes(framework)

    def _narrowed_mandatory_themes(self, framework: Framework) -> list[Problem]:
        """A theme with mandatory questions must stay in use in every year the parent uses it."""
        problems = []
        parent_themes = {theme.id: theme for theme in self.parent.themes}
        for t, theme in enumerate(framework.themes):
            before = parent_themes.get(theme.id)
            kept = [q for q in before.questions if q.mandatory] if before is not None else []
            if not kept:
                continue
            for key, narrower in (
                ("from_year", _later(theme.from_year, before.from_year)),
                ("to_year", _earlier(theme.to_year, before.to_year)),
            ):
                if narrower:
                    named = ", ".join(f"'{q.id}' ({q.text})" for q in kept)
                    problems.append(
                        Problem(
                            self._child_path(("themes", t, key)),
                            f"temaet '{theme.id}' har obligatoriske spørgsmål ({named}) og må ikke bruges i "
                            f"færre år end i '{self.parent.id}'",
                        )
                    )
        return problems

    def _in_child_terms(self, framework: Framework, problem: Problem) -> Problem:
        """A problem in the merged framework, pointing at what the child wrote.

        A question the child adds may reuse the id of a parent question in a later theme;
        the duplicate is then found at the parent's question, which the child did not write.
        """
        path = problem.path
        if (
            len(path) == 5
            and path[0] == "themes"
            and path[2] == "questions"
            and path[4] == "id"
            and isinstance(path[1], int)
            and isinstance(path[3], int)
            and not self._written_by_child(path[1], path[3])
        ):
            theme = framework.themes[path[1]]
            question_id = theme.questions[path[3]].id
            for t, other in enumerate(framework.themes):
                for q, question in enumerate(other.questions):
                    if question.id == question_id and self._written_by_child(t, q):
                        return Problem(
                            self._child_path(("themes", t, "questions", q, "id")),
                            f"spørgsmåls-id '{question_id}' bruges allerede i temaet '{theme.id}' i '{self.parent.id}'",
                        )
        return Problem(self._child_path(path), problem.message)

    def _written_by_child(self, theme_index: int, question_index: int) -> bool:
        if theme_index >= len(self.origins) or question_index >= len(self.origins[theme_index].questions):
            return False
        return self.origins[theme_index].questions[question_index] is not None

    def _child_path(self, path: KeyPath) -> KeyPath:
        """Translate a path in the merged framework to where the child file wrote it."""
        if len(path) < 2 or path[0] != "themes" or not isinstance(path[1], int) or path[1] >= len(self.origins):
            return path
        origin = self.origins[path[1]]
        theme_id = self.merged_ids[path[1]]
        if len(path) >= 4 and path[2] == "questions" and isinstance(path[3], int) and path[3] < len(origin.questions):
            where = origin.questions[path[3]]
            if where is not None:
                return ("themes", where[0], "questions", where[1], *path[4:])
            return ("themes", theme_id, *path[2:])
        if origin.child_index is not None:
            # the child wrote this theme or patched it: its [[themes]] entry is the place to look
            return ("themes", origin.child_index, *path[2:])
        return ("themes", theme_id, *path[2:])

    def _raise_if_problems(self) -> None:
        if self.problems:
            raise FileError(self.source.file, tomlsource.locate_all(self.source.file, self.source.text, self.problems))


def _later(year: int | None, than: int | None) -> bool:
    """A start year later than `than` (None: since always)."""
    return year is not None and (than is None or year > than)


def _earlier(year: int | None, than: int | None) -> bool:
    """An end year earlier than `than` (None: for ever)."""
    return year is not None and (than is None or year < than)


def _id_of(item: Any) -> str | None:
    """The id of a theme or question as the child wrote it, if it is text at all."""
    value = item.get("id") if isinstance(item, dict) else None
    return value if isinstance(value, str) else None


def _shown_id(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else "uden id"


def _removes_mandatory(parent: Framework, question_ids: list[str]) -> str:
    texts = {q.id: q.text for _, q in parent.questions()}
    named = ", ".join(f"'{qid}' ({texts[qid]})" for qid in question_ids)
    noun = "det obligatoriske spørgsmål" if len(question_ids) == 1 else "de obligatoriske spørgsmål"
    return f"fjerner {noun} {named} fra '{parent.id}'"
