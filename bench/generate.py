"""A large, realistic sessions repository for the benchmarks, deterministic from a seed.

    python bench/generate.py [--employees 1000] [--years 10] [--seed 1] [--out DIR]

Built with the real code: `Store.open` creates the repository (layout, git config),
`new_session` copies the bundled frameworks' questions in, `followup_from` carries
each year's plan over to the next, and `musterm.formats.session_file.dumps` writes the files.
Then the content a manager would have typed is filled in: Danish notes of varied
length (most short, some long), agreed and own scores that drift over the years,
choices, yes/no answers, list items, plan rows, follow-up statuses and comments,
evaluations, signatures and now and then private notes.

For speed the files are written directly (not through `Store.save`, whose durable
writes fsync every file) and committed with one `git add -A` and one commit per
year, with fixed dates, so the same parameters give the same repository.

The result is cached in bench/.data/ by parameters and seed; a second run with the
same parameters returns at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from musterm.formats.session_file import dumps  # noqa: E402
from musterm.frameworks.catalog import Catalog  # noqa: E402
from musterm.model.framework import QuestionKind  # noqa: E402
from musterm.model.session import (  # noqa: E402
    FollowUpStatus,
    Person,
    PlanRow,
    Session,
    Status,
    new_session,
)
from musterm.store import names  # noqa: E402
from musterm.store.repository import Store  # noqa: E402

GENERATOR_VERSION = 2
"""Bump when the content changes, so cached repositories are rebuilt."""
DATA = BENCH / ".data"
LAST_YEAR = 2025
MANAGERS = ["Lis Leder", "Bo Mikkelsen", "Hanne Kjær", "Søren Dalgaard"]

FIRST_NAMES = [
    "Anna", "Mette", "Lone", "Susanne", "Hanne", "Kirsten", "Camilla", "Maria", "Louise", "Pia",
    "Jens", "Peter", "Lars", "Søren", "Niels", "Henrik", "Morten", "Thomas", "Rasmus", "Mikkel",
    "Ida", "Freja", "Sofie", "Emma", "Line", "Birgitte", "Anne", "Karen", "Tove", "Jytte",
    "Ole", "Bent", "Jørgen", "Anders", "Martin", "Christian", "Kasper", "Jesper", "Frederik", "Ahmed",
    "Fatima", "Aisha", "Ørnulf", "Åse", "Bjørn", "Æbelina",
]
LAST_NAMES = [
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
    "Poulsen", "Johansen", "Møller", "Mortensen", "Østergaard", "Kjærgaard", "Bæk", "Holm", "Ravn",
    "Dahl", "Lund", "Skov", "Friis", "Brandt",
]
PLACES = ["Mødelokale 2", "Lederens kontor", "Mødelokale Åen", "Teams", "Personalerummet", ""]

# Sentences a manager might note during a MUS conversation; notes are built from them.
SENTENCES = [
    "Trives godt i teamet og oplever god opbakning fra kollegerne.",
    "Arbejdsmængden har været stor i perioden op til sommerferien.",
    "Ønsker mere tid til faglig fordybelse og sparring.",
    "Vi aftalte at se på fordelingen af opgaver i teamet igen efter nytår.",
    "Har taget ansvar for oplæringen af to nye kolleger og gjort det rigtig godt.",
    "Savner klarere prioritering fra ledelsen, når der kommer nye opgaver ind.",
    "Er glad for den nye vagtplan, men weekenderne er stadig hårde.",
    "Fortæller, at samarbejdet med sundhedsplejen fungerer bedre end sidste år.",
    "Vil gerne på kursus i konflikthåndtering.",
    "Har oplevet et par svære episoder med pårørende, som vi talte om.",
    "Ønsker at arbejde mere med dokumentation og kvalitet.",
    "Vi talte om muligheden for at gå ned i tid i en periode.",
    "Bruger øvebanen i det nye fagsystem og er ved at være fortrolig med det.",
    "Oplever, at møderne tager for meget tid fra kerneopgaven.",
    "Er interesseret i at blive ressourceperson på demensområdet.",
    "Har haft en del sygefravær i foråret; det går bedre nu.",
    "Giver udtryk for stor arbejdsglæde og stolthed over opgaven.",
    "Vi aftalte faste sparringsmøder hver anden uge.",
    "Ønsker feedback oftere end ved MUS og i hverdagen mere generelt.",
    "Kunne godt tænke sig at prøve kræfter med projektledelse.",
    "Oplever, at overleveringen mellem vagterne kan blive bedre.",
    "Har gode idéer til, hvordan vi kan forenkle registreringen.",
    "Er bekymret for den kommende omstrukturering og hvad den betyder for teamet.",
    "Trivsel: god. Arbejdsmiljø: generelt godt, men støj i kontormiljøet fylder.",
    "Har gennemført diplommodulet i pædagogisk ledelse med fint resultat.",
    "Vil gerne have mere indflydelse på planlægningen af egne opgaver.",
    "Samarbejdet med den nye kollega er kommet godt fra start.",
    "Vi talte om balancen mellem arbejdsliv og familieliv med små børn.",
    "Ønsker at fortsætte i nuværende stilling de næste par år.",
    "Har brug for opdatering i førstehjælp og forflytning.",
    "Fremhæver, at den nye struktur for teammøder virker.",
    "Oplever af og til at stå alene med svære beslutninger.",
    "Vil gerne være mentor for elever og studerende.",
    "Vi blev enige om at følge op på arbejdsmængden til foråret.",
    "Fagligt meget stærk; kollegerne søger ofte råd hos hende.",
    "Fagligt meget stærk; kollegerne søger ofte råd hos ham.",
    "Synes, at introduktionen af nye medarbejdere kan struktureres bedre.",
    "Er åben for at skifte afdeling, hvis muligheden opstår.",
    "Vi talte om seniorordning og ønsker for de sidste år på arbejdsmarkedet.",
    "Har bidraget positivt til trivselsudvalget.",
    "Oplever, at it-systemerne er langsomme og stjæler tid.",
    "Ønsker et kursus i Excel og bedre overblik over budgettet.",
    "Det fysiske arbejdsmiljø er forbedret efter ombygningen.",
    "Ser frem til at arbejde med den nye værdigrundlag i praksis.",
    "Giver udtryk for, at kommunikationen fra ledelsen er blevet bedre.",
    "Vi aftalte, at hun tager ansvar for den faglige temadag i efteråret.",
    "Vi aftalte, at han tager ansvar for den faglige temadag i efteråret.",
    "Har svært ved at nå pauserne på travle dage.",
    "Er glad for fleksibiliteten i mødetiderne.",
    "Efterspørger mere tværfagligt samarbejde med terapeuterne.",
]
RARE_SENTENCES = [
    "Vi talte om forventningerne til den kommende lønforhandling.",
    "Overvejer efteruddannelse som sygeplejerske på deltid.",
    "Har haft en konflikt med en samarbejdspartner i Fødevarestyrelsen.",
    "Ønsker at deltage i udviklingen af den nye app til borgerne.",
]
"""Each picked now and then (a few percent of conversations): what a targeted search finds."""
RARE_CHANCE = 0.002
BULLETS = [
    "kursus i konflikthåndtering", "sparring med kollega", "mentorordning", "temadag om dokumentation",
    "e-læring i GDPR", "faglig netværksgruppe", "opfølgning hos leder", "supervision", "diplommodul",
    "sidemandsoplæring", "studietur", "arbejdsmiljøuddannelse", "øvebane i fagsystemet",
]
PLAN_WHAT = [
    "Kursus i konflikthåndtering", "Diplommodul i ledelse", "Sidemandsoplæring i fagsystemet",
    "Ressourceperson på demensområdet", "Bedre balance mellem arbejde og fritid", "Mentor for nye kolleger",
    "Førstehjælp og forflytning", "Projektledelse af den faglige temadag", "Faste sparringsmøder",
    "Dokumentation og kvalitet", "Excel og budgetoverblik", "Tværfagligt samarbejde med terapeuterne",
]
PLAN_GOAL = [
    "Kunne håndtere svære samtaler roligt", "Klædt på til nye opgaver", "Færre fejl i registreringen",
    "Være kollegernes faste kontaktperson", "Mindre overarbejde", "Gode introforløb",
    "Sikker i de nye procedurer", "En vellykket temadag for hele afdelingen", "Mere feedback i hverdagen",
]
PLAN_HOW = [
    "Kommunens kursuskatalog", "Aftale med kollega om sparring", "E-læring i arbejdstiden",
    "Frikøb en dag om ugen", "Deltagelse i netværksmøder", "Ledersparring hver anden uge",
]
PLAN_WHEN = ["Inden sommerferien", "1. kvartal", "Efteråret", "Løbende", "Inden næste MUS", "Marts"]
PLAN_FOLLOWUP = ["Ved næste MUS", "Ved teammøde i juni", "Leder følger op efter et halvt år", "Løbende sparring"]
COMMENTS = {
    FollowUpStatus.DONE: ["Gennemført med stort udbytte.", "Nået, og bruges i hverdagen.", ""],
    FollowUpStatus.IN_PROGRESS: ["Er i gang, halvvejs.", "Første del er gennemført.", ""],
    FollowUpStatus.NOT_STARTED: ["Udsat pga. travlhed; tages op igen.", ""],
    FollowUpStatus.ABANDONED: ["Ikke relevant længere efter omstruktureringen.", ""],
}
EVALUATIONS = [
    "God og åben samtale.", "Vi nåede det hele; lidt kort tid til planen.",
    "Godt med forberedelsen på forhånd.", "En god samtale med klare aftaler.",
]


def note(rng: random.Random, *, empty: float = 0.35) -> str:
    """A note as typed in a meeting: mostly a few lines, sometimes long, sometimes nothing."""
    roll = rng.random()
    if roll < empty:
        return ""
    if roll < empty + (1 - empty) * 0.7:
        count = rng.randint(1, 3)
    elif roll < empty + (1 - empty) * 0.95:
        count = rng.randint(4, 10)
    else:
        count = rng.randint(11, 30)
    lines = []
    for _ in range(count):
        if rng.random() < 0.25:
            lines.append("- " + rng.choice(BULLETS))
        elif rng.random() < RARE_CHANCE:
            lines.append(rng.choice(RARE_SENTENCES))
        else:
            lines.append(rng.choice(SENTENCES))
    if count > 3 and rng.random() < 0.5:
        # Paragraphs: a blank line now and then.
        for index in range(len(lines) - 1, 0, -1):
            if rng.random() < 0.2:
                lines.insert(index, "")
    return "\n".join(lines)


def employees(count: int, rng: random.Random) -> list[tuple[str, str, int]]:
    """(name, number, birth year), unique numbers."""
    people = []
    for index in range(count):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if rng.random() < 0.3:
            name = f"{name.split()[0]} {rng.choice(LAST_NAMES)} {name.split()[1]}"
        people.append((name, f"{10000 + index}", rng.randint(1958, 2000)))
    return people


def employee_sessions(
    catalog: Catalog, index: int, person: tuple[str, str, int], years: Sequence[int], seed: int
) -> list[tuple[str, Session]]:
    """One employee's conversations, oldest first, as (file name, session)."""
    rng = random.Random(f"{seed}:{index}")
    frameworks = sorted(entry.framework.id for entry in catalog)
    framework = catalog.get(frameworks[index % len(frameworks)])
    name, number, birth_year = person
    employee = Person(name=name, number=number, birth_year=birth_year)
    manager = Person(name=MANAGERS[index % len(MANAGERS)])
    level = rng.uniform(-1.0, 1.0)  # this employee's general mood on the scales, drifting
    previous: Session | None = None
    result = []
    for year in years:
        date = dt.date(year, rng.randint(1, 11), rng.randint(1, 28))
        at = dt.time(rng.choice([8, 9, 10, 11, 13, 14]), rng.choice([0, 15, 30, 45]))
        session = new_session(framework, employee, manager, date, at, rng.choice(PLACES), previous=previous)
        level = max(-1.0, min(1.0, level + rng.uniform(-0.3, 0.3)))
        _fill(session, rng, level, last=year == years[-1])
        result.append((names.session_file(date), session))
        previous = session
    return result


def _fill(session: Session, rng: random.Random, level: float, last: bool) -> None:
    """What the manager typed and decided during the conversation."""
    held = not last or rng.random() < 0.7
    session.status = Status.CLOSED if held and (not last or rng.random() < 0.8) else (Status.HELD if held else Status.DRAFT)
    if held:
        session.started = dt.datetime.combine(session.date, session.time or dt.time(9)).replace(second=rng.randint(0, 59))
    session.preparation.manager_notes = note(rng, empty=0.5)
    if rng.random() < 0.4:
        session.preparation.employee_notes = note(rng, empty=0.0)
        session.preparation.employee_submitted = session.date - dt.timedelta(days=rng.randint(1, 10))
    for row in session.followup:
        if held:
            row.status = rng.choice(list(FollowUpStatus))
            row.comment = rng.choice(COMMENTS[row.status])
    for theme in session.themes:
        theme.notes = note(rng, empty=0.4) if held else ""
        for question in theme.questions:
            if not held:
                continue
            if question.kind == QuestionKind.SCORE and question.scale is not None:
                scale = question.scale
                middle = (scale.min + scale.max) / 2 + level * (scale.max - scale.min) / 3
                value = round(middle + rng.uniform(-1.5, 1.5))
                question.score = max(scale.min, min(scale.max, value))
                if session.preparation.employee_submitted is not None:
                    question.own_score = max(scale.min, min(scale.max, value + rng.randint(-1, 1)))
            elif question.kind == QuestionKind.CHOICE and question.options:
                question.choice = rng.choice(list(question.options))
            elif question.kind == QuestionKind.YESNO:
                question.answer = rng.random() < 0.5
            elif question.kind == QuestionKind.LIST:
                question.items = [rng.choice(BULLETS) if rng.random() < 0.7 else "" for _ in question.items]
            question.notes = note(rng)
    if held:
        rows = []
        for number in range(1, rng.randint(1, 4) + 1):
            rows.append(
                PlanRow(
                    id=str(number),
                    what=rng.choice(PLAN_WHAT),
                    goal=rng.choice(PLAN_GOAL),
                    how=rng.choice(PLAN_HOW),
                    when=rng.choice(PLAN_WHEN),
                    followup=rng.choice(PLAN_FOLLOWUP),
                )
            )
        session.plan.rows = rows
        for plan_field in session.plan.fields:
            plan_field.text = note(rng, empty=0.5)
        session.closing.evaluation = rng.choice(EVALUATIONS) if rng.random() < 0.6 else ""
        session.closing.followup_date = session.date + dt.timedelta(days=rng.randint(120, 200))
        if session.status == Status.CLOSED:
            session.closing.leader_signed = session.date
            session.closing.employee_signed = session.date + dt.timedelta(days=rng.randint(0, 5))
        if rng.random() < 0.15:
            session.private.notes = note(rng, empty=0.0)


def repository_path(employees_count: int, years: int, seed: int) -> Path:
    return DATA / f"sessions-e{employees_count}-y{years}-s{seed}-v{GENERATOR_VERSION}"


def generate(employees_count: int = 1000, years: int = 10, seed: int = 1, out: Path | None = None, quiet: bool = False) -> Path:
    """The repository for these parameters, generated if not cached yet."""
    root = out or repository_path(employees_count, years, seed)
    done = root.with_name(root.name + ".done")
    if done.exists() and (root / ".git").is_dir():
        return root
    if root.exists():
        shutil.rmtree(root)
    done.unlink(missing_ok=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    os.umask(0o077)  # as `musterm` itself runs: files 0600, folders 0700
    started = time.perf_counter()
    environment = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    identity = {  # GitRepo passes no GIT_* variables of ours on, except through `env`
        "GIT_AUTHOR_NAME": "musterm bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "musterm bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    }
    saved = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    try:
        store = Store.open(root)
        catalog = Catalog.discover()
        rng = random.Random(seed)
        people = employees(employees_count, rng)
        year_list = list(range(LAST_YEAR - years + 1, LAST_YEAR + 1))
        by_year: dict[int, list[tuple[str, str]]] = {year: [] for year in year_list}
        for index, person in enumerate(people):
            folder = names.employee_folder(person[0], person[1])
            for file_name, session in employee_sessions(catalog, index, person, year_list, seed):
                by_year[session.date.year].append((f"{folder}/{file_name}", dumps(session)))
        for year in year_list:
            for relative, text in by_year[year]:
                file = root / relative
                file.parent.mkdir(mode=0o700, exist_ok=True)
                file.write_text(text, encoding="utf-8")
            stamp = f"{year}-12-31T16:00:00+01:00"
            env = {**identity, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
            store.git.run(["add", "-A"])
            store.git.run(
                ["-c", "commit.gpgsign=false", "commit", "--quiet", "-m", f"MUS-samtaler {year} (genereret til benchmark)"],
                env=env,
            )
            if not quiet:
                print(f"  {year}: {len(by_year[year])} samtaler", file=sys.stderr)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    done.write_text(f"generated in {time.perf_counter() - started:.1f} s\n")
    if not quiet:
        print(f"generated {root} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return root


def copy_repository(source: Path, target: Path) -> Path:
    """A working copy the benchmark may change (cp -a keeps mtimes; inodes differ)."""
    if target.exists():
        shutil.rmtree(target)
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write here instead of the cache in bench/.data/")
    args = parser.parse_args(argv)
    print(generate(args.employees, args.years, args.seed, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
