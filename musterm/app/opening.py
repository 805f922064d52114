"""Opening a conversation from the start screen (or the palette): load, lock, show."""

from __future__ import annotations

from textual.app import App

from musterm.app.autosave import AutoSaver
from musterm.app.screens.conversation import ConversationScreen
from musterm.app.tabs.base import Conversation
from musterm.app.screens.dialogs import Choice, Message
from musterm.errors import FileError, MustermError
from musterm.formats.session_file import dumps, rewrite_changes
from musterm.model.session import Status
from musterm.store.editlock import EditLock, SessionInUse


def open_conversation(app: App, relative: str, read_only: bool = False, waited: float = 0.0) -> None:
    """Load and show the conversation; for editing unless `read_only` (or closed, or open elsewhere).

    `waited`: how long it has waited for a brief commit of it to end (store/editlock.py).
    """
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
    _open_for_editing(app, relative, session, framework, waited)


def _after_hand_edit_answer(app: App, relative, session, framework, answer: str | None) -> None:  # noqa: ANN001
    if answer == "edit":
        _open_for_editing(app, relative, session, framework)
    elif answer == "read":
        _show(app, relative, session, framework, read_only=True, lock=None)


def hand_edited_lines(file, session) -> str:  # noqa: ANN001
    """Why saving would change a file someone edited by hand (comments, own layout, CRLF, a BOM), or ''."""
    try:
        data = file.read_bytes()
    except OSError:
        return ""
    changes = rewrite_changes(data, dumps(session))
    if not changes:
        return ""
    where = changes[0] if len(changes) == 1 else f"{', '.join(changes[:-1])} og {changes[-1]}"
    return (
        f"{file.name} har {where}. Indholdet kan læses, men når musterm gemmer, skrives filen i musterms "
        "eget format (UTF-8 uden BOM, LF-linjeskift), og kommentarer og egen opstilling forsvinder. "
        "Git har den gamle version."
    )


BRIEF_LOCK_WAIT_SECONDS = 10.0  # a commit of one conversation, on a slow shared disk
BRIEF_LOCK_RETRY_SECONDS = 0.05


def _open_for_editing(app: App, relative, session, framework, waited: float = 0.0) -> None:  # noqa: ANN001
    try:
        lock = app.store.lock_for_editing(relative)
    except SessionInUse as error:
        if error.holder is not None and error.holder.brief and waited < BRIEF_LOCK_WAIT_SECONDS:
            # Being committed for a moment (a tidy-up, a creation, an import): open it once that
            # is done, and read it again then, as an import changes it.
            app.set_timer(BRIEF_LOCK_RETRY_SECONDS, lambda: open_conversation(
                app, relative, waited=waited + BRIEF_LOCK_RETRY_SECONDS))
            return
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
