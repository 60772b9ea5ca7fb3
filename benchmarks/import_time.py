"""Import-time overhead of kerasx over its engine, per installed engine.

    python benchmarks/import_time.py            # or: nox -s import_time
    python benchmarks/import_time.py --runs 15 --engines torch

For each engine, times `import <engine>` alone and `import kerasx` (with KERAS_BACKEND=<engine>) in fresh
interpreters, N runs each, interleaved so that disk-cache and CPU-frequency drift hit both alike, and prints a
Markdown table of the medians. The time is measured inside the child around the import statement, so interpreter
start-up is excluded. Target: wall-clock overhead <= 0.3 s; `--check` exits 1 when an engine misses it. The CPU-time
columns (the child's own CPU seconds) are there for busy machines, where wall-clock times stretch with the load.
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

TIMED_IMPORT = (
    "import time; wall, cpu = time.perf_counter(), time.process_time(); import {module}; "
    "print(time.perf_counter() - wall, time.process_time() - cpu)"
)


def time_import(module: str, engine: str) -> tuple:
    """(wall-clock, CPU) seconds of `import <module>` in a fresh interpreter with KERAS_BACKEND=<engine>."""
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
    wall, cpu = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def measure(engine: str, runs: int) -> dict:
    samples = {"engine": [], "kerasx": []}
    time_import(engine, engine)  # warm the file cache so the first run is not an outlier
    for _ in range(runs):
        samples["engine"].append(time_import(engine, engine))
        samples["kerasx"].append(time_import("kerasx", engine))
    result = {}
    for clock, index in (("wall", 0), ("cpu", 1)):
        for what, values in samples.items():
            result[f"{what}_{clock}"] = statistics.median(v[index] for v in values)
        result[f"overhead_{clock}"] = result[f"kerasx_{clock}"] - result[f"engine_{clock}"]
    return result


def table(results: dict, runs: int) -> str:
    lines = [
        f"Median of {runs} fresh processes per cell, in seconds; target wall-clock overhead <= {TARGET_SECONDS} s.",
        "",
        "| engine | `import <engine>` | `import kerasx` | overhead | within target "
        "| CPU: engine | CPU: kerasx | CPU: overhead |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for engine, r in results.items():
        ok = "yes" if r["overhead_wall"] <= TARGET_SECONDS else "NO"
        lines.append(
            f"| {engine} | {r['engine_wall']:.3f} | {r['kerasx_wall']:.3f} | {r['overhead_wall']:+.3f} | {ok} "
            f"| {r['engine_cpu']:.3f} | {r['kerasx_cpu']:.3f} | {r['overhead_cpu']:+.3f} |"
        )
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
    over = [e for e, r in results.items() if r["overhead_wall"] > TARGET_SECONDS]
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
