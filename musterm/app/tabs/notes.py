"""The Noter tab: theme by theme, each question with its helper questions and a notes area.

Left: an index of themes and questions (✓ answered, ! mandatory and open).
Right: the chosen item's panel. Panels are built the first time they are shown
and then kept, so switching back and forth keeps each note's undo history.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    ContentSwitcher,
    OptionList,
    Static,
)
from textual.widgets.option_list import Option

from musterm.app import commands
from musterm.app.kinds import panel_widgets
from musterm.app.shorten import distinct_labels
from musterm.app.tabs.base import ConversationTab
from musterm.app.widgets.answers import helpers_text
from musterm.app.widgets.note_area import NoteArea
from musterm.model.framework import (
    DEFAULT_NOTES_LABEL,
    Framework,
    ThemeRole,
)
from musterm.model.framework import Question as FrameworkQuestion
from musterm.model.framework import Theme as FrameworkTheme
from musterm.model.session import QuestionRecord, Status, ThemeRecord

PRIVATE = "private"
PRIVATE_WARNING = "PRIVAT – kun for dig som leder. Kommer aldrig med i medarbejderens kopi."


def _question_mark(question: QuestionRecord) -> str:
    if question.answered:
        return "✓"
    if question.audience == "employee":
        return "◦"  # only in the employee's preparation: nothing to answer in the meeting
    return "!" if question.mandatory else "·"


def _time_box(theme: ThemeRecord) -> str:
    """' 4/10m': the minutes spent on the theme and its time box in the agenda ('' without one)."""
    return f" {theme.seconds // 60}/{theme.minutes}m" if theme.minutes else ""


class NotesIndex(OptionList):
    BINDINGS = commands.bindings(*commands.NOTES_INDEX)
    HELP = (
        "## Temaer og spørgsmål\n\n**↑/↓** vælger et tema eller spørgsmål; begynd bare at skrive, "
        "så står du i dets notefelt."
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer to write notes only where notes can be written."""
        read_only = isinstance(self.parent, NotesTab) and self.parent.conversation.read_only
        if action == "select":
            return not read_only
        if action == "read_notes":
            return read_only
        return True

    def action_read_notes(self) -> None:
        self.action_select()

    def on_resize(self) -> None:
        if isinstance(self.parent, NotesTab):
            self.parent.refresh_marks()  # the labels are shortened to the index's width

    def on_key(self, event: events.Key) -> None:
        """A letter typed here belongs in the shown item's notes: typing starts them ("begynd at skrive")."""
        if not event.is_printable or not event.character:
            return
        note = self.parent.shown_note() if isinstance(self.parent, NotesTab) else None
        if note is None:
            return
        event.stop()
        event.prevent_default()
        self.screen.set_focus(note)
        note.post_message(events.Key(event.key, event.character))


class NotesTab(ConversationTab, Horizontal):
    has_questions = True
    HELP = "## Noter\n\nTema for tema: vælg til venstre, skriv til højre."

    BINDINGS = commands.bindings(*commands.NOTES)

    AGENDA_SAVE_SECONDS = 60
    """Time spent on the themes is saved with the next save, and at least this often."""

    def __init__(self, conversation, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(conversation, **kwargs)
        self.framework: Framework | None = conversation.framework
        self._built: set[str] = set()
        self._theme_shown: str | None = None
        self._unsaved_seconds = 0

    def compose(self) -> ComposeResult:
        yield NotesIndex(*self._options(), id="notes-index")
        yield ContentSwitcher(id="notes-detail")

    def on_mount(self) -> None:
        index = self.query_one(NotesIndex)
        index.border_title = self._agenda_title()
        if index.option_count:
            index.highlighted = 0
        if any(theme.minutes for theme in self.conversation.session.themes):
            index.add_class("-agenda")
            self.set_interval(1, self._tick)

    # --- the agenda: each theme's time box, and the time spent on it --------------------------

    def _tick(self) -> None:
        """While the conversation is held, the theme shown in the notes gets the second."""
        session = self.conversation.session
        if session.status != Status.HELD or self.conversation.read_only or self._theme_shown is None:
            return
        theme = session.theme(self._theme_shown)
        if theme is None:
            return
        theme.seconds += 1
        self._unsaved_seconds += 1
        if theme.seconds % 15 == 0 or theme.seconds == 1:
            self.refresh_marks()
        if self._unsaved_seconds >= self.AGENDA_SAVE_SECONDS:
            self._unsaved_seconds = 0
            self.changed()

    def _agenda_title(self) -> str:
        themes = self.conversation.session.themes
        planned = sum(theme.minutes or 0 for theme in themes)
        if not planned:
            return ""
        spent = sum(theme.seconds for theme in themes) // 60
        return f"Dagsorden {spent}/{planned} min"

    # --- the index ---------------------------------------------------------------------------

    def _options(self) -> list[Option]:
        prompts = self._prompts(0)
        return [Option(prompt, id=item_id) for item_id, prompt in prompts.items()]

    def _prompts(self, width: int) -> dict[str, Text]:
        """Each line of the index by its id, in order, in `width` cells (0: as wide as it is).

        A mark (✓ answered, ! mandatory and open) goes before the text; texts too long for the index
        are shortened so that no two items look alike (musterm.app.shorten)."""
        items: list[tuple[str, str, str, str]] = []  # id, mark, text, style
        for theme in self.conversation.session.themes:
            items.append((f"t:{theme.id}", "✓ " if theme.notes.strip() else "! " if theme.open else "", theme.title, "bold"))
            for question in theme.questions:
                number = f"{question.number}. " if question.number else ""
                items.append((f"q:{question.id}", f" {_question_mark(question)} ", number + question.text, ""))
        items.append((PRIVATE, "", "🔒 Private noter", "bold"))
        room = width or 10_000
        times = {f"t:{theme.id}": _time_box(theme) for theme in self.conversation.session.themes}
        labels = distinct_labels(
            [(text, room - cell_len(mark) - cell_len(times.get(item_id, ""))) for item_id, mark, text, _ in items]
        )
        prompts = {}
        for (item_id, mark, _, style), label in zip(items, labels, strict=True):
            prompt = Text(mark + label, style=style, no_wrap=True, overflow="ellipsis")
            if times.get(item_id):
                theme = self.conversation.session.theme(item_id[2:])
                over = theme is not None and theme.minutes is not None and theme.seconds // 60 > theme.minutes
                prompt.append(times[item_id], style="red" if over else "dim")
            prompts[item_id] = prompt
        return prompts

    def refresh_marks(self) -> None:
        index = self.query_one(NotesIndex)
        index.border_title = self._agenda_title()
        for item_id, prompt in self._prompts(index.scrollable_content_region.width).items():
            index.replace_option_prompt(item_id, prompt)

    @on(OptionList.OptionHighlighted, "#notes-index")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._show(event.option.id)

    @on(OptionList.OptionSelected, "#notes-index")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._show(event.option.id)
            self._focus_panel(event.option.id)

    def _show(self, item_id: str) -> None:
        kind, _, key = item_id.partition(":")
        if kind == "t":
            self._theme_shown = key
        elif kind == "q":
            self._theme_shown = next((t.id for t, q in self.conversation.session.questions() if q.id == key), None)
        switcher = self.query_one(ContentSwitcher)
        panel_id = _panel_id(item_id)
        if item_id not in self._built:
            self._built.add(item_id)
            switcher.mount(self._panel(item_id, panel_id))
        switcher.current = panel_id

    def shown_note(self) -> NoteArea | None:
        """The notes field of the theme or question shown on the right, if it takes typing."""
        switcher = self.query_one(ContentSwitcher)
        panel = switcher.get_child_by_id(switcher.current) if switcher.current else None
        notes = [note for note in panel.query(NoteArea) if note.focusable and not note.read_only] if panel else []
        return notes[0] if notes else None

    def _focus_panel(self, item_id: str) -> None:
        """Focus the panel's notes (or first field), once it is mounted."""

        def focus_first(tries: int = 10) -> None:
            if self.query_one(ContentSwitcher).current != _panel_id(item_id):
                return  # moved on meanwhile
            panels = self.query(f"#{_panel_id(item_id)}")
            targets = [w for w in panels.first().query("NoteArea, ScoreRow, RadioSet, Input") if w.focusable] if panels else []
            if not targets:
                # A panel mounted just now gets its fields a refresh or two later. Until then nothing has
                # focus when F7/F8 hid the field that had it, so keep trying rather than give up.
                if tries:
                    self.call_after_refresh(focus_first, tries - 1)
                return
            notes = [w for w in targets if isinstance(w, NoteArea)]
            self.screen.set_focus(notes[0] if notes else targets[0])

        focus_first()

    def _panel(self, item_id: str, panel_id: str) -> Widget:
        session = self.conversation.session
        read_only = self.conversation.read_only
        if item_id == PRIVATE:
            return PrivatePanel(session, read_only, id=panel_id)
        kind, _, key = item_id.partition(":")
        if kind == "t":
            theme = session.theme(key)
            return ThemePanel(theme, self._framework_theme(key), self.conversation, id=panel_id)
        theme, question = next((t, q) for t, q in session.questions() if q.id == key)
        return QuestionPanel(
            theme, question, self._framework_theme(theme.id), self._framework_question(key),
            self.framework, read_only, id=panel_id,
        )

    def _framework_theme(self, theme_id: str) -> FrameworkTheme | None:
        if self.framework is None:
            return None
        return next((theme for theme in self.framework.themes if theme.id == theme_id), None)

    def _framework_question(self, question_id: str) -> FrameworkQuestion | None:
        if self.framework is None:
            return None
        return next((q for _, q in self.framework.questions() if q.id == question_id), None)

    # --- navigation --------------------------------------------------------------------------

    def step_question(self, step: int) -> None:
        index = self.query_one(NotesIndex)
        current = index.highlighted or 0
        target = max(0, min(index.option_count - 1, current + step))
        index.highlighted = target
        option = index.get_option_at_index(target)
        if option.id:
            self._show(option.id)
            self._focus_panel(option.id)
        self.refresh_marks()

    def select(self, theme_id: str, question_id: str | None, private: bool = False) -> None:
        item_id = PRIVATE if private else f"q:{question_id}" if question_id else f"t:{theme_id}"
        index = self.query_one(NotesIndex)
        index.highlighted = index.get_option_index(item_id)
        self._show(item_id)
        self._focus_panel(item_id)

    def on_shown(self) -> None:
        self.refresh_marks()

    def focus_default(self) -> None:
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors_with_self:
            self.query_one(NotesIndex).focus()

    def action_focus_index(self) -> None:
        self.refresh_marks()
        self.query_one(NotesIndex).focus()

    def action_toggle_earlier(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        panel = switcher.get_child_by_id(switcher.current) if switcher.current else None
        if isinstance(panel, ThemePanel | QuestionPanel):
            panel.toggle_earlier(self.conversation)
        else:
            self.notify("Vælg et tema eller spørgsmål først.", timeout=3)


def _panel_id(item_id: str) -> str:
    return "panel-" + item_id.replace(":", "-")


class ThemePanel(VerticalScroll):
    def __init__(self, theme: ThemeRecord, source: FrameworkTheme | None, conversation, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(**kwargs)
        self.theme = theme
        self.source = source
        self.conversation = conversation

    def compose(self) -> ComposeResult:
        theme, source = self.theme, self.source
        session = self.conversation.session
        mandatory = "  (obligatorisk tema)" if theme.mandatory else ""
        yield Static(f"{theme.title}{mandatory}", classes="panel-title")
        if theme.minutes:
            yield Static(f"Tid på dagsordenen: {theme.minutes} minutter.", classes="description")
        if source and source.notice:
            yield Static(source.notice, classes="notice")
        if source and source.description:
            yield Static(source.description.strip(), classes="description")
        if source and source.offered_from_age:
            yield Static(_senior_offer(source.offered_from_age, session), classes="notice")
        if theme.role == ThemeRole.LAST_MUS and session.followup:
            yield Static(_followup_summary(session), classes="description")
        if source and source.helpers:
            yield Static(helpers_text(source.helpers), classes="helpers")
        if theme.employee_notes:
            yield Static(f"Medarbejderens forberedelse: {theme.employee_notes}", classes="employee-notes")
        label = "Noter til temaet"
        yield NoteArea(theme, "notes", label, read_only=self.conversation.read_only, classes="notes")

    def toggle_earlier(self, conversation) -> None:  # noqa: ANN001
        _toggle_earlier(self, conversation, self.theme.id)


class QuestionPanel(VerticalScroll):
    def __init__(
        self,
        theme: ThemeRecord,
        question: QuestionRecord,
        source_theme: FrameworkTheme | None,
        source: FrameworkQuestion | None,
        framework: Framework | None,
        read_only: bool,
        **kwargs,  # noqa: ANN003
    ) -> None:
        super().__init__(**kwargs)
        self.theme = theme
        self.question = question
        self.source_theme = source_theme
        self.source = source
        self.framework = framework
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        question, source = self.question, self.source
        position = [q.id for q in self.theme.questions].index(question.id) + 1
        yield Static(f"{self.theme.title} › {position}/{len(self.theme.questions)}", classes="breadcrumb")
        number = f"{question.number}. " if question.number else ""
        mandatory = "  (obligatorisk)" if question.mandatory else ""
        yield Static(f"{number}{question.text}{mandatory}", classes="panel-title")
        if question.audience == "employee":
            yield Static("Kun i medarbejderens forberedelse: her står medarbejderens svar.", classes="notice")
        if question.employee_text and question.employee_text != question.text:
            yield Static(f"Medarbejderen læste: »{question.employee_text}«", classes="description")
        notice = (source.notice if source else "") or (self.source_theme.notice if self.source_theme else "")
        if notice:
            yield Static(notice, classes="notice")
        if source and source.description:
            yield Static(source.description.strip(), classes="description")
        if source and source.helpers:
            yield Static(helpers_text(source.helpers), classes="helpers")
        yield from panel_widgets(question, source, self.read_only)
        if question.employee_notes or question.own_score is not None:
            own = f"egen score {question.own_score}. " if question.own_score is not None else ""
            yield Static(f"Medarbejderens forberedelse: {own}{question.employee_notes}", classes="employee-notes")
        yield NoteArea(question, "notes", self._notes_label(), read_only=self.read_only, classes="notes")

    def _notes_label(self) -> str:
        for label in (
            self.source.notes_label if self.source else None,
            self.source_theme.notes_label if self.source_theme else None,
            self.framework.notes_label if self.framework else None,
        ):
            if label:
                return label
        return DEFAULT_NOTES_LABEL

    def toggle_earlier(self, conversation) -> None:  # noqa: ANN001
        _toggle_earlier(self, conversation, self.theme.id)


class PrivatePanel(VerticalScroll):
    def __init__(self, session, read_only: bool, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(**kwargs)
        self.session = session
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        yield Static("🔒 Private noter", classes="panel-title")
        yield Static(PRIVATE_WARNING, classes="private-warning")
        yield NoteArea(self.session.private, "notes", "Privat", read_only=self.read_only, classes="notes private")


def _toggle_earlier(panel: Widget, conversation, theme_id: str) -> None:  # noqa: ANN001
    existing = panel.query(".earlier-notes")
    if existing:
        existing.remove()
        return
    history = conversation.history
    earlier = history.earlier_theme_notes(theme_id, conversation.session.date) if history is not None else []
    text = "\n\n".join(notes.text() for notes in reversed(earlier)) or "Ingen tidligere noter om dette tema."
    box = Static(text, classes="earlier-notes")
    box.border_title = "Tidligere noter (kun læsning) · ctrl+o skjuler"
    panel.mount(box, before=panel.query_one(NoteArea))
    panel.call_after_refresh(box.scroll_visible)


def _senior_offer(age: int, session) -> str:  # noqa: ANN001
    employee_age = session.employee.age_in(session.date.year)
    if employee_age is None:
        return f"Tilbydes fra {age} år. Medarbejderens fødselsår er ikke angivet."
    if employee_age >= age:
        return f"Tilbydes fra {age} år: {session.employee.name} fylder {employee_age} i år og skal tilbydes samtalen."
    return f"Tilbydes fra {age} år: {session.employee.name} fylder {employee_age} i år (ikke aktuelt endnu)."


def _followup_summary(session) -> str:  # noqa: ANN001
    lines = ["Sidste plan (status sættes under Forberedelse, F2):"]
    for row in session.followup:
        status = row.status.label if row.status else "ikke vurderet"
        lines.append(f"  • {row.what or '(uden titel)'}: {status}")
    return "\n".join(lines)
