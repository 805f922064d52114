"""The MUS framework: what a municipality's guide asks, as a strict pydantic model.

A framework is one TOML file written by HR. This module only describes its shape
and the rules that tie its parts together; reading files, `extends` and error
locations live in `musterm.frameworks`.
"""

from __future__ import annotations

import string
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model, model_validator

from musterm.errors import Problem
from musterm.model import kinds
from musterm.model.labels import DEFAULT_NOTES_LABEL, PLAN_COLUMN_KEYS, PLAN_COLUMNS

FORMAT_VERSION = 1

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
"""Stable identifiers: lowercase ASCII, digits, '-' and '_'. Sessions refer to them for years."""

NonEmpty = Annotated[str, StringConstraints(min_length=1)]

INVITATION_PLACEHOLDERS = frozenset(
    {"medarbejder", "leder", "dato", "tid", "sted", "frist", "ramme", "kommune"}
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


QuestionKind = kinds.sealed()
"""The registered question kinds (`musterm.model.kinds`): score, text, yesno, choice, list."""


class ThemeRole(StrEnum):
    """What a theme is for; the app and exports give some roles their own treatment."""

    THEME = "theme"
    OPENING = "opening"
    ORGANISATION = "organisation"
    VALUES = "values"
    SELF_ASSESSMENT = "self_assessment"
    TASKS = "tasks"
    SALARY = "salary"
    LAST_MUS = "last_mus"
    LEADER = "leader"
    """The employee's view of the leader as leader: kept out of trends, and out of the manager's summary
    when the theme says `summary = false`."""
    SENIOR = "senior"
    OTHER = "other"
    GOALS = "goals"


class Phase(StrEnum):
    PURPOSE = "purpose"
    PREPARATION = "preparation"
    CONVERSATION = "conversation"
    PLAN = "plan"
    FOLLOWUP = "followup"


class Scale(Strict):
    min: int
    max: int
    label: str = ""
    low_label: str = ""
    high_label: str = ""
    steps: list[NonEmpty] = []
    """A label for every step, from min to max (format 2)."""
    unknown: str = ""
    """An answer that is not a number, e.g. "Ved ikke / ikke relevant"; never counted in trends (format 2)."""

    @model_validator(mode="after")
    def _range_not_empty(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"skalaen {self.min}–{self.max} er tom: max skal være større end min")
        if self.max - self.min > 20:
            raise ValueError(f"skalaen {self.min}–{self.max} har mere end 21 trin")
        if self.steps and len(self.steps) != self.max - self.min + 1:
            raise ValueError(
                f"steps har {len(self.steps)} tekster, men skalaen {self.min}–{self.max} har "
                f"{self.max - self.min + 1} trin: skriv én tekst for hvert trin"
            )
        return self


class Option(Strict):
    id: Id
    label: NonEmpty
    description: str = ""
    helpers: list[str] = []


class Question(Strict):
    id: Id
    text: NonEmpty
    kind: QuestionKind = Field(default=QuestionKind(kinds.DEFAULT_KIND), strict=False)
    number: str = ""
    scale: Id | None = None
    description: str = ""
    notice: str = ""
    helpers: list[str] = []
    options: list[Option] = []
    items: int | None = Field(default=None, ge=1, le=20)
    mandatory: bool = False
    notes_label: str | None = None
    employee_text: str = ""
    """The question as the employee reads it in the preparation form, e.g. in the first person (format 2)."""
    audience: Literal["both", "employee"] = "both"
    """"employee": asked only in the employee's preparation; the meeting shows the answer (format 2)."""


class Theme(Strict):
    id: Id
    title: NonEmpty
    role: ThemeRole = Field(default=ThemeRole.THEME, strict=False)
    description: str = ""
    notice: str = ""
    helpers: list[str] = []
    scale: Id | None = None
    from_year: int | None = Field(default=None, ge=1900, le=2200)
    to_year: int | None = Field(default=None, ge=1900, le=2200)
    offered_from_age: int | None = Field(default=None, ge=16, le=80)
    notes_label: str | None = None
    mandatory: bool = False
    """Must be talked about: checked before closing like a mandatory question (format 2)."""
    minutes: int | None = Field(default=None, ge=1, le=240)
    """The theme's time box in the conversation's agenda (format 2)."""
    trends: bool | None = None
    """Whether its scores count in trends; default yes, no for role = "leader"."""
    summary: bool = True
    """Whether its answers reach the manager-facing summary (`musterm history`'s scores and the personnel file)."""
    questions: list[Question] = []

    @property
    def in_trends(self) -> bool:
        return self.trends if self.trends is not None else self.role != ThemeRole.LEADER

    def active_in(self, year: int) -> bool:
        after_start = self.from_year is None or year >= self.from_year
        before_end = self.to_year is None or year <= self.to_year
        return after_start and before_end


class Guidance(Strict):
    phase: Phase = Field(strict=False)
    title: NonEmpty
    text: NonEmpty


class Invitation(Strict):
    subject: str = "Invitation til MUS"
    template: NonEmpty
    prep_deadline_days: int | None = Field(default=None, ge=0, le=90)


class PlanColumn(Strict):
    heading: NonEmpty
    help: str = ""


PlanColumns = create_model(
    "PlanColumns",
    __base__=Strict,
    __module__=__name__,
    __doc__="The columns every plan has (`PLAN_COLUMNS`); a framework may give each its own heading and help.",
    **{key: (PlanColumn, PlanColumn(heading=heading)) for key, heading in PLAN_COLUMNS.items()},
)


class PlanField(Strict):
    id: Id
    label: NonEmpty
    help: str = ""


PlanColumnKey = Literal[PLAN_COLUMN_KEYS]  # type: ignore[valid-type]


class Plan(Strict):
    title: NonEmpty = "Individuel kompetenceudviklingsplan"
    intro: str = ""
    columns: PlanColumns = PlanColumns()
    show_columns: list[PlanColumnKey] | None = Field(default=None, strict=False)
    """The columns the plan's table has, in the format's order; none: all five; []: no table, only fields."""
    fields: list[PlanField] = []

    @property
    def column_keys(self) -> tuple[str, ...]:
        shown = PLAN_COLUMN_KEYS if self.show_columns is None else self.show_columns
        return tuple(key for key in PLAN_COLUMN_KEYS if key in shown)


class Closing(Strict):
    evaluation: str = ""
    signatures: list[NonEmpty] = ["Dato", "Leder", "Medarbejder"]


class Framework(Strict):
    format: Literal[1] = FORMAT_VERSION
    id: Id
    name: NonEmpty
    municipality: NonEmpty
    version: NonEmpty
    revised: str = ""
    language: Literal["da"] = "da"
    source: str = ""
    notes_label: NonEmpty = DEFAULT_NOTES_LABEL
    scales: dict[Id, Scale] = {}
    guidance: list[Guidance] = []
    invitation: Invitation | None = None
    themes: list[Theme] = Field(min_length=1)
    plan: Plan = Plan()
    closing: Closing = Closing()

    def themes_for(self, year: int) -> list[Theme]:
        """The themes a conversation held in `year` uses (rotating themes have years)."""
        return [theme for theme in self.themes if theme.active_in(year)]

    def questions(self, year: int | None = None) -> list[tuple[Theme, Question]]:
        themes = self.themes if year is None else self.themes_for(year)
        return [(theme, question) for theme in themes for question in theme.questions]

    def scale_of(self, theme: Theme, question: Question) -> Scale | None:
        scale_id = question.scale or theme.scale
        return self.scales.get(scale_id) if scale_id else None

    def guidance_for(self, phase: Phase) -> list[Guidance]:
        return [text for text in self.guidance if text.phase == phase]

    def theme(self, theme_id: str) -> Theme | None:
        return next((theme for theme in self.themes if theme.id == theme_id), None)

    def question(self, question_id: str) -> tuple[Theme, Question] | None:
        """A question by id, with its theme (ids are unique in a framework)."""
        return next(((t, q) for t, q in self.questions() if q.id == question_id), None)


def semantic_problems(framework: Framework) -> list[Problem]:
    """Rules that tie the parts of a valid-shaped framework together."""
    problems: list[Problem] = []
    problems += _duplicate_ids(framework)
    problems += _question_rules(framework)
    problems += _theme_rules(framework)
    problems += _plan_field_rules(framework)
    if framework.invitation is not None:
        problems += _invitation_rules(framework.invitation)
    return problems


def _duplicate_ids(framework: Framework) -> list[Problem]:
    problems: list[Problem] = []
    # Messages name the earlier theme by id, not by index: in a tailored framework the
    # merged indexes mean nothing in the file the user is reading.
    seen_themes: set[str] = set()
    seen_questions: dict[str, str] = {}
    for t, theme in enumerate(framework.themes):
        if theme.id in seen_themes:
            problems.append(Problem(path=("themes", t, "id"), message=f"tema-id '{theme.id}' er brugt af et tidligere tema"))
        seen_themes.add(theme.id)
        for q, question in enumerate(theme.questions):
            if question.id in seen_questions:
                problems.append(
                    Problem(
                        path=("themes", t, "questions", q, "id"),
                        message=f"spørgsmåls-id '{question.id}' er brugt før i temaet '{seen_questions[question.id]}'",
                    )
                )
            seen_questions.setdefault(question.id, theme.id)
            for o, option in enumerate(question.options):
                if [opt.id for opt in question.options].index(option.id) != o:
                    problems.append(
                        Problem(
                            path=("themes", t, "questions", q, "options", o, "id"),
                            message=f"valgmulighed '{option.id}' er brugt før i samme spørgsmål",
                        )
                    )
    return problems


def _question_rules(framework: Framework) -> list[Problem]:
    problems: list[Problem] = []
    for t, theme in enumerate(framework.themes):
        for q, question in enumerate(theme.questions):
            at = ("themes", t, "questions", q)
            if question.scale and question.scale not in framework.scales:
                problems.append(Problem(path=(*at, "scale"), message=_unknown_scale(question.scale, framework)))
            has_scale = bool(question.scale or theme.scale)
            for key, message in kinds.get(question.kind).framework_problems(question, has_scale):
                problems.append(Problem(path=(*at, key), message=message))
    return problems


def _theme_rules(framework: Framework) -> list[Problem]:
    problems: list[Problem] = []
    for t, theme in enumerate(framework.themes):
        if theme.scale and theme.scale not in framework.scales:
            problems.append(Problem(path=("themes", t, "scale"), message=_unknown_scale(theme.scale, framework)))
        if theme.from_year and theme.to_year and theme.to_year < theme.from_year:
            problems.append(
                Problem(
                    path=("themes", t, "to_year"),
                    message=f"to_year {theme.to_year} ligger før from_year {theme.from_year}",
                )
            )
        if theme.offered_from_age is not None and theme.role != ThemeRole.SENIOR:
            problems.append(
                Problem(path=("themes", t, "offered_from_age"), message="offered_from_age passer kun til role = \"senior\"")
            )
    return problems


def _plan_field_rules(framework: Framework) -> list[Problem]:
    problems: list[Problem] = []
    shown = framework.plan.show_columns or []
    for c, key in enumerate(shown):
        if shown.index(key) != c:
            problems.append(Problem(path=("plan", "show_columns", c), message=f"kolonnen '{key}' står der to gange"))
    seen: set[str] = set()
    for f, field in enumerate(framework.plan.fields):
        if field.id in seen or field.id in PLAN_COLUMN_KEYS:
            problems.append(
                Problem(path=("plan", "fields", f, "id"), message=f"feltet '{field.id}' er brugt før i planen")
            )
        seen.add(field.id)
    return problems


def _invitation_rules(invitation: Invitation) -> list[Problem]:
    at = ("invitation", "template")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(invitation.template) if name is not None}
    except ValueError as error:
        return [Problem(path=at, message=f"skabelonen kan ikke læses: {_brace_problem(invitation.template, error)}")]
    problems: list[Problem] = []
    unknown = sorted(name for name in names if name not in INVITATION_PLACEHOLDERS)
    if unknown:
        known = ", ".join("{" + name + "}" for name in sorted(INVITATION_PLACEHOLDERS))
        shown = ", ".join("{" + name + "}" for name in unknown)
        message = f"ukendt pladsholder {shown}; kendte er {known} (skriv {{{{ og }}}} for krøllede parenteser)"
        problems.append(Problem(path=at, message=message))
    if "frist" in names and invitation.prep_deadline_days is None:
        problems.append(
            Problem(
                path=at,
                message="{frist} bruges i brevet, men prep_deadline_days er ikke sat under [invitation]; "
                "skriv fx prep_deadline_days = 5 (dage før samtalen), eller fjern {frist}",
            )
        )
    return problems


def _brace_problem(template: str, error: ValueError) -> str:
    """Python's English complaint about a template, in Danish, with the place it is at."""
    closing = "'}'" in str(error) and "Single" in str(error)
    depth, place = 0, None
    index = 0
    while index < len(template):
        char = template[index]
        if template.startswith("{{", index) and depth == 0 or template.startswith("}}", index) and depth == 0:
            index += 2
            continue
        if char == "{":
            depth, place = depth + 1, index if depth == 0 else place
        elif char == "}":
            if depth == 0:
                place = index
                closing = True
                break
            depth -= 1
        index += 1
    snippet = ""
    if place is not None:
        snippet = " ved »" + " ".join(template[place : place + 20].split()) + "«"
    if closing:
        return f"en '}}' uden en '{{' før{snippet}; skriv }}}} for en krøllet parentes"
    return f"en '{{' uden en '}}' efter{snippet}; skriv {{{{ for en krøllet parentes"


def _unknown_scale(scale_id: str, framework: Framework) -> str:
    known = ", ".join(sorted(framework.scales)) or "ingen"
    return f"skalaen '{scale_id}' findes ikke under [scales] (kendte: {known})"
