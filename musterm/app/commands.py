"""Every command of the app, defined once.

A Command gives its binding (with the id a user's key map names it by), the footer's text, the
line in F1's help, the command palette's entry and the README's key table. Screens and widgets
take their BINDINGS from here; what can't run right now their check_action hides, from the
footer, the palette and F1 alike.

`python -m musterm.app.commands` prints the README's key table (tests/app/test_commands.py
checks that the README has it).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.actions import parse
from textual.binding import Binding


@dataclass(frozen=True)
class Command:
    id: str
    """The binding's id: what a key map calls it (`musterm.config`), never shown."""
    action: str
    """The Textual action it runs, with its arguments: "show_tab('noter')"."""
    title: str
    """What it does, in a word or two: the footer's text, and F1's."""
    help: str = ""
    """The longer line: the binding's tooltip, the palette's help, the README."""
    keys: str = ""
    """Textual key names, comma-separated; "" for a command only the palette offers."""
    key_display: str | None = None
    footer: bool = True
    """Shown in the footer (F1 always lists it)."""
    palette: str = ""
    """Its title in the command palette (ctrl+p), or "" when it isn't offered there."""
    priority: bool = False
    """Runs even when the focused widget has its own use for the key (F-keys, ctrl+q)."""

    @property
    def action_name(self) -> str:
        """The action without its arguments, as check_action is asked about it."""
        return parse(self.action)[1]

    @property
    def parameters(self) -> tuple[object, ...]:
        return parse(self.action)[2]

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.title,
            show=self.footer,
            key_display=self.key_display,
            priority=self.priority,
            tooltip=self.help,
            id=self.id,
        )


def bindings(*commands: Command) -> list[Binding]:
    return [command.binding() for command in commands if command.keys]


# --- everywhere --------------------------------------------------------------------------------

# Priority, as ctrl+q: Textual's dialogs (modal screens) hide the app's other keys, and F1 must
# work in the new-conversation form and the plan-row dialog too.
HELP = Command("help", "toggle_help", "Hjælp", "Vis taster og hjælp for det område, du står i",
               keys="f1", key_display="F1", palette="Hjælp og taster", priority=True)
QUIT = Command("quit", "quit", "Luk", "Gem, commit og luk musterm", keys="ctrl+q,f10", key_display="^q",
               priority=True, palette="Luk musterm")
PALETTE = Command("palette", "command_palette", "Søg", "Søg efter spørgsmål, temaer og kommandoer",
                  keys="ctrl+p", footer=False, priority=True)
APP = (HELP, QUIT, PALETTE)

# --- the start screen --------------------------------------------------------------------------

NEW = Command("new", "new", "Ny samtale", "Start en ny samtale med en medarbejder", keys="ctrl+n", palette="Ny samtale")
OPEN = Command("open", "open", "Åbn", "Åbn den valgte samtale (kladder til redigering)", keys="enter")
READ = Command("read", "open_read_only", "Læs", "Åbn den valgte samtale skrivebeskyttet", keys="ctrl+o",
               palette="Åbn skrivebeskyttet")
TRENDS = Command("trends", "trends", "Udvikling", "Den valgte medarbejders scorer over årene", keys="ctrl+t",
                 palette="Udvikling over årene")
CLEAR_FILTER = Command("clear-filter", "clear_filter", "Ryd søgning", "Vis alle samtaler igen", keys="escape",
                       footer=False)
NEXT_ROW = Command("next-row", "cursor(1)", "Næste samtale", "Vælg samtalen under", keys="down", footer=False)
PREVIOUS_ROW = Command("previous-row", "cursor(-1)", "Forrige samtale", "Vælg samtalen over", keys="up", footer=False)
SYNC = Command("sync", "sync", "Synkronisér", "Commit, hent og skub samtalerne til fjernrepoet (musterm sync)",
               palette="Synkronisér med fjernrepoet")
START = (NEW, OPEN, READ, TRENDS, CLEAR_FILTER, PREVIOUS_ROW, NEXT_ROW, SYNC)

# --- a conversation ------------------------------------------------------------------------------


def _tab(key: str, tab_id: str, title: str) -> Command:
    return Command(f"tab-{tab_id}", f"show_tab('{tab_id}')", title, f"Gå til fanen {title}", keys=key,
                   key_display=key.upper(), footer=False, priority=True)


TAB_PREPARATION = _tab("f2", "forberedelse", "Forberedelse")
TAB_SCORING = _tab("f3", "scoring", "Scoring")
TAB_NOTES = _tab("f4", "noter", "Noter")
TAB_PLAN = _tab("f5", "plan", "Plan")
TAB_CLOSING = _tab("f6", "afslutning", "Afslutning")
NEXT_TAB = Command("next-tab", "step_tab(1)", "Næste fane", "Fanen til højre", keys="ctrl+pagedown",
                   key_display="ctrl+pgdn", footer=False, priority=True)
PREVIOUS_TAB = Command("previous-tab", "step_tab(-1)", "Forrige fane", "Fanen til venstre", keys="ctrl+pageup",
                       key_display="ctrl+pgup", footer=False, priority=True)
# Priority: in a notes field Textual's TextArea binds F7 to "select all" (and typing then replaced the note).
PREVIOUS_QUESTION = Command("previous-question", "step_question(-1)", "Forrige spørgsmål",
                            "Under Scoring og Noter", keys="f7,ctrl+up", key_display="F7", footer=False, priority=True)
NEXT_QUESTION = Command("next-question", "step_question(1)", "Næste spørgsmål", "Under Scoring og Noter",
                        keys="f8,ctrl+down", key_display="F8", footer=False, priority=True)
START_CONVERSATION = Command("start", "start_conversation", "Start", "Samtalen begynder nu: tiden tæller",
                             keys="f9", key_display="F9")
CLOSE_CONVERSATION = Command("close", "close_conversation", "Afslut", "Afslut og lås samtalen", keys="f9",
                             key_display="F9")
REOPEN = Command("reopen", "reopen", "Genåbn", "Lås en afsluttet samtale op igen", keys="f9", key_display="F9")
SAVE = Command("save", "save_now", "Gem nu", "Skriv samtalen og commit den i git", keys="ctrl+s", footer=False,
               palette="Gem og commit nu")
LEAVE = Command("leave", "leave", "Oversigt", "Gem og luk samtalen, tilbage til oversigten", keys="ctrl+l",
                palette="Tilbage til oversigten")
CONVERSATION_TRENDS = Command("conversation-trends", "show_trends", "Udvikling",
                              "Medarbejderens scorer pr. spørgsmål og år", palette="Udvikling over årene")


def _document(document: str, palette: str, help_text: str) -> Command:
    return Command(f"document-{document}", f"document('{document}')", palette, help_text, palette=palette)


DOCUMENTS = (
    _document("invitation-text", "Invitation (tekst til en mail)", "Rammens invitation udfyldt med navn, tid, sted og frist"),
    _document("invitation-markdown", "Invitation (Markdown)", "Invitationen som Markdown"),
    _document("prep-form", "Forberedelsesskema til medarbejderen", "Et skema, medarbejderen kan udfylde i en teksteditor"),
    _document("prep-import", "Indlæs medarbejderens forberedelse",
              "Læs et udfyldt skema ind som medarbejderens egne scorer og noter"),
    _document("employee-html", "Eksportér medarbejderens kopi (HTML til print/PDF)", "Hele samtalen uden dine private noter"),
    _document("employee-md", "Eksportér medarbejderens kopi (Markdown)", "Hele samtalen uden dine private noter"),
    _document("personnel-file-html", "Eksportér til personalemappen (HTML)", "Udviklingsplan, aftaler og underskrifter"),
    _document("calendar", "Opfølgning i kalenderen (.ics)", "Opfølgningsdato og planens datoer som kalenderaftaler"),
)
CONVERSATION = (
    TAB_PREPARATION, TAB_SCORING, TAB_NOTES, TAB_PLAN, TAB_CLOSING, NEXT_TAB, PREVIOUS_TAB,
    PREVIOUS_QUESTION, NEXT_QUESTION, START_CONVERSATION, CLOSE_CONVERSATION, REOPEN,
    CONVERSATION_TRENDS, *DOCUMENTS, SAVE, LEAVE,
)

# --- inside the tabs ---------------------------------------------------------------------------

SCORE_DIGIT = Command("score-digits", "digit(0)", "Sæt score", "Den aftalte score; 1 og straks 0 er 10", keys="0",
                      key_display="0–9")
SCORE_DOWN = Command("score-down", "adjust(-1)", "Score −1", "Én lavere", keys="left,minus", key_display="←",
                     footer=False)
SCORE_UP = Command("score-up", "adjust(1)", "Score +1", "Én højere", keys="right,plus", key_display="→", footer=False)
SCORE_CLEAR = Command("score-clear", "clear", "Ryd score", "Ingen aftalt score", keys="backspace,delete",
                      key_display="⌫")
SCORE_UNKNOWN = Command("score-unknown", "unknown", "Ved ikke", "Skalaens svar »ved ikke / ikke relevant«, der ikke er et tal",
                        keys="v", footer=False)
SCORE_PREVIOUS = Command("score-previous", "move(-1)", "Spørgsmålet over", "Forrige scorede spørgsmål", keys="up,k", footer=False)
SCORE_NEXT = Command("score-next", "move(1)", "Spørgsmålet under", "Næste scorede spørgsmål", keys="down,j", footer=False)
SCORE = (SCORE_DIGIT, SCORE_DOWN, SCORE_UP, SCORE_CLEAR, SCORE_UNKNOWN, SCORE_PREVIOUS, SCORE_NEXT)

WRITE_NOTES = Command("write-notes", "select", "Skriv noter", "Til notefeltet for det valgte (eller begynd at skrive)",
                      keys="enter")
READ_NOTES = Command("read-notes", "read_notes", "Læs noter", "Til notefeltet for det valgte, når samtalen er skrivebeskyttet",
                     keys="enter")
NOTES_INDEX = (WRITE_NOTES, READ_NOTES)
EARLIER_NOTES = Command("earlier-notes", "toggle_earlier", "Tidligere noter",
                        "Vis noterne fra sidste samtale om samme tema ved siden af", keys="ctrl+o")
TO_INDEX = Command("notes-index", "focus_index", "Til oversigten", "Tilbage til listen af temaer og spørgsmål",
                   keys="escape", footer=False)
NOTES = (EARLIER_NOTES, TO_INDEX)

PLAN_ADD = Command("plan-add", "add_row", "Tilføj", "Tilføj en ny aftale til planen", keys="a,insert")
PLAN_EDIT = Command("plan-edit", "edit_row", "Redigér", "Redigér den valgte aftale", keys="e,enter", key_display="⏎")
PLAN_DELETE = Command("plan-delete", "delete_row", "Slet", "Slet den valgte aftale", keys="d,delete", key_display="del")
PLAN_UP = Command("plan-up", "move_row(-1)", "Flyt op", "Flyt aftalen en plads op", keys="shift+up,K",
                  key_display="⇧↑", footer=False)
PLAN_DOWN = Command("plan-down", "move_row(1)", "Flyt ned", "Flyt aftalen en plads ned", keys="shift+down,J",
                    key_display="⇧↓", footer=False)
PLAN = (PLAN_ADD, PLAN_EDIT, PLAN_DELETE, PLAN_UP, PLAN_DOWN)

# --- dialogs and other screens -----------------------------------------------------------------

TRENDS_BACK = Command("trends-back", "close", "Tilbage", "Tilbage til, hvor du kom fra", keys="escape,ctrl+l",)
TRENDS_SCREEN = (TRENDS_BACK,)

CREATE = Command("create", "create", "Opret", "Opret samtalen og åbn den", keys="ctrl+s")
CANCEL = Command("cancel", "cancel", "Annullér", "Luk uden at gøre noget", keys="escape")
NEW_CONVERSATION = (CREATE, CANCEL)

ANSWER_CANCEL = Command("answer-cancel", "answer('cancel')", "Annullér", "Luk uden at vælge", keys="escape")
CHOICE = (ANSWER_CANCEL,)

OUTPUT_SAVE = Command("output-save", "save", "Gem", "Skriv filen i den valgte mappe", keys="ctrl+s")
OUTPUT_CANCEL = Command("output-cancel", "cancel", "Annullér", "Luk uden at gemme", keys="escape")
SAVE_OUTPUT = (OUTPUT_SAVE, OUTPUT_CANCEL)
CHOOSE_CANCEL = Command("choose-cancel", "cancel", "Annullér", "Luk uden at indlæse", keys="escape")
CHOOSE_FILE = (CHOOSE_CANCEL,)

ROW_SAVE = Command("row-save", "save", "Gem aftalen", "Gem aftalen i planen", keys="ctrl+s")
ROW_CANCEL = Command("row-cancel", "cancel", "Fortryd", "Luk aftalen; har du skrevet noget, spørger musterm først",
                     keys="escape")
PLAN_ROW = (ROW_SAVE, ROW_CANCEL)

HELP_CLOSE = Command("help-close", "close", "Luk hjælpen", "Tilbage til, hvor du var", keys="escape,f1",
                     key_display="esc")
HELP_SCREEN = (HELP_CLOSE,)

# Textual's own bindings that F1 lists, in Danish (by action); F1 leaves the others out.
TEXTUAL_BINDINGS = {
    "app.focus_next": "Næste felt",
    "app.focus_previous": "Forrige felt",
    "undo": "Fortryd",
    "redo": "Gentag",
    "toggle_collapsible": "Fold ud eller sammen",
    "toggle_button": "Sæt eller fjern kryds",
}

# Where each group applies, in the order the README's key table lists them.
GROUPS: tuple[tuple[str, tuple[Command, ...]], ...] = (
    ("Overalt", APP),
    ("Oversigten", START),
    ("Samtalen", CONVERSATION),
    ("Scoring", SCORE),
    ("Noter: listen", NOTES_INDEX),
    ("Noter", NOTES),
    ("Plan", PLAN),
    ("Ny samtale", NEW_CONVERSATION),
    ("Aftale i planen", PLAN_ROW),
    ("Gem fil", SAVE_OUTPUT),
    ("Udvikling over årene", TRENDS_SCREEN),
)


def by_id() -> dict[str, Command]:
    """Every command by its id (a key map names them so); one id may serve several screens."""
    return {command.id: command for _, group in GROUPS for command in group} | {
        command.id: command for command in (*CHOICE, *CHOOSE_FILE, *HELP_SCREEN)
    }


def key_table() -> str:
    """The README's key table: every command that has a key, where it applies."""
    lines = ["| where | key | what it does |", "|---|---|---|"]
    for where, group in GROUPS:
        for command in group:
            if command.keys:
                lines.append(f"| {where} | {_keys_text(command)} | {command.title}: {command.help} |")
    return "\n".join(lines) + "\n"


_KEY_NAMES = {
    "backspace": "⌫", "delete": "del", "escape": "esc", "pagedown": "pgdn", "pageup": "pgup",
    "up": "↑", "down": "↓", "left": "←", "right": "→", "minus": "-", "plus": "+",
}


def _key_name(key: str) -> str:
    *modifiers, name = key.split("+")
    name = name.upper() if len(name) > 1 and name[0] == "f" and name[1:].isdigit() else _KEY_NAMES.get(name, name)
    return "+".join([*modifiers, name])


def _keys_text(command: Command) -> str:
    """The keys as a person reads them; a display that sums several keys up (0–9) stands for them."""
    keys = [_key_name(key.strip()) for key in command.keys.split(",")]
    if command.key_display and "–" in command.key_display:
        keys = [command.key_display]
    return " / ".join(f"**{key}**" for key in dict.fromkeys(keys))


if __name__ == "__main__":
    print(key_table(), end="")
