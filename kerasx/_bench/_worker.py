"""The bench's worker: runs one target (a script, a function or a saved model) on the engine of this process, with
the timing wrappers installed, and writes what it measured as JSON (and the last predictions as .npz) for the driver.

The driver starts it as `python -c BOOT SPEC.json` (see `kerasx.utils._benchmark.BOOT`), so that the time to import
kerasx and its engine is measured from the first line on.
"""

from __future__ import annotations

import importlib
import json
import runpy
import sys
import time
import traceback

import numpy as np

from kerasx import _keras_alias, backend, tree
from kerasx._bench import _saved_model
from kerasx._bench._timing import Recorder
from kerasx.backend import _peak_memory

MEGABYTE = 1 << 20


def _save_outputs(path: str, outputs) -> None:
    arrays = {f"output/{i}": np.asarray(leaf) for i, leaf in enumerate(tree.flatten(outputs))}
    np.savez(path, **arrays)  # pyright: ignore[reportArgumentType] - names, not allow_pickle


def _run_callable(spec: dict) -> None:
    _keras_alias.install()
    if spec.get("file"):
        # A function of a script: the script's body runs (as an imported module would), then the function.
        namespace = runpy.run_path(spec["file"], run_name="__kerasx_bench__")
    else:
        sys.path.extend(path for path in spec["sys_path"] if path not in sys.path)
        namespace = vars(importlib.import_module(spec["module"]))
    function = namespace[spec["name"]]
    function()


def _run(spec: dict, recorder: Recorder) -> dict:
    """Runs the target; returns the measurements only the target's kind knows."""
    if spec["kind"] == "model":
        return _saved_model.run(spec, recorder)
    if spec["kind"] == "callable":
        _run_callable(spec)
    else:
        _keras_alias.run_script(spec["path"], list(spec["args"]))
    return {}


def _warm_predict(recorder: Recorder) -> float | None:
    """Times the script's last `predict` again, now compiled: the latency a served model would see."""
    if recorder.last_predict is None:
        return None
    model, x, batch_size, _ = recorder.last_predict
    started = time.perf_counter()
    model.predict(x, batch_size=batch_size, verbose=0)
    return time.perf_counter() - started


def main(spec_path: str, started: float) -> int:
    """Runs the spec at `spec_path`; `started` is the `perf_counter` reading before kerasx was imported."""
    import_s = time.perf_counter() - started
    with open(spec_path, encoding="utf-8") as file:
        spec = json.load(file)
    recorder = Recorder()
    recorder.install(spec.get("jit_compile"))
    exit_code, extra = 0, {}
    try:
        extra = _run(spec, recorder)
    except SystemExit as exit_request:
        code = exit_request.code
        exit_code = code if isinstance(code, int) else (0 if code is None else 1)
    except Exception:  # noqa: BLE001 - reported like an uncaught error; the measurements so far are still written
        traceback.print_exc()
        exit_code = 1
    predict_calls = list(recorder.predict_calls)  # the program's own, before the bench's warm call
    predict_warm_s = _warm_predict(recorder) if exit_code == 0 and spec["kind"] != "model" else None
    if recorder.last_predict is not None and spec["kind"] != "model":
        _save_outputs(spec["out"] + ".npz", recorder.last_predict[3])
    rss = _peak_memory.peak_rss_bytes()
    device = _peak_memory.peak_device_bytes(backend.backend())
    result = {
        "exit_code": exit_code,
        "import_s": import_s,
        "fit_calls": recorder.fit_calls,
        "predict_calls": predict_calls,
        "predict_warm_s": predict_warm_s,
        "peak_rss_mb": rss / MEGABYTE if rss is not None else None,
        "peak_device_mb": device / MEGABYTE if device is not None else None,
        **extra,
    }
    with open(spec["out"] + ".json", "w", encoding="utf-8") as file:
        json.dump(result, file)
    return exit_code
