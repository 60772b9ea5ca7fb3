"""Quantiles, percentiles and medians that ignore NaNs.

The reduced axes are moved last and flattened; each slice is sorted with its NaNs last (as +inf), and the
quantile is read at position `q * (count - 1)` among its `count` non-NaN values, with NumPy's interpolation
methods. A slice of only NaNs gives NaN.
"""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, tensor
from kerasx.ops._np_common import as_tensor, axes, ndim_of
from kerasx.ops._np_reduce import median
from kerasx.ops._np_stats import BAD_QUANTILE_METHOD, QUANTILE_METHODS, QuantileMethod, _quantile_spec, quantile
from kerasx.ops._specs import reduction_float
from kerasx.ops._types import Axis, Tensor, TensorLike

_np = active.numpy


def _slices_last(x, axis):
    """`x` with the reduced axes flattened into one last axis, and the shape the result takes (keepdims or not)."""
    shape = tuple(active.core.shape(x))
    reduced = axes(x, axis)
    if reduced is None:
        reduced = tuple(range(len(shape)))
    kept = tuple(i for i in range(len(shape)) if i not in reduced)
    moved = _np.transpose(x, kept + reduced)
    flat = _np.reshape(moved, tuple(shape[i] for i in kept) + (-1,))
    keep_shape = tuple(1 if i in reduced else d for i, d in enumerate(shape))
    drop_shape = tuple(shape[i] for i in kept)
    return flat, keep_shape, drop_shape


def _nan_quantile(x, q, axis, method, keepdims):
    if method not in QUANTILE_METHODS:
        raise ValueError(BAD_QUANTILE_METHOD.format(method=method, methods=QUANTILE_METHODS))
    x = tensor(x, _dtypes.float_result(dtype_of(x)))
    dtype = dtype_of(x)
    q = tensor(q, dtype)
    flat, keep_shape, drop_shape = _slices_last(x, axis)
    missing = _np.isnan(flat)
    values = _np.sort(
        _np.where(missing, _np.full_like(flat, as_tensor(float("inf"), dtype)), flat), axis=ndim_of(flat) - 1
    )
    last = ndim_of(flat) - 1
    count = _np.sum(tensor(_np.logical_not(missing), dtype), axis=(last,), keepdims=True)
    q_ndim = ndim_of(q)
    # q's axes go in front: positions of shape q.shape + slices.shape[:-1] + (1,).
    q_front = _np.reshape(q, tuple(active.core.shape(q)) + (1,) * ndim_of(flat))
    position = _np.multiply(q_front, _np.maximum(_np.subtract(count, as_tensor(1, dtype)), as_tensor(0, dtype)))
    if method == "nearest":
        position = _np.round(position)
    low, high = _np.floor(position), _np.ceil(position)
    values = _np.broadcast_to(values, tuple(active.core.shape(q)) + tuple(active.core.shape(values)))

    def at(index):
        return _np.take_along_axis(values, tensor(index, "int32"), axis=q_ndim + last)

    lower, upper = at(low), at(high)
    if method in ("linear", "nearest"):
        result = _np.add(lower, _np.multiply(_np.subtract(upper, lower), _np.subtract(position, low)))
    elif method == "lower":
        result = lower
    elif method == "higher":
        result = upper
    else:
        result = _np.divide(_np.add(lower, upper), as_tensor(2, dtype))
    # An all-NaN slice has count 0: its quantile is NaN.
    result = _np.where(_np.equal(_np.broadcast_to(count, active.core.shape(result)), as_tensor(0, dtype)),
                       _np.full_like(result, as_tensor(float("nan"), dtype)), result)
    out_shape = tuple(active.core.shape(q)) + (keep_shape if keepdims else drop_shape)
    return _np.reshape(result, out_shape)


@op(_quantile_spec)
def nanquantile(
    x: TensorLike, q: TensorLike, axis: Axis = None, method: QuantileMethod = "linear", keepdims: bool = False
) -> Tensor:
    """The `q`-th quantiles of `x` over `axis`, ignoring NaNs.

    Args:
        x: input tensor; integers give floatx.
        q: a probability or a 1-D tensor of probabilities in `[0, 1]`.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        method: "linear", "lower", "higher", "midpoint" or "nearest", as for `quantile`.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float tensor of shape `q.shape + reduced x.shape`; NaN where a slice is all NaN.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanquantile([1.0, np.nan, 2.0, 3.0, 4.0], [0.25, 0.5]))
        array([1.75, 2.5 ], dtype=float32)
    """
    x = tensor(x)
    if not _dtypes.is_float(dtype_of(x)):
        return quantile(x, q, axis=axis, method=method, keepdims=keepdims)
    return _nan_quantile(x, q, axis, method, keepdims)


@op(_quantile_spec)
def nanpercentile(
    x: TensorLike, q: TensorLike, axis: Axis = None, method: QuantileMethod = "linear", keepdims: bool = False
) -> Tensor:
    """The `q`-th percentiles of `x` over `axis`, ignoring NaNs: `nanquantile(x, q / 100)`.

    Args:
        x: input tensor; integers give floatx.
        q: a percentage or a 1-D tensor of percentages in `[0, 100]`.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        method: "linear", "lower", "higher", "midpoint" or "nearest", as for `quantile`.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float tensor of shape `q.shape + reduced x.shape`; NaN where a slice is all NaN.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanpercentile([1.0, np.nan, 2.0, 3.0, 4.0], 50))
        array(2.5, dtype=float32)
    """
    dtype = _dtypes.float_result(dtype_of(x))
    q = _np.divide(tensor(q, dtype), as_tensor(100, dtype))
    return nanquantile(x, q, axis=axis, method=method, keepdims=keepdims)


@op(reduction_float)
def nanmedian(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Median over `axis` of the values that are not NaN.

    Args:
        x: input tensor; integers give floatx.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float tensor of `x`'s shape without the reduced axes; NaN where a slice is all NaN.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanmedian([[1.0, np.nan, 3.0], [4.0, 5.0, 9.0]], axis=1))
        array([2., 5.], dtype=float32)
    """
    x = tensor(x)
    if not _dtypes.is_float(dtype_of(x)):
        return median(x, axis=axis, keepdims=keepdims)
    return _nan_quantile(x, 0.5, axis, "linear", keepdims)


__all__ = ["nanmedian", "nanpercentile", "nanquantile"]
