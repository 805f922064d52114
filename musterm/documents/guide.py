"""What the framework's guide says around a theme or question, for `show`, the export and the form.

A session copies each question's text, kind, scale and option labels; the guide's other texts
(descriptions, notices, helper questions, the options' explanations, the plan's intro, the
evaluation prompt) stay in the framework. These functions gather them for one place of the
conversation, so every document shows the same texts in the same order; with no framework (it
is gone) they give nothing, and the documents show what the session holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from musterm.model.framework import Framework


@dataclass(frozen=True)
class OptionSaid:
    label: str
    description: str = ""
    helpers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Said:
    """The guide's texts for one theme or question, in the order documents show them."""

    notice: str = ""
    description: str = ""
    helpers: tuple[str, ...] = ()
    options: tuple[OptionSaid, ...] = ()
    """A question's options with their explanations, when any option has one (else the labels say it all)."""


NOTHING = Said()


def theme_said(framework: Framework | None, theme_id: str) -> Said:
    theme = framework.theme(theme_id) if framework else None
    if theme is None:
        return NOTHING
    return Said(theme.notice.strip(), theme.description.strip(), tuple(theme.helpers))


def question_said(framework: Framework | None, question_id: str) -> Said:
    found = framework.question(question_id) if framework else None
    if found is None:
        return NOTHING
    question = found[1]
    options = tuple(OptionSaid(o.label, o.description.strip(), tuple(o.helpers)) for o in question.options)
    if not any(option.description or option.helpers for option in options):
        options = ()
    return Said(question.notice.strip(), question.description.strip(), tuple(question.helpers), options)


def scale_text(scale: Mapping[str, Any] | None) -> str:
    """'Skala 1–6: Scores fra 1-6 med 6 som top (6 = top)': the scale's own words, '' without any."""
    if not scale:
        return ""
    ends = [f"{scale['min']} = {scale['low_label']}"] if scale.get("low_label") else []
    ends += [f"{scale['max']} = {scale['high_label']}"] if scale.get("high_label") else []
    label = " ".join(str(scale.get("label") or "").split())
    if not label and not ends:
        return ""
    text = f"Skala {scale['min']}–{scale['max']}" + (f": {label}" if label else "")
    return text + (f" ({', '.join(ends)})" if ends else "")


def framework_named(name: str, version: str, framework: Framework | None) -> str:
    """'MUS i X (version 2024-01, Revideret 01/2024)': the conversation's framework and the guide's revision."""
    revised = " ".join(framework.revised.split()) if framework else ""
    return f"{name} (version {version}" + (f", {revised}" if revised else "") + ")"


def source_of(framework: Framework | None) -> str:
    return " ".join(framework.source.split()) if framework else ""


def plan_intro(framework: Framework | None) -> str:
    return framework.plan.intro.strip() if framework else ""


def evaluation_prompt(framework: Framework | None) -> str:
    return framework.closing.evaluation.strip() if framework else ""
