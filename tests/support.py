"""Helpers shared by the tests: NumPy comparisons, finite-difference gradients, symbolic-vs-eager checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import kerasx
from kerasx import ops

BACKEND = kerasx.backend.backend()
TRAINS = BACKEND != "numpy"

needs_gradients = pytest.mark.skipif(not TRAINS, reason="the numpy backend is inference only")


def to_numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


# Conformance report: test node id -> {"max_abs_error": float, "num_comparisons": int}, filled by `assert_close`
# and written by conftest.py when pytest runs with `--conformance-json PATH` (see tests/conformance.py).
CONFORMANCE_RECORDS: dict = {}


def _current_test_id() -> str:
    # pytest sets PYTEST_CURRENT_TEST to "<nodeid> (<phase>)" while a test runs; no fixture plumbing needed.
    current = os.environ.get("PYTEST_CURRENT_TEST", "")
    return current.rsplit(" (", 1)[0] if current else "<outside a test>"


def max_abs_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """Largest |actual - expected| over positions where both are finite; inf where they disagree on nan/inf."""
    wide = np.complex128 if np.iscomplexobj(actual) or np.iscomplexobj(expected) else np.float64
    actual = actual.astype(wide)
    expected = expected.astype(wide)
    if actual.shape != expected.shape:
        return float("inf")
    finite = np.isfinite(actual) & np.isfinite(expected)
    same_special = ~finite & ((actual == expected) | (np.isnan(actual) & np.isnan(expected)))
    if not np.all(finite | same_special):
        return float("inf")
    diff = np.abs(actual[finite] - expected[finite])
    return float(diff.max()) if diff.size else 0.0


def record_comparison(actual: np.ndarray, expected: np.ndarray) -> None:
    record = CONFORMANCE_RECORDS.setdefault(_current_test_id(), {"max_abs_error": 0.0, "num_comparisons": 0})
    record["max_abs_error"] = max(record["max_abs_error"], max_abs_error(actual, expected))
    record["num_comparisons"] += 1


def assert_close(actual, expected, rtol=1e-5, atol=1e-6):
    """`actual` (any tensor) equals `expected` (NumPy) in shape and values."""
    actual = to_numpy(actual)
    expected = np.asarray(expected)
    record_comparison(actual, expected)
    assert actual.shape == expected.shape, f"shape {actual.shape} != expected {expected.shape}"
    # Complex values compare as complex128 (a float64 cast would drop the imaginary parts).
    wide = np.complex128 if np.iscomplexobj(actual) or np.iscomplexobj(expected) else np.float64
    np.testing.assert_allclose(actual.astype(wide), expected.astype(wide), rtol=rtol, atol=atol)


def assert_dtype(x, expected: str):
    assert ops.dtype(x) == expected, f"dtype {ops.dtype(x)} != expected {expected}"


def random_array(shape, dtype="float32", low=-2.0, high=2.0, rng=None):
    rng = rng or np.random.default_rng(0)
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if "int" in dtype:
        return rng.integers(int(low), int(high) + 1, size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


def check_symbolic(fn, *args, **kwargs):
    """`fn` on KerasTensor stand-ins of the array args gives the eager result's shape and dtype.

    Each np.ndarray argument (also inside list arguments) is replaced by a KerasTensor of its shape and dtype, once
    with all dimensions known and once with the first dimension None.
    """
    eager = fn(*args, **kwargs)

    def symbolic(value, batch_unknown):
        if isinstance(value, np.ndarray):
            shape = value.shape
            if batch_unknown and shape:
                shape = (None,) + shape[1:]
            return ops.KerasTensor(shape, kerasx.backend.standardize_dtype(value.dtype))
        if isinstance(value, (list, tuple)):
            return type(value)(symbolic(v, batch_unknown) for v in value)
        return value

    eager_leaves = eager if isinstance(eager, (list, tuple)) else [eager]
    for batch_unknown in (False, True):
        out = fn(*[symbolic(a, batch_unknown) for a in args], **kwargs)
        out_leaves = out if isinstance(out, (list, tuple)) else [out]
        assert len(out_leaves) == len(eager_leaves)
        for o, e in zip(out_leaves, eager_leaves):
            expected_shape = tuple(ops.shape(e))
            if batch_unknown and o.shape and o.shape[0] is None:
                expected_shape = (None,) + expected_shape[1:]
            assert o.shape == expected_shape, f"symbolic shape {o.shape} != eager {expected_shape}"
            assert o.dtype == ops.dtype(e), f"symbolic dtype {o.dtype} != eager {ops.dtype(e)}"
    return eager


def numeric_grad(fn, x, eps=1e-3):
    """Central finite differences of scalar `fn(np.ndarray) -> float` at float64 `x`."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        grad[index] = (fn(x + step) - fn(x - step)) / (2 * eps)
    return grad


def grad_of(fn, *arrays):
    """Gradient of scalar `fn(*tensors)` with respect to each array, computed by the selected engine."""
    params = [ops.convert_to_tensor(a) for a in arrays]
    _, grads = kerasx.backend.value_and_grad(lambda p: fn(*p))(params)
    return [to_numpy(g) for g in grads]


REPO_ROOT = Path(__file__).resolve().parent.parent
ENGINE_MODULES = ("jax", "torch", "tensorflow")


def _python_process(tmp_path: Path, env: dict | None, config: dict | None) -> dict:
    """Keyword arguments of a subprocess with a controlled environment (see `run_python`)."""
    directories = {name: tmp_path / name for name in ("home", "kerasx_home", "cwd")}
    for directory in directories.values():
        directory.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (directories["kerasx_home"] / "kerasx.json").write_text(json.dumps(config))
    child_env = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "KERASX_HOME", "PYTEST_CURRENT_TEST")}
    child_env.update(
        HOME=str(directories["home"]),
        KERASX_HOME=str(directories["kerasx_home"]),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    )
    child_env.update(env or {})
    return {"cwd": directories["cwd"], "env": child_env, "text": True}


# Prepended to a child process's code: every import of TensorFlow fails there, as on a machine without it (the
# preprocessing layers' promise to jax and torch users).
HIDE_TENSORFLOW = """
import importlib.abc, sys
class HideTensorFlow(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow" or name.startswith("tensorflow."):
            raise ImportError("tensorflow is hidden in this test")
        return None
sys.meta_path.insert(0, HideTensorFlow())
"""


def run_python(code: str, tmp_path: Path, env: dict | None = None, config: dict | None = None):
    """Run `code` in a fresh `python -c` with a controlled environment; returns the CompletedProcess.

    KERAS_BACKEND is unset unless `env` sets it; HOME, KERASX_HOME and the working directory are empty directories
    under `tmp_path` (`tmp_path/home`, `tmp_path/kerasx_home`, `tmp_path/cwd`); `config` is written to
    `$KERASX_HOME/kerasx.json` when given. The repository root is on PYTHONPATH, so no install is needed.
    """
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, timeout=300, **_python_process(tmp_path, env, config)
    )


def start_python(code: str, tmp_path: Path, env: dict | None = None, config: dict | None = None) -> subprocess.Popen:
    """`run_python` without waiting: the started process (stdout and stderr piped), so several can run at once."""
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        **_python_process(tmp_path, env, config),
    )
