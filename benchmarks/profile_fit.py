"""Where kerasx's `fit` spends Python time per step: cProfile over `fit` on one workload, after warm-up.

    python benchmarks/profile_fit.py                                  # torch, mlp, 50 steps
    python benchmarks/profile_fit.py --engine jax --workload cnn --steps 20 --top 30

Sets KERAS_BACKEND and the thread settings of run.py in a fresh process, then prints the functions with the most
own time (tottime) and the kerasx functions with the most cumulative time, per training step.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import _threads  # noqa: E402
import _workloads as W  # noqa: E402


def _rows(stats: pstats.Stats, key: str, steps: int, top: int, only_kerasx: bool) -> list:
    entries = []
    for (path, line, function), (_, calls, tottime, cumtime, _) in stats.stats.items():
        if only_kerasx and "/kerasx/" not in path:
            continue
        entries.append((tottime if key == "tottime" else cumtime, calls, path, line, function))
    entries.sort(reverse=True)
    root = str(BENCH_DIR.parent) + os.sep
    return [
        f"{1000 * seconds / steps:8.3f} ms/step {calls / steps:8.1f} calls/step  {path.replace(root, '')}:{line}"
        f" {function}"
        for seconds, calls, path, line, function in entries[:top]
    ]


def profile(engine: str, workload_name: str, steps: int, top: int) -> str:
    _threads.configure_engine(engine, int(os.environ.get("OMP_NUM_THREADS", "1")))
    import _framework
    import kerasx

    workload = W.WORKLOADS[workload_name]
    x, y = W.make_data(workload_name, steps * workload.batch_size)
    contender = _framework.FrameworkContender(kerasx, workload, x, y)
    contender.first_step()
    contender.train(3)
    profiler = cProfile.Profile()
    profiler.enable()
    elapsed, _ = contender.train(steps)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = sum(tottime for (_, _, tottime, _, _) in stats.stats.values())
    in_kerasx = sum(tottime for (path, _, _), (_, _, tottime, _, _) in stats.stats.items() if "/kerasx/" in path)
    lines = [
        f"kerasx fit, {engine}, {workload_name}: {steps} steps in {elapsed:.3f} s under the profiler "
        f"({1000 * elapsed / steps:.2f} ms/step; profiled time {1000 * total / steps:.2f} ms/step, of which "
        f"{1000 * in_kerasx / steps:.2f} ms/step is Python in kerasx's own functions)",
        "", "Most own time (all code):", *_rows(stats, "tottime", steps, top, only_kerasx=False),
        "", "Most own time in kerasx:", *_rows(stats, "tottime", steps, top, only_kerasx=True),
        "", "Most cumulative time in kerasx:", *_rows(stats, "cumtime", steps, top, only_kerasx=True),
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="torch", choices=("jax", "torch", "tensorflow"))
    parser.add_argument("--workload", default="mlp", choices=tuple(W.WORKLOADS))
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(profile(args.engine, args.workload, args.steps, args.top))
        return 0
    env = dict(os.environ, KERAS_BACKEND=args.engine, **_threads.thread_env(args.threads))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH_DIR.parent), str(BENCH_DIR), env.get("PYTHONPATH")]))
    command = [sys.executable, __file__, "--child", "--engine", args.engine, "--workload", args.workload,
               "--steps", str(args.steps), "--top", str(args.top), "--threads", str(args.threads)]
    return subprocess.run(command, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
