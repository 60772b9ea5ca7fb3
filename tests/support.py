"""Helpers shared by the tests: NumPy comparisons, finite-difference gradients, symbolic-vs-eager checks."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
from kerasx import ops

BACKEND = kerasx.backend.backend()
TRAINS = BACKEND != "numpy"

needs_gradients = pytest.mark.skipif(not TRAINS, reason="the numpy backend is inference only")


def to_numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


def assert_close(actual, expected, rtol=1e-5, atol=1e-6):
    """`actual` (any tensor) equals `expected` (NumPy) in shape and values."""
    actual = to_numpy(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, f"shape {actual.shape} != expected {expected.shape}"
    np.testing.assert_allclose(actual.astype(np.float64), expected.astype(np.float64), rtol=rtol, atol=atol)


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
