"""Every element of each bundled framework is on its tab (F2–F6) at 80×24 (issue 16).

The text of a tab is what its widgets show (scrolling brings it into view): statics, the labels
of checkboxes and radio buttons, the titles of notes areas and folded guidance. The Noter tab
builds a panel the first time its item is chosen, so every item of its index is chosen in turn.
"""

from __future__ import annotations

import pytest
from textual.widget import Widget
from textual.widgets import Checkbox, Collapsible, RadioButton, Static

from musterm.app.tabs.closing import ClosingTab
from musterm.app.tabs.notes import NotesIndex, NotesTab
from musterm.app.tabs.plan import PlanTab
from musterm.app.tabs.preparation import PreparationTab
from musterm.app.tabs.scoring import ScoringTab
from tests.guide_elements import (
    closing_elements,
    conversation_elements,
    framework_elements,
    missing,
    plan_elements,
    signature_elements,
)

from .helpers import CATALOG, make_store, new_app, open_from_start, plan, wait_until

BUNDLED = sorted(entry.framework.id for entry in CATALOG if entry.origin == "indbygget")


def widget_text(root: Widget) -> str:
    parts: list[str] = []
    for widget in [root, *root.query("*")]:
        if isinstance(widget, Checkbox | RadioButton):
            parts.append(str(widget.label))
        elif isinstance(widget, Collapsible):
            parts.append(widget.title)
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
        if widget.border_title:
            parts.append(str(widget.border_title))
    return "\n".join(parts)


@pytest.mark.parametrize("framework_id", BUNDLED)
async def test_every_element_is_on_its_tab(tmp_path, framework_id: str) -> None:  # noqa: ANN001
    framework = CATALOG.get(framework_id)
    store = make_store(tmp_path)
    plan(store, framework_id, birth_year=1960)
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await pilot.press("f2")
        preparation = widget_text(screen.query_one(PreparationTab))
        assert missing(framework_elements(framework), preparation) == []
        assert missing([(g.title, g.title) for g in framework.guidance], preparation) == []

        await pilot.press("f3")
        scoring = widget_text(screen.query_one(ScoringTab))

        await pilot.press("f4")
        index = screen.query_one(NotesIndex)
        for position in range(index.option_count):
            index.highlighted = position
            await pilot.pause()
        notes = widget_text(screen.query_one(NotesTab))
        assert missing(conversation_elements(framework), notes + "\n" + scoring) == []

        await pilot.press("f5")
        assert missing(plan_elements(framework), widget_text(screen.query_one(PlanTab))) == []

        await pilot.press("f6")
        closing_tab = screen.query_one(ClosingTab)
        closing = widget_text(closing_tab)
        assert missing(closing_elements(framework) + signature_elements(framework), closing) == []
        signers = [label for label in framework.closing.signatures if label != "Dato"]
        assert [str(box.label).split(" har ")[0] for box in closing_tab.query(Checkbox)] == signers
        assert ("Underskrifter" in closing) == bool(signers)
        await pilot.press("ctrl+q")


async def test_a_choices_explanations_are_readable_before_choosing(tmp_path) -> None:  # noqa: ANN001
    """Norddjurs' four leadership styles are the question: what each means shows before one is chosen."""
    store = make_store(tmp_path)
    plan(store, "norddjurs")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await pilot.press("f4")
        tab = screen.query_one(NotesTab)
        tab.select("organisation-og-ledelse", "ledelsestype")
        await wait_until(lambda: tab.query("#option-helpers"), what="the leadership question's panel")
        shown = str(tab.query_one("#option-helpers", Static).render())
        assert shown == (
            "Støttende ledelse: Leder lytter og opmuntrer — der træffes fælles beslutning\n"
            "Trænende ledelse: Leder inddrager dig i beslutninger\n"
            "Delegerende ledelse: Du træffer beslutninger — leder er til rådighed på distancen\n"
            "Instruerende ledelse: Leder træffer beslutninger, instruerer og følger op"
        )
        await pilot.press("ctrl+q")
