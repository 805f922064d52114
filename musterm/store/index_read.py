"""Reading many session files for the index: in worker processes when there are many.

Parsing (TOML, then the session model) is nearly all the time a rebuild takes, and it is work
for one core per file. From 800 files on, they are read by up to four worker processes, each a
fresh `python -m musterm.store.index_read` (not multiprocessing: that would import the
caller's main script again in each worker, and a fork of a process that runs threads is
unsafe), a batch at a time, while this process writes the rows it gets back. At most two
batches per worker wait, so memory stays flat. Fewer files are read here: starting a worker
costs about as much as reading a few hundred. A worker that fails is not trusted further:
what it had not sent back is read here.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from musterm.store import index_rows
from musterm.store.index_rows import Row

BATCH = 500
"""Files per batch (and per transaction of the index): a killed rebuild keeps its progress."""
WORKERS_FROM = 800
"""Files to read before worker processes pay for their start."""
MAX_WORKERS = 4

Read = Callable[[Path, str], "Row | None"]
Rows = list[tuple[str, "Row | None"]]


def rows_of(root: Path, paths: list[str], read: Read) -> Iterator[Rows]:
    """The rows of these files (None for a file that is gone), a batch at a time, in order."""
    batches = [paths[start : start + BATCH] for start in range(0, len(paths), BATCH)]
    count = min(MAX_WORKERS, _cores(), len(batches))
    fields = index_rows._fields
    if len(paths) < WORKERS_FROM or count < 2 or fields is None or read is not index_rows.read_row:
        for batch in batches:
            yield [(relative, read(root, relative)) for relative in batch]
        return
    yield from _in_workers(root, batches, count, f"{fields.__module__}:{fields.__qualname__}")


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _in_workers(root: Path, batches: list[list[str]], count: int, fields: str) -> Iterator[Rows]:
    package_parent = str(Path(index_rows.__file__).resolve().parents[2])
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))}
    workers = [
        subprocess.Popen([sys.executable, "-m", "musterm.store.index_read", fields], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment)
        for _ in range(count)
    ]
    broken = False
    try:
        try:
            for number in range(min(len(batches), 2 * count)):  # batch n goes to worker n % count
                _send(workers[number % count], root, batches[number])
        except OSError:
            broken = True
        for number, batch in enumerate(batches):
            rows = None
            if not broken:
                worker = workers[number % count]
                try:
                    rows = pickle.load(worker.stdout)
                    if number + 2 * count < len(batches):
                        _send(worker, root, batches[number + 2 * count])
                except (OSError, EOFError, pickle.UnpicklingError):
                    broken = True
            if rows is None or [relative for relative, _ in rows] != batch:
                broken = True
                rows = [(relative, index_rows.read_row(root, relative)) for relative in batch]
            yield rows
    finally:
        for worker in workers:
            worker.kill() if broken else _close(worker)
            worker.wait()
            if worker.stdout is not None:
                worker.stdout.close()


def _send(worker: subprocess.Popen, root: Path, batch: list[str]) -> None:
    assert worker.stdin is not None
    pickle.dump((str(root), batch), worker.stdin)
    worker.stdin.flush()


def _close(worker: subprocess.Popen) -> None:
    try:
        if worker.stdin is not None:
            worker.stdin.close()
    except OSError:
        worker.kill()


def _work(fields: str) -> None:
    """A worker: read (root, paths) requests from stdin until it closes, answer each with its rows."""
    import importlib

    module, _, name = fields.partition(":")
    function = importlib.import_module(module)
    for part in name.split("."):
        function = getattr(function, part)
    index_rows.use_fields(function)
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            root, batch = pickle.load(requests)
        except EOFError:
            return
        pickle.dump([(relative, index_rows.read_row(Path(root), relative)) for relative in batch], answers,
                    protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()


if __name__ == "__main__":
    _work(sys.argv[1])
