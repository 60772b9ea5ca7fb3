"""Helpers for the engine-guide tests: each guide program is a function of the library module (`keras` or
`kerasx`), run once with each from the same initial weights and data, and the results compared."""

from __future__ import annotations

import numpy as np
import pytest

TOLERANCE = 1e-5


def oracle():
    """Keras 3 (the oracle), imported in this process on the same engine, or the test is skipped."""
    return pytest.importorskip("keras")


def regression_data(num_samples=64, num_features=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((num_samples, num_features)).astype("float32")
    y = rng.random((num_samples, 1)).astype("float32")
    return x, y


def classification_data(num_samples=96, num_features=20, num_classes=4, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(num_samples, num_features)).astype("float32")
    labels = np.argmax(x[:, :num_classes] + 0.3 * rng.normal(size=(num_samples, num_classes)), axis=1)
    return x, np.eye(num_classes, dtype="float32")[labels]


def seeded_weights(model, seed=0) -> list:
    """Fresh weights of `model`'s shapes from a NumPy generator, so both libraries start from the same point."""
    rng = np.random.default_rng(seed)
    weights = []
    for w in model.get_weights():
        if w.dtype.kind != "f":
            weights.append(w)
        elif w.ndim >= 2:
            weights.append((rng.normal(size=w.shape) * 0.3).astype(w.dtype))
        else:
            weights.append((rng.normal(size=w.shape) * 0.05).astype(w.dtype))
    return weights


def as_numpy(value):
    if hasattr(value, "detach"):
        value = value.detach().cpu()
    return np.asarray(value, dtype=np.float64)


def assert_same_numbers(actual, expected, what="", tolerance=TOLERANCE):
    """Nested lists/dicts/arrays of numbers equal within `tolerance` (relative, with the same absolute floor)."""
    if isinstance(expected, dict):
        assert sorted(actual) == sorted(expected), f"{what}: keys {sorted(actual)} != {sorted(expected)}"
        for key in expected:
            assert_same_numbers(actual[key], expected[key], f"{what}[{key!r}]", tolerance)
        return
    if isinstance(expected, (list, tuple)) and not np.isscalar(expected) and expected and not isinstance(
        expected[0], (int, float, np.number)
    ):
        assert len(actual) == len(expected), f"{what}: {len(actual)} entries != {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same_numbers(a, e, f"{what}[{i}]", tolerance)
        return
    np.testing.assert_allclose(as_numpy(actual), as_numpy(expected), rtol=tolerance, atol=tolerance, err_msg=what)


def assert_same_runs(actual: dict, expected: dict, tolerance=TOLERANCE):
    """Two runs of a guide program: same History keys, same numbers everywhere."""
    if "history" in expected:
        assert sorted(actual["history"]) == sorted(expected["history"]), (actual["history"], expected["history"])
    assert_same_numbers(actual, expected, "run", tolerance)
