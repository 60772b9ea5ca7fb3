"""Sums a `--timings-log` file (tests/conftest.py) per test file, slowest first, and lists the failed tests.

Usage: `python tests/timings.py PATH [NUM_FILES]`. `python tests/timings.py --write BACKEND PATH` records the per-file
sums in tests/file_durations.json under BACKEND, which tests/conftest.py reads to hand xdist's workers the longest
files first.
"""

import collections
import json
import sys
from pathlib import Path

DURATIONS = Path(__file__).with_name("file_durations.json")


def per_file_seconds(path: str) -> collections.Counter:
    per_file: collections.Counter = collections.Counter()
    for line in open(path):
        _, seconds, _, nodeid = line.rstrip("\n").split(" ", 3)
        per_file[nodeid.split("::")[0]] += float(seconds)
    return per_file


def write_durations(backend: str, path: str) -> None:
    table = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    table[backend] = {name: round(seconds, 1) for name, seconds in per_file_seconds(path).most_common()}
    DURATIONS.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")


def summarize(path: str, num_files: int = 40) -> str:
    per_file: collections.Counter = collections.Counter()
    failed = []
    for line in open(path):
        outcome, seconds, phase, nodeid = line.rstrip("\n").split(" ", 3)
        per_file[nodeid.split("::")[0]] += float(seconds)
        if outcome == "failed":
            failed.append(f"{phase} {nodeid}")
    total = sum(per_file.values())
    rows = [f"{seconds:8.1f} s {100 * seconds / total:5.1f}%  {name}" for name, seconds in per_file.most_common(num_files)]
    return "\n".join([f"{total:8.1f} s in {len(per_file)} files", *rows, f"{len(failed)} failed:", *failed])


if __name__ == "__main__":
    if sys.argv[1] == "--write":
        write_durations(sys.argv[2], sys.argv[3])
    else:
        print(summarize(sys.argv[1], *(int(a) for a in sys.argv[2:3])))
