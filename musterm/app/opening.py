"""Opening a conversation from the start screen (or the palette): load, lock, show."""

from __future__ import annotations

from textual.app import App

from musterm.app.autosave import AutoSaver
from musterm.app.screens.conversation import Conversation, ConversationScreen
from musterm.app.screens.dialogs import Choice, Message
from musterm.editlock import EditLock, SessionInUse
from musterm.errors import FileError, MustermError
from musterm.session import Status


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
    try:
        lock = store.lock_for_editing(relative)
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
