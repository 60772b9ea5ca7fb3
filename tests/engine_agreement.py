"""Training the same model on every engine and comparing: the machinery of the cross-engine agreement tests.

A test module defines `FAMILIES` (name -> function training one model on the active engine and returning `result`)
and ends with `if __name__ == "__main__": print_results(FAMILIES)`. `OtherEngines(__file__)` runs that module as a
script once per other installed engine (subprocesses started together), and `check_family` compares the active
engine's run with theirs: identical initial weights, then losses, weights and `evaluate` within the tolerance.

The other engines train anyway, so these tests run in one backend's session only (`runs_once`): the torch one, whose
chain of CI sessions is the shortest. `KERASX_CROSS_ENGINE=always` runs them under any backend.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import kerasx
from kerasx import utils

ENGINES = ("jax", "torch", "tensorflow")
NUM_STEPS = 20
TOLERANCE = 1e-4
HOST_BACKEND = "torch"

runs_once = pytest.mark.skipif(
    kerasx.backend.backend() != HOST_BACKEND and os.environ.get("KERASX_CROSS_ENGINE") != "always",
    reason=f"trains every engine itself: run once, in the {HOST_BACKEND} session (KERASX_CROSS_ENGINE=always forces)",
)


def train(data_and_model, optimizer, loss, batch_size=None, epochs=NUM_STEPS, shuffle=False, seed=7) -> dict:
    """`fit` for `epochs` (one full batch per epoch unless `batch_size`), with kerasx's seeds set first."""
    utils.set_random_seed(seed)
    x, y, model = data_and_model()
    initial = [w.tolist() for w in model.get_weights()]
    model.compile(optimizer=optimizer, loss=loss)
    history = model.fit(x, y, batch_size=batch_size or len(x), epochs=epochs, shuffle=shuffle, verbose=0)
    return {
        "engine": kerasx.backend.backend(),
        "initial_weights": initial,
        "history": history.history["loss"],
        "weights": [w.tolist() for w in model.get_weights()],
        "loss": float(model.evaluate(x, y, batch_size=len(x), verbose=0)),
        "iterations": int(np.asarray(kerasx.ops.convert_to_numpy(model.optimizer.iterations))),
    }


def _spawn(engine, script):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, KERAS_BACKEND=engine)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.path.dirname(script), os.environ.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


class OtherEngines:
    """The other installed engines' results, trained in subprocesses started at once and read when first needed."""

    def __init__(self, script: str):
        active = kerasx.backend.backend()
        installed = [e for e in ENGINES if importlib.util.find_spec(e) is not None]
        self.processes = {engine: _spawn(engine, os.path.abspath(script)) for engine in installed if engine != active}
        self.results = None

    def get(self) -> dict:
        if self.results is None:
            self.results = {}
            for engine, process in self.processes.items():
                stdout, stderr = process.communicate(timeout=900)
                assert process.returncode == 0, f"{engine} run failed:\n{stderr[-3000:]}"
                self.results[engine] = json.loads(stdout.strip().splitlines()[-1])
        return self.results

    def stop(self):
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.communicate()


def check_family(families: dict, family: str, other_engines: OtherEngines, tolerance: float = TOLERANCE) -> None:
    """The active engine's run of `family` and the other engines' agree; the loss went down."""
    results = {}
    active = kerasx.backend.backend()
    if active in ENGINES:
        results[active] = families[family]()
    results.update({engine: by_family[family] for engine, by_family in other_engines.get().items()})
    assert len(results) >= 2, "needs at least two installed engines"
    reference_engine = sorted(results)[0]
    reference = results[reference_engine]
    steps = reference["iterations"]
    assert reference["history"][-1] < reference["history"][0], f"{family}: the loss did not go down"
    for engine, result in results.items():
        assert result["engine"] == engine and result["iterations"] == steps
        message = f"{family}: {engine} against {reference_engine}"
        for actual, expected in zip(result["initial_weights"], reference["initial_weights"]):
            np.testing.assert_array_equal(np.float32(actual), np.float32(expected), err_msg=message)
        np.testing.assert_allclose(result["history"], reference["history"], rtol=tolerance, atol=tolerance,
                                   err_msg=message + ", losses")
        np.testing.assert_allclose(result["loss"], reference["loss"], rtol=tolerance, atol=tolerance,
                                   err_msg=message + ", evaluate")
        assert len(result["weights"]) == len(reference["weights"])
        for index, (actual, expected) in enumerate(zip(result["weights"], reference["weights"])):
            np.testing.assert_allclose(actual, expected, rtol=tolerance, atol=tolerance,
                                       err_msg=f"{message}, weight {index}")


def print_results(families: dict) -> None:
    """The script side: every family trained on this process's engine, as one JSON line."""
    print(json.dumps({family: run() for family, run in families.items()}))
