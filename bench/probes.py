"""One measurement in a fresh process; bench/run.py starts these and reads the JSON they print.

    python bench/probes.py startup musterm REPO TARGET
    python bench/probes.py startup start REPO
    python bench/probes.py startup baseline
    python bench/probes.py keys musterm REPO TARGET COUNT
    python bench/probes.py keys baseline TEXTFILE COUNT
    python bench/probes.py memory musterm REPO TARGET
    python bench/probes.py memory start REPO
    python bench/probes.py memory baseline
    python bench/probes.py savecommit REPO COUNT TARGET...
    python bench/probes.py uithread REPO TARGET SECONDS
    python bench/probes.py queries REPO FOLDER NAME RARE COMMON COUNT

Apps run with `run_test` (Textual's headless driver, 80×24). Headless Textual skips turning
a screen update into terminal output; the probes put that step back (see `watch_display`), so
a "screen update" here costs what it costs on a real terminal, minus the write itself.
The last line of output is one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))


def emit(**values: object) -> None:
    print(json.dumps(values), flush=True)


# --- apps --------------------------------------------------------------------------------------


def musterm_app(repo: str, target: str | None = None):  # noqa: ANN201
    """The app exactly as `musterm --sessions REPO open TARGET` (or plain `musterm`) builds it."""
    from musterm.app.run import build_app
    from musterm.cli.main import build_parser

    args = build_parser().parse_args(["--sessions", repo, *(["open", target] if target else [])])
    return build_app(args)


def baseline_app(kind: str, argument: str | None = None):  # noqa: ANN201
    from baseline_app import make_app

    return make_app(kind, argument)


def conversation_ready(app) -> bool:  # noqa: ANN001
    screen = app.screen
    return type(screen).__name__ == "ConversationScreen" and screen.is_mounted


def start_ready(app) -> bool:  # noqa: ANN001
    screen = app.screen
    return type(screen).__name__ == "StartScreen" and screen.is_mounted and bool(getattr(screen, "loaded", False))


def tabs_ready(app) -> bool:  # noqa: ANN001
    from textual.widgets import TabbedContent

    return any(widget.is_mounted for widget in app.screen.query(TabbedContent))


def textarea_ready(app) -> bool:  # noqa: ANN001
    return app.screen.is_mounted and bool(app.screen.query("TextArea"))


def watch_display(app, on_update) -> None:  # noqa: ANN001
    """Call on_update() after each screen update, rendered to terminal output as a real driver would."""
    from textual._compositor import CompositorUpdate

    global CURRENT_APP
    CURRENT_APP = app

    original = app._display

    def display(screen, renderable) -> None:  # noqa: ANN001
        if renderable is not None:
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
            original(screen, renderable)
            on_update()
        else:
            original(screen, renderable)

    app._display = display


CURRENT_APP = None


async def wait_until(predicate, timeout: float = 60.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        if CURRENT_APP is not None and CURRENT_APP._exception is not None:
            raise RuntimeError("the app crashed") from CURRENT_APP._exception
        if time.monotonic() > deadline:
            raise TimeoutError("the app never got there")
        await asyncio.sleep(0.001)


def send_key(app, letter: str) -> None:  # noqa: ANN001
    """Hand a key to the app the way its terminal driver does (Pilot.press would also wait for
    every widget on the screen to process a callback, which counts the probe's own work)."""
    from textual import events

    app._driver.send_message(events.Key(letter, letter))


LETTERS = "qwertyuiopasdfghjklzxcvbnm"


class KeyTimer:
    """Keypress to screen: from handing a letter to the app to the end of the first screen
    update after the text area's cursor moved. Install before the app runs."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app
        self.times: list[tuple[float, float]] = []  # (key sent, screen updated), perf_counter
        self._moved = None
        self._sent = 0.0
        watch_display(app, self._on_update)

    def _on_update(self) -> None:
        if self._moved is not None and self._moved():
            self.times.append((self._sent, time.perf_counter()))
            self._moved = None

    async def type(self, area, index: int) -> None:  # noqa: ANN001
        """Type the index-th letter into AREA and return once the screen shows it."""
        before = area.cursor_location
        self._moved = lambda: area.cursor_location != before
        self._sent = time.perf_counter()
        send_key(self.app, LETTERS[index % len(LETTERS)])
        await wait_until(lambda: self._moved is None, timeout=10)


async def open_note(app, pilot):  # noqa: ANN001, ANN201 - the focused TextArea
    """Open the first theme's note as a manager does (F4 Noter, enter), cursor not blinking."""
    from textual.widgets import TextArea

    await wait_until(lambda: conversation_ready(app))
    await pilot.pause(0.3)
    await pilot.press("f4")  # Noter: the first theme's notes
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause(0.3)
    area = app.focused
    assert isinstance(area, TextArea), f"focus is on {area!r}, not a text area"
    area.cursor_blink = False
    return area


async def after_refresh(widget) -> None:  # noqa: ANN001
    """Return after the widget's screen has been painted once more."""
    done = asyncio.Event()
    widget.call_after_refresh(done.set)
    await done.wait()


def memory_kb() -> dict[str, int]:
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0])
    return values


# --- start-up ----------------------------------------------------------------------------------


async def startup(kind: str, rest: list[str]) -> None:
    """Print the wall-clock time when the first conversation screen (or the baseline's tabs) is painted."""
    if kind == "musterm":
        app, ready = musterm_app(rest[0], rest[1]), conversation_ready
    elif kind == "start":  # plain `musterm`: the start screen, its (empty) listing read
        app, ready = musterm_app(rest[0]), start_ready
    else:
        app, ready = baseline_app("tabs"), tabs_ready
    watch_display(app, lambda: None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: ready(app))
        await after_refresh(app.screen)
        stamp = time.time()
        imported = len(sys.modules)
        import resource

        used = resource.getrusage(resource.RUSAGE_SELF)
        await pilot.pause()
    emit(ready=stamp, modules=imported, cpu=used.ru_utime + used.ru_stime)


# --- typing --------------------------------------------------------------------------------------


async def keys(kind: str, rest: list[str]) -> None:
    """Keypress to the next screen update showing it, for COUNT letters typed into a long note."""
    if kind == "musterm":
        app, count = musterm_app(rest[0], rest[1]), int(rest[2])
    else:
        app, count = baseline_app("textarea", rest[0]), int(rest[1])
    timer = KeyTimer(app)
    async with app.run_test(size=(80, 24)) as pilot:
        if kind == "musterm":
            area = await open_note(app, pilot)
        else:
            await wait_until(lambda: textarea_ready(app))
            await pilot.pause(0.3)
            area = app.focused
        lines = area.document.line_count
        await pilot.pause(0.5)
        for index in range(count):
            await timer.type(area, index)
            await asyncio.sleep(0.05)
    emit(latencies_ms=[(shown - sent) * 1000 for sent, shown in timer.times], lines=lines)


# --- memory ------------------------------------------------------------------------------------


async def memory(kind: str, rest: list[str]) -> None:
    """Peak resident memory once the app has settled: on a conversation (with its history
    loaded), on the start screen (with every conversation listed), or the bare baseline app."""
    if kind == "musterm":
        app = musterm_app(rest[0], rest[1])
    elif kind == "start":
        app = musterm_app(rest[0])
    else:
        app = baseline_app("bare")
    watch_display(app, lambda: None)
    async with app.run_test(size=(80, 24)) as pilot:
        if kind == "musterm":
            await wait_until(lambda: conversation_ready(app))
            screen = app.screen
            await wait_until(lambda: screen.conversation.history is not None)
        elif kind == "start":  # the index brought up to date, and its first page of rows in the table
            await wait_until(lambda: bool(getattr(app.screen, "loaded", False)), timeout=600)
            table = app.screen.query_one("#sessions")
            await wait_until(lambda: table.row_count > 0, timeout=120)
        await pilot.pause(1.0)
        emit(**memory_kb())


# --- save and commit -----------------------------------------------------------------------------


def savecommit(rest: list[str]) -> None:
    """Store.save + Store.commit of one changed session vs `git add FILE && git commit` of the same file."""
    import subprocess

    import musterm.history.search  # noqa: F401 - tells the index what it reads of a conversation
    from musterm.store.events import Event
    from musterm.store.repository import Store

    repo, count, targets = Path(rest[0]), int(rest[1]), rest[2:]
    store = Store.open(repo)
    env = store.git.environment(
        {"GIT_AUTHOR_NAME": "B", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "B", "GIT_COMMITTER_EMAIL": "b@x"}
    )
    results = {}
    for target in targets:
        relative = store.find(target)
        session = store.load(relative)
        store.commit(relative, session)  # as in the app: the first commit also reads what HEAD holds
        ours, theirs = [], []
        for index in range(count):  # interleaved: one of ours, then git's own of the same kind
            session.private.notes = f"{session.private.notes}\nBenchmark-ændring {index}.".strip()
            started = time.perf_counter()
            store.save(relative, session)
            store.commit(relative, session, Event.NOTES)
            ours.append((time.perf_counter() - started) * 1000)
            # The baseline: a like change to the same file, committed with git's own commands.
            file = store.path_of(relative)
            data = file.read_bytes()
            file.write_bytes(data + f"# Benchmark-ændring {index}\n".encode())
            started = time.perf_counter()
            subprocess.run(
                ["sh", "-c", 'git add "$1" && git commit --quiet -m x', "sh", relative],
                cwd=repo, env=env, check=True, capture_output=True,
            )
            theirs.append((time.perf_counter() - started) * 1000)
            file.write_bytes(data)  # back to what the store wrote, so its next save is allowed
            subprocess.run(["sh", "-c", 'git add "$1" && git commit --quiet -m x', "sh", relative],
                           cwd=repo, env=env, check=True, capture_output=True)
        results[target] = {"musterm_ms": ours, "git_ms": theirs, "bytes": len(store.path_of(relative).read_bytes())}
    emit(**results)


async def uithread(rest: list[str]) -> None:
    """Type steadily while the autosaver saves and commits: how long is the UI loop ever stuck?"""
    import threading

    repo, target, seconds = rest[0], rest[1], float(rest[2])
    app = musterm_app(repo, target)
    jobs: list[tuple[float, float, str, bool]] = []  # (start, end, what, on the UI thread)
    main_thread = threading.get_ident()
    store = app.store
    original_save, original_commit = store.save, store.commit

    def timed(function, what):  # noqa: ANN001, ANN202
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                jobs.append((started, time.perf_counter(), what, threading.get_ident() == main_thread))

        return wrapper

    store.save, store.commit = timed(original_save, "save"), timed(original_commit, "commit")
    watched: list[float] = []  # [start, end] of the typing window
    stalls: list[tuple[float, float]] = []  # (when, how much later than asked)
    timer = KeyTimer(app)
    async with app.run_test(size=(80, 24)) as pilot:
        area = await open_note(app, pilot)
        lines = area.document.line_count
        await pilot.pause(0.7)
        running = True

        async def heartbeat() -> None:
            while running:
                asked = time.perf_counter()
                await asyncio.sleep(0.002)
                stalls.append((asked, time.perf_counter() - asked - 0.002))

        beat = asyncio.create_task(heartbeat())
        started = time.perf_counter()
        watched.append(started)
        index = 0
        while time.perf_counter() - started < seconds:
            await timer.type(area, index)
            if index % 40 == 39:
                await pilot.press("ctrl+s")  # a commit too, as every five minutes and on events
            index += 1
            await asyncio.sleep(0.04)
        await asyncio.sleep(1.5)  # let the last save finish while the loop is watched
        running = False
        await beat
        watched.append(time.perf_counter())
    jobs = [job for job in jobs if watched[0] <= job[0] <= watched[1]]  # not the final save on quit

    def overlaps(start: float, end: float) -> bool:
        return any(job_start <= end and start <= job_end for job_start, job_end, _, _ in jobs)

    emit(
        jobs=[(end - start) * 1000 for start, end, _, _ in jobs],
        job_kinds=[what for _, _, what, _ in jobs],
        jobs_on_ui_thread=sum(1 for *_, on_ui in jobs if on_ui),
        stalls_ms=[stall * 1000 for _, stall in stalls],
        stalls_during_jobs_ms=[stall * 1000 for asked, stall in stalls if overlaps(asked, asked + stall + 0.002)],
        keys_during_jobs_ms=[(end - start) * 1000 for start, end in timer.times if overlaps(start, end)],
        keys_ms=[(end - start) * 1000 for start, end in timer.times],
        lines=lines,
    )


# --- listing, history, search ------------------------------------------------------------------


def queries(rest: list[str]) -> None:
    """In-process timings of the listing (cold and warm cache), an employee's history, search, trends."""
    import subprocess

    repo, folder, name, rare, common, count = Path(rest[0]), rest[1], rest[2], rest[3], rest[4], int(rest[5])
    from musterm.history.conversations import EmployeeHistory
    from musterm.history.search import format_search, search
    from musterm.history.trends import format_history, score_table
    from musterm.store.listing import format_listing
    from musterm.store.repository import Store

    store = Store.open(repo, writable=True)
    index_file = store.git.git_dir / "musterm" / "index.sqlite"

    def timed(function, runs: int = count) -> list[float]:  # noqa: ANN001
        results = []
        for _ in range(runs):
            started = time.perf_counter()
            function()
            results.append((time.perf_counter() - started) * 1000)
        return results

    def cold_listing() -> None:  # the index rebuilt from the files
        nonlocal store
        store.index.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{index_file}{suffix}").unlink(missing_ok=True)
        store = Store.open(repo, writable=True)
        format_listing(store.summaries())

    hits: dict[str, int] = {}

    def searched(word: str) -> None:
        found = search(store, word)
        format_search(found, word)
        hits[word] = len(found)

    slow_runs = max(1, count // 3)  # the cold listing and the common word take a second each
    results = {}
    results["list_cold"] = timed(cold_listing, slow_runs)
    results["list_warm"] = timed(lambda: format_listing(store.summaries()))
    results["history_folder"] = timed(lambda: format_history(EmployeeHistory.of(store, folder)))
    results["history_name"] = timed(lambda: format_history(EmployeeHistory.of(store, name)))
    results["trends"] = timed(lambda: score_table(EmployeeHistory.load(store, folder)))
    results["search_rare"] = timed(lambda: searched(rare))
    results["search_common"] = timed(lambda: searched(common), slow_runs)

    def ls_files() -> None:
        subprocess.run(["git", "ls-files"], cwd=repo, check=True, capture_output=True)

    def read_all() -> None:
        for entry in os.scandir(repo):
            if entry.is_dir() and not entry.name.startswith("."):
                for file in os.scandir(entry.path):
                    if file.name.endswith(".toml"):
                        with open(file.path, "rb") as handle:
                            handle.read()

    results["git_ls_files"] = timed(ls_files)
    results["read_all"] = timed(read_all)
    emit(**results, hits={"rare": hits[rare], "common": hits[common]})


def main(argv: list[str]) -> int:
    what = argv[0]
    if what == "startup":
        asyncio.run(startup(argv[1], argv[2:]))
    elif what == "keys":
        asyncio.run(keys(argv[1], argv[2:]))
    elif what == "memory":
        asyncio.run(memory(argv[1], argv[2:]))
    elif what == "savecommit":
        savecommit(argv[1:])
    elif what == "uithread":
        asyncio.run(uithread(argv[1:]))
    elif what == "queries":
        queries(argv[1:])
    else:
        raise SystemExit(f"unknown probe {what!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
