"""Pooling ops against a naive NumPy loop over windows: max_pool and average_pool, 1D to 3D."""

import math

import numpy as np
import pytest

import nn_support
import support
from kerasx import backend, ops


def distinct(shape, seed=0):
    """Values 0.1 apart in random order: no ties inside a window, so max_pool has one gradient path."""
    rng = np.random.default_rng(seed)
    return (rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1 - 1.0).astype("float32")


def np_pool(x, pool_size, strides=None, padding="valid", reduce="max"):
    """Channels-last pooling; "same" windows are clipped to the input, so padding never enters max or mean."""
    num_spatial = x.ndim - 2
    pool_size = (pool_size,) * num_spatial if isinstance(pool_size, int) else tuple(pool_size)
    strides = pool_size if strides is None else strides
    strides = (strides,) * num_spatial if isinstance(strides, int) else tuple(strides)
    lengths = x.shape[1:-1]
    if padding == "same":
        out_sizes = [math.ceil(n / s) for n, s in zip(lengths, strides)]
        befores = [max((o - 1) * s + k - n, 0) // 2 for o, s, k, n in zip(out_sizes, strides, pool_size, lengths)]
    else:
        out_sizes = [(n - k) // s + 1 for n, k, s in zip(lengths, pool_size, strides)]
        befores = [0] * num_spatial
    out = np.zeros((x.shape[0], *out_sizes, x.shape[-1]), x.dtype if reduce == "max" else np.float64)
    spatial_axes = tuple(range(1, num_spatial + 1))
    for position in np.ndindex(*out_sizes):
        starts = [p * s - b for p, s, b in zip(position, strides, befores)]
        window = tuple(slice(max(a, 0), min(a + k, n)) for a, k, n in zip(starts, pool_size, lengths))
        patch = x[(slice(None), *window)]
        out[(slice(None), *position)] = patch.max(spatial_axes) if reduce == "max" else patch.mean(spatial_axes)
    return out


POOL_CASES = [
    pytest.param((2, 9, 3), 2, None, "valid", id="1d-valid"),
    pytest.param((2, 9, 3), 3, 2, "same", id="1d-same-stride2"),
    pytest.param((2, 7, 6, 3), (2, 3), None, "valid", id="2d-valid"),
    pytest.param((2, 7, 6, 3), 3, 2, "same", id="2d-same-stride2"),
    pytest.param((1, 7, 8, 2), (3, 2), (1, 3), "same", id="2d-same-strides13"),
    pytest.param((1, 5, 4, 6, 2), 2, None, "valid", id="3d-valid"),
    pytest.param((1, 5, 4, 6, 2), (3, 2, 2), (2, 1, 3), "same", id="3d-same"),
]


def pool_params(op_name):
    return [pytest.param(*p.values, id=f"{op_name}-{p.id}") for p in POOL_CASES]


def channels_first(x):
    return np.moveaxis(x, -1, 1)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("shape, pool_size, strides, padding", pool_params("max_pool"))
def test_max_pool(shape, pool_size, strides, padding, data_format):
    x = distinct(shape)
    expected = np_pool(x, pool_size, strides, padding, "max")
    if data_format == "channels_first":
        x, expected = channels_first(x), channels_first(expected)
    out = support.check_symbolic(lambda a: ops.max_pool(a, pool_size, strides, padding, data_format), x)
    support.assert_dtype(out, "float32")
    support.assert_close(out, expected)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("shape, pool_size, strides, padding", pool_params("average_pool"))
def test_average_pool(shape, pool_size, strides, padding, data_format):
    x = distinct(shape, seed=1)
    expected = np_pool(x.astype(np.float64), pool_size, strides, padding, "mean")
    if data_format == "channels_first":
        x, expected = channels_first(x), channels_first(expected)
    out = support.check_symbolic(lambda a: ops.average_pool(a, pool_size, strides, padding, data_format), x)
    support.assert_dtype(out, "float32")
    support.assert_close(out, expected, rtol=1e-5, atol=1e-6)


def test_average_pool_same_padding_leaves_padding_out_of_the_mean():
    x = np.arange(1, 10, dtype="float32").reshape(1, 3, 3, 1)
    out = ops.average_pool(x, 2, 2, "same")
    support.assert_close(out, np.array([[3.0, 4.5], [7.5, 9.0]]).reshape(1, 2, 2, 1))


@pytest.mark.parametrize("dtype", ["int32", "uint8"])
def test_max_pool_keeps_integer_dtype(dtype):
    x = (np.arange(2 * 7 * 6 * 2).reshape(2, 7, 6, 2) * 37 % 101).astype(dtype)
    out = support.check_symbolic(lambda a: ops.max_pool(a, 3, 2, "same"), x)
    support.assert_dtype(out, dtype)
    support.assert_close(out, np_pool(x, 3, 2, "same", "max"))


@pytest.mark.parametrize(
    "fn, reduce",
    [
        pytest.param(ops.max_pool, "max", id="max_pool-half"),
        pytest.param(ops.average_pool, "mean", id="average_pool-half"),
    ],
)
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_pool_half_precision(fn, reduce, dtype):
    x = distinct((1, 5, 6, 2), seed=4)
    out = fn(ops.cast(x, dtype), 3, 2, "same")
    support.assert_dtype(out, dtype)
    support.assert_close(
        ops.cast(out, "float32"), np_pool(x.astype(np.float64), 3, 2, "same", reduce), rtol=2e-2, atol=2e-2
    )


def test_average_pool_int_inputs_give_floatx():
    x = np.arange(2 * 6 * 3, dtype="int32").reshape(2, 6, 3)
    out = support.check_symbolic(lambda a: ops.average_pool(a, 4, 3, "same"), x)
    support.assert_dtype(out, backend.floatx())
    support.assert_close(out, np_pool(x.astype(np.float64), 4, 3, "same", "mean"))


GRADIENT_CASES = [
    pytest.param(ops.max_pool, "max", (1, 6, 2), 2, None, "valid", id="max_pool-1d-grad"),
    pytest.param(ops.max_pool, "max", (1, 5, 4, 2), 3, 2, "same", id="max_pool-2d-same-grad"),
    pytest.param(ops.max_pool, "max", (1, 3, 4, 3, 1), 2, None, "same", id="max_pool-3d-grad"),
    pytest.param(ops.average_pool, "mean", (1, 7, 2), 3, 2, "same", id="average_pool-1d-same-grad"),
    pytest.param(ops.average_pool, "mean", (1, 5, 4, 2), 2, 1, "valid", id="average_pool-2d-grad"),
    pytest.param(ops.average_pool, "mean", (1, 3, 4, 3, 1), 2, None, "same", id="average_pool-3d-same-grad"),
]


@support.needs_gradients
@pytest.mark.parametrize("fn, reduce, shape, pool_size, strides, padding", GRADIENT_CASES)
def test_pool_gradients(fn, reduce, shape, pool_size, strides, padding):
    nn_support.check_gradients(
        lambda a: fn(a, pool_size, strides, padding),
        lambda a: np_pool(a, pool_size, strides, padding, reduce),
        distinct(shape, seed=2),
    )


@support.needs_gradients
def test_pool_gradient_channels_first():
    nn_support.check_gradients(
        lambda a: ops.average_pool(a, 2, 2, "same", "channels_first"),
        lambda a: channels_first(np_pool(np.moveaxis(a, 1, -1), 2, 2, "same", "mean")),
        distinct((1, 2, 5, 3), seed=3),
    )


ERROR_CASES = [
    pytest.param((4, 4), 2, {}, "rank 3 or 4 or 5", id="bad_rank"),
    pytest.param((1, 4, 4, 2), (2, 2, 2), {}, "`pool_size` must be", id="bad_pool_size"),
    pytest.param((1, 4, 4, 2), 2, {"strides": (1, 0)}, "`strides` must be", id="bad_strides"),
    pytest.param((1, 4, 4, 2), 2, {"padding": "causal"}, "Unknown padding", id="bad_padding"),
    pytest.param(
        (1, 4, 4, 2), 2, {"data_format": "channels_middle"}, "Unknown image data format", id="bad_data_format"
    ),
    pytest.param((1, 4, 4, 2), 5, {}, "empty output", id="window_larger_than_input"),
]


@pytest.mark.parametrize("shape, pool_size, kwargs, match", ERROR_CASES)
@pytest.mark.parametrize(
    "fn", [pytest.param(ops.max_pool, id="max_pool"), pytest.param(ops.average_pool, id="average_pool")]
)
def test_pool_errors(fn, shape, pool_size, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fn(distinct(shape), pool_size, **kwargs)
    with pytest.raises(ValueError, match=match):
        fn(ops.KerasTensor((None, *shape[1:])), pool_size, **kwargs)
