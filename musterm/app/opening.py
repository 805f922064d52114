"""Opening a conversation from the start screen (or the palette): load, lock, show."""

from __future__ import annotations

from textual.app import App

from musterm.app.autosave import AutoSaver
from musterm.app.screens.conversation import ConversationScreen
from musterm.app.tabs.base import Conversation
from musterm.app.screens.dialogs import Choice, Message
from musterm.errors import FileError, MustermError
from musterm.formats.session_file import END_MARKER, dumps, has_end_line
from musterm.model.session import Status
from musterm.store.editlock import EditLock, SessionInUse


def open_conversation(app: App, relative: str, read_only: bool = False) -> None:
    store = app.store
    try:
        session = store.load(relative)
    except FileError as error:
        app.push_screen(Message("Samtalen kan ikke åbnes", f"{error}\n\nFilen er ikke ændret."))
        return
    except MustermError as error:
        app.push_screen(Message("Samtalen kan ikke åbnes", str(error)))
        return
    entry = app.catalog.entry(session.framework.id)
    framework = entry.framework if entry else None
    if read_only:
        _show(app, relative, session, framework, read_only=True, lock=None)
        return
    hand_edit = hand_edited_lines(store.path_of(relative), session)
    if hand_edit and session.status != Status.CLOSED:
        app.push_screen(
            Choice("Filen er redigeret udenfor musterm", hand_edit, [
                ("edit", "Redigér alligevel"), ("read", "Åbn skrivebeskyttet"), ("cancel", "Annullér"),
            ]),
            lambda answer: _after_hand_edit_answer(app, relative, session, framework, answer),
        )
        return
    _open_for_editing(app, relative, session, framework)


def _after_hand_edit_answer(app: App, relative, session, framework, answer: str | None) -> None:  # noqa: ANN001
    if answer == "edit":
        _open_for_editing(app, relative, session, framework)
    elif answer == "read":
        _show(app, relative, session, framework, read_only=True, lock=None)


def hand_edited_lines(file, session) -> str:  # noqa: ANN001
    """Why saving would change a file someone edited by hand (comments, own layout), or ''."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError:
        return ""
    ours = dumps(session)
    if ours == text or (not has_end_line(text) and ours == f"{text}\n{END_MARKER}\n"):
        return ""  # as musterm writes it (one from before the end line, too: saving only adds that line)
    theirs_lines = text.splitlines()
    comments = [
        number for number, line in enumerate(theirs_lines, 1) if line.lstrip().startswith("#") and line != END_MARKER
    ]
    first_difference = next(
        (n for n, (a, b) in enumerate(zip(theirs_lines, ours.splitlines(), strict=False), 1) if a != b),
        min(len(theirs_lines), len(ours.splitlines())) + 1,
    )
    where = f"kommentarer (linje {', '.join(map(str, comments[:5]))})" if comments else f"egen opstilling fra linje {first_difference}"
    return (
        f"{file.name} har {where}. Indholdet kan læses, men når musterm gemmer, skrives filen i musterms "
        "eget format, og kommentarer og egen opstilling forsvinder. Git har den gamle version."
    )


def _open_for_editing(app: App, relative, session, framework) -> None:  # noqa: ANN001
    try:
        lock = app.store.lock_for_editing(relative)
    except SessionInUse as error:
        app.push_screen(
            Choice("Samtalen er allerede åben", str(error), [("read", "Åbn skrivebeskyttet"), ("cancel", "Annullér")]),
            lambda answer: _show(app, relative, session, framework, True, None) if answer == "read" else None,
        )
        return
    if lock.recovered:
        app.notify("En tidligere musterm lukkede uventet; samtalen er gendannet fra den sidst gemte version.", timeout=8)
    _show(app, relative, session, framework, read_only=session.status == Status.CLOSED, lock=lock)


def _show(app: App, relative, session, framework, read_only: bool, lock: EditLock | None) -> None:  # noqa: ANN001
    conversation = Conversation(relative, session, framework, read_only)
    screen: ConversationScreen
    saver = AutoSaver(app.store, relative, lambda result: screen.report(result)) if lock is not None else None
    screen = ConversationScreen(conversation, saver, lock)
    if framework is None:
        app.notify(
            f"Rammen '{session.framework.id}' findes ikke længere; samtalen vises ud fra sin egen kopi af spørgsmålene.",
            severity="warning",
            timeout=8,
        )
    app.push_screen(screen)
