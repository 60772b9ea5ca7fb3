"""Sums a `--timings-log` file (tests/conftest.py) per test file, slowest first, and lists the failed tests.

Usage: `python tests/timings.py PATH [NUM_FILES]`.
"""

import collections
import sys


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
    print(summarize(sys.argv[1], *(int(a) for a in sys.argv[2:3])))
