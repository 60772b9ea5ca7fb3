"""Worker for test_reliability_memory.py: in a fresh process, loads hostile `.keras` files that are refused only
after the model their config describes is built, and prints per file the growth of resident memory (peak RSS over
the RSS before the load) in units of the model's largest variable. Run as
`python reliability_memory_worker.py <folder>`; prints one JSON line.

The largest variable is 64 MiB: above glibc's largest mmap threshold (32 MiB), so each copy of it is a fresh
mapping that the peak RSS sees, never a reuse of memory freed by an earlier load."""

import json
import sys
import time
from pathlib import Path

import test_reliability_hostile as hostile

import kerasx

UNITS = 4096
LARGEST_VARIABLE = UNITS * UNITS * 4
CASES = ("wrong-shape", "wrong-dtype", "missing-weights", "extra-weights", "truncated-weights", "shape-bomb")


def _status(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


def _growth(load) -> tuple:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # resets the peak RSS (VmHWM) to the current RSS
    before, start = _status("VmRSS"), time.perf_counter()
    try:
        load()
        refused = None
    except ValueError as error:
        refused = str(error)
    return refused, time.perf_counter() - start, (_status("VmHWM") - before) / LARGEST_VARIABLE


def main(folder: Path) -> None:
    inputs = kerasx.layers.Input((UNITS,), name="x")
    layer = kerasx.layers.Dense(UNITS, kernel_initializer="zeros")
    good = folder / "good.keras"
    kerasx.models.Model(inputs, layer(inputs)).save(good)
    small = folder / "small.keras"
    tiny = kerasx.layers.Input((2,), name="x")
    kerasx.models.Model(tiny, kerasx.layers.Dense(2)(tiny)).save(small)
    kerasx.saving.load_model(small)  # imports and first-call caches, so that the loads measured count only themselves
    del layer, inputs
    members = hostile._members(good)
    # The good file first: the measurement must see the memory a load that reads the 64 MiB kernel touches.
    results = {"good": dict(zip(("refused", "seconds", "growth"), _growth(lambda: kerasx.saving.load_model(good))))}
    for case in CASES:
        build, _, _ = hostile.CASES[case]
        path = hostile._write(folder / f"{case}.keras", *build(members))
        refused, seconds, growth = _growth(lambda path=path: kerasx.saving.load_model(path))
        results[case] = {"refused": refused, "seconds": seconds, "growth": growth}
    print(json.dumps(results))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
