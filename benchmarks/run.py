"""kerasx against hand-written engine loops and Keras 3, per engine and workload, in one command.

    python benchmarks/run.py                       # every installed engine and workload, full run
    python benchmarks/run.py --quick               # a few steps of everything: a smoke test
    python benchmarks/run.py --engines torch --workloads mlp,cnn --threads 2 --out /tmp/bench

Each contender (kerasx, the hand-written loop(s) of the engine, Keras 3 when installed) runs in its own process with
KERAS_BACKEND set and the same thread settings. The processes stay alive side by side and are driven in turns: each
timed repeat of one contender is followed by the same repeat of the others (the order rotating), so machine drift
hits all of them alike. Figures: training steps/s (median over repeats, after a warm-up), first-step time (compile
included), `predict` latency for 1 and 128 samples, direct `model(x)` latency, peak RSS, `import` time against the
engine alone (benchmarks/import_time.py), and the ratios kerasx/hand-written and kerasx/Keras 3. Writes
`results.json` and `results.md` to --out (default: a new directory under /tmp) and prints the Markdown.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime
import importlib.util
import json
import os
import platform
import select
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import _report  # noqa: E402
import _threads  # noqa: E402
import _workloads as W  # noqa: E402
import import_time  # noqa: E402

ENGINES = ("jax", "torch", "tensorflow")
ENGINE_CONTENDERS = {
    "jax": ("kerasx", "hand", "keras3"),
    "torch": ("kerasx", "hand", "hand-compile", "keras3"),
    "tensorflow": ("kerasx", "hand", "hand-xla", "keras3"),
}
# Left out of --quick unless asked for with --contenders: torch.compile costs tens of seconds per model, and Keras 3
# (optional) imports TensorFlow and its own engine in every process; the smoke test is about kerasx and the loops.
QUICK_SKIPS = ("hand-compile", "keras3")
LATENCY_KINDS = ("predict_1", "predict_128", "call_1")
_ROWS_LOCK = threading.Lock()
WORKER_FAILED = "worker process for {engine}/{contender} {what}; its log: {log}"


def keras3_installed() -> bool:
    """Keras 3 is an optional contender; Keras 2 (or none) means no Keras column."""
    spec = importlib.util.find_spec("keras")
    if spec is None:
        return False
    try:
        from importlib.metadata import version

        return version("keras").split(".")[0] == "3"
    except Exception:  # noqa: BLE001 - metadata missing: not a pip-installed Keras 3
        return False


class Worker:
    """A contender's process; `request` sends one command and waits for its one-line answer."""

    def __init__(self, engine: str, contender: str, threads: int, log_path: Path):
        self.engine, self.contender, self.log_path = engine, contender, log_path
        env = dict(os.environ, KERAS_BACKEND=engine, **_threads.thread_env(threads))
        env.pop("JAX_ENABLE_X64", None)  # the jax test session's 64-bit mode is not what users benchmark
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), str(BENCH_DIR), env.get("PYTHONPATH")]))
        self._log = open(log_path, "w")  # noqa: SIM115 - the worker's log, open as long as the worker runs
        self.process = subprocess.Popen(
            [sys.executable, str(BENCH_DIR / "_worker.py"), engine, contender, str(threads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True, env=env, cwd=str(REPO_ROOT),
        )

    def request(self, command: dict, timeout: float) -> dict:
        if self.process.poll() is not None:
            return self._failure("exited")
        try:
            self.process.stdin.write(json.dumps(command) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            return self._failure("exited")
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            self.close()
            return self._failure(f"timed out after {timeout:.0f} s")
        line = self.process.stdout.readline()
        if not line:
            return self._failure("exited")
        return json.loads(line)

    def _failure(self, what: str) -> dict:
        self._log.flush()
        tail = Path(self.log_path).read_text(errors="replace")[-1500:]
        reason = WORKER_FAILED.format(engine=self.engine, contender=self.contender, what=what, log=self.log_path)
        return {"status": "error", "reason": f"{reason}\n{tail}"}

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def _rotated(items: list, shift: int) -> list:
    shift %= max(len(items), 1)
    return items[shift:] + items[:shift]


def run_workload(workers: dict, workload: W.Workload, args) -> list:
    """Rows (one per contender) for one workload, the contenders interleaved repeat by repeat."""
    steps = workload.quick_steps if args.quick else (args.steps or workload.steps)
    samples = max(steps, 3) * workload.batch_size
    rows = {}
    for name, worker in workers.items():
        answer = worker.request({"cmd": "setup", "workload": workload.name, "samples": samples,
                                 "warmup_steps": 1 if args.quick else 2}, args.timeout)
        rows[name] = {"contender": name, "status": answer.get("status", "error"), "reason": answer.get("reason"),
                      "first_step_s": answer.get("first_step_s"), "setup_s": answer.get("setup_s"),
                      "errors": answer.get("errors") or {}}
    active = [name for name, row in rows.items() if row["status"] == "ok"]
    train = {name: [] for name in active}
    for repeat in range(args.repeats):
        for name in _rotated(active, repeat):
            answer = workers[name].request({"cmd": "train", "steps": steps}, args.timeout)
            if "elapsed_s" in answer:
                train[name].append((steps / answer["elapsed_s"], answer["loss"]))
            else:
                rows[name].update(status="error", reason=answer.get("reason"))
                active.remove(name)
    latencies = {name: {kind: [] for kind in LATENCY_KINDS} for name in active}
    calls = 1 if args.quick else 10
    for kind in LATENCY_KINDS:
        for repeat in range(args.repeats):
            for name in _rotated([n for n in active if kind not in rows[n]["errors"]], repeat):
                answer = workers[name].request(
                    {"cmd": "latency", "kind": kind, "calls": calls, "budget_s": 1.0 if args.quick else 3.0},
                    args.timeout)
                if "times_s" in answer:
                    latencies[name][kind].extend(answer["times_s"])
                else:  # training figures stand; this one is reported missing with its reason
                    rows[name]["errors"][kind] = answer.get("reason")
    for name in active:
        rates = [rate for rate, _ in train[name]]
        rows[name].update(
            train_steps_per_s=statistics.median(rates),
            train_steps_per_s_repeats=rates,
            train_step_ms=1000.0 / statistics.median(rates),
            steps_per_repeat=steps,
            final_loss=train[name][-1][1],
            **{f"{kind}_ms": 1000.0 * statistics.median(latencies[name][kind]) if latencies[name][kind] else None
               for kind in LATENCY_KINDS},
            peak_rss_mb=workers[name].request({"cmd": "rss"}, args.timeout).get("peak_rss_mb"),
        )
    return [rows[name] for name in workers]


def run_engine(engine: str, contenders: list, workloads: list, args, log_dir: Path) -> list:
    """Every workload on one engine. Full runs start fresh processes per workload (so peak RSS is the workload's);
    --quick keeps one process per contender for all workloads (start-up paid once; RSS is then cumulative)."""
    groups = [workloads] if args.quick else [[w] for w in workloads]
    results = []
    for group in groups:
        tag = "all" if args.quick else group[0]
        workers = {c: Worker(engine, c, args.threads, log_dir / f"{engine}-{tag}-{c}.log") for c in contenders}
        try:
            for name in group:
                started = time.perf_counter()
                rows = run_workload(workers, W.WORKLOADS[name], args)
                for row in rows:
                    row.update(engine=engine, workload=name, label=_report.label(engine, row["contender"]),
                               rss_scope="process (all workloads so far)" if args.quick else "workload")
                    results.append(row)
                with _ROWS_LOCK, open(log_dir.parent / "rows.jsonl", "a") as partial:  # survives an interrupted run
                    partial.writelines(json.dumps(row) + "\n" for row in rows)
                print(f"[{engine}/{name}] {time.perf_counter() - started:.1f} s: "
                      + ", ".join(f"{r['contender']} {_report.short(r)}" for r in rows), flush=True)
        finally:
            for worker in workers.values():
                worker.close()
    return results


def measure_imports(engine: str, runs: int, with_keras: bool) -> dict:
    """Median `import` seconds (wall and CPU) of the engine alone, kerasx, and Keras 3, interleaved."""
    modules = [engine, "kerasx"] + (["keras"] if with_keras else [])
    import_time.time_import(engine, engine)  # warm the file cache
    samples = {m: [] for m in modules}
    for _ in range(runs):
        for module in modules:
            samples[module].append(import_time.time_import(module, engine))
    result = {}
    for module, values in samples.items():
        key = "engine" if module == engine else module
        result[f"{key}_wall_s"] = statistics.median(v[0] for v in values)
        result[f"{key}_cpu_s"] = statistics.median(v[1] for v in values)
    result["kerasx_overhead_wall_s"] = result["kerasx_wall_s"] - result["engine_wall_s"]
    result["kerasx_overhead_cpu_s"] = result["kerasx_cpu_s"] - result["engine_cpu_s"]
    result["runs"] = runs
    return result


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("numpy", "jax", "jaxlib", "optax", "torch", "tensorflow", "keras"):
        with contextlib.suppress(PackageNotFoundError):
            found[package] = version(package)
    return found


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few steps of every workload: a smoke test")
    parser.add_argument("--engines", default=None, help=f"comma-separated, default: every installed of {ENGINES}")
    parser.add_argument("--workloads", default=",".join(W.WORKLOADS), help="comma-separated workloads")
    parser.add_argument("--contenders", default=None,
                        help="comma-separated subset of kerasx,hand,hand-compile,hand-xla,keras3 (default: all "
                             "available; --quick leaves out hand-compile and keras3)")
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads for every contender (default 1)")
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats per contender (default 5; quick 2)")
    parser.add_argument("--steps", type=int, default=None, help="training steps per repeat (default per workload)")
    parser.add_argument("--import-runs", type=int, default=None,
                        help="fresh processes per import-time figure (default 5; quick 1; 0 skips)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="engines benchmarked at the same time (default 1; --quick: all, as timings are not the "
                             "point there)")
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds one command may take in a worker")
    parser.add_argument("--out", default=None, help="output directory (default: a new one under /tmp)")
    args = parser.parse_args(argv)
    args.repeats = args.repeats or (1 if args.quick else 5)
    if args.import_runs is None:
        args.import_runs = 1 if args.quick else 5
    installed = [e for e in ENGINES if importlib.util.find_spec(e) is not None]
    args.engines = args.engines.split(",") if args.engines else installed
    args.workloads = args.workloads.split(",")
    for kind, values, valid in (("engine", args.engines, ENGINES), ("workload", args.workloads, W.WORKLOADS)):
        unknown = [v for v in values if v not in valid]
        if unknown:
            parser.error(f"unknown {kind}(s) {unknown}; expected some of {list(valid)}")
    missing = [e for e in args.engines if e not in installed]
    if missing:
        parser.error(f"engine(s) {missing} not installed here; installed: {installed}")
    if args.contenders:
        args.contenders = args.contenders.split(",")
    args.jobs = args.jobs or (len(args.engines) if args.quick else 1)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="kerasx-bench-"))
    log_dir = out / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    has_keras3 = keras3_installed()
    meta = {
        "command": " ".join([Path(sys.argv[0]).name] + (argv if argv is not None else sys.argv[1:])),
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick, "repeats": args.repeats, "threads": args.threads,
        "threads_setting": _threads.describe(args.threads),
        "machine": f"{platform.machine()} {platform.processor() or ''} ({os.cpu_count()} cores), "
                   f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "versions": _versions(),
        "load_average_before": list(os.getloadavg()),
        "workloads": {name: W.WORKLOADS[name].description for name in args.workloads},
    }
    print(f"kerasx benchmarks -> {out}\nthreads: {meta['threads_setting']}\n"
          f"load average: {meta['load_average_before']}", flush=True)
    started = time.perf_counter()

    def one_engine(engine):
        contenders = [c for c in ENGINE_CONTENDERS[engine] if c != "keras3" or has_keras3]
        if args.contenders:
            contenders = [c for c in contenders if c in args.contenders]
        elif args.quick:
            contenders = [c for c in contenders if c not in QUICK_SKIPS]
        with_keras = "keras3" in contenders
        imports = measure_imports(engine, args.import_runs, with_keras) if args.import_runs > 0 else None
        return imports, run_engine(engine, contenders, args.workloads, args, log_dir)

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        done = list(pool.map(one_engine, args.engines))
    imports = {engine: found for engine, (found, _) in zip(args.engines, done) if found}
    results = [row for _, rows in done for row in rows]
    meta["load_average_after"] = list(os.getloadavg())
    meta["total_s"] = time.perf_counter() - started
    report = {"meta": meta, "import_time": imports, "results": results, "ratios": _report.ratios(results)}
    (out / "results.json").write_text(json.dumps(report, indent=2))
    markdown = _report.markdown(report)
    (out / "results.md").write_text(markdown)
    print(markdown)
    print(f"\nwrote {out / 'results.json'} and {out / 'results.md'} in {meta['total_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
