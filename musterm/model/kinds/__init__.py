"""Question kinds: one entry per kind of question, which every part of musterm asks.

A question's kind (score, text, yesno, choice, list) decides which answer fields its table in the
session file has and how they are checked against the question; how the answer reads in `musterm
show` and `git log -p`, in the export and in `musterm diff`; how the employee gives it in the
preparation form and how the form is read back; what it counts in trends; and what search reads.
All of that is the kind's entry here. Nothing else in musterm branches on the kind, except the
app's choice of widgets (`musterm.app.kinds`).

To add a kind: subclass `Kind` (`base`) with its answer fields and whatever differs from the
defaults, add an instance to `builtin.BUILT_IN`, and give it its widgets in `musterm.app.kinds`.
Kinds are registered before `musterm.model.framework` is imported, because the framework and
session models are built from the registry then; a test may `register` one of its own before that.

Entries read a question as `Data`: its table in the session file, as a mapping. No I/O, no
pydantic, no Textual here: `git log -p` renders session files with this package alone.
"""

from __future__ import annotations

from musterm.model.kinds.base import (
    AnswerField,
    Compared,
    Data,
    Form,
    FormField,
    FormProblem,
    Kind,
    Tally,
    Trend,
    answer_fields,
    filled,
    form_fields,
    format_2_fields,
    form_instructions,
    get,
    kinds,
    prepared_fields,
    register,
    sealed,
    tallies,
)
from musterm.model.kinds.builtin import BUILT_IN, DEFAULT_KIND, competence_gap

ITEMS_REFUSAL = "er ikke en liste"
"""Why a question whose kind has no items refuses numbered lines in the form."""

for _kind in BUILT_IN:
    register(_kind)

__all__ = [
    "DEFAULT_KIND",
    "ITEMS_REFUSAL",
    "AnswerField",
    "Compared",
    "Data",
    "Form",
    "FormField",
    "FormProblem",
    "Kind",
    "Tally",
    "Trend",
    "answer_fields",
    "competence_gap",
    "filled",
    "form_fields",
    "format_2_fields",
    "form_instructions",
    "get",
    "kinds",
    "prepared_fields",
    "register",
    "sealed",
    "tallies",
]
