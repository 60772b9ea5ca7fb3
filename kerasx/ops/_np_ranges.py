"""Ranges and grids: arange, linspace, logspace, geomspace and meshgrid."""

from __future__ import annotations

import math
from typing import Literal

from kerasx.backend import _config, _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import static_size, static_value, weak_dtype
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

ZERO_STEP = "`arange` needs a nonzero step. Received: step={step!r}."

BAD_NUM = "`{name}` needs a non-negative integer number of samples. Received: num={num!r}."

BAD_INDEXING = "Unknown `indexing`. Received: indexing={indexing!r}. Expected 'xy' or 'ij'."


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
def arange(
    start: float,
    stop: float | None = None,
    step: float | None = None,
    dtype: str | None = None,
) -> Tensor:
    """Evenly spaced values `start, start + step, ...` below `stop`.

    With one argument, `arange(n)` counts `0, 1, ..., n - 1`. The arguments must be Python numbers (or concrete
    scalars), since they decide the output size.

    Args:
        start: the first value (or, alone, the stop with start 0).
        stop: the end, excluded.
        step: the spacing (nonzero; default 1).
        dtype: the result dtype; None means int32 for int arguments and floatx if any is a float.

    Returns:
        A 1-D tensor of `ceil((stop - start) / step)` values.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.arange(5))
        array([0, 1, 2, 3, 4], dtype=int32)
        >>> ops.convert_to_numpy(ops.arange(1, 2, 0.25))
        array([1.  , 1.25, 1.5 , 1.75], dtype=float32)
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
def linspace(
    start: TensorLike,
    stop: TensorLike,
    num: int = 50,
    endpoint: bool = True,
    retstep: bool = False,
    dtype: str | None = None,
    axis: int = 0,
) -> Tensor | tuple[Tensor, Tensor]:
    """`num` evenly spaced samples from `start` to `stop`.

    Args:
        start: the first sample: a number, or a tensor (the samples then run along a new `axis`).
        stop: the last sample (excluded with `endpoint=False`), broadcast against `start`.
        num: the number of samples.
        endpoint: include `stop` as the last sample.
        retstep: also return the spacing.
        dtype: the result dtype; None means floatx (or the inputs' float dtype). Integer dtypes floor the samples.
        axis: where the samples axis goes in the result.

    Returns:
        The samples, or `(samples, step)` with `retstep=True`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.linspace(0, 1, 5))
        array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
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
def logspace(
    start: TensorLike,
    stop: TensorLike,
    num: int = 50,
    endpoint: bool = True,
    base: float = 10,
    dtype: str | None = None,
    axis: int = 0,
) -> Tensor:
    """`num` samples from `base ** start` to `base ** stop`, evenly spaced in the exponent.

    Args:
        start: the first exponent (a number or a tensor).
        stop: the last exponent (excluded with `endpoint=False`).
        num: the number of samples.
        endpoint: include `base ** stop`.
        base: the base of the powers.
        dtype: the result dtype; None means floatx (or the inputs' float dtype).
        axis: where the samples axis goes in the result.

    Returns:
        The samples.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.logspace(0, 3, 4)).round(2)
        array([   1.,   10.,  100., 1000.], dtype=float32)
    """
    dtype = _space_dtype(start, stop, dtype)
    compute_dtype = dtype if _dtypes.is_float(dtype) else _config.floatx()
    _, axis = _space_shape(start, stop, num, axis)
    exponents, _ = _linear_samples(start, stop, num, endpoint, compute_dtype, axis)
    return convert(_np.power(convert(base, compute_dtype), exponents), dtype)


def _geomspace_spec(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    return KerasTensor(_space_shape(start, stop, num, axis)[0], _space_dtype(start, stop, dtype))


@op(_geomspace_spec)
def geomspace(
    start: TensorLike,
    stop: TensorLike,
    num: int = 50,
    endpoint: bool = True,
    dtype: str | None = None,
    axis: int = 0,
) -> Tensor:
    """`num` samples from `start` to `stop` in geometric progression (a constant ratio between neighbours).

    `start` and `stop` must be nonzero and of the same sign; the endpoints are exact.

    Args:
        start: the first sample (a number or a tensor).
        stop: the last sample (excluded with `endpoint=False`).
        num: the number of samples.
        endpoint: include `stop`.
        dtype: the result dtype; None means floatx (or the inputs' float dtype).
        axis: where the samples axis goes in the result.

    Returns:
        The samples.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.geomspace(1, 1000, 4)).round(2)
        array([   1.,   10.,  100., 1000.], dtype=float32)
    """
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


def _meshgrid_spec(*x, indexing="xy") -> list:
    if indexing not in ("xy", "ij"):
        raise ValueError(BAD_INDEXING.format(indexing=indexing))
    sizes = [static_size(shape_of(t)) for t in x]
    if indexing == "xy" and len(sizes) > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return [KerasTensor(tuple(sizes), dtype_of(t)) for t in x]


@op(_meshgrid_spec)
def meshgrid(*x: TensorLike, indexing: Literal["xy", "ij"] = "xy") -> list[Tensor]:
    """Coordinate grids from 1-D coordinate vectors, one grid per input.

    Args:
        *x: 1-D tensors of coordinates (other shapes are flattened).
        indexing: "xy" (Cartesian: the first two output axes are swapped, so `x[0]` varies along columns) or "ij"
            (matrix indexing: output axis `i` follows `x[i]`).

    Returns:
        A list of tensors, one per input, each keeping its input's dtype.

    Example:
        >>> from kerasx import ops
        >>> xs, ys = ops.meshgrid([1, 2, 3], [10, 20])
        >>> ops.convert_to_numpy(xs)
        array([[1, 2, 3],
               [1, 2, 3]], dtype=int32)
        >>> ops.convert_to_numpy(ys)
        array([[10, 10, 10],
               [20, 20, 20]], dtype=int32)
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(BAD_INDEXING.format(indexing=indexing))
    return list(_np.meshgrid(*(_np.reshape(tensor(t), (-1,)) for t in x), indexing=indexing))


__all__ = ["arange", "geomspace", "linspace", "logspace", "meshgrid"]
