"""Sums a `--timings-log` file (tests/conftest.py) per test file, slowest first, and lists the failed tests.

Usage: `python tests/timings.py PATH [NUM_FILES]`. `python tests/timings.py --write BACKEND PATH` records the per-file
sums in tests/file_durations.json under BACKEND, which tests/conftest.py reads to hand xdist's workers the longest
files first. `python tests/timings.py --idle PATH` tells, per xdist worker, when it finished its last test and how
long it then waited for the others (the cost of a long file that started late).
"""

import collections
import json
import sys
from pathlib import Path

DURATIONS = Path(__file__).with_name("file_durations.json")


def records(path: str):
    """(outcome, seconds, phase, end, worker, nodeid) per line of the log."""
    for line in open(path):
        outcome, seconds, phase, end, worker, nodeid = line.rstrip("\n").split(" ", 5)
        yield outcome, float(seconds), phase, float(end), worker, nodeid


def per_file_seconds(path: str) -> collections.Counter:
    per_file: collections.Counter = collections.Counter()
    for _, seconds, _, _, _, nodeid in records(path):
        per_file[nodeid.split("::")[0]] += seconds
    return per_file


def idle_report(path: str) -> str:
    """Per worker: busy seconds, and the seconds between its last phase's end and the last end of any worker."""
    first: dict = {}
    last: dict = {}
    busy: collections.Counter = collections.Counter()
    for _, seconds, _, end, worker, _ in records(path):
        first[worker] = min(first.get(worker, end - seconds), end - seconds)
        last[worker] = max(last.get(worker, end), end)
        busy[worker] += seconds
    start, finish = min(first.values()), max(last.values())
    rows = [f"{finish - start:8.1f} s from the first test's start to the last test's end"]
    for worker in sorted(last):
        rows.append(f"{worker}: busy {busy[worker]:8.1f} s, idle at the end {finish - last[worker]:8.1f} s")
    return "\n".join(rows)


def write_durations(backend: str, path: str) -> None:
    table = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    table[backend] = {name: round(seconds, 1) for name, seconds in per_file_seconds(path).most_common()}
    DURATIONS.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")


def summarize(path: str, num_files: int = 40) -> str:
    per_file: collections.Counter = collections.Counter()
    failed = []
    for outcome, seconds, phase, _, _, nodeid in records(path):
        per_file[nodeid.split("::")[0]] += seconds
        if outcome == "failed":
            failed.append(f"{phase} {nodeid}")
    total = sum(per_file.values())
    rows = [f"{seconds:8.1f} s {100 * seconds / total:5.1f}%  {name}" for name, seconds in per_file.most_common(num_files)]
    return "\n".join([f"{total:8.1f} s in {len(per_file)} files", *rows, f"{len(failed)} failed:", *failed])


if __name__ == "__main__":
    if sys.argv[1] == "--write":
        write_durations(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "--idle":
        print(idle_report(sys.argv[2]))
    else:
        print(summarize(sys.argv[1], *(int(a) for a in sys.argv[2:3])))
