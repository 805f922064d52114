"""Sync and erasure of a 10,000-conversation repository, beside plain git doing the same.

    nice -n 19 .venv/bin/python bench/lifecycle_bench.py [--employees 1000] [--repeat 1]

The repository is bench/generate.py's (1,000 employees x 10 years, cached in bench/.data/). Each
figure runs as its own process on a fresh copy of it, and is measured from outside: wall time,
and the peak memory (max RSS) of the largest process the command ran, musterm's own Python
included. Baselines, on the same copy, in the same run:

- first sync (an empty bare remote): `musterm remote set` + `musterm sync` / `git push`
- sync after one saved change: `musterm sync` (commit, fetch, rebase, check, push) /
  `git commit` + `git fetch` + `git push`
- erasure of one employee: `musterm erase --ja` / `git filter-repo --invert-paths --path FOLDER/`
  followed by `git reflog expire` and `git gc --prune=now` (what musterm erase does through git);
  musterm's figure includes taking the employee out of its index (kept, not rebuilt, unless its
  compression dictionary holds the employee's own lines); a full rebuild is shown for comparison

These print and never fail.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402

WORK = BENCH / ".data" / "lifecycle-work"
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "took = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(done.returncode, took, peak)\n"
    "sys.stderr.write(done.stderr.decode(errors='replace')[-2000:])\n"
)


def measure(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(seconds, peak MB of the largest process) of one command, run from a small wrapper process."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    code, took, peak = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(args[:4])} ... failed ({code}): {done.stderr}")
    return float(took), int(peak) / 1024


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b",
                               "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"}).stdout


def fresh_copy(source: Path, name: str) -> Path:
    target = WORK / name
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)
    # A copy has new inodes: refresh git's index (as on the machine that wrote the files), or every
    # `git status` of either side would hash all 10,000 files again.
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=target, capture_output=True)
    return target


def bare(name: str) -> Path:
    target = WORK / f"{name}.git"
    if target.exists():
        shutil.rmtree(target)
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(target)], check=True)
    return target


def musterm(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "musterm", "--sessions", str(root), *args]


def change_one(root: Path) -> str:
    """Change one conversation's notes as a save would (not committed): what sync commits first."""
    folder = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))[7]
    newest = sorted(folder.glob("*.toml"))[-1]
    text = newest.read_text(encoding="utf-8")
    changed = text.replace('notes = "', 'notes = "Rettet. ', 1)
    assert changed != text
    newest.write_text(changed, encoding="utf-8")
    return f"{folder.name}/{newest.name}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10)
    options = parser.parse_args(argv)
    source = generate(options.employees, options.years, quiet=True)
    count = sum(1 for _ in source.glob("*/*.toml"))
    commits = int(git(source, "rev-list", "--count", "HEAD"))
    print(f"repository: {count:,} conversations, {commits} commits, "
          f"{sum(f.stat().st_size for f in source.glob('*/*.toml')) / 1e6:.0f} MB of session files")
    env = {"MUSTERM_MANAGER": "Lis Leder", "MUSTERM_MANAGER_EMAIL": "lis@kommune.dk"}
    rows = []

    # The index is built once in the source copy (as on a manager's machine), so no figure pays for it
    # except where the command itself rebuilds it.
    measure(musterm(source, "list"), REPO, env)

    # 1. first sync to an empty remote
    root = fresh_copy(source, "first-musterm")
    remote = bare("first-musterm")
    subprocess.run(musterm(root, "remote", "set", str(remote)), check=True, capture_output=True, env={**os.environ, **env})
    mine = measure(musterm(root, "sync"), REPO, env)
    root = fresh_copy(source, "first-git")
    remote = bare("first-git")
    base = measure(["git", "push", "--quiet", str(remote), "main"], root)
    rows.append(("first sync to an empty bare remote", mine, base, "git push"))

    # 2. sync after one saved change (a remote that has everything else)
    root = fresh_copy(source, "one-musterm")
    remote = bare("one-musterm")
    subprocess.run(musterm(root, "remote", "set", str(remote)), check=True, capture_output=True, env={**os.environ, **env})
    subprocess.run(musterm(root, "sync"), check=True, capture_output=True, env={**os.environ, **env})
    relative = change_one(root)
    own = root / ".git" / "musterm" / "own-writes"  # musterm's record that it wrote the file (as Store.save does)
    own.mkdir(parents=True, exist_ok=True)
    from musterm.store.recovery import OwnWrites

    OwnWrites(root / ".git").record(relative, (root / relative).read_bytes())
    mine = measure(musterm(root, "sync"), REPO, env)
    root = fresh_copy(source, "one-git")
    remote = bare("one-git")
    git(root, "push", "--quiet", str(remote), "main")
    git(root, "remote", "add", "origin", str(remote))
    change_one(root)
    script = "git commit -qam x && git fetch -q origin && git push -q origin main"
    base = measure(["sh", "-c", script], root, {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b",
                                                 "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"})
    rows.append(("sync after one saved change", mine, base, "git commit + fetch + push"))

    # 3. erasure of one employee
    root = fresh_copy(source, "erase-musterm")
    folders = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    folder = folders[len(folders) // 2]
    files = len(list((root / folder).glob("*.toml")))
    mine = measure(musterm(root, "erase", folder, "--ja"), REPO, env)
    rebuild = measure(musterm(root, "list"), REPO, env)  # up to date already: what a start costs after it
    root = fresh_copy(source, "erase-index")
    shutil.rmtree(root / ".git" / "musterm", ignore_errors=True)
    index_only = measure(musterm(root, "list"), REPO, env)
    root = fresh_copy(source, "erase-git")
    paths = WORK / "paths.txt"
    paths.write_text(f"{folder}/\n")
    script = (f"{sys.executable} -m git_filter_repo --force --quiet --invert-paths --paths-from-file {paths} && "
              "git reflog expire --expire=now --all && git gc --quiet --prune=now")
    base = measure(["sh", "-c", script], root)
    rows.append((f"erase one employee ({files} conversations)", mine, base, "git filter-repo + reflog expire + gc"))

    print()
    print("| figure | musterm | peak memory | baseline | peak memory | baseline is | time ratio |")
    print("|---|---:|---:|---:|---:|---|---:|")
    for what, (took, peak), (base_took, base_peak), baseline in rows:
        print(f"| {what} | {took:.2f} s | {peak:.0f} MB | {base_took:.2f} s | {base_peak:.0f} MB | {baseline} | "
              f"{took / base_took:.2f}x |")
    print(f"| for comparison: rebuilding the index from every file (`musterm list` without one; erase keeps it) | "
          f"{index_only[0]:.2f} s | "
          f"{index_only[1]:.0f} MB | – | – | – | – |")
    print(f"| `musterm list` right after the erasure | {rebuild[0]:.2f} s | {rebuild[1]:.0f} MB | – | – | – | – |")
    shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
