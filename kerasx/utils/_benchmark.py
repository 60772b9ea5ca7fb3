"""`benchmark`: runs a script, a function or a saved model once per engine, each in a fresh process, and returns
one row of measurements per engine with the distance of its results from the first engine's.

This is the driver; what runs inside each engine's process (the step timer, the saved-model workload) is
`kerasx._bench`, started by name in the child process and never imported here (it sits above `_keras_alias`)."""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence

import numpy as np

ENGINES = ("jax", "torch", "tensorflow", "numpy")
DEFAULT_ENGINES = ("jax", "torch", "tensorflow")
# Started as `python -c BOOT SPEC.json`: the clock starts before kerasx (and the engine it imports) is imported.
BOOT = (
    "import sys, time; started = time.perf_counter(); import kerasx; from kerasx._bench import _worker; "
    "sys.exit(_worker.main(sys.argv[1], started))"
)
ERROR_TAIL_LINES = 15
# Fields that are medians over repeats; the others come from the last repeat.
TIMED_FIELDS = ("wall_s", "import_s", "first_step_s", "steps_per_s", "samples_per_s", "predict_s")

UNKNOWN_ENGINE = "Unknown engine. Received: engines={engines!r}; expected names among {valid}, e.g. 'jax,torch'."
NOT_INSTALLED = "skipped: {engine} is not installed; install it with `pip install \"kerasx[{engine}]\"`"
UNNAMED_FUNCTION = (
    "benchmark() runs a function in a new process per engine, so it must be reachable by name: a top-level function "
    "of a module or of a script file. Received: fn_or_path={target!r} ({qualname} in {module}). Move it to the top "
    "level of a .py file, or pass the script's path."
)
MISSING_FILE = "benchmark() needs an existing script or .keras file. Received: fn_or_path={target!r}, not found."
NO_RUN_NOTE = "no fit or predict call: wall time only"


def thread_env(threads: int) -> dict:
    """Environment variables that cap every engine at `threads` intra-op threads and 1 inter-op thread.

    Example:
    >>> thread_env(2)["OMP_NUM_THREADS"]
    '2'
    """
    if int(threads) < 1:
        raise ValueError(f"A thread cap must be 1 or more. Received: threads={threads!r}; pass e.g. threads=1.")
    env = {
        "OMP_NUM_THREADS": str(threads),  # torch's intra-op pool, and BLAS
        "MKL_NUM_THREADS": str(threads),
        "OPENBLAS_NUM_THREADS": str(threads),
        "TF_NUM_INTRAOP_THREADS": str(threads),
        "TF_NUM_INTEROP_THREADS": "1",
    }
    xla = os.environ.get("XLA_FLAGS", "")
    if int(threads) == 1:
        # XLA:CPU's Eigen pool (JAX, and TensorFlow with jit_compile) ignores the variables above and uses every core.
        xla = f"{xla} --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1".strip()
    env["XLA_FLAGS"] = xla
    return env


def installed(engine: str) -> bool:
    """Whether `engine`'s package can be imported here (numpy always can)."""
    return engine == "numpy" or importlib.util.find_spec(engine) is not None


def _target_spec(target) -> dict:
    if callable(target):
        module = getattr(target, "__module__", None) or "?"
        qualname = getattr(target, "__qualname__", repr(target))
        if "." in qualname or "<" in qualname or module.startswith("_"):
            raise ValueError(UNNAMED_FUNCTION.format(target=target, qualname=qualname, module=module))
        if module == "__main__":
            main_file = getattr(sys.modules["__main__"], "__file__", None)
            if main_file is None:
                raise ValueError(UNNAMED_FUNCTION.format(target=target, qualname=qualname, module=module))
            return {"kind": "callable", "file": os.path.abspath(main_file), "name": qualname}
        # The child imports the module as this process would: with this process's import path.
        return {"kind": "callable", "module": module, "name": qualname, "sys_path": [p for p in sys.path if p]}
    path = os.fspath(target)
    if not os.path.exists(path):
        raise ValueError(MISSING_FILE.format(target=target))
    kind = "model" if path.endswith(".keras") else "script"
    return {"kind": kind, "path": os.path.abspath(path)}


def _jit_choice(jit_compile, engine: str):
    """`jit_compile` for `engine`: one value for all, or a dict by engine; None leaves the script's choice."""
    choice = jit_compile.get(engine) if isinstance(jit_compile, dict) else jit_compile
    return choice if choice in (None, "auto") else bool(choice)


def _run_once(spec: dict, engine: str, directory: str, run_index: int, threads, timeout: float) -> dict:
    out = os.path.join(directory, f"{engine}-{run_index}")
    spec = dict(spec, out=out)
    spec_path = out + ".spec.json"
    with open(spec_path, "w", encoding="utf-8") as file:
        json.dump(spec, file)
    env = dict(os.environ, KERAS_BACKEND=engine, **(thread_env(threads) if threads else {}))
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            [sys.executable, "-c", BOOT, spec_path], env=env, capture_output=True, text=True, timeout=timeout,
            cwd=os.getcwd(),
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "wall_s": time.perf_counter() - started, "error": f"ran past {timeout:g} s"}
    wall_s = time.perf_counter() - started
    result = {"wall_s": wall_s, "exit_code": completed.returncode}
    if os.path.exists(out + ".json"):
        with open(out + ".json", encoding="utf-8") as file:
            result.update(json.load(file))
    result["status"] = "ok" if completed.returncode == 0 else "failed"
    if completed.returncode != 0:
        result["error"] = "\n".join(completed.stderr.strip().splitlines()[-ERROR_TAIL_LINES:])
    result["outputs_file"] = out + ".npz" if os.path.exists(out + ".npz") else None
    return result


def _summarize(run: dict, kind: str) -> dict:
    """The row fields of one run: the last `fit` call's timings and the script's predict latency."""
    fit_calls = run.get("fit_calls") or []
    last_fit = fit_calls[-1] if fit_calls else {}
    predict_calls = run.get("predict_calls") or []
    row = {
        "status": run["status"],
        "exit_code": run.get("exit_code"),
        "wall_s": run.get("wall_s"),
        "import_s": run.get("import_s"),
        "first_step_s": last_fit.get("first_step_s"),
        "steps_per_s": last_fit.get("steps_per_s"),
        "samples_per_s": last_fit.get("samples_per_s"),
        "fit_calls": fit_calls,
        "predict_s": run.get("predict_warm_s"),
        "predict_calls": len(predict_calls),
        "peak_rss_mb": run.get("peak_rss_mb"),
        "peak_device_mb": run.get("peak_device_mb"),
        "final_logs": last_fit.get("final_logs") or {},
        "note": None,
        "error": run.get("error"),
    }
    if kind == "model":
        row["predict_ms"] = run.get("predict_ms") or {}
        row["predict_samples_per_s"] = run.get("predict_samples_per_s") or {}
    elif run["status"] == "ok" and not fit_calls and not predict_calls:
        row["note"] = NO_RUN_NOTE
    return row


def _median_row(runs: list, kind: str) -> dict:
    rows = [_summarize(run, kind) for run in runs]
    row = dict(rows[-1])
    for field in TIMED_FIELDS:
        values = [r[field] for r in rows if r[field] is not None]
        row[field] = statistics.median(values) if values else None
    failed = [r for r in rows if r["status"] != "ok"]
    if failed:
        row.update(status=failed[0]["status"], exit_code=failed[0]["exit_code"], error=failed[0]["error"])
    row["repeats"] = len(rows)
    return row


def _load(path) -> dict:
    if not path:
        return {}
    with np.load(path) as data:
        return {key: data[key] for key in data.files}


def _max_diff(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))


def _compare(rows: list, outputs: dict) -> None:
    """Adds each row's distance from the first engine that ran: its predictions, and its final logs against the first
    engine that trained (the numpy engine only predicts)."""
    ran = [row for row in rows if row["status"] == "ok"]
    if not ran:
        return
    reference = ran[0]
    logs_reference = next((row for row in ran if row["final_logs"]), None)
    reference_outputs = outputs[reference["engine"]]
    for row in ran:
        if logs_reference is not None:
            logs, reference_logs = row["final_logs"], logs_reference["final_logs"]
            shared = [key for key in reference_logs if key in logs]
            row["logs_diff"] = max((abs(logs[k] - reference_logs[k]) for k in shared), default=None)
            row["logs_reference"] = logs_reference["engine"]
        mine = outputs[row["engine"]]
        diffs = {key: _max_diff(mine[key], value) if key in mine else float("inf")
                 for key, value in reference_outputs.items()}
        row["port_check"] = diffs
        output_diffs = [value for key, value in diffs.items() if key.startswith("output/")]
        row["predictions_diff"] = max(output_diffs) if output_diffs else None
        row["reference"] = reference["engine"]


def benchmark(
    fn_or_path: str | os.PathLike | Callable[[], object],
    engines: Sequence[str] | str | None = None,
    args: Sequence[str] = (),
    repeats: int = 1,
    threads: int | None = None,
    jit_compile: bool | str | dict | None = None,
    batch_sizes: Sequence[int] = (1, 32),
    train: bool = False,
    train_steps: int = 20,
    timeout: float = 600.0,
) -> list[dict]:
    """Runs a Keras program or a saved model on each engine, each in a new process, and returns one row per engine.

    A script runs as `python -m kerasx run script.py args...` would (`import keras` gives kerasx); a function runs
    after its module (or script) is imported; a `.keras` file is loaded and predicts at each of `batch_sizes`
    (`predict_ms`, `predict_samples_per_s`) and, with `train`, trains `train_steps` steps on random data shaped for
    its inputs and loss. kerasx attaches a callback to every `fit` call to time its steps (under 1% of a step).

    Each row holds: `engine`, `status` ("ok", "failed", "timeout", "skipped"), `exit_code`, `error` (the tail of a
    failed run's error), `wall_s` (the whole process), `import_s` (kerasx and the engine), `first_step_s` (from the
    `fit` call to its first step's end: data setup, tracing and compiling), `steps_per_s` and `samples_per_s` (after
    the first step; of the last `fit` call, every call in `fit_calls`), `predict_s` (the last `predict` call run
    again, compiled), `peak_rss_mb`, `peak_device_mb` (None on CPU), `final_logs` (the last `fit`'s), and against
    the first engine that ran (`reference`; for logs the first that trained, `logs_reference`): `logs_diff` and
    `predictions_diff` (max absolute differences of the final logs and of the last predictions) and `port_check`
    (per output and, for a saved model, per layer). Timings are medians over `repeats` runs.

    Args:
        fn_or_path: a script's path, a `.keras` file, or a top-level function of a module or script.
        engines: engine names, a list or "jax,torch"; default every installed one of jax, torch, tensorflow. An engine
            that is not installed gets a "skipped" row naming the pip extra.
        args: the script's command-line arguments.
        repeats: runs per engine.
        threads: cap each engine at this many intra-op threads (None: the engines' defaults).
        jit_compile: forces `compile(jit_compile=...)`: one value, or a dict by engine; None keeps the program's.
        batch_sizes: a saved model's predict batch sizes.
        train: train a saved model too.
        train_steps: its number of training steps.
        timeout: seconds allowed per run.

    Returns:
        A list of dicts, one per engine, in the order of `engines`.

    Example:
    >>> import os, tempfile
    >>> import kerasx
    >>> script = os.path.join(tempfile.mkdtemp(), "predict.py")
    >>> with open(script, "w") as file:
    ...     _ = file.write(
    ...         "import numpy as np\\nimport keras\\n"
    ...         "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\\n"
    ...         "model.predict(np.ones((4, 3)), verbose=0)\\n"
    ...     )
    >>> [row] = kerasx.utils.benchmark(script, engines=[kerasx.config.backend()])
    >>> row["status"], row["predict_calls"], row["predictions_diff"]
    ('ok', 1, 0.0)
    """
    if isinstance(engines, str):
        engines = [name.strip() for name in engines.split(",") if name.strip()]
    engines = list(engines) if engines else [name for name in DEFAULT_ENGINES if installed(name)]
    unknown = [name for name in engines if name not in ENGINES]
    if unknown:
        raise ValueError(UNKNOWN_ENGINE.format(engines=engines, valid=list(ENGINES)))
    if int(repeats) < 1:
        raise ValueError(f"benchmark() runs each engine at least once. Received: repeats={repeats!r}; pass 1 or more.")
    spec = _target_spec(fn_or_path)
    spec.update(
        args=[str(a) for a in args], batch_sizes=[int(b) for b in batch_sizes], train=bool(train),
        train_steps=int(train_steps), predict_repeats=5,
    )
    rows, outputs = [], {}
    with tempfile.TemporaryDirectory(prefix="kerasx_bench_") as directory:
        for engine in engines:
            if not installed(engine):
                rows.append({"engine": engine, "status": "skipped", "note": NOT_INSTALLED.format(engine=engine)})
                continue
            engine_spec = dict(spec, jit_compile=_jit_choice(jit_compile, engine))
            runs = [_run_once(engine_spec, engine, directory, i, threads, timeout) for i in range(int(repeats))]
            row = {"engine": engine, **_median_row(runs, spec["kind"])}
            outputs[engine] = _load(runs[-1]["outputs_file"])
            rows.append(row)
    _compare(rows, outputs)
    return rows
