"""The history, diff, search and log commands: exact output on a three-year archive."""

from __future__ import annotations

import getpass

import pytest
from history_data import Built, archive  # noqa: F401 - archive is a fixture

from musterm.cli.main import main

ANNA = "anna-sørensen-1001"


def run(built: Built, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--sessions", str(built.root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- history ------------------------------------------------------------------------------------

ANNA_HISTORY = """\
Anna Sørensen, nr. 1001  [anna-sørensen-1001]

Samtaler (3)
  2023-11-20  testkommune 2023  afsluttet  2 aftaler: 1 gennemført, 1 i gang
  2024-11-18  testkommune 2023  holdt      2 aftaler: 1 gennemført, 1 opgivet
              opfølgning på sidste plan: 1 gennemført, 1 i gang
  2025-11-24  testkommune 2025  kladde     ingen aftaler
              opfølgning på sidste plan: 1 gennemført, 1 opgivet

Scorer pr. år (aftalt score; medarbejderens egen i parentes)
  Spørgsmål                                        Skala   2023   2024   2025
  1. Hvordan trives du i hverdagen?                0–10  3 (4)* 4 (4)*  8 (7)
  2. Hvordan er balancen mellem arbejde og fritid? 1–5                  4 (3)
  4. Hvordan vurderer du din faglige udvikling?    1–5        3  4 (4)  5 (4)
  2. Hvordan er din arbejdsmængde?                 1–5    2 (2)  3 (2)
  * 1. Hvordan trives du i hverdagen?: 2023, 2024 på skala 1–5
"""


def test_history_of_an_employee(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    for who in ("Anna Sørensen", "1001", ANNA):
        code, out, err = run(archive, capsys, "history", who)
        assert (code, out, err) == (0, ANNA_HISTORY, "")
    assert max(len(line) for line in ANNA_HISTORY.splitlines()) <= 80


def test_history_with_an_unassessed_plan_and_unscored_questions(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(archive, capsys, "history", "Bo Hansen")
    assert code == 0
    assert out == """\
Bo Hansen  [bo-hansen]

Samtaler (2)
  2024-03-05  testkommune 2023  holdt      1 aftale: 1 ikke vurderet
  2025-03-04  testkommune 2025  kladde     ingen aftaler
              opfølgning på sidste plan: 1 ikke vurderet

Scorer pr. år (aftalt score; medarbejderens egen i parentes)
  Spørgsmål                                        Skala   2024   2025
  1. Hvordan trives du i hverdagen?                0–10  5 (5)*      9
  2. Hvordan er balancen mellem arbejde og fritid? 1–5               –
  4. Hvordan vurderer du din faglige udvikling?    1–5        –      –
  2. Hvordan er din arbejdsmængde?                 1–5        4
  * 1. Hvordan trives du i hverdagen?: 2024 på skala 1–5
"""


def test_history_of_someone_unknown(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(archive, capsys, "history", "Dorte")
    assert (code, out) == (1, "")
    assert err == f"musterm: Ingen medarbejder hedder 'Dorte' i {archive.root}.\n"


# --- diff ---------------------------------------------------------------------------------------


def test_diff_defaults_to_the_last_two_conversations(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(archive, capsys, "diff", "Anna Sørensen")
    assert (code, err) == (0, "")
    assert out == """\
Anna Sørensen: 2024-11-18 → 2025-11-24

== Samtalen ==
  Dato: 2024-11-18 → 2025-11-24
  Status: holdt → kladde
  Ramme: MUS i Testkommune (version 2023) → MUS i Testkommune (version 2025)

== Opfølgning på sidste udviklingsplan ==
  Aftale 1 fra 2024-11-18
      Status: opgivet
      Hvad?: Mentorordning
      Kommentar: Ingen mentor ledig.
  Aftale 2 fra 2024-11-18
      Status: gennemført
      Hvad?: Øvebane: lede teammøder

== Trivsel ==
  Noter:
      Mindre travlt efter omlægningen.
    - Savner sparring.
    + Får sparring af Bo.
  1. Hvordan trives du i hverdagen?
      Spørgsmål: Hvordan trives du? → Hvordan trives du i hverdagen?
      Skala: 1–5 → 0–10
      Score: 4 → 8
      Egen score: 4 → 7
  2. Hvordan er balancen mellem arbejde og fritid? (ny)
      Score: 4
      Egen score: 3
  2. Hvordan er din arbejdsmængde? (fjernet)
      Score (fjernet): 3
      Egen score (fjernet): 2

== Udvikling ==
  4. Hvordan vurderer du din faglige udvikling?
      Score: 4 → 5
  5. Hvilke ønsker har du til det kommende år?
      Noter: Ærligt talt: vil gerne prøve projektledelse.

== Udviklingsplan ==
  Aftale 1 (fjernet): Mentorordning
  Aftale 2 (fjernet): Øvebane: lede teammøder
"""


DIFF_2023_2024 = """\
Anna Sørensen: 2023-11-20 → 2024-11-18

== Samtalen ==
  Dato: 2023-11-20 → 2024-11-18
  Status: afsluttet → holdt

== Opfølgning på sidste udviklingsplan ==
  Aftale 1 fra 2023-11-20
      Status: gennemført
      Hvad?: Kursus i Excel
      Kommentar: Gennemført i april.
  Aftale 2 fra 2023-11-20
      Status: i gang
      Hvad?: Øvebane: lede teammøder

== Trivsel ==
  Noter:
    - Travlt i perioder.
      God stemning i teamet.
    + Mindre travlt efter omlægningen.
      Savner sparring.
  1. Hvordan trives du?
      Score: 3 → 4
  2. Hvordan er din arbejdsmængde?
      Score: 2 → 3
  3. Hvad er en god arbejdsdag for dig?
      Noter (fjernet): Når opgaverne er klare.

== Udvikling ==
  4. Hvordan vurderer du din faglige udvikling?
      Score: 3 → 4
      Egen score: – → 4

== Udviklingsplan ==
  Aftale 1 (ny)
      Hvad?: Mentorordning
      Mål?: Sparring med en erfaren kollega
      Hvordan?: Møde hver måned
      Hvornår?: 2025
  Aftale 2
      Mål?: Mere erfaring som mødeleder → Lede alle teammøder
      Hvordan?: Leder hvert andet teammøde → Med feedback fra mig
      Hvornår?: Hele 2024 → Forår 2025
  Aftale 1 (fjernet): Kursus i Excel

== Private noter (kun for lederen) ==
  Noter (fjernet):
    Overvejer at søge internt.
    Hold øje med STRESS.
"""


def test_diff_of_two_chosen_conversations(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    for dates in (
        ("2023-11-20", "2024-11-18"),
        ("2023-11-20.toml", f"{ANNA}/2024-11-18.toml"),
        ("2024-11-18",),  # one date: that conversation and the one before it
    ):
        code, out, err = run(archive, capsys, "diff", "1001", *dates)
        assert (code, out, err) == (0, DIFF_2023_2024, "")


def test_diff_in_the_other_direction(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(archive, capsys, "diff", "1001", "2024-11-18", "2023-11-20")
    assert code == 0
    assert out.splitlines()[:5] == [
        "Anna Sørensen: 2024-11-18 → 2023-11-20",
        "",
        "== Samtalen ==",
        "  Dato: 2024-11-18 → 2023-11-20",
        "  Status: holdt → afsluttet",
    ]
    assert "      Score: 4 → 3" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("carl-ærø",), "carl-ærø har kun én samtale; der skal to til en sammenligning."),
        (("1001", "2023-11-20"), "Der er ingen samtale før 2023-11-20 at sammenligne med."),
        (("1001", "2022-01-01", "2023-11-20"),
         "Ingen samtale passer på '2022-01-01' (samtaler: 2023-11-20, 2024-11-18, 2025-11-24)."),
        (("1001", "a", "b", "c"), "Angiv højst to samtaler: musterm diff MEDARBEJDER [DATO1 DATO2]"),
    ],
)
def test_diff_says_plainly_what_is_missing(
    archive: Built, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(archive, capsys, "diff", *args)
    assert (code, out, err) == (1, "", f"musterm: {message}\n")


# --- search -------------------------------------------------------------------------------------


def test_search_across_employees(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(archive, capsys, "search", "ØVEBANE")
    assert (code, err) == (0, "")
    assert out == """\
5 fund for "ØVEBANE" i 4 samtaler:

Anna Sørensen 2023-11-20  (anna-sørensen-1001/2023-11-20.toml)
  Udviklingsplan › Aftale 2 › Hvad?: Øvebane: lede teammøder

Anna Sørensen 2024-11-18  (anna-sørensen-1001/2024-11-18.toml)
  Opfølgning på sidste udviklingsplan › Aftale 2 fra 2023-11-20 › Hvad?: Øvebane: lede teammøder
  Udviklingsplan › Aftale 2 › Hvad?: Øvebane: lede teammøder

Anna Sørensen 2025-11-24  (anna-sørensen-1001/2025-11-24.toml)
  Opfølgning på sidste udviklingsplan › Aftale 2 fra 2024-11-18 › Hvad?: Øvebane: lede teammøder

Bo Hansen 2024-03-05  (bo-hansen/2024-03-05.toml)
  Udvikling › 5. Hvilke ønsker har du til det kommende år? › Noter: Vil gerne have en øvebane i planlægning.
"""


def test_search_words_and_private_notes(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(archive, capsys, "search", "hold", "ØJE")
    assert code == 0
    assert out == """\
1 fund for "hold ØJE" i 1 samtale:

Anna Sørensen 2023-11-20  (anna-sørensen-1001/2023-11-20.toml)
  [PRIVAT] Private noter (kun for lederen): Overvejer at søge internt. Hold øje med STRESS.
"""


def test_search_without_hits(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(archive, capsys, "search", "Kursus i Python") == (1, 'Ingen fund for "Kursus i Python".\n', "")


# --- log ----------------------------------------------------------------------------------------


def test_log_of_an_employee(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(archive, capsys, "log", "Anna Sørensen")
    assert (code, err) == (0, "")
    assert out == """\
2025-11-24 11:00  Lars Leder  Anna Sørensen 2025-11-24: opfølgning på sidste plan opdateret
2025-11-03 09:00  Lars Leder  Anna Sørensen 2025-11-24: samtale oprettet
2024-11-18 13:55  Lars Leder  Anna Sørensen 2024-11-18: udviklingsplan ændret
2024-11-18 13:30  Lars Leder  Anna Sørensen 2024-11-18: samtale holdt
2024-11-18 13:05  Lars Leder  Anna Sørensen 2024-11-18: opfølgning på sidste plan opdateret
2024-11-04 09:00  Lars Leder  Anna Sørensen 2024-11-18: samtale oprettet
2023-11-21 08:00  Lars Leder  Anna Sørensen 2023-11-20: samtale afsluttet
2023-11-20 10:42  Lars Leder  Anna Sørensen 2023-11-20: udviklingsplan ændret
2023-11-20 10:15  Lars Leder  Anna Sørensen 2023-11-20: samtale holdt
2023-11-01 08:30  Lars Leder  Anna Sørensen 2023-11-20: samtale oprettet
"""


def test_log_of_the_archive(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(archive, capsys, "log")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 17
    width = max(len("Lars Leder"), len(getpass.getuser()))
    assert lines[2:6] == [
        f"2025-06-02 09:30  {'Lars Leder':<{width}}  Carl Ærø 2025-06-02: medarbejderens forberedelse modtaget",
        f"2025-05-20 08:00  {'Lars Leder':<{width}}  Carl Ærø 2025-06-02: samtale oprettet",
        f"2025-03-04 14:20  {'Lars Leder':<{width}}  Bo Hansen 2025-03-04: scorer opdateret",
        f"2025-02-18 12:00  {'Lars Leder':<{width}}  Bo Hansen 2025-03-04: samtale oprettet",
    ]
    assert lines[-1] == f"2023-10-01 09:00  {getpass.getuser():<{width}}  Samtalearkiv oprettet af musterm"
    code, out, _ = run(archive, capsys, "log", "-n", "1")
    assert out == "2025-11-24 11:00  Lars Leder  Anna Sørensen 2025-11-24: opfølgning på sidste plan opdateret\n"


def test_commands_do_not_import_textual(archive: Built, capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from musterm.cli.main import main\n"
        f"for args in (['history', 'Bo Hansen'], ['diff', 'Bo Hansen'], ['search', 'x'], ['log', 'Bo Hansen']):\n"
        f"    main(['--sessions', {str(archive.root)!r}, *args])\n"
        "assert not any(name.startswith('textual') for name in sys.modules), 'textual imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
