"""The invitation letter: the framework's template filled in, in plain text and Markdown."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

import pytest

from musterm.cli.main import main
from musterm.documents.invite import (
    danish_date,
    danish_time,
    invitation_body,
    invitation_subject,
    invitation_text,
    session_framework,
)
from musterm.errors import MustermError
from musterm.frameworks.catalog import Catalog
from musterm.model.framework import Framework
from musterm.model.session import Person, Session, new_session
from musterm.store.repository import Store

CATALOG = Catalog.discover()
RKSK = CATALOG.get("ringkobing-skjern")
NORDDJURS = CATALOG.get("norddjurs")


def make_session(
    framework: Framework = RKSK,
    *,
    date: dt.date = dt.date(2026, 11, 23),
    time: dt.time | None = dt.time(10, 0),
    place: str = "Mødelokale 2, Rådhuset",
    employee: str = "Anna Sørensen",
) -> Session:
    return new_session(framework, Person(name=employee), Person(name="Bo Hansen"), date, time, place)


RKSK_LETTER = """\
Emne: Invitation til medarbejderudviklingssamtale (MUS)

Kære Anna Sørensen

Velkommen til medarbejderudviklingssamtale (MUS)!

Du er inviteret til MUS mandag den 23. november 2026 kl. 10.00.
Sted: Mødelokale 2, Rådhuset

De fire emner, vi skal tale om, er:

Job og arbejdsindhold
Kvalitet og kompetencer
Arbejdsliv
Ledelse og samarbejde.

Jeg har ansvar for, at de konklusioner, vi når frem til, skrives ned i løbet af samtalen.
Vi kan aftale, hvis det passer os bedre, at du selv skriver konklusionerne ned.

Samtalen munder ud i en individuel kompetenceudviklingsplan der beskriver hvilke initiativer der skal \
igangsættes for, at du kan udvikle dig i dit arbejde, og for hvordan jeg og arbejdspladsen kan støtte dig i dette.

Det vil være hensigtsmæssigt at aflevere afkrydsningsskemaet senest onsdag den 18. november 2026 til mig, \
således at jeg kan være bedre forberedt.

Venlig hilsen

Bo Hansen
"""


def test_ringkobing_skjern_invitation_exact_text() -> None:
    assert invitation_text(make_session(), RKSK) == RKSK_LETTER


def test_ringkobing_skjern_invitation_as_markdown() -> None:
    expected = """\
**Emne:** Invitation til medarbejderudviklingssamtale (MUS)

Kære Anna Sørensen

Velkommen til medarbejderudviklingssamtale (MUS)!

Du er inviteret til MUS **mandag den 23. november 2026** kl. **10.00**.\\
Sted: **Mødelokale 2, Rådhuset**

De fire emner, vi skal tale om, er:

Job og arbejdsindhold\\
Kvalitet og kompetencer\\
Arbejdsliv\\
Ledelse og samarbejde.

Jeg har ansvar for, at de konklusioner, vi når frem til, skrives ned i løbet af samtalen.\\
Vi kan aftale, hvis det passer os bedre, at du selv skriver konklusionerne ned.

Samtalen munder ud i en individuel kompetenceudviklingsplan der beskriver hvilke initiativer der skal \
igangsættes for, at du kan udvikle dig i dit arbejde, og for hvordan jeg og arbejdspladsen kan støtte dig i dette.

Det vil være hensigtsmæssigt at aflevere afkrydsningsskemaet senest **onsdag den 18. november 2026** til mig, \
således at jeg kan være bedre forberedt.

Venlig hilsen

Bo Hansen
"""
    assert invitation_text(make_session(), RKSK, markdown=True) == expected


def test_markdown_renders_with_the_letters_line_breaks() -> None:
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(invitation_text(make_session(), RKSK, markdown=True))
    assert "kl. <strong>10.00</strong>.<br />\nSted: <strong>Mødelokale 2, Rådhuset</strong>" in html
    assert "Arbejdsliv<br />\nLedelse og samarbejde.</p>" in html


def test_markdown_escapes_names_so_they_stay_text() -> None:
    session = make_session(employee="Anna *Bo* [x](y) <b>")
    text = invitation_text(session, RKSK, markdown=True)
    assert "Kære Anna \\*Bo\\* \\[x\\](y) \\<b\\>" in text
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(text)
    assert "Kære Anna *Bo* [x](y) &lt;b&gt;" in html


def test_missing_time_and_place_say_not_agreed() -> None:
    body = invitation_body(make_session(time=None, place=""), RKSK)
    assert "Du er inviteret til MUS mandag den 23. november 2026 (tidspunkt ikke aftalt).\nSted: (ikke aftalt)\n" in body


def test_the_deadline_crosses_a_month_boundary() -> None:
    body = invitation_body(make_session(date=dt.date(2026, 12, 2)), RKSK)
    assert "senest fredag den 27. november 2026 til mig" in body
    assert "Du er inviteret til MUS onsdag den 2. december 2026 kl. 10.00." in body


@pytest.mark.parametrize("framework_id", ["norddjurs", "randers", "haderslev"])
def test_a_framework_without_invitation_gets_a_clear_message_not_an_invented_letter(framework_id: str) -> None:
    framework = CATALOG.get(framework_id)
    assert framework.invitation is None
    with pytest.raises(MustermError) as raised:
        invitation_text(make_session(framework), framework)
    assert str(raised.value) == (
        f"Rammen »{framework.name}« har ingen invitation: {framework.municipality}s MUS-guide giver ikke et brev, "
        "og musterm skriver ikke et i kommunens navn. Skriv invitationen selv, eller bed HR om at tilføje "
        "[invitation] til rammefilen (se frameworks/README.md)."
    )


def _framework_with_template(template: str, days: int | None = None) -> Framework:
    data = tomllib.loads(
        'format = 1\nid = "lille"\nname = "Lille MUS"\nmunicipality = "Testby Kommune"\nversion = "1"\n'
        '[[themes]]\nid = "t"\ntitle = "Tema"\n'
    )
    data["invitation"] = {"template": template, "subject": "MUS hos {os}"}
    if days is not None:
        data["invitation"]["prep_deadline_days"] = days
    return Framework.model_validate(data)


def test_every_placeholder_and_literal_braces() -> None:
    framework = _framework_with_template(
        "{medarbejder}/{leder}/{dato}/{tid}/{sted}/{frist}/{ramme}/{kommune} {{ikke en pladsholder}}", days=7
    )
    body = invitation_body(make_session(framework), framework)
    assert body == (
        "Anna Sørensen/Bo Hansen/mandag den 23. november 2026/10.00/Mødelokale 2, Rådhuset/"
        "mandag den 16. november 2026/Lille MUS/Testby Kommune {ikke en pladsholder}\n"
    )
    assert invitation_subject(framework) == "MUS hos {os}"


def test_a_template_without_deadline_days_says_not_agreed() -> None:
    framework = _framework_with_template("Send noter senest {frist}.")
    assert invitation_body(make_session(framework), framework) == "Send noter senest (ikke aftalt).\n"


def test_den_before_a_date_is_not_doubled_but_other_words_stay() -> None:
    framework = _framework_with_template("MUS den {dato}. Garden {dato}. Senest den {frist}.", days=1)
    assert invitation_body(make_session(framework), framework) == (
        "MUS mandag den 23. november 2026. Garden mandag den 23. november 2026. "
        "Senest søndag den 22. november 2026.\n"
    )


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 11, 23), "mandag den 23. november 2026"),
        (dt.date(2026, 11, 24), "tirsdag den 24. november 2026"),
        (dt.date(2026, 11, 25), "onsdag den 25. november 2026"),
        (dt.date(2026, 11, 26), "torsdag den 26. november 2026"),
        (dt.date(2026, 11, 27), "fredag den 27. november 2026"),
        (dt.date(2026, 11, 28), "lørdag den 28. november 2026"),
        (dt.date(2026, 11, 29), "søndag den 29. november 2026"),
        (dt.date(2027, 1, 1), "fredag den 1. januar 2027"),
        (dt.date(2027, 2, 14), "søndag den 14. februar 2027"),
        (dt.date(2027, 3, 1), "mandag den 1. marts 2027"),
        (dt.date(2027, 4, 5), "mandag den 5. april 2027"),
        (dt.date(2027, 5, 5), "onsdag den 5. maj 2027"),
        (dt.date(2027, 6, 5), "lørdag den 5. juni 2027"),
        (dt.date(2027, 7, 5), "mandag den 5. juli 2027"),
        (dt.date(2027, 8, 5), "torsdag den 5. august 2027"),
        (dt.date(2027, 9, 5), "søndag den 5. september 2027"),
        (dt.date(2027, 10, 5), "tirsdag den 5. oktober 2027"),
        (dt.date(2027, 12, 31), "fredag den 31. december 2027"),
    ],
)
def test_danish_dates_without_the_locale(day: dt.date, text: str) -> None:
    assert danish_date(day) == text
    assert danish_date(day, weekday=False) == text.split(" den ", 1)[1]


def test_danish_times() -> None:
    assert danish_time(dt.time(9, 5)) == "9.05"
    assert danish_time(dt.time(14, 30)) == "14.30"
    assert danish_time(dt.time(0, 0)) == "0.00"


def test_a_framework_that_is_gone_is_named() -> None:
    session = make_session().model_copy(
        update={"framework": make_session().framework.model_copy(update={"id": "forsvundet", "name": "Gammel MUS"})}
    )
    with pytest.raises(MustermError, match="Rammen 'forsvundet' \\(Gammel MUS\\).*findes ikke længere"):
        session_framework(session, CATALOG)
    assert session_framework(make_session(), CATALOG) is RKSK


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    root = tmp_path / "sessions"
    store = Store.open(root)
    store.create(make_session())
    return root


def test_invite_command_prints_the_letter(sessions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--sessions", str(sessions), "invite", "Anna Sørensen"]) == 0
    assert capsys.readouterr().out == RKSK_LETTER


def test_invite_command_writes_markdown_to_a_file(
    sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "invitation.md"
    assert main(["--sessions", str(sessions), "invite", "anna-sørensen", "--markdown", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == invitation_text(make_session(), RKSK, markdown=True)
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert "skrevet til" in capsys.readouterr().err


def test_invite_command_refuses_to_write_into_the_sessions_repository(
    sessions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--sessions", str(sessions), "invite", "Anna Sørensen", "-o", str(sessions / "brev.txt")]) == 1
    assert "ligger i samtalearkivet" in capsys.readouterr().err
    assert not (sessions / "brev.txt").exists()


def test_invite_command_for_a_framework_without_invitation_says_so_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "sessions"
    Store.open(root).create(make_session(CATALOG.get("randers")))
    target = tmp_path / "brev.txt"
    assert main(["--sessions", str(root), "invite", "Anna Sørensen", "-o", str(target)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Rammen »MUS-samtale i Randers Kommune« har ingen invitation" in captured.err
    assert "Traceback" not in captured.err
    assert not target.exists()
