"""Before and after the meeting, from the command palette: invitation, preparation form, exports, calendar.

Each action renders from a snapshot of the conversation as it is on screen, and
writes through musterm.documents.outputs into a folder the user picks (never the archive).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from musterm.documents.outputs import default_output_dir, suggested_filename
from musterm.errors import FileError, MustermError
from musterm.model import kinds
from musterm.model.session import Session
from musterm.store.events import Event


def _save(screen, title: str, what: str, extension: str, produce: Callable[[Session], bytes | str]) -> None:  # noqa: ANN001
    from musterm.app.screens.files import SaveOutputScreen

    snapshot = screen.snapshot()
    root = screen.app.store.root
    dialog = SaveOutputScreen(
        title,
        default_output_dir(root),
        suggested_filename(snapshot, what, extension),
        lambda: produce(snapshot),
        root,
    )
    screen.app.push_screen(dialog, lambda path: _saved(screen, path))


def _saved(screen, path: Path | None) -> None:  # noqa: ANN001
    if path is not None:
        screen.notify(f"Gemt: {path}", timeout=8)


def _framework_or_warn(screen):  # noqa: ANN001, ANN202
    framework = screen.conversation.framework
    if framework is None:
        screen.notify(
            f"Rammen '{screen.session.framework.id}' findes ikke længere; det kræver rammen.", severity="error"
        )
    return framework


def save_invitation(screen, markdown: bool) -> None:  # noqa: ANN001
    from musterm.documents.invite import invitation_text, no_invitation_message

    framework = _framework_or_warn(screen)
    if framework is not None and framework.invitation is None:
        screen.notify(no_invitation_message(framework), severity="warning", timeout=10)
    elif framework is not None:
        _save(screen, "Gem invitationen", "invitation", "md" if markdown else "txt",
              lambda session: invitation_text(session, framework, markdown=markdown))


def save_prep_form(screen) -> None:  # noqa: ANN001
    from musterm.documents.prepform import prep_form

    framework = _framework_or_warn(screen)
    if framework is not None:
        _save(screen, "Gem forberedelsesskemaet", "forberedelse", "txt", lambda session: prep_form(session, framework))


def save_export(screen, audience: str, extension: str) -> None:  # noqa: ANN001
    from musterm.documents.export import export_html, export_markdown

    framework = screen.conversation.framework
    render = export_html if extension == "html" else export_markdown
    what = "medarbejder" if audience == "employee" else "personalemappe"
    title = "Eksportér medarbejderens kopi" if audience == "employee" else "Eksportér til personalemappen"
    _save(screen, title, what, extension, lambda session: render(session, audience, framework))


def save_calendar(screen) -> None:  # noqa: ANN001
    from musterm.documents.ics import calendar_bytes, calendar_events

    if not calendar_events(screen.snapshot(), screen.conversation.relative):
        screen.notify("Der er ingen opfølgningsdato eller datoer i planen at lægge i kalenderen endnu.", timeout=6)
        return
    _save(screen, "Gem kalenderfil", "opfoelgning", "ics",
          lambda session: calendar_bytes(session, screen.conversation.relative))


def import_prep_form(screen) -> None:  # noqa: ANN001
    from musterm.app.screens.files import ChooseFileScreen

    if screen.conversation.read_only:
        screen.notify("Samtalen er skrivebeskyttet; genåbn den først (F9).", severity="warning")
        return
    hint = "Skemaet, medarbejderen har udfyldt (lavet med »Forberedelsesskema til medarbejderen«)."
    dialog = ChooseFileScreen("Indlæs medarbejderens forberedelse", default_output_dir(screen.app.store.root), hint)
    screen.app.push_screen(dialog, lambda path: _import_from(screen, path) if path else None)


def _import_from(screen, path: Path) -> None:  # noqa: ANN001
    from musterm.app.screens.dialogs import Message
    from musterm.documents.prepform_reader import describe_import, import_prep, read_form_file

    before = screen.snapshot()
    try:
        imported = import_prep(before, read_form_file(path), path)
    except (FileError, MustermError) as error:
        screen.app.push_screen(Message("Skemaet kan ikke indlæses", f"{error}\n\nIntet er ændret i samtalen."))
        return
    apply_preparation(screen.session, imported)
    screen.save_soon(commit=Event.PREPARATION)
    screen.rebuild()
    screen.notify(describe_import(before, imported), timeout=8)


def apply_preparation(target: Session, imported: Session) -> None:
    """Copy the employee's answers into the session being edited, in place (widgets hold its objects)."""
    for (_, mine), (_, theirs) in zip(target.questions(), imported.questions(), strict=True):
        for name in ("employee_notes", *kinds.prepared_fields()):
            setattr(mine, name, getattr(theirs, name))
    for mine, theirs in zip(target.themes, imported.themes, strict=True):
        mine.employee_notes = theirs.employee_notes
    target.preparation.employee_notes = imported.preparation.employee_notes
    target.preparation.employee_submitted = imported.preparation.employee_submitted


DOCUMENT_ACTIONS: dict[str, Callable[..., None]] = {
    "invitation-text": partial(save_invitation, markdown=False),
    "invitation-markdown": partial(save_invitation, markdown=True),
    "prep-form": save_prep_form,
    "prep-import": import_prep_form,
    "employee-html": partial(save_export, audience="employee", extension="html"),
    "employee-md": partial(save_export, audience="employee", extension="md"),
    "personnel-file-html": partial(save_export, audience="personnel-file", extension="html"),
    "calendar": save_calendar,
}
"""What each document command (commands.DOCUMENTS) does, given the conversation screen."""
