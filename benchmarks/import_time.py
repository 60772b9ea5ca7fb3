"""Import-time overhead of kerasx over its engine, per installed engine.

    python benchmarks/import_time.py            # or: nox -s import_time
    python benchmarks/import_time.py --runs 15 --engines torch

For each engine, times `import <engine>` alone and `import kerasx` (with KERAS_BACKEND=<engine>) in fresh
interpreters, N runs each, interleaved so that disk-cache and CPU-frequency drift hit both alike, and prints a
Markdown table of the medians. The time is measured inside the child around the import statement, so interpreter
start-up is excluded. Target: overhead <= 0.3 s. `--check` exits 1 when an engine misses it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("jax", "torch", "tensorflow", "numpy")
TARGET_SECONDS = 0.3

TIMED_IMPORT = "import time; start = time.perf_counter(); import {module}; print(time.perf_counter() - start)"


def time_import(module: str, engine: str) -> float:
    env = dict(os.environ, KERAS_BACKEND=engine)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", TIMED_IMPORT.format(module=module)],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"`import {module}` failed with KERAS_BACKEND={engine}:\n{result.stderr[-3000:]}")
    return float(result.stdout.strip().splitlines()[-1])


def measure(engine: str, runs: int) -> dict:
    engine_times, kerasx_times = [], []
    time_import(engine, engine)  # warm the file cache so the first run is not an outlier
    for _ in range(runs):
        engine_times.append(time_import(engine, engine))
        kerasx_times.append(time_import("kerasx", engine))
    engine_median = statistics.median(engine_times)
    kerasx_median = statistics.median(kerasx_times)
    return {"engine": engine_median, "kerasx": kerasx_median, "overhead": kerasx_median - engine_median}


def table(results: dict, runs: int) -> str:
    lines = [
        f"Median of {runs} fresh processes per cell; target overhead <= {TARGET_SECONDS} s.",
        "",
        "| engine | `import <engine>` (s) | `import kerasx` (s) | overhead (s) | within target |",
        "|---|---|---|---|---|",
    ]
    for engine, r in results.items():
        ok = "yes" if r["overhead"] <= TARGET_SECONDS else "NO"
        lines.append(f"| {engine} | {r['engine']:.3f} | {r['kerasx']:.3f} | {r['overhead']:+.3f} | {ok} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per measurement (default 7)")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, help="default: every installed engine")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if an overhead exceeds {TARGET_SECONDS} s")
    args = parser.parse_args(argv)
    engines = args.engines or [e for e in ENGINES if importlib.util.find_spec(e) is not None]
    results = {engine: measure(engine, args.runs) for engine in engines}
    print(table(results, args.runs))
    over = [e for e, r in results.items() if r["overhead"] > TARGET_SECONDS]
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
