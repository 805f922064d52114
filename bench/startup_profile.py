"""Where musterm's start-up goes: from process start to the first paint of a conversation.

    python bench/startup_profile.py                        # a Haderslev conversation, 7 runs
    python bench/startup_profile.py --runs 3
    python bench/startup_profile.py --repo REPO --target T # another repository's conversation
    python bench/startup_profile.py --profile              # also the cProfile (pyinstrument if installed)

Prints four parts (bench/README.md, "Start-up, part by part", shows one run's output):

1. The phases of one start, each a median over the runs, beside a bare five-tab Textual app
   (bench/baseline_app.py tabs) started the same way in the same run: the interpreter,
   `import textual.app`, pydantic, musterm's model classes, building the app (the rest of
   musterm's imports, the framework catalog, the store), and Textual's run until the first
   paint, split into what it spends parsing the `.tcss` files, applying styles to widget
   nodes, reading and validating the session, composing the conversation screen, layout and
   the first render, and git subprocesses.
2. The widgets of the conversation screen, per tab.
3. `python -X importtime` of everything imported before the first paint, grouped by package.
4. With --profile: the 25 functions with the most cumulative time before the first paint.

Without --repo, a repository with one Haderslev conversation (25 questions, made by `musterm
new`) is built in bench/.data/profile-haderslev/. Each start is a fresh process, timed from
just before it is spawned, with the private environment bench/run.py uses.
"""

import time

STARTED = time.time()  # before anything else is imported: the child's own start

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
PYTHON = sys.executable
DATA = BENCH / ".data"
MARK = "--musterm first paint--"


# --- in the child process --------------------------------------------------------------------


class Clock:
    """Time spent inside some functions, on the main thread, until the first paint."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.stopped = False
        self.git: list[tuple[str, float]] = []
        self.profiler_stop = None

    def wrap(self, owner, name: str, part: str) -> None:  # noqa: ANN001
        import functools
        import threading

        original = getattr(owner, name)
        main = threading.main_thread()
        clock = self

        @functools.wraps(original)
        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if clock.stopped or threading.current_thread() is not main:
                return original(*args, **kwargs)
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                clock.totals[part] = clock.totals.get(part, 0.0) + (time.perf_counter() - started) * 1000
                clock.counts[part] = clock.counts.get(part, 0) + 1

        setattr(owner, name, timed)

    def watch_subprocesses(self) -> None:
        """Every subprocess started before the first paint, on any thread (git, mostly)."""
        original = subprocess.Popen.__init__
        clock = self

        def init(popen, args, *rest, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            if not clock.stopped:
                shown = args if isinstance(args, str) else " ".join(str(part) for part in args)
                clock.git.append((shown, time.time()))
            return original(popen, args, *rest, **kwargs)

        subprocess.Popen.__init__ = init


def count_widgets(screen) -> dict[str, int]:  # noqa: ANN001
    """Widget nodes of the screen, per tab pane, and all of them."""
    from textual.widgets import TabPane

    counts = {}
    for pane in screen.query(TabPane):
        counts[str(pane.id)] = sum(1 for _ in pane.query("*")) + 1
    counts["screen"] = sum(1 for _ in screen.query("*")) + 1
    return counts


async def run_until_painted(app, ready, clock: Clock, stamps: dict[str, float]) -> dict:  # noqa: ANN001
    import asyncio

    async with app.run_test(size=(80, 24)) as pilot:
        deadline = time.monotonic() + 60
        while not ready(app):
            if time.monotonic() > deadline:
                raise TimeoutError("never got there")
            await asyncio.sleep(0.001)
        stamps["mounted"] = time.time()
        done = asyncio.Event()
        app.screen.call_after_refresh(done.set)
        await done.wait()
        stamps["painted"] = time.time()
        import resource

        used = resource.getrusage(resource.RUSAGE_SELF)
        stamps["cpu"] = used.ru_utime + used.ru_stime
        clock.stopped = True
        if clock.profiler_stop is not None:
            clock.profiler_stop()
        print(MARK, file=sys.stderr, flush=True)
        widgets = count_widgets(app.screen)
        modules = len(sys.modules)
        await pilot.pause()
    return {"widgets": widgets, "modules": modules}


def child(kind: str, repo: str | None, target: str | None, spawned: float, profile: str | None) -> None:
    profiler = None
    if profile == "cprofile":
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    elif profile == "pyinstrument":
        import pyinstrument

        profiler = pyinstrument.Profiler(interval=0.0005)
        profiler.start()
    stamps = {"spawned": spawned, "started": STARTED, "script": time.time()}
    clock = Clock()
    if profiler is not None:
        clock.profiler_stop = profiler.disable if profile == "cprofile" else profiler.stop
    clock.watch_subprocesses()
    import textual.app  # noqa: F401

    stamps["textual"] = time.time()
    from textual.css.stylesheet import Stylesheet
    from textual.screen import Screen

    clock.wrap(Stylesheet, "parse", "css parse (.tcss and DEFAULT_CSS)")
    clock.wrap(Stylesheet, "apply", "css apply to nodes")
    clock.wrap(Screen, "_refresh_layout", "layout + compositor")
    import textual.widget

    clock.wrap(textual.widget, "compose", "compose() of every widget")
    if kind in ("musterm", "start"):
        import pydantic  # noqa: F401

        stamps["pydantic"] = time.time()
        import musterm.model.framework  # noqa: F401
        import musterm.model.session  # noqa: F401

        stamps["models"] = time.time()
        from musterm.frameworks.catalog import Catalog
        from musterm.store.repository import Store

        clock.wrap(Catalog, "discover", "framework catalog (read + validate)")
        clock.wrap(Store, "open", "store open")
        clock.wrap(Store, "load", "session read + validate")
        from musterm.app.run import build_app
        from musterm.cli.main import build_parser

        args = build_parser().parse_args(["--sessions", repo, *(["open", target] if kind == "musterm" else [])])
        app = build_app(args)

        def ready(app) -> bool:  # noqa: ANN001
            if kind == "start":  # its listing read (an empty one) and shown
                return type(app.screen).__name__ == "StartScreen" and getattr(app.screen, "loaded", False)
            return type(app.screen).__name__ == "ConversationScreen" and app.screen.is_mounted
    else:
        if kind == "floor":  # the bare app after what musterm cannot do without: pydantic, its models, one session read
            import pydantic  # noqa: F401

            stamps["pydantic"] = time.time()
            import musterm.model.framework  # noqa: F401
            import musterm.model.session  # noqa: F401

            stamps["models"] = time.time()
            from musterm.formats.session_file import loads
            from musterm.frameworks.catalog import Catalog

            Catalog.discover()
            loads(Path(target).read_text(encoding="utf-8"))
        sys.path.insert(0, str(BENCH))
        from baseline_app import make_app

        app = make_app("tabs")

        def ready(app) -> bool:  # noqa: ANN001
            from textual.widgets import TabbedContent

            return any(widget.is_mounted for widget in app.screen.query(TabbedContent))

    stamps["built"] = time.time()
    original_display = app._display

    def display(screen, renderable) -> None:  # noqa: ANN001 - render to terminal output, as a real driver
        from textual._compositor import CompositorUpdate

        if not clock.stopped and isinstance(renderable, CompositorUpdate):
            started = time.perf_counter()
            renderable.render_segments(app.console)
            clock.totals["render to terminal output"] = clock.totals.get("render to terminal output", 0.0) + (
                time.perf_counter() - started) * 1000
        original_display(screen, renderable)

    app._display = display
    import asyncio

    result = asyncio.run(run_until_painted(app, ready, clock, stamps))
    if profiler is not None:
        out = os.environ["STARTUP_PROFILE_OUT"]
        if profile == "cprofile":
            profiler.dump_stats(out)
        else:
            Path(out).write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    musterm_file = str(Path(sys.modules["musterm"].__file__).parent) if "musterm" in sys.modules else ""
    print(json.dumps({"musterm": musterm_file, "stamps": stamps, "totals": clock.totals, "counts": clock.counts,
                      "git": [(command, when - spawned) for command, when in clock.git], **result}), flush=True)


# --- the parent ------------------------------------------------------------------------------


def environment(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MUSTERM_", "GIT_"))}
    env.update(HOME=str(home), GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", MUSTERM_MANAGER="Lis Leder",
               TERM="xterm-256color", TZ="Europe/Copenhagen")
    # An installed musterm has its bytecode, as Textual and pydantic in site-packages have theirs;
    # compiled from source in every start, musterm's ~200 modules cost ~120 ms more than it does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_bytecode(env: dict[str, str]) -> None:
    """musterm's modules compiled once, so no measured start compiles them (bench/run.py does the same)."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(PROJECT / "musterm")], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def haderslev_repository(env: dict[str, str]) -> tuple[str, str]:
    """A sessions repository with one Haderslev conversation (made once), and its file."""
    repo = DATA / "profile-haderslev"
    done = repo / ".made"
    if not done.exists():
        if repo.exists():
            subprocess.run(["rm", "-rf", str(repo)], check=True)
        repo.parent.mkdir(parents=True, exist_ok=True)
        made = subprocess.run(
            [str(Path(PYTHON).with_name("musterm")), "--sessions", str(repo), "new", "--employee", "Mette Hansen",
             "--framework", "haderslev", "--date", "2026-03-02", "--number", "4711"],
            env=env, capture_output=True, text=True, check=True)
        relative = made.stdout.strip().splitlines()[-1]
        done.write_text(relative + "\n")
    relative = done.read_text().strip()
    return str(repo), Path(relative).name if "/" not in relative else relative


def spawn(kind: str, repo: str | None, target: str | None, env: dict[str, str], extra: list[str] | None = None,
          profile: str | None = None) -> tuple[dict, str]:
    spawned = time.time()
    command = [PYTHON, *(extra or []), str(Path(__file__).resolve()), "--child", kind, "--spawned", repr(spawned)]
    if repo:
        command += ["--repo", repo, "--target", target or ""]
    if profile:
        command += ["--profile-with", profile]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def interpreter_ms(env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([PYTHON, "-c", "pass"], env=env, check=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


PHASES = (
    ("interpreter start (python -c pass: {interpreter:.0f} ms)", "spawned", "started"),
    ("import textual.app", "script", "textual"),
    ("import pydantic", "textual", "pydantic"),
    ("musterm's model classes (session, framework)", "pydantic", "models"),
    ("build_app: rest of imports, catalog, store, find", "models", "built"),
    ("Textual run until the screen is mounted", "built", "mounted"),
    ("until the first paint", "mounted", "painted"),
)


def phases(data: dict) -> dict[str, float]:
    stamps = data["stamps"]
    result = {}
    for name, start, end in PHASES:
        if start in stamps and end in stamps:
            result[name] = (stamps[end] - stamps[start]) * 1000
    if "models" not in stamps:  # the baseline: textual straight to building the app
        result["build the app"] = (stamps["built"] - stamps["textual"]) * 1000
    result["total: spawn to first paint"] = (stamps["painted"] - stamps["spawned"]) * 1000
    result["CPU time of the process to the first paint"] = stamps["cpu"] * 1000
    return result


def medians(samples: list[dict[str, float]]) -> dict[str, float]:
    keys = list(dict.fromkeys(key for sample in samples for key in sample))
    return {key: statistics.median(sample.get(key, 0.0) for sample in samples) for key in keys}


def import_groups(stderr: str) -> tuple[dict[str, float], list[tuple[str, float]], float]:
    """`-X importtime` lines before the first paint: self time per package, the slowest musterm
    modules (cumulative), and the total."""
    groups: dict[str, float] = {}
    ours: list[tuple[str, float]] = []
    total = 0.0
    stdlib = set(sys.stdlib_module_names)
    for line in stderr.splitlines():
        if line.startswith(MARK):
            break
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        parts = line[len("import time:"):].split("|")
        self_us, cumulative_us, name = int(parts[0]), int(parts[1]), parts[2].rstrip()
        module = name.strip()
        root = module.split(".")[0]
        if root == "musterm":
            group = ".".join(module.split(".")[:3]) if module.startswith("musterm.app.") else ".".join(module.split(".")[:2])
            ours.append((module, cumulative_us / 1000))
        elif root in stdlib or root.startswith("_"):
            group = "(standard library)"
        else:
            group = root
        groups[group] = groups.get(group, 0.0) + self_us / 1000
        total += self_us / 1000
    return groups, ours, total


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join([row[0].ljust(widths[0]), *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:]))]).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repo")
    parser.add_argument("--target")
    parser.add_argument("--profile", action="store_true", help="also a cProfile (pyinstrument if installed)")
    parser.add_argument("--start", action="store_true", help="plain musterm on a repository without conversations")
    parser.add_argument("--floor", action="store_true",
                        help="instead of musterm: the bare app after importing pydantic and the models and reading the session")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--profile-with", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.repo, args.target, args.spawned, args.profile_with)
        return 0

    with tempfile.TemporaryDirectory(prefix="musterm-profile-home-") as home:
        return measure(args, Path(home))


def measure(args: argparse.Namespace, home: Path) -> int:
    env = environment(home)
    compile_bytecode(env)
    kind = "start" if args.start else "floor" if args.floor else "musterm"
    if args.start:
        repo, target = str(DATA / "profile-empty"), ""
        DATA.mkdir(parents=True, exist_ok=True)  # a fresh clone has no bench/.data yet
        subprocess.run([str(Path(PYTHON).with_name("musterm")), "--sessions", repo, "list"], env=env, capture_output=True)
    elif args.repo:
        repo, target = args.repo, args.target
    else:
        repo, target = haderslev_repository(env)
    ours, theirs, last = [], [], None
    for _ in range(args.runs):  # interleaved, so a busy moment hits both alike
        last, _ = spawn(kind, repo, target, env)
        ours.append(phases(last))
        totals = {f"  of which {name}": value for name, value in last["totals"].items()}
        totals.update({f"  calls of {name} (count)": float(value) for name, value in last["counts"].items()})
        totals["  of which git subprocesses (count)"] = float(len(last["git"]))
        ours[-1].update(totals)
        baseline, _ = spawn("baseline", None, None, env)
        theirs.append(phases(baseline))
        theirs[-1].update({f"  of which {name}": value for name, value in baseline["totals"].items()})
        theirs[-1].update({f"  calls of {name} (count)": float(v) for name, v in baseline["counts"].items()})
    interpreter = interpreter_ms(env, args.runs)
    mine, base = medians(ours), medians(theirs)
    load = os.getloadavg()
    print(f"Start-up to the first paint, median of {args.runs} runs (load average {load[0]:.1f}, {os.cpu_count()} cores)\n")
    rows = [("phase", "musterm ms", "bare 5-tab app ms")]
    for key in dict.fromkeys([*mine, *base]):
        name = key.format(interpreter=interpreter)
        value = "–" if key not in mine else f"{mine[key]:.0f}"
        if key.endswith("(count)") and key in mine:
            value = f"{mine[key]:.0f}"
        rows.append((name, value, "–" if key not in base else f"{base[key]:.0f}"))
    print(table(rows))
    cpu = "CPU time of the process to the first paint"
    print(f"\nratio (total): {mine['total: spawn to first paint'] / base['total: spawn to first paint']:.2f}×, "
          f"CPU time {mine[cpu] / base[cpu]:.2f}×")
    print(f"\nWidget nodes of the {'start' if args.start else 'conversation'} screen (last run): " + ", ".join(f"{k} {v}" for k, v in last["widgets"].items()))
    print(f"Modules imported at the first paint: {last['modules']} (musterm from {last.get('musterm', '?')})")
    if last["git"]:
        print("Subprocesses before the first paint (ms after spawn):")
        for command, when in last["git"]:
            print(f"  {when * 1000:6.0f}  {command[:100]}")
    else:
        print("Subprocesses before the first paint: none")

    _, stderr = spawn(kind, repo, target, env, extra=["-X", "importtime"])
    groups, modules, total = import_groups(stderr)
    print(f"\nImports before the first paint (-X importtime, one run, self time per package; {total:.0f} ms in all,"
          " -X importtime itself adds to it)")
    shown = sorted(groups.items(), key=lambda item: -item[1])
    print(table([("package", "ms"), *((name, f"{value:.1f}") for name, value in shown if value >= 1.0)]))
    print("\nSlowest musterm modules (cumulative, with what they import):")
    for name, value in sorted(modules, key=lambda item: -item[1])[:15]:
        print(f"  {value:6.1f} ms  {name}")

    if args.profile:
        try:
            import pyinstrument  # noqa: F401

            profiler = "pyinstrument"
        except ImportError:
            profiler = "cprofile"
        out = home / "profile.out"
        env_profile = {**env, "STARTUP_PROFILE_OUT": str(out)}
        spawn(kind, repo, target, env_profile, profile=profiler)
        print(f"\nProfile from the script's start to the first paint ({profiler}):")
        if profiler == "cprofile":
            import pstats

            pstats.Stats(str(out)).sort_stats("cumulative").print_stats(25)
        else:
            print(out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
