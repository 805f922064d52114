"""One conversation: the session model (its file format is `musterm.formats.session_file`).

A session is self-contained: it copies each question's text, kind and scale from
the framework, so it still reads correctly after the framework changes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    create_model,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from musterm.model import kinds, limits
from musterm.model.framework import Framework, QuestionKind, ThemeRole
from musterm.model.labels import FOLLOWUP_LABELS, PLAN_COLUMN_KEYS, PLAN_COLUMNS, STATUS_LABELS

SCHEMA_VERSION = 1
"""The format of a conversation that uses nothing newer: every file musterm wrote before format 2 existed,
and every conversation since whose framework asks nothing of format 2. It is written so, byte for byte."""

NEWEST_SCHEMA = 2
"""The newest format this musterm reads and writes. Format 2 adds what frameworks gained with issue 16
(`FORMAT_2`); a file is written with format 2 only when it holds some of it, so an older musterm refuses
it clearly ("skrevet af en nyere musterm") instead of tripping over an unknown key."""

_TRAILING_SPACE = re.compile(r"[ \t\f\v]+$", re.MULTILINE)
_LINE_END_SPACES = " \t\f\v"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters other than tab and newline: pasted terminal escapes would reach `musterm show`;
and the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make
a terminal show text in another order than it is ('Trojan source')."""


def normalize_text(text: str) -> str:
    """LF line endings, no trailing spaces, no control characters, composed characters (NFC, so
    'René' typed on a Mac is the same name): what a diff, a search and the folder name should see.

    Each text is normalised when read, and three times when written (serialised, validated,
    serialised): the quick looks for a carriage return or a space before a line's end skip the
    replacements a text does not need (a 2,000-line note took 4 ms each time)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    if text[-1:] in _LINE_END_SPACES or any(f"{space}\n" in text for space in _LINE_END_SPACES):
        text = _TRAILING_SPACE.sub("", text)
    return text


def one_line(text: str) -> str:
    return " ".join(normalize_text(text).split())


def naive_time(value: dt.time) -> dt.time:
    return value.replace(tzinfo=None)


def local_datetime(value: dt.datetime) -> dt.datetime:
    """A moment as local wall-clock time without a zone, as the file keeps it (TOML's local date-time)."""
    return value.astimezone().replace(tzinfo=None) if value.tzinfo is not None else value


def _within_limit(text: str) -> str:
    if len(text) > limits.MAX_TEXT:
        raise ValueError(limits.text_too_long(len(text)))
    return text


Text = Annotated[str, AfterValidator(_within_limit), AfterValidator(normalize_text), PlainSerializer(normalize_text)]
Line = Annotated[str, AfterValidator(one_line), PlainSerializer(one_line)]
Name = Annotated[Line, StringConstraints(min_length=1, max_length=200)]
LocalTime = Annotated[dt.time, AfterValidator(naive_time), PlainSerializer(naive_time)]
LocalDateTime = Annotated[dt.datetime, AfterValidator(local_datetime), PlainSerializer(local_datetime)]


class Status(StrEnum):
    DRAFT = "draft"
    HELD = "held"
    CLOSED = "closed"
    REOPENED = "reopened"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.value]

    @property
    def editable(self) -> bool:
        return self is not Status.CLOSED




class FollowUpStatus(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    ABANDONED = "abandoned"

    @property
    def label(self) -> str:
        return FOLLOWUP_LABELS[self.value]




FORMAT_2: dict[str, frozenset[str]] = {}
"""Per record class, the fields that format 2 added; a record whose such field is not its default needs
format 2. Each model below registers its own (`_format_2`)."""


def _format_2(cls: type, *names: str) -> None:
    FORMAT_2[cls.__name__] = FORMAT_2.get(cls.__name__, frozenset()) | frozenset(names)


def _uses_format_2(record: BaseModel) -> bool:
    names = FORMAT_2.get(type(record).__name__, ())
    fields = type(record).model_fields
    return any(getattr(record, name) != fields[name].get_default(call_default_factory=True) for name in names)


def _field_errors(model: str, problems: list[tuple[str, str, Any]]) -> ValidationError:
    """Errors found by a model validator, each located at its own field (so a file error names its line)."""
    return ValidationError.from_exception_data(
        model,
        [
            InitErrorDetails(type=PydanticCustomError("value_error", message), loc=(name,), input=value)
            for name, message, value in problems
        ],
    )


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=False)


class Person(Record):
    name: Name
    number: Line = ""
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    email: Line = ""

    def age_in(self, year: int) -> int | None:
        return year - self.birth_year if self.birth_year else None


class FrameworkRef(Record):
    id: Line
    name: Line
    version: Line


class ScaleSnapshot(Record):
    min: int
    max: int
    label: Text = ""
    low_label: Text = ""
    high_label: Text = ""
    steps: list[Line] = []
    unknown: Line = ""

    def contains(self, value: int) -> bool:
        return self.min <= value <= self.max

    def step(self, value: int | None) -> str:
        """The label of a step ('' without one)."""
        if value is None or not self.steps or not self.contains(value):
            return ""
        return self.steps[value - self.min]


_format_2(ScaleSnapshot, "steps", "unknown")


class _QuestionTop(Record):
    """The fields of a question before its answers (`QuestionRecord`)."""

    id: Line
    number: Line = ""
    text: Text
    kind: QuestionKind = Field(strict=False)
    mandatory: bool = False
    employee_text: Text = ""
    audience: str = "both"

    @model_validator(mode="after")
    def _answers_fit_the_question(self) -> _QuestionTop:
        given = [(field, value) for field in _CHECKED if (value := getattr(self, field.name)) is not None]
        if not given:
            return self
        data = self.as_data()
        problems = [(field.name, message, value) for field, value in given if (message := field.check(value, data))]
        if problems:
            raise _field_errors(type(self).__name__, problems)
        return self

    def as_data(self) -> dict[str, Any]:
        """The question's values shaped like its table in the file (the scale as a dict): what `kinds` reads."""
        data = dict(vars(self))  # the fields' values (pydantic keeps them in __dict__); dict(self) is slower
        if self.scale is not None:
            data["scale"] = dict(vars(self.scale))
        return data

    @property
    def answered(self) -> bool:
        """Whether the conversation produced an answer to this question."""
        return kinds.get(self.kind).answered(self.as_data())


_CHECKED = tuple(field for field in kinds.answer_fields() if field.check is not None)
_TEXT_TYPES: dict[Any, Any] = {str: Text, str | None: Text | None, list[str]: list[Text]}


def _answer_field(field: kinds.AnswerField) -> tuple[Any, Any]:
    return (_TEXT_TYPES[field.type] if field.text else field.type), field.default


QuestionRecord = create_model(
    "QuestionRecord",
    __base__=_QuestionTop,
    __module__=__name__,
    __doc__="A question as the framework asked it, and what was answered: the answer fields of every kind "
    "(`musterm.model.kinds`), each question using its own kind's.",
    **{field.name: _answer_field(field) for field in kinds.answer_fields()},
    notes=(Text, ""),
    employee_notes=(Text, ""),
    scale=(ScaleSnapshot | None, None),
    options=(dict[str, Line], {}),
)


_format_2(QuestionRecord, "employee_text", "audience", *kinds.format_2_fields())


class ThemeRecord(Record):
    id: Line
    title: Text
    role: ThemeRole = Field(default=ThemeRole.THEME, strict=False)
    mandatory: bool = False
    minutes: int | None = Field(default=None, ge=1, le=240)
    in_trends: bool = True
    in_summary: bool = True
    seconds: int = Field(default=0, ge=0)
    """Time spent on the theme while the conversation was held (the agenda's 'elapsed')."""
    notes: Text = ""
    employee_notes: Text = ""
    questions: list[QuestionRecord] = []

    @property
    def open(self) -> bool:
        """A mandatory theme nobody has written about yet, nor answered any of its questions."""
        return self.mandatory and not self.notes.strip() and not any(q.answered for q in self.questions)


_format_2(ThemeRecord, "mandatory", "minutes", "in_trends", "in_summary", "seconds")


def _plan_columns(default: str | None = None) -> dict[str, Any]:
    """A field per column of the plan (`PLAN_COLUMNS`): its heading as default, or `default`."""
    return {key: (Text, heading if default is None else default) for key, heading in PLAN_COLUMNS.items()}


def _row_status() -> tuple[Any, Any]:
    return FollowUpStatus | None, Field(default=None, strict=False)


PlanHeadings = create_model("PlanHeadings", __base__=Record, __module__=__name__, **_plan_columns())


class _PlanRowBase(Record):
    id: Line

    def column(self, key: str) -> str:
        return getattr(self, key)

    @property
    def empty(self) -> bool:
        return not any(self.column(key).strip() for key in PLAN_COLUMN_KEYS)


PlanRow = create_model(
    "PlanRow", __base__=_PlanRowBase, __module__=__name__, **_plan_columns(""), status=_row_status(),
    competence=(Line, ""),
)
_format_2(PlanRow, "competence")


class PlanFieldRecord(Record):
    id: Line
    label: Text
    text: Text = ""


class Plan(Record):
    headings: PlanHeadings = PlanHeadings()
    rows: list[PlanRow] = []
    fields: list[PlanFieldRecord] = []

    def next_row_id(self) -> str:
        used = [int(row.id) for row in self.rows if row.id.isdigit()]
        return str(max(used, default=0) + 1)


class _FollowUpRowBase(Record):
    session: dt.date
    row: Line


FollowUpRow = create_model(
    "FollowUpRow",
    __base__=_FollowUpRowBase,
    __module__=__name__,
    __doc__="A row of the plan agreed at an earlier conversation, and how it went.",
    **_plan_columns(""),
    status=_row_status(),
    comment=(Text, ""),
)


class Preparation(Record):
    manager_notes: Text = ""
    employee_notes: Text = ""
    employee_submitted: dt.date | None = None


class Closing(Record):
    evaluation: Text = ""
    followup_date: dt.date | None = None
    leader_signed: dt.date | None = None
    employee_signed: dt.date | None = None


class Private(Record):
    notes: Text = ""


class Session(Record):
    """One MUS conversation. Field order is the order of the file."""

    schema_version: int
    status: Status = Field(strict=False)
    date: dt.date
    time: LocalTime | None = None
    place: Line = ""
    started: LocalDateTime | None = None
    framework: FrameworkRef
    employee: Person
    manager: Person
    preparation: Preparation = Preparation()
    followup: list[FollowUpRow] = []
    themes: list[ThemeRecord] = []
    plan: Plan = Plan()
    closing: Closing = Closing()
    private: Private = Private()

    @model_validator(mode="after")
    def _supported_schema(self) -> Session:
        if not SCHEMA_VERSION <= self.schema_version <= NEWEST_SCHEMA:
            message = f"{self.schema_version} kendes ikke (musterm læser format {SCHEMA_VERSION}–{NEWEST_SCHEMA})"
            raise _field_errors(type(self).__name__, [("schema_version", message, self.schema_version)])
        # In memory the version means nothing: what the file needs is worked out when it is written.
        self.schema_version = SCHEMA_VERSION
        return self

    def schema_needed(self) -> int:
        """The format the file must say: 2 when the conversation holds anything of format 2, else 1."""
        return NEWEST_SCHEMA if any(_uses_format_2(record) for record in self._records()) else SCHEMA_VERSION

    def _records(self) -> list[BaseModel]:
        records: list[BaseModel] = [self.plan, self.closing]
        for theme in self.themes:
            records.append(theme)
            for question in theme.questions:
                records.append(question)
                if question.scale is not None:
                    records.append(question.scale)
        return records + list(self.plan.rows) + list(self.followup)

    def questions(self) -> list[tuple[ThemeRecord, QuestionRecord]]:
        return [(theme, question) for theme in self.themes for question in theme.questions]

    def question(self, question_id: str) -> QuestionRecord | None:
        return next((q for _, q in self.questions() if q.id == question_id), None)

    def theme(self, theme_id: str) -> ThemeRecord | None:
        return next((theme for theme in self.themes if theme.id == theme_id), None)

    def competences(self) -> list[QuestionRecord]:
        """The questions of a kind on the competence wheel (`Kind.wheel`), in order: the wheel's spokes,
        and what a plan row may point to."""
        return [question for _, question in self.questions() if kinds.get(question.kind).wheel]

    def competence_of(self, row: PlanRow) -> QuestionRecord | None:
        """The question a plan row points to (`PlanRow.competence`); None when it points to none, or to
        a question this conversation does not ask (a hand-edited file: then its id is all there is)."""
        return self.question(row.competence) if row.competence else None

    def competence_name(self, row: PlanRow) -> str:
        """The row's competence as the plan shows it: the question's text on one line, else its id ('' for none)."""
        competence = self.competence_of(row)
        return one_line(competence.text) if competence is not None else row.competence

    def unanswered(self) -> list[tuple[ThemeRecord, QuestionRecord]]:
        """Open questions, mandatory ones first (questions only for the employee's preparation are not open)."""
        open_ones = [(theme, q) for theme, q in self.questions() if not q.answered and q.audience != "employee"]
        return sorted(open_ones, key=lambda pair: not pair[1].mandatory)

    def open_mandatory_themes(self) -> list[ThemeRecord]:
        """Mandatory themes not yet talked about (no notes, no answered question)."""
        return [theme for theme in self.themes if theme.open]

    @property
    def title(self) -> str:
        return f"{self.employee.name} {self.date.isoformat()}"


# --- building a session from a framework ---------------------------------------------------


def new_session(
    framework: Framework,
    employee: Person,
    manager: Person,
    date: dt.date,
    time: dt.time | None = None,
    place: str = "",
    previous: Session | None = None,
) -> Session:
    """A draft conversation with the framework's questions copied in, and last plan to follow up."""
    themes = [
        ThemeRecord(
            id=theme.id,
            title=theme.title,
            role=theme.role,
            mandatory=theme.mandatory,
            minutes=theme.minutes,
            in_trends=theme.in_trends,
            in_summary=theme.summary,
            questions=[_question_record(framework, theme, question) for question in theme.questions],
        )
        for theme in framework.themes_for(date.year)
    ]
    columns = framework.plan.columns
    plan = Plan(
        headings=PlanHeadings(**{key: getattr(columns, key).heading for key in PLAN_COLUMN_KEYS}),
        fields=[PlanFieldRecord(id=field.id, label=field.label) for field in framework.plan.fields],
    )
    return Session(
        schema_version=SCHEMA_VERSION,
        status=Status.DRAFT,
        date=date,
        time=time,
        place=place,
        framework=FrameworkRef(id=framework.id, name=framework.name, version=framework.version),
        employee=employee,
        manager=manager,
        followup=followup_from(previous) if previous else [],
        themes=themes,
        plan=plan,
    )


def _question_record(framework: Framework, theme, question) -> QuestionRecord:  # noqa: ANN001
    kind = kinds.get(question.kind)
    scale = framework.scale_of(theme, question) if kind.scale else None
    return QuestionRecord(
        id=question.id,
        number=question.number,
        text=question.text,
        kind=question.kind,
        mandatory=question.mandatory,
        employee_text=question.employee_text,
        audience=question.audience,
        scale=ScaleSnapshot(**scale.model_dump()) if scale else None,
        options={option.id: option.label for option in question.options},
        **kind.new_answers(question),
    )


def followup_from(previous: Session) -> list[FollowUpRow]:
    """The earlier plan's rows, ready for a status and a comment in the new conversation."""
    return [
        FollowUpRow(
            session=previous.date,
            row=row.id,
            **{key: row.column(key) for key in PLAN_COLUMN_KEYS},
            status=row.status,
        )
        for row in previous.plan.rows
        if not row.empty
    ]
