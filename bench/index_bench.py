"""The index's figures (issue 15) at 1,000, 10,000 and 100,000 conversations, with git grep beside them.

    python bench/index_bench.py [--sizes 1000,10000,100000] [--runs 3]

For each size: the repository from `generate.py` (100, 1,000, 10,000 employees × 10 years,
cached), copied, `git status` run once (git's own stat cache, as a repository in use has it).
Then, each in a fresh process: a full rebuild of the index (time, peak memory), `musterm list`,
`musterm search WORD` and `git grep -i -c WORD` for a rare, a common and a Danish word, search
in-process, the update after one saved conversation, and the refresh after a commit that changed
1,000 files (what a pull brings). Printed as a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

import generate  # noqa: E402

PYTHON = sys.executable
WORDS = {"rare": "lønforhandling", "common": "kursus", "danish": "øvebane"}
ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C.UTF-8"}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed musterm has its bytecode: the processes measured use it too

PROBE = r"""
import json, os, resource, sys, time
from pathlib import Path
import musterm.history.search  # tells the index what it reads of a conversation
from musterm.store.repository import Store
root, what = Path(sys.argv[1]), sys.argv[2]

def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

out = {}
if what == "rebuild":
    store = Store.open(root)
    started, cpu = time.perf_counter(), time.process_time()
    store.refresh_index()
    out["seconds"] = time.perf_counter() - started
    out["cpu_seconds"] = time.process_time() - cpu
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker processes that parsed the files, and git
    out["workers_cpu_seconds"] = workers.ru_utime + workers.ru_stime
    out["peak_mb"] = peak_mb()
    out["workers_peak_mb"] = workers.ru_maxrss / 1024
    index = store.index
    out["size_mb"] = index.size_on_disk() / 1e6
    total = 0
    for (blob,) in index._rows("SELECT texts FROM body JOIN conversation USING (id) WHERE NOT damaged"):
        total += sum(len(text.text.encode()) for text in index._unpack(blob))
    out["text_mb"] = total / 1e6
    out["conversations"] = index.count()
elif what == "search":
    from musterm.history.search import format_search, search
    store = Store.open(root)
    started = time.perf_counter(); store.refresh_index(); out["noop_refresh_ms"] = (time.perf_counter() - started) * 1000
    for word in sys.argv[3:]:
        times, cpu = [], []
        for _ in range(3):
            started, cpu_started = time.perf_counter(), time.process_time()
            hits = search(store, word)
            format_search(hits, word)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        out[word] = {"ms": sorted(times)[1], "cpu_ms": sorted(cpu)[1], "hits": len(hits)}
elif what == "save":
    store = Store.open(root)
    store.refresh_index()
    relative = store.find(sys.argv[3])
    session = store.load(relative)
    times = []
    for round_number in range(5):
        session.themes[0].notes += f"\nRunde {round_number}."
        store.save(relative, session)
        started = time.perf_counter()
        store.index.put(relative, session, store.path_of(relative))
        times.append((time.perf_counter() - started) * 1000)
    out["put_ms"] = sorted(times)[2]
    started = time.perf_counter(); store.refresh_index(); out["refresh_after_save_ms"] = (time.perf_counter() - started) * 1000
    store.commit(relative, session)
    started = time.perf_counter(); store.refresh_index(); out["refresh_after_commit_ms"] = (time.perf_counter() - started) * 1000
elif what == "pull":
    store = Store.open(root)
    started, cpu = time.perf_counter(), time.process_time()
    store.refresh_index()
    out["seconds"], out["cpu_seconds"] = time.perf_counter() - started, time.process_time() - cpu
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["workers_cpu_seconds"] = workers.ru_utime + workers.ru_stime
print(json.dumps(out))
"""


def probe(root: Path, what: str, *args: str) -> dict:
    done = subprocess.run([PYTHON, "-c", PROBE, str(root), what, *args], cwd=REPO, env=ENV, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def wall(command: list[str], runs: int, cwd: Path = REPO) -> float:
    """The median wall-clock time of `command`, in ms; its CPU time (with git's) is kept in CPU."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - started) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    CPU[" ".join(command[-2:])] = statistics.median(cpu)
    return statistics.median(times)


CPU: dict[str, float] = {}
"""CPU ms (user + system, the process and what it started) of the last command measured by `wall`:
on a busy shared machine the CPU time says more than the wall-clock time."""


def change_files(root: Path, count: int) -> None:
    """`count` conversations edited and committed at once, as a pull of a colleague's year brings them."""
    changed = 0
    for folder in sorted(path for path in root.iterdir() if path.is_dir() and not path.name.startswith(".")):
        for file in sorted(folder.glob("*.toml")):
            text = file.read_text(encoding="utf-8")
            edited = text.replace('place = "', 'place = "Flyttet: ', 1)
            if edited != text:
                file.write_text(edited, encoding="utf-8")
                changed += 1
            break
        if changed == count:
            break
    subprocess.run(["git", "commit", "-qam", "Ændret andetsteds"], cwd=root, env={
        **ENV, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b",
    }, check=True)


def measure(size: int, runs: int, in_place: bool = False) -> dict:
    source = generate.generate(size // 10, 10, quiet=True)
    work = source if in_place else generate.copy_repository(source, generate.DATA / f"index-work-{size}")
    subprocess.run(["git", "status", "--porcelain"], cwd=work, env=ENV, capture_output=True, check=True)
    result = {"size": size}
    result["rebuild"] = probe(work, "rebuild")
    musterm = [PYTHON, "-m", "musterm", "--sessions", str(work)]
    result["list_ms"] = wall([*musterm, "list"], runs)
    result["list_cpu_ms"] = CPU[f"{work} list"]
    for key, word in WORDS.items():
        result[f"search_{key}_ms"] = wall([*musterm, "search", word], runs)
        result[f"search_{key}_cpu_ms"] = CPU[f"search {word}"]
        result[f"grep_{key}_ms"] = wall(["git", "grep", "-i", "-c", word], runs, cwd=work)
        result[f"grep_{key}_cpu_ms"] = CPU[f"-c {word}"]
    result["inprocess"] = probe(work, "search", *WORDS.values())
    if in_place:  # the cached repository itself: nothing that changes its files
        return result
    result["save"] = probe(work, "save", "10003")
    change_files(work, 1000)
    result["pull"] = probe(work, "pull")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--in-place", action="store_true",
                        help="measure on the cached repository itself, without copying it (no save, no pull)")
    args = parser.parse_args()
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "musterm")], env=ENV, check=True)
    results = []
    for size in (int(text) for text in args.sizes.split(",")):
        print(f"measuring {size:,} conversations …", file=sys.stderr, flush=True)
        result = measure(size, args.runs, args.in_place)
        print(json.dumps(result, ensure_ascii=False), file=sys.stderr, flush=True)
        results.append(result)
    print(table(results))
    return 0


def _cell(cell, result: dict) -> str:  # noqa: ANN001
    try:
        return cell(result)
    except KeyError:  # not measured in this run (--in-place: no save, no pull)
        return "–"


def from_log(path: Path) -> str:
    """The table again from the JSON lines a run printed on stderr (runs of several sizes at different times)."""
    return table([json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")])


def table(results: list[dict]) -> str:
    rows = [
        ("full rebuild of the index, wall / CPU (this process + workers)", lambda r: f"{r['rebuild']['seconds']:.1f} / "
         f"{r['rebuild']['cpu_seconds']:.1f} + {r['rebuild'].get('workers_cpu_seconds', 0):.1f} s"),
        ("peak memory of the rebuild (this process / each worker)",
         lambda r: f"{r['rebuild']['peak_mb']:.0f} / {r['rebuild'].get('workers_peak_mb', 0):.0f} MB"),
        ("index on disk / text it holds", lambda r: f"{r['rebuild']['size_mb']:.1f} / {r['rebuild']['text_mb']:.1f} MB"),
        ("`musterm list` (process), wall / CPU", lambda r: f"{r['list_ms']:.0f} / {r['list_cpu_ms']:.0f} ms"),
    ]
    for key, word in WORDS.items():
        rows.append((f"`musterm search {word}` (process) / git grep -i -c, wall",
                     lambda r, key=key: f"{r[f'search_{key}_ms']:.0f} / {r[f'grep_{key}_ms']:.0f} ms"))
        rows.append((f"`musterm search {word}` (process) / git grep -i -c, CPU",
                     lambda r, key=key: f"{r[f'search_{key}_cpu_ms']:.0f} / {r[f'grep_{key}_cpu_ms']:.0f} ms"))
        rows.append((f"search {word}, in-process, wall / CPU (hits)",
                     lambda r, word=word: f"{r['inprocess'][word]['ms']:.0f} / {r['inprocess'][word]['cpu_ms']:.0f} ms"
                     f" ({r['inprocess'][word]['hits']:,})"))
    rows += [
        ("refresh with nothing changed (one git status)", lambda r: f"{r['inprocess']['noop_refresh_ms']:.0f} ms"),
        ("index update after one save (in the saving thread)", lambda r: f"{r['save']['put_ms']:.1f} ms"),
        ("refresh after that save was committed", lambda r: f"{r['save']['refresh_after_commit_ms']:.0f} ms"),
        ("refresh after a pull of 1,000 changed files, wall / CPU (this process + workers)",
         lambda r: f"{r['pull']['seconds']:.2f} / {r['pull']['cpu_seconds']:.2f} + {r['pull'].get('workers_cpu_seconds', 0):.2f} s"),
    ]
    header = "| figure | " + " | ".join(f"{r['size']:,}" for r in results) + " |"
    lines = [header, "|---|" + "---:|" * len(results)]
    for name, cell in rows:
        lines.append(f"| {name} | " + " | ".join(_cell(cell, r) for r in results) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
