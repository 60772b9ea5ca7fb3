"""Order statistics and weighted means (quantile, percentile, average), running sums and products, differences and
the trapezoidal integral."""

from __future__ import annotations

from typing import Literal

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import axes, float_tensor, ndim_of, one_axis
from kerasx.ops._types import Axis, Tensor, TensorLike

_np = active.numpy

QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")
BAD_QUANTILE_METHOD = "Unknown quantile method. Received: method={method!r}. Expected one of {methods}."
BAD_WEIGHTS = (
    "`average` needs `weights` of the same shape as `x`, or 1-D of length x.shape[axis] with an integer `axis`. "
    "Received: x.shape={x_shape}, weights.shape={w_shape}, axis={axis}."
)
BAD_DIFF_ORDER = "`diff` needs a non-negative integer order. Received: n={n!r}."

QuantileMethod = Literal["linear", "lower", "higher", "midpoint", "nearest"]


# Quantiles and weighted means ---------------------------------------------------------------------------------------


def _quantile_spec(x, q, axis=None, method="linear", keepdims=False) -> KerasTensor:
    reduced = _specs.reduced_shape(shape_of(x), axis, keepdims)
    return KerasTensor(tuple(shape_of(q)) + reduced, _dtypes.float_result(dtype_of(x)))


@op(_quantile_spec)
def quantile(
    x: TensorLike, q: TensorLike, axis: Axis = None, method: QuantileMethod = "linear", keepdims: bool = False
) -> Tensor:
    """The `q`-th quantiles of `x` over `axis`: the values below which a fraction `q` of the data lies.

    Between two data points, `method` decides: "linear" interpolates, "lower"/"higher" take the smaller/larger
    point, "midpoint" their mean, "nearest" the closer one (NumPy's names and rules).

    Args:
        x: input tensor; integers give floatx.
        q: a probability or a 1-D tensor of probabilities in `[0, 1]`.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        method: "linear", "lower", "higher", "midpoint" or "nearest".
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float tensor of shape `q.shape + reduced x.shape`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.quantile([1.0, 2.0, 3.0, 4.0], [0.25, 0.5]))
        array([1.75, 2.5 ], dtype=float32)
    """
    if method not in QUANTILE_METHODS:
        raise ValueError(BAD_QUANTILE_METHOD.format(method=method, methods=QUANTILE_METHODS))
    (x,) = promote_float(x)
    q = convert(q, dtype_of(x))
    return _np.quantile(x, q, axis=axes(x, axis), method=method, keepdims=keepdims)


@op(_quantile_spec)
def percentile(
    x: TensorLike, q: TensorLike, axis: Axis = None, method: QuantileMethod = "linear", keepdims: bool = False
) -> Tensor:
    """The `q`-th percentiles of `x` over `axis`: `quantile(x, q / 100)`.

    Args:
        x: input tensor; integers give floatx.
        q: a percentage or a 1-D tensor of percentages in `[0, 100]`.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        method: "linear", "lower", "higher", "midpoint" or "nearest", as for `quantile`.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float tensor of shape `q.shape + reduced x.shape`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.percentile([1, 2, 3, 4], 50))
        array(2.5, dtype=float32)
    """
    (x,) = promote_float(x)
    q = _np.divide(convert(q, dtype_of(x)), convert(100, dtype_of(x)))
    return quantile(x, q, axis=axis, method=method, keepdims=keepdims)


def _average_spec(x, axis=None, weights=None) -> KerasTensor:
    dtype = _dtypes.float_result(dtype_of(x), *(() if weights is None else (dtype_of(weights),)))
    return KerasTensor(_specs.reduced_shape(shape_of(x), axis, False), dtype)


@op(_average_spec)
def average(x: TensorLike, axis: Axis = None, weights: TensorLike | None = None) -> Tensor:
    """Weighted mean of `x` over `axis`: `sum(x * weights) / sum(weights)`.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        weights: None (the plain mean), a tensor of the shape of `x`, or, with an int `axis`, a 1-D tensor of
            length `x.shape[axis]`.

    Returns:
        A float tensor (integer inputs give floatx).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.average([1.0, 2.0, 3.0], weights=[3.0, 1.0, 0.0]))
        array(1.25, dtype=float32)
    """
    if weights is None:
        x = float_tensor(x)
        return _np.mean(x, axis=axes(x, axis), keepdims=False)
    x, weights = promote_float(x, weights)
    x_shape, w_shape = shape_of(x), shape_of(weights)
    if tuple(w_shape) != tuple(x_shape):
        if not isinstance(axis, int) or len(w_shape) != 1 or w_shape[0] != x_shape[axis]:
            raise ValueError(BAD_WEIGHTS.format(x_shape=x_shape, w_shape=w_shape, axis=axis))
        # 1-D weights line up with `axis`: give them size-1 dims everywhere else.
        axis = one_axis(x, axis)
        weights = _np.reshape(weights, tuple(-1 if i == axis else 1 for i in range(len(x_shape))))
        weights = _np.multiply(weights, _np.ones_like(x))
    reduce_axes = axes(x, axis)
    total = _np.sum(_np.multiply(x, weights), axis=reduce_axes, keepdims=False)
    return _np.divide(total, _np.sum(weights, axis=reduce_axes, keepdims=False))


# Running sums and products ------------------------------------------------------------------------------------------


def _prod(values) -> int:
    result = 1
    for v in values:
        result *= v
    return result


def _cumulative_dtype(x_dtype: str, dtype) -> str:
    if dtype is not None:
        return _dtypes.standardize_dtype(dtype)
    return "int32" if x_dtype == "bool" else x_dtype


def _cumulative_spec(x, axis=None, dtype=None) -> KerasTensor:
    shape = shape_of(x)
    if axis is None:
        size = None if None in shape else _prod(shape)
        shape = (size,)
    return KerasTensor(shape, _cumulative_dtype(dtype_of(x), dtype))


@op(_cumulative_spec)
def cumsum(x: TensorLike, axis: int | None = None, dtype: str | None = None) -> Tensor:
    """Running sum of `x` along `axis`: element `i` is the sum of elements `0..i`.

    Args:
        x: input tensor.
        axis: the axis, or None to run over the flattened tensor.
        dtype: the result dtype; None keeps the dtype of `x` (bools give int32).

    Returns:
        A tensor of the shape of `x` (1-D for `axis=None`).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.cumsum([[1, 2], [3, 4]], axis=1))
        array([[1, 3],
               [3, 7]], dtype=int32)
    """
    x = tensor(x)
    dtype = _cumulative_dtype(dtype_of(x), dtype)
    x = convert(x, dtype)
    return _np.cumsum(x, axis=None if axis is None else one_axis(x, axis), dtype=dtype)


@op(_cumulative_spec)
def cumprod(x: TensorLike, axis: int | None = None, dtype: str | None = None) -> Tensor:
    """Running product of `x` along `axis`: element `i` is the product of elements `0..i`.

    Args:
        x: input tensor.
        axis: the axis, or None to run over the flattened tensor.
        dtype: the result dtype; None keeps the dtype of `x` (bools give int32).

    Returns:
        A tensor of the shape of `x` (1-D for `axis=None`).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.cumprod([1, 2, 3, 4]))
        array([ 1,  2,  6, 24], dtype=int32)
    """
    x = tensor(x)
    dtype = _cumulative_dtype(dtype_of(x), dtype)
    x = convert(x, dtype)
    return _np.cumprod(x, axis=None if axis is None else one_axis(x, axis), dtype=dtype)


# Differences and integrals ------------------------------------------------------------------------------------------


def _max0(value: int) -> int:
    return value if value > 0 else 0


def _diff_spec(a, n=1, axis=-1) -> KerasTensor:
    shape = list(shape_of(a))
    axis = _specs.normalize_axis(axis, len(shape))[0]
    if shape[axis] is not None:
        shape[axis] = _max0(shape[axis] - n)
    return KerasTensor(tuple(shape), dtype_of(a))


@op(_diff_spec)
def diff(a: TensorLike, n: int = 1, axis: int = -1) -> Tensor:
    """The `n`-th discrete difference of `a` along `axis`.

    One difference is `a[1:] - a[:-1]` along `axis` (`!=` for bools); `n` repeats it, so the axis shrinks by `n`.

    Args:
        a: input tensor.
        n: how many times to take the difference (0 returns `a`).
        axis: the axis.

    Returns:
        A tensor of the dtype of `a`, `n` shorter along `axis`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.diff([1, 4, 9, 16]))
        array([3, 5, 7], dtype=int32)
        >>> ops.convert_to_numpy(ops.diff([1, 4, 9, 16], n=2))
        array([2, 2], dtype=int32)
    """
    if not isinstance(n, int) or n < 0:
        raise ValueError(BAD_DIFF_ORDER.format(n=n))
    a = tensor(a)
    axis = one_axis(a, axis)
    step = _np.not_equal if dtype_of(a) == "bool" else _np.subtract
    ndim = ndim_of(a)
    for _ in range(n):
        upper = tuple(slice(1, None) if i == axis else slice(None) for i in range(ndim))
        lower = tuple(slice(None, -1) if i == axis else slice(None) for i in range(ndim))
        a = step(_np.get_item(a, upper), _np.get_item(a, lower))
    return a


def _trapezoid_spec(y, x=None, dx=1.0, axis=-1) -> KerasTensor:
    shape = shape_of(y)
    dtype = _dtypes.float_result(dtype_of(y), *(() if x is None else (dtype_of(x),)))
    return KerasTensor(_specs.reduced_shape(shape, axis, False), dtype)


@op(_trapezoid_spec)
def trapezoid(y: TensorLike, x: TensorLike | None = None, dx: float = 1.0, axis: int = -1) -> Tensor:
    """Integral of `y` along `axis` by the trapezoidal rule.

    Args:
        y: the sampled values.
        x: the sample points: 1-D along `axis`, or of the shape of `y`; None means evenly spaced by `dx`.
        dx: the spacing of the samples when `x` is None.
        axis: the axis to integrate along.

    Returns:
        A float tensor: `y` without `axis`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.trapezoid([1.0, 2.0, 3.0]))
        array(4., dtype=float32)
        >>> ops.convert_to_numpy(ops.trapezoid([1.0, 2.0, 3.0], x=[0.0, 1.0, 3.0]))
        array(6.5, dtype=float32)
    """
    dtype = _dtypes.float_result(dtype_of(y), *(() if x is None else (dtype_of(x),)))
    y = convert(y, dtype)
    axis = one_axis(y, axis)
    ndim = ndim_of(y)
    upper = tuple(slice(1, None) if i == axis else slice(None) for i in range(ndim))
    lower = tuple(slice(None, -1) if i == axis else slice(None) for i in range(ndim))
    pair_sums = _np.add(_np.get_item(y, upper), _np.get_item(y, lower))
    if x is None:
        widths = convert(dx, dtype)
    else:
        x = convert(x, dtype)
        if ndim_of(x) == 1 and ndim > 1:
            x = _np.reshape(x, tuple(-1 if i == axis else 1 for i in range(ndim)))
        widths = diff(x, axis=axis)
    total = _np.sum(_np.multiply(pair_sums, widths), axis=(axis,), keepdims=False)
    return _np.divide(total, convert(2, dtype))


__all__ = [
    "average",
    "cumprod",
    "cumsum",
    "diff",
    "percentile",
    "quantile",
    "trapezoid",
]
