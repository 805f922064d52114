"""How long `musterm check` and `musterm new` take on hostile files (issue 13, item 11).

    .venv/bin/python bench/limits_bench.py

Writes, under bench/.data/limits/ (cached), a framework with 1,000,000 questions (the issue's
reproduction: `check` took 26 s and 1.7 GB, `new` 76 s and 4.3 GB) one just under the file
size limit but over the question limit (12,000 questions), and one just within the limits
(1,000 questions), and runs the real `musterm check` and `musterm new` on each as a
process, printing wall time, peak memory (ru_maxrss of the child) and exit status. A benchmark:
it prints figures and never fails.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data" / "limits"
HEAD = 'format = 1\nid = "{id}"\nname = "Fjendtlig ramme"\nmunicipality = "Testkommune"\nversion = "1"\n\n'


def framework(path: Path, themes: int, questions: int) -> Path:
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD.format(id=path.stem))
        for theme in range(themes):
            out.write(f'[[themes]]\nid = "t{theme}"\ntitle = "Tema {theme}"\n\n')
            for question in range(questions):
                out.write(f'[[themes.questions]]\nid = "q{theme}-{question}"\ntext = "Spørgsmål {question}?"\nkind = "text"\n\n')
    return path


def run(*args: str) -> tuple[float, float, int, str]:
    """Wall seconds, the child's peak memory in MB, exit status and the first line of its stderr/stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "musterm", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(HERE.parent), "MUSTERM_MANAGER": "Bench"})
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    said = (done.stdout.strip() or done.stderr.strip()).splitlines()[:1]
    return seconds, max(peak, before) / 1024, done.returncode, (said[0] if said else "")[-110:]


def main() -> None:
    hostile = framework(DATA / "hostile" / "hostile.toml", 1, 1_000_000)
    dense = framework(DATA / "dense" / "dense.toml", 1, 12_000)  # just under 1 MB: parsed, then refused by count
    edge = framework(DATA / "edge" / "edge.toml", 10, 100)
    print(f"{'file':<34} {'size':>9} {'command':<6} {'time':>8} {'peak':>9}  exit  says")
    for path in (hostile, dense, edge):
        for command in ("check", "new"):
            sessions = DATA / "sessions"
            shutil.rmtree(sessions, ignore_errors=True)
            args = ["check", str(path)] if command == "check" else [
                "--sessions", str(sessions), "--frameworks", str(path.parent), "new", "--employee", "Anna",
                "--framework", path.stem, "--date", "2026-11-23"]
            seconds, peak, status, said = run(*args)
            size = f"{path.stat().st_size / 1_000_000:.1f} MB"
            print(f"{path.name + ' (' + {hostile: '1,000,000', dense: '12,000', edge: '1,000'}[path] + ' q.)':<34} {size:>9} "
                  f"{command:<6} {seconds:>7.2f}s {peak:>6.0f} MB  {status:>4}  {said}")
    print("(peak: the largest child so far, so a row shows at least the peak of the rows before it)")


if __name__ == "__main__":
    main()
