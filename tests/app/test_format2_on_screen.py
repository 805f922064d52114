"""Format 2 on screen at 80×24 (issue 16): Herlev's competence wheel, agenda, "ved ikke", mandatory
themes before closing; Norddjurs' plan of two columns and two boxes."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from musterm.app.tabs.notes import NotesIndex, NotesTab
from musterm.app.tabs.plan import PlanTab
from musterm.app.widgets.score_row import CompetenceRow, ScoreRow
from musterm.formats.session_file import loads
from musterm.model.session import Status

from .helpers import file_text, make_store, new_app, open_from_start, plan, wait_until


async def _start(pilot, screen) -> None:  # noqa: ANN001
    await pilot.press("f9")
    await wait_until(lambda: screen.session.status == Status.HELD, what="the conversation to start")


async def test_competences_are_scored_now_then_wanted_and_the_wheel_follows(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    relative = plan(store, "herlev")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await _start(pilot, screen)
        await pilot.press("f3")
        await wait_until(lambda: isinstance(app.focused, ScoreRow), what="the first row")
        assert isinstance(app.focused, CompetenceRow)
        await pilot.press("2")
        await pilot.pause(1)  # past the two-digit window
        await pilot.press("4")
        question = screen.session.question("faglige-kompetencer")
        assert (question.now, question.wanted) == (2, 4)
        assert "gab: +2" in str(app.focused.render())
        wheel = screen.query_one("#wheel", Static)
        assert str(wheel.render()).splitlines()[0] == "Faglige kompetencer  █▒▒·  nu 2 → ønsket 4, gab +2"
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+q")
    session = loads(file_text(store, relative))
    assert (session.question("faglige-kompetencer").now, session.question("faglige-kompetencer").wanted) == (2, 4)
    assert file_text(store, relative).startswith("schema_version = 2\n")


async def test_ved_ikke_is_an_answer_on_its_own_key(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    plan(store, "herlev")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await _start(pilot, screen)
        await pilot.press("f3")
        row = screen.query_one("#score-trives-i-arbejdet", ScoreRow)
        row.focus()
        await pilot.press("4")
        assert "Enig" in str(row.render())
        await pilot.press("v")
        question = screen.session.question("trives-i-arbejdet")
        assert (question.score, question.unknown) == (None, True)
        assert "aftalt: Ved ikke / ikke relevant" in str(row.render())
        await pilot.press("ctrl+q")


async def test_the_agenda_counts_the_time_of_the_theme_shown_in_the_notes(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    plan(store, "herlev")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await pilot.press("f4")
        index = screen.query_one(NotesIndex)
        assert index.border_title == "Dagsorden 0/55 min"
        await pilot.pause()
        screen_text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "Dagsorden 0/55 min" in screen_text and "! Opfølgning fra sidst 0/5m" in screen_text
        assert "Opfølgning fra sidst 0/5m" in str(index.get_option_at_index(0).prompt)
        await _start(pilot, screen)
        tab = screen.query_one(NotesTab)
        tab.select("kompetenceudvikling", None)
        theme = screen.session.theme("kompetenceudvikling")
        await wait_until(lambda: theme.seconds >= 2, timeout=10, what="two seconds on the theme")
        assert screen.session.theme("opfoelgning-fra-sidst").seconds <= 1
        theme.seconds = 16 * 60
        tab.refresh_marks()
        prompt = index.get_option_at_index(index.get_option_index("t:kompetenceudvikling")).prompt
        assert str(prompt).startswith("! Kompetenceudvikl") and str(prompt).endswith(" 16/15m")
        assert index.border_title.startswith("Dagsorden 16/55 min")
        await pilot.press("ctrl+q")


async def test_closing_names_the_mandatory_themes_nobody_wrote_about(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    plan(store, "herlev")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await _start(pilot, screen)
        await pilot.press("f6")
        unanswered = str(screen.query_one("#unanswered", Static).render())
        assert " ! Forholdet til mål og værdier  [obligatorisk tema uden noter]" in unanswered
        await pilot.press("f9")
        await wait_until(lambda: app.screen is not screen, what="the closing dialog")
        shown = "\n".join(str(widget.render()) for widget in app.screen.query(Static))
        assert "Obligatoriske temaer uden noter: »Opfølgning fra sidst«" in shown
        await pilot.press("escape", "ctrl+q")


async def test_norddjurs_plan_is_its_two_columns_and_two_boxes(tmp_path) -> None:  # noqa: ANN001
    store = make_store(tmp_path)
    plan(store, "norddjurs")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        await pilot.press("f5")
        tab = screen.query_one(PlanTab)
        table = tab.query_one(DataTable)
        assert [str(key.value) for key in table.columns] == ["id", "what", "followup"]
        titles = [str(area.border_title) for area in tab.query(".plan-field")]
        assert titles == ["Hvad er vigtigt at fastholde?", "Andre aftaler"]
        await pilot.press("ctrl+q")


async def test_a_plan_row_points_to_a_competence(tmp_path) -> None:  # noqa: ANN001
    from textual.widgets import Select

    from musterm.app.screens.plan_row import ColumnArea, PlanRowScreen

    store = make_store(tmp_path)
    relative = plan(store, "herlev")
    app = new_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_start(pilot)
        screen.session.question("sociale-kompetencer").now = 2
        screen.session.question("sociale-kompetencer").wanted = 5
        await pilot.press("f5")
        await pilot.press("a")
        await wait_until(lambda: isinstance(app.screen, PlanRowScreen), what="the plan row form")
        assert [area.key for area in app.screen.query(ColumnArea)] == ["what", "goal", "how", "when"]
        await pilot.press(*"Samarbejde")
        app.screen.query_one("#row-competence", Select).value = "sociale-kompetencer"
        await pilot.press("ctrl+s")
        await wait_until(lambda: not isinstance(app.screen, PlanRowScreen), what="the form to close")
        row = screen.session.plan.rows[0]
        assert (row.what, row.competence) == ("Samarbejde", "sociale-kompetencer")
        detail = str(screen.query_one("#plan-row-detail", Static).render())
        assert "Kompetence: Sociale kompetencer (gab +3)" in detail
        await pilot.press("ctrl+q")
    assert 'competence = "sociale-kompetencer"\n' in file_text(store, relative)
