"""Starting a new conversation: who, which framework, when and where."""

from __future__ import annotations

import datetime as dt

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static
from textual.widgets.input import Selection

from musterm.app import commands
from musterm.app.unused_keys import ExplainsUnusedKeys
from musterm.app.widgets.steady import SteadyInput
from musterm.errors import MustermError
from musterm.store.listing import Summary
from musterm.store.planning import parse_date, parse_time


class NewConversationScreen(ExplainsUnusedKeys, ModalScreen[str | None]):
    CSS_PATH = "new_conversation.tcss"
    BINDINGS = commands.bindings(*commands.NEW_CONVERSATION)
    HELP = "## Ny samtale\n\nUdfyld navn, ramme og dato. **tab** går til næste felt, **ctrl+s** opretter."

    def __init__(self, summaries: list[Summary], chosen: Summary | None = None) -> None:
        """`summaries`: each employee's latest conversation; `chosen`: the employee to start with."""
        super().__init__()
        self.summaries = summaries
        self.chosen = chosen
        self._filled: dict[str, str] = {}
        """What musterm filled into a field from a known employee, by field id (taken back when
        the name changes, unless the manager has changed it since)."""
        self._birth_years: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        frameworks = [(entry.framework.name, entry.framework.id) for entry in self.app.catalog]
        self._first_framework = frameworks[0][1] if frameworks else Select.NULL
        names = sorted({summary.employee for summary in self.summaries})
        with Vertical(id="new-dialog"):
            yield Static("Ny samtale", id="new-title")
            with Grid(id="new-form"):
                yield Label("Medarbejder")
                yield SteadyInput(id="employee", placeholder="Fulde navn", suggester=SuggestFromList(names, case_sensitive=False), compact=True)
                yield Label("Medarbejdernr.")
                yield SteadyInput(id="number", placeholder="valgfrit", compact=True)
                yield Label("Fødselsår")
                yield SteadyInput(id="birth-year", placeholder="valgfrit, fx 1968 (seniortilbud)", compact=True, type="integer", max_length=4)
                yield Label("Ramme")
                yield Select(frameworks, id="framework", allow_blank=not frameworks, compact=True,
                             value=frameworks[0][1] if frameworks else Select.NULL, prompt="Vælg ramme")
                yield Label("Dato")
                yield SteadyInput(dt.date.today().isoformat(), id="date", placeholder="ÅÅÅÅ-MM-DD", compact=True)
                yield Label("Klokkeslæt")
                yield SteadyInput(id="time", placeholder="TT:MM", compact=True)
                yield Label("Sted")
                yield SteadyInput(id="place", placeholder="fx mødelokale 2", compact=True)
            yield Static("", id="new-error")
            with Horizontal(id="new-buttons"):
                yield Button("Opret (ctrl+s)", id="create", variant="primary", compact=True)
                yield Button("Annullér (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        employee = self.query_one("#employee", Input)
        employee.focus()
        if self.chosen is not None:
            employee.value = self.chosen.employee
            employee.selection = Selection(0, len(employee.value))  # typing another name replaces it

    @on(Input.Changed, "#employee")
    def _employee_changed(self, event: Input.Changed) -> None:
        """A known employee: fill in the number, birth year and framework of their latest conversation."""
        name = event.value.strip().casefold()
        known = [s for s in self.summaries if s.employee.casefold() == name]
        chosen = self.chosen
        latest = chosen if chosen is not None and chosen.employee.casefold() == name else (
            max(known, key=lambda s: s.date) if known else None)
        if latest is None:
            self._fill("number", "")
            self._fill("birth-year", "")
            self._fill_framework(None)
            return
        self._fill("number", latest.number)
        self._fill("birth-year", self._birth_year_of(latest))
        self._fill_framework(latest.framework)

    def _fill_framework(self, framework_id: str | None) -> None:
        """Choose the employee's framework, or the first one again for a name musterm doesn't know;
        never over a framework the manager chose."""
        select = self.query_one("#framework", Select)
        if select.value not in (self._first_framework, self._filled.get("framework")):
            return
        wanted = framework_id if framework_id in self.app.catalog else self._first_framework
        select.value = wanted
        self._filled["framework"] = wanted

    def _fill(self, field_id: str, value: str) -> None:
        """Fill a field that is empty or still holds what musterm filled in; never the manager's own."""
        field = self.query_one(f"#{field_id}", Input)
        if field.value and field.value != self._filled.get(field_id):
            return
        field.value = value
        if value:
            self._filled[field_id] = value
        else:
            self._filled.pop(field_id, None)

    def _birth_year_of(self, summary: Summary) -> str:
        """The birth year in the employee's latest conversation (the listing has none: one file read)."""
        if summary.path not in self._birth_years:
            try:
                year = self.app.store.load(summary.path).employee.birth_year
            except MustermError:
                year = None
            self._birth_years[summary.path] = str(year) if year else ""
        return self._birth_years[summary.path]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "place":
            self.action_create()
        else:
            self.focus_next()

    @on(Button.Pressed, "#create")
    def _create_pressed(self) -> None:
        self.action_create()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_create(self) -> None:
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in ("employee", "number", "birth-year", "date", "time", "place")}
        framework_id = self.query_one("#framework", Select).value
        problem = _problem_with(values, framework_id)
        if problem:
            self._show_error(problem)
            return
        self._show_error("")
        self._create(values, str(framework_id))

    @work(thread=True, exclusive=True, group="create", exit_on_error=False)
    def _create(self, values: dict[str, str], framework_id: str) -> None:
        from musterm.store.gitrepo import CommitFailed
        from musterm.store.planning import plan_conversation

        try:
            relative = plan_conversation(
                self.app.store,
                self.app.catalog.get(framework_id),
                employee=values["employee"],
                number=values["number"],
                birth_year=int(values["birth-year"]) if values["birth-year"] else None,
                date=values["date"],
                time=values["time"] or None,
                place=values["place"],
            )
        except CommitFailed as failed:  # made, but not committed yet: open it all the same
            self.app.call_from_thread(self.app.notify, str(failed), title="Gemt, men ikke committet",
                                      severity="warning", timeout=10)
            relative = failed.relative
        except MustermError as error:
            self.app.call_from_thread(self._show_error, str(error))
            return
        self.app.call_from_thread(self.dismiss, relative)

    def _show_error(self, text: str) -> None:
        self.query_one("#new-error", Static).update(text)


def _problem_with(values: dict[str, str], framework_id: object) -> str:
    if not values["employee"]:
        return "Skriv medarbejderens navn."
    if framework_id is Select.NULL or not framework_id:
        return "Vælg en ramme."
    year = values["birth-year"]
    if year and not (year.isdigit() and 1900 <= int(year) <= dt.date.today().year):
        return f"Fødselsåret '{year}' er ikke et årstal."
    try:
        parse_date(values["date"])
        parse_time(values["time"])
    except MustermError as error:
        return str(error)
    return ""
