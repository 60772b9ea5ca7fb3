"""Tensor creation: ranges, constant fills, identity/triangle matrices, grids, copies and window functions."""

from __future__ import annotations

import math

from kerasx.backend import _config, _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import static_value, weak_dtype

_np = active.numpy

BAD_SHAPE = "`shape` must be an int or a tuple of non-negative ints. Received: shape={shape!r}."
ZERO_STEP = "`arange` needs a nonzero step. Received: step={step!r}."
BAD_NUM = "`{name}` needs a non-negative integer number of samples. Received: num={num!r}."
BAD_INDEXING = "Unknown `indexing`. Received: indexing={indexing!r}. Expected 'xy' or 'ij'."


def _shape_tuple(shape) -> tuple:
    try:
        result = (int(shape),) if isinstance(shape, int) else tuple(int(d) for d in shape)
    except TypeError as error:
        raise ValueError(BAD_SHAPE.format(shape=shape)) from error
    if any(d < 0 for d in result):
        raise ValueError(BAD_SHAPE.format(shape=shape))
    return result


def _dtype_or_floatx(dtype) -> str:
    return _config.floatx() if dtype is None else _dtypes.standardize_dtype(dtype)


# Ranges ------------------------------------------------------------------------------------------------------------


def _arange_args(start, stop, step, dtype):
    if dtype is None:
        given = [v for v in (start, stop, step) if v is not None]
        dtype = _dtypes.result_type(*(weak_dtype(v) for v in given))
    dtype = _dtypes.standardize_dtype(dtype)
    start = static_value(start, "start")
    stop = None if stop is None else static_value(stop, "stop")
    step = 1 if step is None else static_value(step, "step")
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError(ZERO_STEP.format(step=step))
    return start, stop, step, dtype


def _arange_spec(start, stop=None, step=None, dtype=None):
    start, stop, step, dtype = _arange_args(start, stop, step, dtype)
    return KerasTensor((max(0, math.ceil((stop - start) / step)),), dtype)


@op(_arange_spec)
def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)` with spacing `step` (`arange(n)` is 0..n-1).

    Args:
        start, stop, step: Python numbers (or concrete scalars).
        dtype: default from the arguments: int32 for ints, floatx if any is a float.
    """
    start, stop, step, dtype = _arange_args(start, stop, step, dtype)
    return _np.arange(start, stop, step, dtype=dtype)


def _space_dtype(start, stop, dtype) -> str:
    if dtype is not None:
        return _dtypes.standardize_dtype(dtype)
    return _dtypes.float_result(weak_dtype(start), weak_dtype(stop))


def _space_shape(start, stop, num, axis):
    shape = _specs.broadcast_shapes(tuple(shape_of(start)), tuple(shape_of(stop)))
    axis = _specs.normalize_axis(axis, len(shape) + 1)[0]
    return shape[:axis] + (num,) + shape[axis:], axis


def _linspace_spec(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    shape, _ = _space_shape(start, stop, num, axis)
    dtype = _space_dtype(start, stop, dtype)
    result = KerasTensor(shape, dtype)
    if retstep:
        step_shape = _specs.broadcast_shapes(tuple(shape_of(start)), tuple(shape_of(stop)))
        return result, KerasTensor(step_shape, dtype if _dtypes.is_float(dtype) else _config.floatx())
    return result


def _linear_samples(start, stop, num, endpoint, compute_dtype, axis):
    """`num` samples from start to stop along a new `axis`, in `compute_dtype` (a float); also the step."""
    if not isinstance(num, int) or num < 0:
        raise ValueError(BAD_NUM.format(name="linspace", num=num))
    start, stop = convert(start, compute_dtype), convert(stop, compute_dtype)
    shape = _specs.broadcast_shapes(tuple(shape_of(start)), tuple(shape_of(stop)))
    start, stop = _np.broadcast_to(start, shape), _np.broadcast_to(stop, shape)
    divisions = num - 1 if endpoint else num
    delta = _np.subtract(stop, start)
    step = _np.divide(delta, convert(max(divisions, 1), compute_dtype))
    index = _np.reshape(_np.arange(0, num, 1, dtype=compute_dtype), (num,) + (1,) * len(shape))
    samples = _np.add(_np.multiply(index, step), start)
    if endpoint and num > 1:
        # As NumPy does: the last sample is exactly `stop`, not start + (num - 1) * step.
        head = _np.get_item(samples, (slice(0, num - 1),))
        samples = _np.concatenate([head, _np.expand_dims(stop, (0,))], axis=0)
    if divisions == 0:
        step = _np.full_like(step, convert(math.nan, compute_dtype), dtype=compute_dtype)
    return _np.moveaxis(samples, (0,), (axis,)), step


@op(_linspace_spec)
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced samples from `start` to `stop` (included unless `endpoint=False`).

    Args:
        start, stop: numbers or tensors (broadcast; the samples run along a new `axis`).
        num: number of samples. endpoint: include `stop`. retstep: also return the spacing.
        dtype: default floatx (or the inputs' float dtype); integer dtypes floor the samples.
        axis: where the samples axis goes in the result.
    """
    dtype = _space_dtype(start, stop, dtype)
    compute_dtype = dtype if _dtypes.is_float(dtype) else _config.floatx()
    _, axis = _space_shape(start, stop, num, axis)
    samples, step = _linear_samples(start, stop, num, endpoint, compute_dtype, axis)
    if not _dtypes.is_float(dtype):
        samples = _np.floor(samples)
    samples = convert(samples, dtype)
    return (samples, step) if retstep else samples


def _logspace_spec(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    return KerasTensor(_space_shape(start, stop, num, axis)[0], _space_dtype(start, stop, dtype))


@op(_logspace_spec)
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`num` samples from `base ** start` to `base ** stop`, evenly spaced in the exponent."""
    dtype = _space_dtype(start, stop, dtype)
    compute_dtype = dtype if _dtypes.is_float(dtype) else _config.floatx()
    _, axis = _space_shape(start, stop, num, axis)
    exponents, _ = _linear_samples(start, stop, num, endpoint, compute_dtype, axis)
    return convert(_np.power(convert(base, compute_dtype), exponents), dtype)


def _geomspace_spec(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    return KerasTensor(_space_shape(start, stop, num, axis)[0], _space_dtype(start, stop, dtype))


@op(_geomspace_spec)
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` samples from `start` to `stop` in geometric progression (start and stop nonzero, same sign)."""
    dtype = _space_dtype(start, stop, dtype)
    compute_dtype = dtype if _dtypes.is_float(dtype) else _config.floatx()
    _, axis = _space_shape(start, stop, num, axis)
    start, stop = convert(start, compute_dtype), convert(stop, compute_dtype)
    sign = _np.sign(start)
    logs, _ = _linear_samples(_np.log(_np.abs(start)), _np.log(_np.abs(stop)), num, endpoint, compute_dtype, axis)
    samples = _np.multiply(_np.exp(logs), _np.expand_dims(sign, (axis,)))
    if num > 0:
        # Exact endpoints, as NumPy gives.
        samples = _set_along(samples, axis, 0, start)
        if endpoint and num > 1:
            samples = _set_along(samples, axis, num - 1, stop)
    return convert(samples, dtype)


def _set_along(samples, axis, index, value):
    num = shape_of(samples)[axis]
    positions = _np.reshape(_np.arange(0, num, 1, dtype="int32"), tuple(-1 if i == axis else 1 for i in
                                                                             range(len(shape_of(samples)))))
    is_index = _np.equal(positions, convert(index, "int32"))
    return _np.where(is_index, _np.expand_dims(value, (axis,)), samples)


# Constant fills ----------------------------------------------------------------------------------------------------


def _fill_spec(shape, dtype=None):
    return KerasTensor(_shape_tuple(shape), _dtype_or_floatx(dtype))


@op(_fill_spec)
def zeros(shape, dtype=None):
    """A tensor of `shape` filled with 0 (`dtype` defaults to floatx)."""
    return _np.zeros(_shape_tuple(shape), dtype=_dtype_or_floatx(dtype))


@op(_fill_spec)
def ones(shape, dtype=None):
    """A tensor of `shape` filled with 1 (`dtype` defaults to floatx)."""
    return _np.ones(_shape_tuple(shape), dtype=_dtype_or_floatx(dtype))


@op(_fill_spec)
def empty(shape, dtype=None):
    """A tensor of `shape` (`dtype` defaults to floatx); kerasx fills it with zeros so that results are reproducible."""
    return _np.zeros(_shape_tuple(shape), dtype=_dtype_or_floatx(dtype))


@op(lambda shape, fill_value, dtype=None: _fill_spec(shape, dtype))
def full(shape, fill_value, dtype=None):
    """A tensor of `shape` filled with `fill_value` (a scalar or a tensor broadcastable to `shape`).

    `dtype` defaults to floatx, as in Keras.
    """
    dtype = _dtype_or_floatx(dtype)
    return _np.full(_shape_tuple(shape), convert(fill_value, dtype), dtype=dtype)


def _like_spec(x, dtype=None):
    return KerasTensor(shape_of(x), dtype_of(x) if dtype is None else _dtypes.standardize_dtype(dtype))


def _like_dtype(x, dtype) -> str:
    return dtype_of(x) if dtype is None else _dtypes.standardize_dtype(dtype)


@op(_like_spec)
def zeros_like(x, dtype=None):
    """Zeros with the shape of `x` and its dtype (or `dtype`)."""
    x = tensor(x)
    return _np.zeros_like(x, dtype=_like_dtype(x, dtype))


@op(_like_spec)
def ones_like(x, dtype=None):
    """Ones with the shape of `x` and its dtype (or `dtype`)."""
    x = tensor(x)
    return _np.ones_like(x, dtype=_like_dtype(x, dtype))


@op(_like_spec)
def empty_like(x, dtype=None):
    """A tensor with the shape of `x` and its dtype (or `dtype`); filled with zeros, for reproducibility."""
    x = tensor(x)
    return _np.zeros_like(x, dtype=_like_dtype(x, dtype))


@op(lambda x, fill_value, dtype=None: _like_spec(x, dtype))
def full_like(x, fill_value, dtype=None):
    """`fill_value` with the shape of `x` and its dtype (or `dtype`)."""
    x = tensor(x)
    dtype = _like_dtype(x, dtype)
    return _np.full_like(x, convert(fill_value, dtype), dtype=dtype)


def _eye_spec(N, M=None, k=0, dtype=None):
    return KerasTensor((int(N), int(N if M is None else M)), _dtype_or_floatx(dtype))


@op(_eye_spec)
def eye(N, M=None, k=0, dtype=None):
    """An `N x M` matrix (M defaults to N) with ones on the `k`-th diagonal and zeros elsewhere."""
    return _np.eye(int(N), M=None if M is None else int(M), k=int(k), dtype=_dtype_or_floatx(dtype))


@op(lambda n, dtype=None: KerasTensor((int(n), int(n)), _dtype_or_floatx(dtype)))
def identity(n, dtype=None):
    """The `n x n` identity matrix."""
    return _np.eye(int(n), M=None, k=0, dtype=_dtype_or_floatx(dtype))


@op(_eye_spec)
def tri(N, M=None, k=0, dtype=None):
    """An `N x M` matrix with ones on and below the `k`-th diagonal and zeros above."""
    return _np.tri(int(N), M=None if M is None else int(M), k=int(k), dtype=_dtype_or_floatx(dtype))


def _meshgrid_spec(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(BAD_INDEXING.format(indexing=indexing))
    sizes = [_flat(shape_of(t)) for t in x]
    if indexing == "xy" and len(sizes) > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return [KerasTensor(tuple(sizes), dtype_of(t)) for t in x]


def _flat(shape):
    size = 1
    for d in shape:
        if d is None:
            return None
        size *= d
    return size


@op(_meshgrid_spec)
def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D coordinate vectors: a list with one tensor per input (each keeps its dtype).

    Args:
        *x: 1-D tensors (others are flattened).
        indexing: "xy" (Cartesian: the first two output axes swapped) or "ij" (matrix indexing).
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(BAD_INDEXING.format(indexing=indexing))
    return list(_np.meshgrid(*(_np.reshape(tensor(t), (-1,)) for t in x), indexing=indexing))


@op(_like_spec)
def array(x, dtype=None):
    """A new tensor holding a copy of `x` (in `dtype`, if given)."""
    return _np.copy(convert(x, None if dtype is None else _dtypes.standardize_dtype(dtype)))


@op(_specs.same)
def copy(x):
    """A copy of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.copy([1, 2]))
        array([1, 2], dtype=int32)
    """
    return _np.copy(tensor(x))


# Window functions --------------------------------------------------------------------------------------------------


def _window_spec(x, *args):
    return KerasTensor((int(static_value(x, "x")),), _config.floatx())


def _window_positions(x):
    """NumPy's `arange(1 - M, M, 2) / (M - 1)` for a window of length M, in floatx (empty for M < 1)."""
    length = int(static_value(x, "x"))
    dtype = _config.floatx()
    positions = _np.arange(1 - length, length, 2, dtype=dtype)
    return length, _np.divide(positions, convert(max(length - 1, 1), dtype))


def _cosine_window(terms):
    def window(x):
        length, n = _window_positions(x)
        dtype = _config.floatx()
        result = _np.zeros_like(n, dtype=dtype)
        for order, weight in enumerate(terms):
            angle = _np.multiply(n, convert(math.pi * order, dtype))
            result = _np.add(result, _np.multiply(convert(weight, dtype), _np.cos(angle)))
        return result if length > 1 else _np.ones_like(n, dtype=dtype)

    return window


_hanning = _cosine_window((0.5, 0.5))
_hamming = _cosine_window((0.54, 0.46))
_blackman = _cosine_window((0.42, 0.5, 0.08))


@op(_window_spec)
def hanning(x):
    """Hann window of length `x` (a Python int), in floatx."""
    return _hanning(x)


@op(_window_spec)
def hamming(x):
    """Hamming window of length `x` (a Python int), in floatx."""
    return _hamming(x)


@op(_window_spec)
def blackman(x):
    """Blackman window of length `x` (a Python int), in floatx."""
    return _blackman(x)


@op(_window_spec)
def bartlett(x):
    """Bartlett (triangular) window of length `x` (a Python int), in floatx."""
    length, n = _window_positions(x)
    dtype = _config.floatx()
    result = _np.subtract(convert(1, dtype), _np.abs(n))
    return result if length > 1 else _np.ones_like(n, dtype=dtype)


@op(_window_spec)
def kaiser(x, beta):
    """Kaiser window of length `x` (a Python int) with shape parameter `beta`, in floatx."""
    length, n = _window_positions(x)
    dtype = _config.floatx()
    beta = convert(beta, dtype)
    inside = _np.sqrt(_np.maximum(_np.subtract(convert(1, dtype), _np.square(n)), convert(0, dtype)))
    result = _np.divide(_np.i0(_np.multiply(beta, inside)), _np.i0(beta))
    return result if length > 1 else _np.ones_like(n, dtype=dtype)


__all__ = [
    "arange",
    "array",
    "bartlett",
    "blackman",
    "copy",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "geomspace",
    "hamming",
    "hanning",
    "identity",
    "kaiser",
    "linspace",
    "logspace",
    "meshgrid",
    "ones",
    "ones_like",
    "tri",
    "zeros",
    "zeros_like",
]
