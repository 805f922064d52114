"""Every text of a framework that a person must read, and the places it belongs (issue 16).

Built from the framework itself, so a new bundled framework is covered without a list to keep up.
Each element is (what, text): `what` names it in a failure message.
"""

from __future__ import annotations

import html
import re

from musterm.model.framework import Framework, Phase

YEAR = 2026
SIGNATURE_DATE = "Dato"


def normalized(text: str) -> str:
    """Text as a reader sees it: no '#' of a form's comment, no Markdown escapes, tags or bold, one space."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"(?m)^#+ ?", "", text)
    text = re.sub(r"\\([\\`*_\[\]<>&|~#+=.)(-])", r"\1", text)
    text = text.replace("**", "").replace("\u00a0", " ")
    return " ".join(text.split())


def _text(value: str) -> str:
    return normalized(value)


def conversation_elements(framework: Framework, *, form: bool = False) -> list[tuple[str, str]]:
    """What belongs beside the conversation's themes and questions: on screen, in show, export and form
    (`form`: the questions in the employee's wording, where the framework gives one)."""
    found: list[tuple[str, str]] = []
    for theme in framework.themes_for(YEAR):
        at = f"themes[{theme.id}]"
        found.append((f"{at}.title", theme.title))
        found += [(f"{at}.notice", theme.notice)] if theme.notice else []
        found += [(f"{at}.description", theme.description)] if theme.description.strip() else []
        found += [(f"{at}.helpers", helper) for helper in theme.helpers]
        for question in theme.questions:
            here = f"{at}.questions[{question.id}]"
            text = (question.employee_text or question.text) if form else question.text
            found.append((f"{here}.text", text))
            found += [(f"{here}.mandatory", f"{text} (obligatorisk)")] if question.mandatory else []
            found += [(f"{here}.notice", question.notice)] if question.notice else []
            found += [(f"{here}.description", question.description)] if question.description.strip() else []
            found += [(f"{here}.helpers", helper) for helper in question.helpers]
            for option in question.options:
                found.append((f"{here}.options[{option.id}].label", option.label))
                found += [(f"{here}.options[{option.id}].description", option.description)] if option.description else []
                found += [(f"{here}.options[{option.id}].helpers", helper) for helper in option.helpers]
            scale = framework.scale_of(theme, question)
            if scale is not None and question.kind == "score":
                found += [(f"{here}.scale.label", scale.label)] if scale.label else []
                found += [(f"{here}.scale.low_label", f"{scale.min} = {scale.low_label}")] if scale.low_label else []
                found += [(f"{here}.scale.high_label", f"{scale.max} = {scale.high_label}")] if scale.high_label else []
    return [(what, _text(text)) for what, text in found]


def framework_elements(framework: Framework) -> list[tuple[str, str]]:
    """The framework's own revision note and source."""
    found = [("revised", framework.revised)] if framework.revised else []
    found += [("source", framework.source)] if framework.source else []
    return [(what, _text(text)) for what, text in found]


def plan_elements(framework: Framework, *, with_fields: bool = True) -> list[tuple[str, str]]:
    plan = framework.plan
    found = [("plan.title", plan.title)]
    found += [("plan.intro", plan.intro)] if plan.intro.strip() else []
    if with_fields:
        found += [(f"plan.fields[{field.id}].label", field.label) for field in plan.fields]
    return [(what, _text(text)) for what, text in found]


def closing_elements(framework: Framework) -> list[tuple[str, str]]:
    found = [("closing.evaluation", framework.closing.evaluation)] if framework.closing.evaluation else []
    return [(what, _text(text)) for what, text in found]


def signature_elements(framework: Framework) -> list[tuple[str, str]]:
    return [(f"closing.signatures[{label}]", label) for label in framework.closing.signatures if label != SIGNATURE_DATE]


def preparation_elements(framework: Framework) -> list[tuple[str, str]]:
    found = []
    for guidance in framework.guidance_for(Phase.PREPARATION):
        found += [(f"guidance[{guidance.title}].title", guidance.title.upper()), (f"guidance[{guidance.title}].text", guidance.text)]
    return [(what, _text(text)) for what, text in found]


def missing(elements: list[tuple[str, str]], document: str) -> list[str]:
    """The elements whose text is not in the document (both normalised)."""
    shown = normalized(document)
    return [f"{what}: {text[:70]}" for what, text in elements if text not in shown]
