"""musterm's benchmarks: each figure against a baseline measured in the same run.

    python bench/run.py [--quick] [--runs N] [--only NAME,...] [--json FILE]
    make bench

Prints one table: measured value, baseline value, ratio, target, PASS/MISS. Ratios make
numbers from a noisy or slow machine comparable; absolute targets (seconds) are absolute.
These are benchmarks, not tests: nothing fails, they print. How each figure is measured is
in bench/README.md.

The sessions repository (1,000 employees × 10 years = 10,000 conversations) is generated
by bench/generate.py once and cached in bench/.data/; every run works on a fresh copy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402

PYTHON = sys.executable
MUSTERM = str(Path(PYTHON).with_name("musterm"))
TOOLS = PROJECT.parent / "shared" / "tools"
EMPLOYEE_INDEX = 3
"""Whose conversation the app benchmarks open (employee number 10003)."""
NOTE_LINES = 2000
RARE_WORD = "lønforhandling"
COMMON_WORD = "kursus"


# --- results -----------------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    value: float | None
    baseline: float | None
    unit: str
    target: str
    passed: bool | None
    against: str = ""
    """What the baseline is."""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def ratio_figure(name: str, value: float, baseline: float, unit: str, limit: float, against: str) -> Figure:
    return Figure(name, value, baseline, unit, f"≤ {limit:g}×", value / baseline <= limit, against)


def absolute_figure(name: str, value: float, baseline: float | None, unit: str, limit_ms: float, against: str = "") -> Figure:
    shown = f"≤ {limit_ms / 1000:g} s"
    return Figure(name, value, baseline, unit, shown, value <= limit_ms, against)


def info_figure(name: str, value: float, baseline: float | None, unit: str, against: str = "") -> Figure:
    return Figure(name, value, baseline, unit, "–", None, against)


def _cells(figure: Figure) -> tuple[str, str, str, str, str, str, str]:
    def amount(number: float | None) -> str:
        if number is None:
            return "–"
        return f"{number:,.0f} {figure.unit}" if number >= 100 else f"{number:.1f} {figure.unit}"

    ratio = "–" if figure.ratio is None else f"{figure.ratio:.2f}×"
    result = "info" if figure.passed is None else "PASS" if figure.passed else "MISS"
    return figure.name, amount(figure.value), amount(figure.baseline), figure.against or "–", ratio, figure.target, result


def format_table(figures: Sequence[Figure]) -> str:
    rows = [("figure", "value", "baseline", "baseline is", "ratio", "target", "result")]
    rows += [_cells(figure) for figure in figures]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1]), row[2].rjust(widths[2]), row[3].ljust(widths[3]),
                 row[4].rjust(widths[4]), row[5].ljust(widths[5]), row[6]]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def format_markdown(figures: Sequence[Figure]) -> str:
    lines = ["| figure | value | baseline | baseline is | ratio | target | result |", "|---|---:|---:|---|---:|---|---|"]
    lines += ["| " + " | ".join(_cells(figure)) + " |" for figure in figures]
    return "\n".join(lines)


# --- running probes ------------------------------------------------------------------------------


def environment(home: Path) -> dict[str, str]:
    """A quiet, private environment: no user git config, no musterm settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MUSTERM_", "GIT_"))}
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        MUSTERM_MANAGER="Lis Leder",
        TERM="xterm-256color",
        TZ="Europe/Copenhagen",
    )
    # An installed musterm has its bytecode (main compiles it once): compiled from source in every
    # probe, its ~200 modules would cost each start ~120 ms that no user pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class Runner:
    def __init__(self, env: dict[str, str], verbose: bool):
        self.env = env
        self.verbose = verbose

    def log(self, text: str) -> None:
        if self.verbose:
            print(text, file=sys.stderr, flush=True)

    def probe(self, *args: str, timeout: float = 600) -> tuple[dict, float]:
        """Run bench/probes.py ARGS; its JSON, and the wall-clock time it was started at."""
        started = time.time()
        completed = subprocess.run(
            [PYTHON, str(BENCH / "probes.py"), *args],
            env=self.env, capture_output=True, text=True, timeout=timeout, cwd=PROJECT, stdin=subprocess.DEVNULL,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"probe {args[0]} failed:\n{completed.stderr[-3000:]}")
        return json.loads(completed.stdout.strip().splitlines()[-1]), started

    def wall(self, command: Sequence[str], runs: int, cwd: Path = PROJECT) -> list[float]:
        """Wall-clock times of COMMAND; an error is raised, not timed (a refusal is quick)."""
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            completed = subprocess.run(command, env=self.env, capture_output=True, cwd=cwd, stdin=subprocess.DEVNULL)
            times.append((time.perf_counter() - started) * 1000)
            if completed.returncode != 0:
                raise RuntimeError(f"{shlex.join(command)} failed:\n{completed.stderr[-3000:].decode(errors='replace')}")
        return times

    def tool(self, name: str, args: Sequence[str], timeout: float = 600) -> str:
        completed = subprocess.run(
            [str(TOOLS / name), *args], env=self.env, capture_output=True, text=True, timeout=timeout, cwd=PROJECT
        )
        return completed.stdout


TMUX = ["tmux", "-L", f"musterm-bench-{os.getpid()}"]
"""Our own tmux server: others' tmux sessions (tests running at the same time) can't disturb it."""


def tmux_start(env: dict[str, str], session: str, shell_command: str) -> None:
    """A detached 80x24 tmux session on our own server (retried: a server whose last session
    just ended may still be exiting when the next one is asked for)."""
    for attempt in range(5):
        started = subprocess.run([*TMUX, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", shell_command],
                                 env=env, capture_output=True, text=True)
        if started.returncode == 0:
            return
        time.sleep(0.3 * (attempt + 1))
    raise RuntimeError(f"tmux new-session failed: {started.stderr.strip()}")


def ttfs_available() -> bool:
    """tmux and ttfs (keylat itself is not run: tmux_keystrokes follows its method)."""
    return shutil.which("tmux") is not None and (TOOLS / "ttfs").exists()


# --- the working repository ----------------------------------------------------------------------


def prepare(work: Path, source: Path, env: dict[str, str]) -> tuple[str, str, str, Path, Path]:
    """Copy the generated repository; make one employee's latest conversation a held one with a
    2,000-line note in its first theme. Returns (employee number, folder, name, the conversation's
    file, the note as a text file)."""
    generate.copy_repository(source, work)
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from musterm.model.session import FollowUpStatus, Status
        from musterm.store.events import Event
        import musterm.history.search  # noqa: F401 - tells the index what it reads of a conversation
        from musterm.store.repository import Store

        store = Store.open(work)
        number = str(10000 + EMPLOYEE_INDEX)
        relative = store.find(number)
        session = store.load(relative)
        rng = random.Random(EMPLOYEE_INDEX)
        lines = [rng.choice(generate.SENTENCES) for _ in range(NOTE_LINES)]
        text = "\n".join(lines)
        session.themes[0].notes = text
        session.status = Status.HELD
        for row in session.followup:  # last year's plan, followed up as in the meeting
            row.status = FollowUpStatus.IN_PROGRESS
        store.save(relative, session)
        store.commit(relative, session, Event.NOTES)
        # The index, as a repository in use has it: otherwise the first probe to list
        # (the start screen's memory, with --only memory) would also pay for building it.
        store.summaries()
        note_file = work.parent / "note.txt"
        note_file.write_text(text, encoding="utf-8")
        folder = relative.split("/", 1)[0]
        return number, folder, session.employee.name, store.path_of(relative), note_file
    finally:
        os.environ.clear()
        os.environ.update(saved)


# --- the figures ---------------------------------------------------------------------------------


def empty_repository(runner: Runner, work: Path) -> Path:
    """A sessions repository without conversations, made by a first `musterm list` (not timed)."""
    empty = work.parent / "empty-sessions"
    subprocess.run([MUSTERM, "--sessions", str(empty), "list"], env=runner.env, capture_output=True, check=False)
    return empty


def startup_figures(runner: Runner, work: Path, number: str, runs: int) -> list[Figure]:
    empty = empty_repository(runner, work)
    ours, start, theirs = [], [], []
    for _ in range(runs):  # interleaved, so a busy moment hits all alike
        data, started = runner.probe("startup", "musterm", str(work), number)
        ours.append((data["ready"] - started) * 1000)
        data, started = runner.probe("startup", "start", str(empty))
        start.append((data["ready"] - started) * 1000)
        data, started = runner.probe("startup", "baseline")
        theirs.append((data["ready"] - started) * 1000)
    runner.log(f"startup headless: musterm {sorted(ours)} start screen {sorted(start)} baseline {sorted(theirs)}")
    return [
        ratio_figure("start-up to conversation screen, headless (run_test), median", median(ours), median(theirs), "ms", 1.3,
                     "five-tab app with a TextArea"),
        ratio_figure("start-up to the empty start screen, headless, median", median(start), median(theirs), "ms", 1.2,
                     "five-tab app with a TextArea"),
    ]


def wait_until_closed(work: Path, timeout: float = 15.0) -> None:
    """Wait for a musterm that tmux just hung up on to save, commit and let go of its conversation
    (its edit lock), so the next run opens the conversation for editing, not read-only."""
    locks = work / ".git" / "musterm" / "edit-locks"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and locks.is_dir() and any(locks.glob("*.lock")):
        time.sleep(0.05)
    time.sleep(0.2)


def tmux_first_screen(env: dict[str, str], command: list[str], want: str) -> float | None:
    """ttfs's method (../shared/tools/ttfs), for machines without it: start COMMAND in a detached
    tmux session at 80x24 and poll capture-pane every 5 ms until `want` is on screen; ms or None."""
    session = "ttfs"
    quoted = " ".join(shlex.quote(part) for part in command)
    started = time.perf_counter()
    tmux_start(env, session, f"TERM=xterm-256color {quoted}; sleep 30")
    try:
        for _ in range(3000):
            screen = subprocess.run([*TMUX, "capture-pane", "-p", "-t", session], env=env,
                                    capture_output=True, text=True).stdout
            if want in screen:
                return (time.perf_counter() - started) * 1000
            time.sleep(0.005)
        return None
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], env=env, capture_output=True)


def ttfs_figures(runner: Runner, work: Path, number: str, runs: int) -> list[Figure]:
    if shutil.which("tmux") is None:
        return [Figure("start-up, pseudo-terminal (tmux)", None, None, "ms", "≤ 1.3×", None, "tmux missing")]

    def run(command: list[str]) -> list[float]:
        values: list[float] = []
        if ttfs_available():
            output = runner.tool("ttfs", ["-n", "1", "-s", "F6 Afslutning", "--", *command])
            values = [float(line.split(":")[1]) for line in output.splitlines() if line.startswith("run ") and "timeout" not in line]
        if not values:  # no ttfs here, or its tmux server (shared with anything else using tmux) failed
            shown = tmux_first_screen(runner.env, command, "F6 Afslutning")
            values = [] if shown is None else [shown]
        wait_until_closed(work)
        time.sleep(0.3)
        return values

    ours, theirs = [], []
    for _ in range(runs):  # one at a time, interleaved
        ours += run([MUSTERM, "--sessions", str(work), "open", number])
        theirs += run([PYTHON, str(BENCH / "baseline_app.py"), "tabs"])
    runner.log(f"startup ttfs: musterm {sorted(ours)} baseline {sorted(theirs)}")
    if not ours or not theirs:
        return [Figure("start-up, pseudo-terminal (ttfs, tmux)", None, None, "ms", "≤ 1.3×", None, "timed out")]
    return [ratio_figure("start-up to conversation screen, pseudo-terminal (ttfs), median", median(ours), median(theirs), "ms", 1.3,
                         "five-tab app with a TextArea")]


def put_back(runner: Runner, work: Path, conversation: Path, original: bytes) -> None:
    """The conversation as prepared, committed: no letters typed by an earlier run, and no
    uncommitted change that the next app's tidy-up (or the next section) would commit first."""
    conversation.write_bytes(original)
    subprocess.run(["git", "-c", "user.name=musterm bench", "-c", "user.email=bench@example.invalid", "commit", "--quiet",
                    "-m", "Benchmark: noten som forberedt", "--", str(conversation)],
                   cwd=work, env=runner.env, capture_output=True, check=False)  # nothing to commit: fine


def typed_into_the_note(data: dict, probe: str) -> dict:
    """The probe's data, if its letters went into the 2,000-line note: a key timing in a short
    text area (a question's note, had F4 and enter landed elsewhere) would look fine and mean nothing."""
    if data["lines"] != NOTE_LINES:
        raise RuntimeError(f"probe {probe} typed into a text of {data['lines']:,} lines, not the {NOTE_LINES:,}-line note")
    return data


def key_figures(runner: Runner, work: Path, number: str, conversation: Path, note_file: Path, count: int, runs: int) -> list[Figure]:
    original = conversation.read_bytes()
    ours, theirs = [], []
    for _ in range(runs):
        put_back(runner, work, conversation, original)
        data, _ = runner.probe("keys", "musterm", str(work), number, str(count))
        ours += typed_into_the_note(data, "keys musterm")["latencies_ms"]
        data, _ = runner.probe("keys", "baseline", str(note_file), str(count))
        theirs += typed_into_the_note(data, "keys baseline")["latencies_ms"]
    put_back(runner, work, conversation, original)
    runner.log(f"keys in-process: musterm p50 {median(ours):.1f} p95 {p95(ours):.1f}; baseline p50 {median(theirs):.1f} p95 {p95(theirs):.1f}")
    return [
        ratio_figure(f"keypress → screen, {NOTE_LINES:,}-line note, in-process, median", median(ours), median(theirs), "ms", 1.2,
                     "bare TextArea, same text"),
        ratio_figure(f"keypress → screen, {NOTE_LINES:,}-line note, in-process, p95", p95(ours), p95(theirs), "ms", 1.5,
                     "bare TextArea, same text"),
    ]


def tmux_keystrokes(env: dict[str, str], command: list[str], setup: list[str], count: int, wait: float = 4.0) -> list[float]:
    """keylat's method (../shared/tools/keylat), with setup keys sent one at a time.

    Starts COMMAND in a detached tmux session at 80x24, waits, sends each setup key with a pause
    (keylat sends them in one go, and musterm's F4 must switch the tab and focus its index before
    enter picks the note), then types COUNT distinct letters one at a time and polls capture-pane
    every 2 ms until the typed text shows. Returns the latencies in ms (9999 = never shown).
    """
    session = "keys"
    quoted = " ".join(shlex.quote(part) for part in command)
    tmux = TMUX
    tmux_start(env, session, f"TERM=xterm-256color {quoted}; sleep 60")
    try:
        time.sleep(wait)
        for key in setup:
            subprocess.run([*tmux, "send-keys", "-t", session, key], env=env, check=True)
            time.sleep(1.0)
        typed = ""
        latencies = []
        for index in range(count):
            letter = "qwertyuiopasdfghjklzxcvbnm"[index % 26]
            typed += letter
            started = time.perf_counter()
            subprocess.run([*tmux, "send-keys", "-t", session, "-l", letter], env=env, check=True)
            shown = False
            for _ in range(400):
                screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", session], env=env,
                                        capture_output=True, text=True).stdout
                if typed in screen:
                    shown = True
                    break
                time.sleep(0.002)
            latencies.append((time.perf_counter() - started) * 1000 if shown else 9999.0)
            time.sleep(0.05)
        return latencies
    finally:
        subprocess.run([*tmux, "kill-session", "-t", session], env=env, capture_output=True)


def keylat_figures(runner: Runner, work: Path, number: str, conversation: Path, note_file: Path, count: int,
                   runs: int) -> list[Figure]:
    if shutil.which("tmux") is None:
        return [Figure("keypress → screen, tmux", None, None, "ms", "≤ 1.2×", None, "tmux missing")]
    original = conversation.read_bytes()
    ours, theirs = [], []
    for _ in range(runs):
        put_back(runner, work, conversation, original)
        ours += tmux_keystrokes(runner.env, [MUSTERM, "--sessions", str(work), "open", number], ["F4", "Enter"], count)
        wait_until_closed(work)
        theirs += tmux_keystrokes(runner.env, [PYTHON, str(BENCH / "baseline_app.py"), "textarea", str(note_file)], [], count)
    put_back(runner, work, conversation, original)
    runner.log(f"tmux keys: musterm p50 {median(ours):.0f} p95 {p95(ours):.0f} {sorted(round(v) for v in ours)[-5:]}; "
               f"baseline p50 {median(theirs):.0f} p95 {p95(theirs):.0f}")
    return [
        ratio_figure("keypress → screen, tmux (keylat's method), median", median(ours), median(theirs), "ms", 1.2,
                     "bare TextArea, same text"),
        ratio_figure("keypress → screen, tmux (keylat's method), p95", p95(ours), p95(theirs), "ms", 1.5,
                     "bare TextArea, same text"),
    ]


def save_figures(runner: Runner, work: Path, number: str, other: str, count: int, seconds: float) -> list[Figure]:
    data, _ = runner.probe("savecommit", str(work), str(count), other, number)
    typical, long_note = data[other], data[number]
    for label, result in (("typical", typical), ("2,000-line note", long_note)):
        runner.log(f"save+commit ({label}, {result['bytes']:,} bytes): musterm {sorted(round(v) for v in result['musterm_ms'])} "
                   f"git {sorted(round(v) for v in result['git_ms'])}")
    figures = [
        ratio_figure(f"save + commit of one session ({typical['bytes'] // 1000} kB; 10,000 in repo), median",
                     median(typical["musterm_ms"]), median(typical["git_ms"]), "ms", 1.5, "git add && git commit"),
        info_figure(f"save + commit, session with the 2,000-line note ({long_note['bytes'] // 1000} kB), median",
                    median(long_note["musterm_ms"]), median(long_note["git_ms"]), "ms", "git add && git commit"),
    ]
    data, _ = runner.probe("uithread", str(work), number, str(seconds))
    typed_into_the_note(data, "uithread")
    jobs = data["jobs"]
    stalls = data["stalls_during_jobs_ms"] or [0.0]
    keys_during = data["keys_during_jobs_ms"]
    runner.log(
        f"ui thread: {len(jobs)} saves/commits ({data['job_kinds'].count('commit')} commits), "
        f"{data['jobs_on_ui_thread']} on the UI thread; longest job {max(jobs, default=0):.0f} ms; "
        f"loop stall during jobs max {max(stalls):.1f} ms p95 {p95(stalls):.1f}; all stalls max {max(data['stalls_ms']):.1f}; "
        f"keys during jobs {len(keys_during)} p95 {p95(keys_during) if keys_during else 0:.1f} ms, all keys p95 {p95(data['keys_ms']):.1f}"
    )
    longest_job = max(jobs, default=0.0)
    worker_only = data["jobs_on_ui_thread"] == 0 and len(jobs) > 0
    figures.append(
        Figure(
            "UI loop: longest stall while saves/commits run",
            max(stalls), longest_job, "ms", "UI never waits",
            worker_only and max(stalls) < longest_job,
            f"longest save/commit ({len(jobs)} in workers, {data['jobs_on_ui_thread']} on the UI thread)",
        )
    )
    if keys_during:
        figures.append(
            info_figure("keypress → screen while a save/commit runs, p95", p95(keys_during), p95(data["keys_ms"]), "ms",
                        f"all keys of the run ({len(keys_during)} during saves)")
        )
    return figures


def query_figures(runner: Runner, work: Path, folder: str, name: str, runs: int) -> list[Figure]:
    data, _ = runner.probe("queries", str(work), folder, name, RARE_WORD, COMMON_WORD, str(runs), timeout=3600)
    runner.log("queries: " + json.dumps({key: [round(v) for v in value] if isinstance(value, list) else value for key, value in data.items()}))
    ls_files = median(data["git_ls_files"])
    read_all = median(data["read_all"])
    # The commands as a user runs them, in a fresh process, with the index up to date.
    list_process = median(runner.wall([MUSTERM, "--sessions", str(work), "list"], runs))
    history_process = median(runner.wall([MUSTERM, "--sessions", str(work), "history", name], runs))
    search_process = median(runner.wall([MUSTERM, "--sessions", str(work), "search", RARE_WORD], runs))
    ls_process = median(runner.wall(["git", "ls-files"], runs, cwd=work))
    hits = data["hits"]
    return [
        absolute_figure("`musterm list` (process, warm cache)", list_process, ls_process, "ms", 300, "git ls-files"),
        absolute_figure("listing: Store.summaries + format, warm cache", median(data["list_warm"]), ls_files, "ms", 300,
                        "git ls-files"),
        info_figure("listing: index rebuilt from the files (first run, damaged index)", median(data["list_cold"]), read_all, "ms",
                    "reading every file once"),
        absolute_figure("history of one employee (by folder, as the app)", median(data["history_folder"]), None, "ms", 100),
        absolute_figure("history of one employee (by name)", median(data["history_name"]), None, "ms", 100),
        info_figure("`musterm history NAME` (process)", history_process, ls_process, "ms", "git ls-files"),
        absolute_figure("trends of one employee (score table)", median(data["trends"]), None, "ms", 100),
        absolute_figure(f"search, rare word ({hits['rare']:,} hits)", median(data["search_rare"]), read_all, "ms", 1000,
                        "reading every file once"),
        absolute_figure(f"search, common word ({hits['common']:,} hits)", median(data["search_common"]), read_all, "ms", 1000,
                        "reading every file once"),
        absolute_figure("`musterm search WORD` (process, rare word)", search_process, read_all, "ms", 1000,
                        "reading every file once"),
    ]


def memory_figures(runner: Runner, work: Path, number: str, runs: int) -> list[Figure]:
    ours, listing, theirs = [], [], []
    for _ in range(runs):
        data, _ = runner.probe("memory", "musterm", str(work), number)
        ours.append(data["VmHWM"] / 1024)
        data, _ = runner.probe("memory", "start", str(work))
        listing.append(data["VmHWM"] / 1024)
        data, _ = runner.probe("memory", "baseline")
        theirs.append(data["VmHWM"] / 1024)
    runner.log(f"memory: conversation {ours} start screen {listing} baseline {theirs}")
    return [
        ratio_figure("peak memory, app open on a conversation (10,000 sessions)", median(ours), median(theirs), "MB", 1.5,
                     "bare Textual app"),
        ratio_figure("peak memory, start screen on all 10,000 (a page of rows)", median(listing), median(theirs), "MB", 1.5,
                     "bare Textual app"),
    ]


SECTIONS = ("startup", "ttfs", "keys", "keylat", "save", "queries", "memory")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (for trying the bench itself)")
    parser.add_argument("--runs", type=int, help="repetitions per figure (default 7, quick 3)")
    parser.add_argument("--only", help="comma-separated sections: " + ",".join(SECTIONS))
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown (for the README)")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 7)
    keys = 30 if args.quick else 60
    sections = set(args.only.split(",")) if args.only else set(SECTIONS)

    started = time.perf_counter()
    source = generate.generate(args.employees, args.years, args.seed, quiet=args.quiet)
    scratch = Path(tempfile.mkdtemp(prefix="musterm-bench-"))
    try:
        home = scratch / "home"
        home.mkdir()
        env = environment(home)
        subprocess.run([PYTHON, "-m", "compileall", "-q", str(PROJECT / "musterm")], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        runner = Runner(env, verbose=not args.quiet)
        work = scratch / "sessions"
        number, folder, name, conversation, note_file = prepare(work, source, env)
        other = str(10000 + EMPLOYEE_INDEX + 1)
        figures: list[Figure] = []
        measured: list[tuple[str, Callable[[], list[Figure]]]] = [
            ("startup", lambda: startup_figures(runner, work, number, runs)),
            ("ttfs", lambda: ttfs_figures(runner, work, number, runs)),
            ("keys", lambda: key_figures(runner, work, number, conversation, note_file, keys, 2 if args.quick else 3)),
            ("keylat", lambda: keylat_figures(runner, work, number, conversation, note_file, 20 if args.quick else 30,
                                              2 if args.quick else 3)),
            ("save", lambda: save_figures(runner, work, number, other, 5 if args.quick else 15, 6 if args.quick else 12)),
            ("queries", lambda: query_figures(runner, work, folder, name, runs)),
            ("memory", lambda: memory_figures(runner, work, number, max(2, runs // 2))),
        ]
        for section, measure in measured:
            if section in sections:
                runner.log(f"== {section}")
                figures += measure()
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)
    cores = os.cpu_count()
    print()
    print(f"musterm benchmarks: {args.employees:,} employees × {args.years} years, seed {args.seed}; "
          f"{cores} cores, Python {sys.version.split()[0]}; {time.perf_counter() - started:.0f} s")
    print(format_markdown(figures) if args.markdown else format_table(figures))
    if args.json:
        args.json.write_text(json.dumps([figure.__dict__ | {"ratio": figure.ratio} for figure in figures], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
