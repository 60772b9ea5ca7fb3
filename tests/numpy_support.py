"""Checks shared by the numpy-like op tests (`tests/test_ops_numpy*.py`): one call compares an op with a NumPy
reference in values, dtype and symbolic shape/dtype; another compares engine gradients with finite differences."""

from __future__ import annotations

import math

import numpy as np

import kerasx
import support
from kerasx import ops

if support.BACKEND == "jax":
    import jax


def sample(shape, dtype="float32", low=-2.0, high=2.0, seed=0):
    """Random values in [low, high]; integer dtypes draw from the integers inside that range."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if "int" in dtype:
        return rng.integers(math.ceil(low), math.floor(high) + 1, size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


def _leaves(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _symbolic_args(value, batch_unknown):
    if isinstance(value, np.ndarray):
        shape = (None,) + value.shape[1:] if batch_unknown and value.shape else value.shape
        return ops.KerasTensor(shape, str(value.dtype))
    if isinstance(value, (list, tuple)):
        return type(value)(_symbolic_args(v, batch_unknown) for v in value)
    return value


def check_symbolic(fn, *args, **kwargs):
    """Like `support.check_symbolic`, but an unknown batch size may surface in any output dimension (moveaxis,
    transpose, quantile...): with all sizes known the shapes must equal the eager ones; with the first input
    dimension unknown each output dimension must equal the eager one or be None."""
    eager = fn(*args, **kwargs)
    eager_leaves = _leaves(eager)
    for batch_unknown in (False, True):
        out_leaves = _leaves(fn(*[_symbolic_args(a, batch_unknown) for a in args], **kwargs))
        assert len(out_leaves) == len(eager_leaves)
        for o, e in zip(out_leaves, eager_leaves):
            expected, shape = tuple(ops.shape(e)), tuple(ops.shape(o))
            assert len(shape) == len(expected), f"symbolic shape {shape} != eager {expected}"
            matches = [d == x or (batch_unknown and d is None) for d, x in zip(shape, expected)]
            assert all(matches), f"symbolic shape {shape} != eager {expected}"
            assert ops.dtype(o) == ops.dtype(e), f"symbolic dtype {ops.dtype(o)} != eager {ops.dtype(e)}"
    return eager


def check_spec(op, *args, **kwargs):
    """The op's shape/dtype rule (`op.compute_output_spec`) agrees with its eager result: for ops whose arguments
    are all Python values (creation ops), which never take the symbolic path by themselves."""
    specs, eagers = _leaves(op.compute_output_spec(*args, **kwargs)), _leaves(op(*args, **kwargs))
    assert len(specs) == len(eagers)
    for spec, eager in zip(specs, eagers):
        assert spec.shape == tuple(ops.shape(eager)), f"spec shape {spec.shape} != eager {tuple(ops.shape(eager))}"
        assert spec.dtype == ops.dtype(eager), f"spec dtype {spec.dtype} != eager {ops.dtype(eager)}"


def check_op(fn, args, expected, dtype=None, kwargs=None, rtol=1e-5, atol=1e-6, symbolic=True):
    """`fn(*args, **kwargs)` equals the NumPy `expected` (array or list/tuple of arrays) in values and has `dtype`
    (one name for every output, or a list); with `symbolic`, KerasTensor stand-ins give the same shapes/dtypes."""
    kwargs = kwargs or {}
    result = check_symbolic(fn, *args, **kwargs) if symbolic else fn(*args, **kwargs)
    results, expecteds = _leaves(result), _leaves(expected)
    assert len(results) == len(expecteds), f"{len(results)} outputs, expected {len(expecteds)}"
    dtypes = dtype if isinstance(dtype, (list, tuple)) else [dtype] * len(results)
    for actual, wanted, wanted_dtype in zip(results, expecteds, dtypes):
        support.assert_close(actual, np.asarray(wanted), rtol=rtol, atol=atol)
        if wanted_dtype is not None:
            support.assert_dtype(actual, wanted_dtype)
    return result


def _engine_gradients(loss, arrays, compiled):
    params = [ops.convert_to_tensor(a) for a in arrays]
    grad_fn = kerasx.backend.value_and_grad(lambda p: loss(*p))
    if compiled and support.BACKEND == "jax":
        # Eager JAX compiles every primitive (forward and backward) on first use, which dominates the suite's time;
        # under jit the whole gradient compiles once. It also checks that the ops trace.
        grad_fn = jax.jit(grad_fn)
    _, grads = grad_fn(params)
    return [support.to_numpy(g) for g in grads]


def check_gradients(fn, reference, *arrays, rtol=1e-4, atol=1e-5, eps=1e-3, seed=0, compiled=True):
    """Engine gradients of `fn` at float32 `arrays` equal central differences of the NumPy `reference` in float64.

    Both sides reduce to `sum(output * weights)` with fixed random weights so that every output element counts.
    `compiled=False` keeps JAX eager, for ops with data-dependent shapes.
    """
    arrays = [np.asarray(a, np.float32) for a in arrays]
    expected_output = np.asarray(reference(*[a.astype(np.float64) for a in arrays]))
    weights = np.random.default_rng(seed).normal(size=expected_output.shape)

    def engine_loss(*tensors):
        return ops.sum(ops.multiply(fn(*tensors), weights.astype(np.float32)))

    grads = _engine_gradients(engine_loss, arrays, compiled)
    for index, grad in enumerate(grads):

        def numeric_loss(value, index=index):
            args = [a.astype(np.float64) for a in arrays]
            args[index] = value
            return float(np.sum(np.asarray(reference(*args)) * weights))

        expected = support.numeric_grad(numeric_loss, arrays[index], eps=eps)
        support.assert_close(grad, expected, rtol=rtol, atol=atol)
