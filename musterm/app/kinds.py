"""Which widgets each question kind (`musterm.model.kinds`) has in the app: the one place the app asks.

`PANEL_WIDGETS`: the answer widgets of a question's panel in the Noter tab, between its helper
questions and its notes. `SCORING_ROWS`: the kinds the Scoring tab lists, and their row there.
A new kind adds its entry to each mapping it needs (none: a question answered with notes alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.widget import Widget

from musterm.app.widgets.answers import ChoiceButtons, ItemInput, OptionHelpers, YesNoButtons
from musterm.app.widgets.score_row import CompetenceRow, ScoreRow
from musterm.model.framework import Question as FrameworkQuestion
from musterm.model.session import QuestionRecord

PanelWidgets = Callable[[QuestionRecord, FrameworkQuestion | None, bool], Iterable[Widget]]
"""(the question, the framework's question if known, read only) -> the answer widgets."""


def _choice(question: QuestionRecord, source: FrameworkQuestion | None, read_only: bool) -> list[Widget]:
    return [ChoiceButtons(question, source, read_only), OptionHelpers(question, source)] if question.options else []


def _score(question: QuestionRecord, source: FrameworkQuestion | None, read_only: bool) -> list[Widget]:
    return [ScoreRow(question, read_only, show_text=False, classes="panel-score"), *_choice(question, source, read_only)]


def _competence(question: QuestionRecord, source: FrameworkQuestion | None, read_only: bool) -> list[Widget]:
    return [CompetenceRow(question, read_only, show_text=False, classes="panel-score")]


def _yes_no(question: QuestionRecord, source: FrameworkQuestion | None, read_only: bool) -> list[Widget]:
    return [YesNoButtons(question, read_only)]


def _items(question: QuestionRecord, source: FrameworkQuestion | None, read_only: bool) -> list[Widget]:
    return [ItemInput(question, index, read_only) for index in range(len(question.items))]


PANEL_WIDGETS: dict[str, PanelWidgets] = {
    "score": _score,
    "choice": _choice,
    "yesno": _yes_no,
    "list": _items,
    "competence": _competence,
}

SCORING_ROWS: dict[str, Callable[..., Widget]] = {"score": ScoreRow, "competence": CompetenceRow}
"""Called as ScoreRow is: (question, read_only, earlier scores as text, id=...)."""


def panel_widgets(question: QuestionRecord, source: FrameworkQuestion | None, read_only: bool) -> Iterable[Widget]:
    widgets = PANEL_WIDGETS.get(question.kind)
    return widgets(question, source, read_only) if widgets else ()
