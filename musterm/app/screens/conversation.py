"""The conversation: five tabs, a status line, and saving that never gets in the way (screens/saving.py)."""

from __future__ import annotations

import datetime as dt
import importlib
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.widgets import TabbedContent, TabPane

from musterm.app.autosave import AutoSaver
from musterm.app import commands
from musterm.app.palette import ScreenCommands
from musterm.app.screens.base import Entry
from musterm.app.screens.saving import SavingScreen, loses_text
from musterm.app.tabs.base import Conversation, ConversationTab
from musterm.app.unused_keys import ExplainsUnusedKeys
from musterm.app.widgets.key_footer import KeyFooter
from musterm.app.widgets.status_line import StatusLine, format_elapsed
from musterm.model.session import Status
from musterm.store.editlock import EditLock
from musterm.store.events import Event

TABS = ("forberedelse", "scoring", "noter", "plan", "afslutning")
TAB_TITLES = {
    "forberedelse": "F2 Forberedelse",
    "scoring": "F3 Scoring",
    "noter": "F4 Noter",
    "plan": "F5 Plan",
    "afslutning": "F6 Afslutning",
}
TAB_CLASSES = {
    "forberedelse": ("musterm.app.tabs.preparation", "PreparationTab"),
    "scoring": ("musterm.app.tabs.scoring", "ScoringTab"),
    "noter": ("musterm.app.tabs.notes", "NotesTab"),
    "plan": ("musterm.app.tabs.plan", "PlanTab"),
    "afslutning": ("musterm.app.tabs.closing", "ClosingTab"),
}
"""Each tab's widget, imported when the tab is first built: the hidden tabs' modules (and the
widgets they import) would come before the first paint."""
TICK_SECONDS = 0.25
SETTLE_SECONDS = 0.3
"""How long after the first paint the screen's own background work starts: reading the employee's
earlier conversations, asking git where the repository stands against its remote."""
REMOTE_SECONDS = 60
"""How often the status line asks git where the repository stands against its remote."""


class ConversationScreen(ExplainsUnusedKeys, SavingScreen):
    # Its styles (conversation.tcss) are in the app's stylesheet from the start (MustermApp.CSS_PATH):
    # read when the screen is pushed, they would parse every style sheet again and re-style the app.
    NO_TEXT_HERE = "Feltet med fokus tager ikke tekst: tab går til næste felt, F4 til noterne."
    COMMANDS = {ScreenCommands}
    COMMAND_LIST = commands.CONVERSATION
    BINDINGS = commands.bindings(*COMMAND_LIST)
    HELP = """\
## Samtalen

Alt gemmes automatisk, når du holder en kort pause i skrivningen.
"""

    def __init__(
        self,
        conversation: Conversation,
        saver: AutoSaver | None,
        lock: EditLock | None,
    ) -> None:
        super().__init__(conversation, saver, lock)
        self._focus_claimed = False
        self._tab_shown = False
        # Nothing is focused until the tab takes its focus after the first paint (on_mount): Textual
        # would focus the tab bar first, and moving the focus on re-styles what gains and loses it.
        self.AUTO_FOCUS = ""
        self._active = TABS[0]
        """The tab on show when the screen is composed (again, after close or reopen: _rebuild)."""

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        session = self.session
        framework_name = self.conversation.framework.name if self.conversation.framework else session.framework.name
        yield StatusLine(session.employee.name, framework_name, self._status_text(), id="status-line")
        # Only the tab on show is built now; each other tab the first time it is shown (_tab_activated):
        # four hidden tabs' widgets would more than double what Textual styles before the first paint.
        with TabbedContent(id="tabs", initial=self._active):
            for tab_id in TABS:
                with TabPane(TAB_TITLES[tab_id], id=tab_id):
                    if tab_id == self._active:
                        yield self._new_tab(tab_id)
        yield KeyFooter(compact=True)

    def _new_tab(self, tab_id: str) -> ConversationTab:
        module, name = TAB_CLASSES[tab_id]
        widget_type = getattr(importlib.import_module(module), name)
        return widget_type(self.conversation, id=f"{tab_id}-tab")

    async def built_tab(self, tab_id: str) -> ConversationTab:
        """The tab's widget, built and mounted now if it was not shown before."""
        pane = self.query_one(f"#{tab_id}", TabPane)
        # (Not query_children(ConversationTab): Textual queries by CSS type, and the mixin has none.)
        for child in pane.children:
            if isinstance(child, ConversationTab):
                return child
        tab = self._new_tab(tab_id)
        await pane.mount(tab)
        return tab

    def on_mount(self) -> None:
        # A moment after the first paint: reading every earlier conversation (TOML and validation,
        # pure Python) would hold the GIL while the screen settles and the first keys are handled.
        # Only the Scoring and Noter tabs show what it reads (and update when it comes).
        self.call_after_refresh(self.set_timer, SETTLE_SECONDS, self._after_settling)
        if self.saver is not None:
            self.run_worker(self.saver.run, thread=True, exit_on_error=False, group="autosave", name="autosave")
            self.run_worker(self.saver.run_commits, thread=True, exit_on_error=False, group="autosave", name="autocommit")
        self.call_after_refresh(self._take_first_focus)
        self.set_interval(TICK_SECONDS, self._tick)
        self.set_interval(10, self._update_elapsed)
        self._update_elapsed()
        self.set_interval(REMOTE_SECONDS, self._check_remote)
        status = self.query_one(StatusLine)
        if self.conversation.read_only:
            status.saved_state = "Skrivebeskyttet"
        else:
            status.saved_state = "Gemt"

    def _take_first_focus(self) -> None:
        # From now on Textual's own choice again (a screen that comes back with nothing focused).
        self.AUTO_FOCUS = None
        self.query_one(f"#{self._active}-tab", ConversationTab).take_focus()

    def _check_remote(self) -> None:
        self.run_worker(self._load_remote, thread=True, exit_on_error=False, group="remote", exclusive=True)

    def _load_remote(self) -> None:
        """Ahead/behind against the remote, as of the last sync (git only, no network), in a worker."""
        from musterm.errors import MustermError
        from musterm.store.remote import position

        try:
            text = position(self.app.store).describe()
        except (MustermError, OSError):
            text = ""
        self.app.call_from_thread(self._remote_known, f"fjernrepo: {text}" if text else "")

    def _remote_known(self, text: str) -> None:
        status = next(iter(self.query(StatusLine)), None)
        if status is not None:
            status.remote = text

    def _after_settling(self) -> None:
        self.run_worker(self._load_history, thread=True, exit_on_error=False, group="history")
        self._check_remote()

    def _load_history(self) -> None:
        from musterm.history.conversations import EmployeeHistory

        folder = self.conversation.relative.split("/", 1)[0]
        history = EmployeeHistory.load(self.app.store, folder)
        self.app.call_from_thread(self._history_loaded, history)

    def _history_loaded(self, history) -> None:  # noqa: ANN001 - musterm.history.conversations.EmployeeHistory
        """Earlier conversations are read: show earlier scores beside today's."""
        self.conversation.history = history
        for row in self.query("ScoreRow"):
            row.earlier = history.earlier_scores_text(row.question.id, self.session.date, row.question.scale)
            row.refresh(layout=True)

    def why_no_text(self) -> str:
        if self.conversation.read_only and self.session.status == Status.CLOSED and self.saver is not None:
            return "Samtalen er afsluttet – tryk F9 for at genåbne"
        if self.conversation.read_only:
            return "Samtalen er åbnet skrivebeskyttet (kun læsning): her kan intet ændres."
        return super().why_no_text()

    def _status_text(self) -> str:
        session = self.session
        text = session.status.label.capitalize()
        if self.conversation.read_only:
            text += " (kun læsning)"
        return text

    # --- tabs and questions ------------------------------------------------------------------

    async def action_show_tab(self, tab_id: str, claim_focus: bool = False) -> None:
        """Switch tabs; the new tab focuses its usual field unless the caller `claim_focus`es."""
        tabs = self.query_one(TabbedContent)
        if tabs.active == tab_id:
            return
        # A tab not shown before is built first, in its hidden pane, and then shown.
        await self.built_tab(tab_id)
        self._focus_claimed = claim_focus
        # Hiding a focused widget makes Textual focus its neighbour in the same (hidden) pane,
        # which would switch right back; let the new tab choose its own focus instead.
        self.set_focus(None)
        tabs.active = tab_id

    async def action_step_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        index = TABS.index(tabs.active) if tabs.active in TABS else 0
        await self.action_show_tab(TABS[(index + step) % len(TABS)])

    @on(TabbedContent.TabActivated)
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # Leaving a tab saves what was typed there. The first tab shown, as the screen opens, leaves
        # nothing typed (app/keygate.py holds keys until then): unless a field reported a change as
        # it was built, a save of the session as read would copy it and write nothing, in a worker
        # competing with the first paint.
        if self._tab_shown or (self.saver is not None and self.saver.dirty):
            self.save_soon()
        if self._tab_shown:
            for footer in self.query(KeyFooter):
                footer.rebuild_next()
        self._tab_shown = True
        focus_claimed, self._focus_claimed = self._focus_claimed, False
        pane = event.pane
        if pane is None or pane.id not in TABS:
            return
        tab = await self.built_tab(pane.id)  # built already, unless its title was clicked
        self.call_after_refresh(tab.on_shown)
        if not focus_claimed:
            self.call_after_refresh(tab.take_focus)

    def action_step_question(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        tab = self.query_one(f"#{tabs.active}-tab", ConversationTab)
        if tab.has_questions:
            tab.step_question(step)
        else:
            self.notify("Skift spørgsmål under Scoring (F3) eller Noter (F4).", timeout=3)

    async def jump_to(self, theme_id: str, question_id: str | None, private: bool = False) -> None:
        """Show a theme, question or the private notes in the Noter tab (used by the command palette)."""
        from musterm.app.tabs.notes import NotesTab

        await self.action_show_tab("noter", claim_focus=True)
        tab = await self.built_tab("noter")
        assert isinstance(tab, NotesTab)
        tab.select(theme_id, question_id, private=private)

    def palette_entries(self) -> list[Entry]:
        """Every theme and question of the conversation, and the private notes: choosing one shows it in Noter."""
        entries: list[Entry] = []
        for theme in self.session.themes:
            entries.append((f"Tema: {theme.title}", "Gå til temaet i fanen Noter", partial(self.jump_to, theme.id, None)))
            for question in theme.questions:
                number = f"{question.number}. " if question.number else ""
                entries.append(
                    (f"{number}{question.text}", f"Spørgsmål under {theme.title}", partial(self.jump_to, theme.id, question.id))
                )
        entries.append(("Private noter", "Dine egne noter, som medarbejderen ikke får", partial(self.jump_to, "", None, private=True)))
        return entries

    def action_show_trends(self) -> None:
        from musterm.app.screens.trends import TrendsScreen

        self.app.push_screen(TrendsScreen(self.conversation.relative.split("/", 1)[0]))

    # --- status actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.session.status
        editable = not self.conversation.read_only
        if action == "start_conversation":
            return editable and status == Status.DRAFT
        if action == "close_conversation":
            return editable and status in (Status.HELD, Status.REOPENED)
        if action == "reopen":
            return self.saver is not None and status == Status.CLOSED
        if action == "save_now" or (action == "document" and parameters == ("prep-import",)):
            return editable
        return True

    def action_document(self, name: str) -> None:
        """Before and after the meeting: an invitation, the preparation form, exports, the calendar."""
        from musterm.app.documents import DOCUMENT_ACTIONS

        DOCUMENT_ACTIONS[name](self)

    def action_start_conversation(self) -> None:
        self.session.status = Status.HELD
        self.session.started = dt.datetime.now().replace(microsecond=0)
        self._status_changed(Event.STARTED)
        self._update_elapsed()
        self.notify("Samtalen er startet. Tiden tæller i statuslinjen.", timeout=4)

    def action_close_conversation(self) -> None:
        from musterm.app.screens.dialogs import Choice
        from musterm.app.tabs.closing import ClosingTab

        closing = next(iter(self.query(ClosingTab)), None)  # a tab never shown is not built (and holds nothing typed)
        problem = closing.closing_problem() if closing is not None else ""
        if problem:  # what is typed there is kept, on screen: it is put right before closing
            self.put_right()
            self.notify(problem, severity="error", timeout=8)
            return

        open_mandatory = [q for _, q in self.session.unanswered() if q.mandatory]
        warning = f"\n\n{len(open_mandatory)} obligatoriske spørgsmål er ubesvarede." if open_mandatory else ""
        open_themes = self.session.open_mandatory_themes()
        if open_themes:
            titles = ", ".join(f"»{theme.title}«" for theme in open_themes)
            warning += f"\n\nObligatoriske temaer uden noter: {titles}."
        message = "Samtalen bliver skrivebeskyttet, indtil du genåbner den (F9)." + warning
        self.app.push_screen(
            Choice("Afslut samtalen?", message, [("close", "Afslut samtalen"), ("cancel", "Fortsæt samtalen")]),
            self._close_answered,
        )

    def _close_answered(self, answer: str | None) -> None:
        if answer != "close":
            return
        self.session.status = Status.CLOSED
        self.conversation.read_only = True
        self._status_changed(Event.CLOSED)
        self.run_worker(self._rebuild(), exclusive=True, group="rebuild")

    def action_reopen(self) -> None:
        self.session.status = Status.REOPENED
        self.conversation.read_only = False
        self._status_changed(Event.REOPENED)
        self.run_worker(self._rebuild(), exclusive=True, group="rebuild")

    def rebuild(self) -> None:
        """Show the session again from scratch (after it changed underneath the widgets)."""
        self.run_worker(self._rebuild(), exclusive=True, group="rebuild")

    async def _rebuild(self) -> None:
        """Rebuild the tabs for the new read-only state, staying on the same tab."""
        active = self.query_one(TabbedContent).active
        self._active = active if active in TABS else TABS[0]
        self.dirty_notes.clear()
        await self.recompose()
        self.query_one(StatusLine).saved_state = "Skrivebeskyttet" if self.conversation.read_only else "Gemt"
        self._update_elapsed()

    def _status_changed(self, event: Event) -> None:
        self.query_one(StatusLine).show_status(self._status_text())
        self.save_soon(commit=event)
        self.refresh_bindings()

    def action_save_now(self) -> None:
        self.save_soon(commit=Event.NOTES, requested=True)

    def unsaved_input(self) -> str:
        from musterm.app.tabs.closing import ClosingTab

        closing = next(iter(self.query(ClosingTab)), None)  # not built until first shown: nothing typed there
        return closing.unsaved_text() if closing is not None else ""

    def put_right(self) -> None:
        from musterm.app.tabs.closing import ClosingTab

        closing = next(iter(self.query(ClosingTab)), None)
        if closing is None:
            return
        if self.query_one(TabbedContent).active == "afslutning":
            closing.focus_problem()
        else:
            self.call_later(self._show_closing_problem, closing)

    async def _show_closing_problem(self, closing: "ClosingTab") -> None:  # noqa: F821 (imported where used)
        await self.action_show_tab("afslutning", claim_focus=True)  # (a coroutine since tabs are built lazily)
        self.call_after_refresh(closing.focus_problem)

    def action_leave(self) -> None:
        if not self.ask_before_leaving(then=self._leave):
            self._leave()

    def _leave(self) -> None:
        # Not final yet: staying after a failed save must keep the autosaver and the edit lock.
        result = self.flush(final=False)
        if loses_text(result):
            self._offer_to_stay(result, then=self.dismiss)
            return
        self._finish()
        self.dismiss()

    def _update_elapsed(self) -> None:
        status = next(iter(self.query(StatusLine)), None)
        if status is None:  # the tabs are being rebuilt; _rebuild updates it afterwards
            return
        if self.session.started is not None and self.session.status != Status.CLOSED:
            status.elapsed = format_elapsed(self.session.started, dt.datetime.now())
        elif self.session.status == Status.DRAFT:
            status.elapsed = "ikke startet" if not self.conversation.read_only else ""
        else:
            status.elapsed = ""

