"""Normalization ops against NumPy: moments, batch_normalization, normalize."""

import numpy as np
import pytest

import nn_support
import support
from kerasx import backend, ops


def rand(shape, seed=0, low=-2.0, high=2.0):
    return support.random_array(shape, "float32", low, high, np.random.default_rng(seed))


def np_moments(x, axes, keepdims=False):
    return np.mean(x, axis=axes, keepdims=keepdims), np.var(x, axis=axes, keepdims=keepdims)


def np_batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    shape = [1] * x.ndim
    shape[axis] = -1
    out = (x - mean.reshape(shape)) / np.sqrt(variance.reshape(shape) + epsilon)
    if scale is not None:
        out = out * scale.reshape(shape)
    if offset is not None:
        out = out + offset.reshape(shape)
    return out


def np_normalize(x, axis=-1, order=2, epsilon=1e-7):
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True) if isinstance(axis, int) else None
    if norm is None:
        norm = np.sum(np.abs(x) ** order, axis=axis, keepdims=True) ** (1 / order)
    return x / np.maximum(norm, epsilon)


MOMENTS_CASES = [
    pytest.param((0,), False, id="moments-axis0"),
    pytest.param((0, 1), False, id="moments-axes01"),
    pytest.param(-1, True, id="moments-last-keepdims"),
    pytest.param((0, 2), True, id="moments-axes02-keepdims"),
]


@pytest.mark.parametrize("axes, keepdims", MOMENTS_CASES)
def test_moments(axes, keepdims):
    x = rand((4, 3, 5))
    mean, variance = support.check_symbolic(lambda a: ops.moments(a, axes, keepdims), x)
    expected_mean, expected_variance = np_moments(x.astype(np.float64), axes, keepdims)
    support.assert_dtype(mean, "float32")
    support.assert_dtype(variance, "float32")
    support.assert_close(mean, expected_mean, atol=1e-6)
    support.assert_close(variance, expected_variance, atol=1e-6)


def test_moments_int_inputs_give_floatx_and_synchronized_is_the_same():
    x = np.arange(24, dtype="int32").reshape(4, 6) % 7
    mean, variance = ops.moments(x, (1,), synchronized=True)
    support.assert_dtype(mean, backend.floatx())
    support.assert_close(mean, x.mean(1))
    support.assert_close(variance, x.var(1), rtol=1e-5)


def test_moments_half_precision_does_not_overflow():
    # x**2 overflows float16 (max 65504); the statistics are computed in float32 and cast back.
    x = (300.0 + np.arange(8).reshape(2, 4)).astype("float16")
    mean, variance = ops.moments(x, (1,))
    support.assert_dtype(variance, "float16")
    support.assert_close(mean, x.astype(np.float64).mean(1), rtol=1e-3)
    support.assert_close(variance, x.astype(np.float64).var(1), rtol=1e-3)


BATCH_NORM_CASES = [
    pytest.param(-1, True, True, id="batch_normalization-last"),
    pytest.param(1, True, False, id="batch_normalization-axis1-no_offset"),
    pytest.param(0, False, True, id="batch_normalization-axis0-no_scale"),
    pytest.param(2, False, False, id="batch_normalization-no_offset_no_scale"),
]


def batch_norm_arrays(axis, shape=(2, 3, 4)):
    x = rand(shape, 1)
    size = shape[axis]
    mean, variance = rand((size,), 2), rand((size,), 3, low=0.1, high=2.0)
    offset, scale = rand((size,), 4), rand((size,), 5)
    return x, mean, variance, offset, scale


@pytest.mark.parametrize("axis, with_offset, with_scale", BATCH_NORM_CASES)
def test_batch_normalization(axis, with_offset, with_scale):
    x, mean, variance, offset, scale = batch_norm_arrays(axis)
    offset, scale = (offset if with_offset else None), (scale if with_scale else None)
    out = support.check_symbolic(
        lambda a: ops.batch_normalization(a, mean, variance, axis, offset, scale, epsilon=1e-2), x
    )
    expected = np_batch_normalization(
        *(None if a is None else a.astype(np.float64) for a in (x, mean, variance)),
        axis,
        None if offset is None else offset.astype(np.float64),
        None if scale is None else scale.astype(np.float64),
        epsilon=1e-2,
    )
    support.assert_dtype(out, "float32")
    support.assert_close(out, expected, rtol=1e-5, atol=1e-5)


def test_batch_normalization_int_inputs_give_floatx():
    x = np.arange(12, dtype="int32").reshape(3, 4)
    mean, variance = np.arange(4, dtype="int32"), np.ones(4, "int32")
    out = ops.batch_normalization(x, mean, variance, axis=-1)
    support.assert_dtype(out, backend.floatx())
    support.assert_close(out, np_batch_normalization(x * 1.0, mean * 1.0, variance * 1.0, -1), rtol=1e-5)


NORMALIZE_CASES = [
    pytest.param(-1, 2, id="normalize-l2"),
    pytest.param(-1, 1, id="normalize-l1"),
    pytest.param(0, 3, id="normalize-l3-axis0"),
    pytest.param((0, 2), 2, id="normalize-axes02"),
]


@pytest.mark.parametrize("axis, order", NORMALIZE_CASES)
def test_normalize(axis, order):
    x = rand((3, 4, 5), 6)
    out = support.check_symbolic(lambda a: ops.normalize(a, axis, order), x)
    support.assert_dtype(out, "float32")
    support.assert_close(out, np_normalize(x.astype(np.float64), axis, order), rtol=1e-5, atol=1e-6)


def test_normalize_zero_vector_and_epsilon():
    x = np.array([[0.0, 0.0], [3.0, 4.0]], np.float32)
    support.assert_close(ops.normalize(x), [[0.0, 0.0], [0.6, 0.8]])
    support.assert_close(ops.normalize(x, epsilon=10.0), [[0.0, 0.0], [0.3, 0.4]])


def test_normalize_int_inputs_give_floatx():
    x = np.array([[3, 4], [0, 2]], "int32")
    out = ops.normalize(x)
    support.assert_dtype(out, backend.floatx())
    support.assert_close(out, [[0.6, 0.8], [0.0, 1.0]])


@support.needs_gradients
@pytest.mark.parametrize(
    "index", [pytest.param(0, id="moments-mean-grad"), pytest.param(1, id="moments-variance-grad")]
)
def test_moments_gradient(index):
    nn_support.check_gradients(
        lambda a: ops.moments(a, (0, 2))[index], lambda a: np_moments(a, (0, 2))[index], rand((3, 2, 4), 7)
    )


@support.needs_gradients
@pytest.mark.parametrize("axis, with_offset, with_scale", BATCH_NORM_CASES[:2])
def test_batch_normalization_gradient(axis, with_offset, with_scale):
    x, mean, variance, offset, scale = batch_norm_arrays(axis)
    nn_support.check_gradients(
        lambda a, m, v, o, s: ops.batch_normalization(a, m, v, axis, o, s),
        lambda a, m, v, o, s: np_batch_normalization(a, m, v, axis, o, s),
        x,
        mean,
        variance,
        offset,
        scale,
    )


@support.needs_gradients
@pytest.mark.parametrize("axis, order", NORMALIZE_CASES[:2] + NORMALIZE_CASES[3:])
def test_normalize_gradient(axis, order):
    nn_support.check_gradients(
        lambda a: ops.normalize(a, axis, order), lambda a: np_normalize(a, axis, order), rand((3, 4, 5), 8)
    )


def test_batch_normalization_errors():
    x = rand((2, 3, 4))
    with pytest.raises(ValueError, match=r"`mean` must be a 1-D tensor .* Received: mean.shape=\(3,\)"):
        ops.batch_normalization(x, rand((3,)), rand((4,)), axis=-1)
    with pytest.raises(ValueError, match=r"`scale` must be a 1-D tensor"):
        ops.batch_normalization(ops.KerasTensor((None, 3, 4)), rand((4,)), rand((4,)), -1, scale=rand((2, 2)))
    with pytest.raises(ValueError, match="single integer axis"):
        ops.batch_normalization(x, rand((4,)), rand((4,)), axis=(1, 2))


@pytest.mark.parametrize(
    "order", [pytest.param(0, id="normalize-order0"), pytest.param(2.5, id="normalize-float_order")]
)
def test_normalize_errors(order):
    with pytest.raises(ValueError, match=r"`order` must be an int >= 1"):
        ops.normalize(rand((2, 3)), order=order)
    with pytest.raises(ValueError, match=r"`order` must be an int >= 1"):
        ops.normalize(ops.KerasTensor((None, 3)), order=order)


def test_moments_bad_axes():
    with pytest.raises(ValueError, match=r"Axis out of range .* Received: axes=3"):
        ops.moments(rand((2, 3)), 3)
