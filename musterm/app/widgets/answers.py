"""The answer widgets of a question's panel in the Noter tab; each writes its answer into the question.

Which kind of question gets which widgets is `musterm.app.kinds`.
"""

from __future__ import annotations

from textual import on
from textual.widgets import Input, RadioSet, Static

from musterm.app.messages import Changed
from musterm.app.widgets.steady import SteadyInput
from musterm.app.widgets.toggles import RadioButton
from musterm.model.framework import Question as FrameworkQuestion
from musterm.model.session import QuestionRecord


class ChoiceButtons(RadioSet):
    """One of the question's options; every option's description and helpers below (`OptionHelpers`)."""

    def __init__(self, question: QuestionRecord, source: FrameworkQuestion | None, read_only: bool) -> None:
        buttons = [RadioButton(label, value=option_id == question.choice) for option_id, label in question.options.items()]
        super().__init__(*buttons, id="choice", disabled=read_only)
        self.question = question
        self.source = source

    @on(RadioSet.Changed)
    def _chosen(self, event: RadioSet.Changed) -> None:
        self.question.choice = list(self.question.options)[event.index]
        if self.parent is not None:
            self.parent.query_one(OptionHelpers).update(option_helpers(self.question, self.source))
        self.post_message(Changed())


class OptionHelpers(Static):
    def __init__(self, question: QuestionRecord, source: FrameworkQuestion | None) -> None:
        super().__init__(option_helpers(question, source), id="option-helpers", classes="helpers")


def option_helpers(question: QuestionRecord, source: FrameworkQuestion | None) -> str:
    """Every option's explanation and helper questions, readable before one is chosen; the chosen one marked."""
    if source is None or not any(o.description or o.helpers for o in source.options):
        return ""
    lines = []
    for option in source.options:
        mark = "▶ " if option.id == question.choice else ""
        lines.append(f"{mark}{option.label}" + (f": {option.description}" if option.description else ""))
        lines += [f"  • {helper}" for helper in option.helpers]
    return "\n".join(lines)


def helpers_text(helpers: list[str]) -> str:
    return "Hjælpespørgsmål:\n" + "\n".join(f"  • {helper}" for helper in helpers)


class YesNoButtons(RadioSet):
    def __init__(self, question: QuestionRecord, read_only: bool) -> None:
        buttons = [RadioButton("Ja", value=question.answer is True), RadioButton("Nej", value=question.answer is False)]
        super().__init__(*buttons, id="yesno", disabled=read_only)
        self.question = question

    @on(RadioSet.Changed)
    def _answered(self, event: RadioSet.Changed) -> None:
        self.question.answer = event.index == 0
        self.post_message(Changed())


class ItemInput(SteadyInput):
    """One item of a list question."""

    def __init__(self, question: QuestionRecord, index: int, read_only: bool) -> None:
        item = question.items[index]
        super().__init__(item, placeholder=f"{index + 1}.", id=f"item-{index}", compact=True, disabled=read_only)
        self.question = question
        self.index = index

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self.question.items[self.index] = event.value
        self.post_message(Changed())
