"""Reductions and cumulative ops that ignore NaNs: `nansum`, `nanmean`, `nanmax`, `nanargmax`, `nancumsum`, ...

Each is its NaN-propagating counterpart applied after NaNs are replaced by the operation's neutral value, with
the same result dtypes. Integer and bool tensors hold no NaN and go straight to the counterpart. A slice of only
NaNs gives NaN for values (0 for sums, 1 for products) and -1 for indices, as in JAX and Keras 3.
"""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, tensor
from kerasx.ops._np_common import as_tensor, axes
from kerasx.ops._np_reduce import _accumulator_spec, max, mean, min, prod, sum, var
from kerasx.ops._np_sort import _index_spec, argmax, argmin
from kerasx.ops._np_stats import _cumulative_spec, cumprod, cumsum
from kerasx.ops._types import Axis, Tensor, TensorLike

_np = active.numpy


def _has_nans(x) -> bool:
    return _dtypes.is_float(dtype_of(x))


def _replace_nans(x, value: float):
    return _np.where(_np.isnan(x), _np.full_like(x, as_tensor(value, dtype_of(x))), x)


def _nan_where_all_nan(x, result, axis, keepdims):
    """`result` with NaN where every value of the reduced slice of `x` is NaN."""
    all_nan = _np.all(_np.isnan(x), axis=axes(x, axis), keepdims=keepdims)
    return _np.where(all_nan, _np.full_like(result, as_tensor(float("nan"), dtype_of(result))), result)


@op(_accumulator_spec)
def nansum(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Sum over `axis`, treating NaNs as 0.

    Args:
        x: input tensor; bool and small integers widen as in `sum`.
        axis: None (every axis), an axis or a tuple of axes.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A tensor of `x`'s shape without the reduced axes, in `sum`'s dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nansum([[1.0, np.nan], [3.0, 4.0]], axis=1))
        array([1., 7.], dtype=float32)
    """
    x = tensor(x)
    if _has_nans(x):
        x = _replace_nans(x, 0.0)
    return sum(x, axis=axis, keepdims=keepdims)


@op(_accumulator_spec)
def nanprod(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Product over `axis`, treating NaNs as 1.

    Args:
        x: input tensor; bool and small integers widen as in `prod`.
        axis: None (every axis), an axis or a tuple of axes.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A tensor of `x`'s shape without the reduced axes, in `prod`'s dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanprod([[2.0, np.nan], [3.0, 4.0]], axis=1))
        array([ 2., 12.], dtype=float32)
    """
    x = tensor(x)
    if _has_nans(x):
        x = _replace_nans(x, 1.0)
    return prod(x, axis=axis, keepdims=keepdims)


def _count(x, axis, keepdims):
    present = tensor(_np.logical_not(_np.isnan(x)), dtype_of(x))
    return _np.sum(present, axis=axes(x, axis), keepdims=keepdims)


@op(_specs.reduction_float)
def nanmean(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Mean over `axis` of the values that are not NaN.

    Args:
        x: input tensor; integers and bools give floatx.
        axis: None (every axis), an axis or a tuple of axes.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float tensor of `x`'s shape without the reduced axes; NaN where a slice is all NaN.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanmean([[1.0, np.nan], [3.0, 4.0]], axis=1))
        array([1. , 3.5], dtype=float32)
    """
    x = tensor(x)
    if not _has_nans(x):
        return mean(x, axis=axis, keepdims=keepdims)
    total = _np.sum(_replace_nans(x, 0.0), axis=axes(x, axis), keepdims=keepdims)
    return _np.divide(total, _count(x, axis, keepdims))


@op(_specs.reduction_float)
def nanvar(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Population variance over `axis` of the values that are not NaN.

    Args:
        x: input tensor; integers and bools give floatx.
        axis: None (every axis), an axis or a tuple of axes.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float tensor of `x`'s shape without the reduced axes; NaN where a slice is all NaN.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanvar([[1.0, np.nan, 3.0], [3.0, 4.0, 5.0]], axis=1)).round(4)
        array([1.    , 0.6667], dtype=float32)
    """
    x = tensor(x)
    if not _has_nans(x):
        return var(x, axis=axis, keepdims=keepdims)
    # NaNs are zeroed before they meet any arithmetic: a `where` after it would still send NaN gradients (0 * NaN)
    # to the whole slice through the mean.
    missing = _np.isnan(x)
    zeros = _np.zeros_like(x)
    present = _np.where(missing, zeros, x)
    centred = _np.where(missing, zeros, _np.subtract(present, nanmean(x, axis=axis, keepdims=True)))
    total = _np.sum(_np.square(centred), axis=axes(x, axis), keepdims=keepdims)
    return _np.divide(total, _count(x, axis, keepdims))


@op(_specs.reduction_float)
def nanstd(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Population standard deviation over `axis` of the values that are not NaN.

    Args:
        x: input tensor; integers and bools give floatx.
        axis: None (every axis), an axis or a tuple of axes.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float tensor of `x`'s shape without the reduced axes; NaN where a slice is all NaN.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanstd([[1.0, np.nan, 3.0], [2.0, 2.0, 2.0]], axis=1))
        array([1., 0.], dtype=float32)
    """
    return _np.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


@op(_specs.reduction)
def nanmax(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Maximum over `axis` of the values that are not NaN.

    Args:
        x: input tensor.
        axis: None (every axis), an axis or a tuple of axes.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A tensor of `x`'s shape without the reduced axes, in the dtype of `x`; NaN where a slice is all NaN.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanmax([[1.0, np.nan], [np.nan, np.nan]], axis=1))
        array([ 1., nan], dtype=float32)
    """
    x = tensor(x)
    if not _has_nans(x):
        return max(x, axis=axis, keepdims=keepdims)
    result = max(_replace_nans(x, float("-inf")), axis=axis, keepdims=keepdims)
    return _nan_where_all_nan(x, result, axis, keepdims)


@op(_specs.reduction)
def nanmin(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Minimum over `axis` of the values that are not NaN.

    Args:
        x: input tensor.
        axis: None (every axis), an axis or a tuple of axes.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A tensor of `x`'s shape without the reduced axes, in the dtype of `x`; NaN where a slice is all NaN.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanmin([[1.0, np.nan], [np.nan, np.nan]], axis=1))
        array([ 1., nan], dtype=float32)
    """
    x = tensor(x)
    if not _has_nans(x):
        return min(x, axis=axis, keepdims=keepdims)
    result = min(_replace_nans(x, float("inf")), axis=axis, keepdims=keepdims)
    return _nan_where_all_nan(x, result, axis, keepdims)


def _nan_index(x, index, axis, keepdims):
    all_nan = _np.all(_np.isnan(x), axis=axes(x, axis), keepdims=keepdims)
    return _np.where(all_nan, _np.full_like(index, as_tensor(-1, "int32")), index)


@op(_index_spec)
def nanargmax(x: TensorLike, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the first maximum along `axis`, ignoring NaNs.

    Args:
        x: input tensor.
        axis: the axis, or None for the flattened tensor.
        keepdims: keep the reduced axis with size 1.

    Returns:
        An int32 tensor of `x`'s shape without `axis`; -1 where a slice is all NaN.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanargmax([[np.nan, 2.0, 1.0], [np.nan, np.nan, np.nan]], axis=1))
        array([ 1, -1], dtype=int32)
    """
    x = tensor(x)
    if not _has_nans(x):
        return argmax(x, axis=axis, keepdims=keepdims)
    index = argmax(_replace_nans(x, float("-inf")), axis=axis, keepdims=keepdims)
    return _nan_index(x, index, axis, keepdims)


@op(_index_spec)
def nanargmin(x: TensorLike, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the first minimum along `axis`, ignoring NaNs.

    Args:
        x: input tensor.
        axis: the axis, or None for the flattened tensor.
        keepdims: keep the reduced axis with size 1.

    Returns:
        An int32 tensor of `x`'s shape without `axis`; -1 where a slice is all NaN.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nanargmin([[np.nan, 2.0, 1.0], [np.nan, np.nan, np.nan]], axis=1))
        array([ 2, -1], dtype=int32)
    """
    x = tensor(x)
    if not _has_nans(x):
        return argmin(x, axis=axis, keepdims=keepdims)
    index = argmin(_replace_nans(x, float("inf")), axis=axis, keepdims=keepdims)
    return _nan_index(x, index, axis, keepdims)


@op(_cumulative_spec)
def nancumsum(x: TensorLike, axis: int | None = None, dtype: str | None = None) -> Tensor:
    """Cumulative sum along `axis`, treating NaNs as 0.

    Args:
        x: input tensor.
        axis: the axis, or None to run over the flattened tensor.
        dtype: the result dtype; None keeps the dtype of `x` (bools give int32).

    Returns:
        A tensor of the shape of `x` (1-D for `axis=None`).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nancumsum([1.0, np.nan, 2.0]))
        array([1., 1., 3.], dtype=float32)
    """
    x = tensor(x)
    if _has_nans(x):
        x = _replace_nans(x, 0.0)
    return cumsum(x, axis=axis, dtype=dtype)


@op(_cumulative_spec)
def nancumprod(x: TensorLike, axis: int | None = None, dtype: str | None = None) -> Tensor:
    """Cumulative product along `axis`, treating NaNs as 1.

    Args:
        x: input tensor.
        axis: the axis, or None to run over the flattened tensor.
        dtype: the result dtype; None keeps the dtype of `x` (bools give int32).

    Returns:
        A tensor of the shape of `x` (1-D for `axis=None`).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.nancumprod([2.0, np.nan, 3.0]))
        array([2., 2., 6.], dtype=float32)
    """
    x = tensor(x)
    if _has_nans(x):
        x = _replace_nans(x, 1.0)
    return cumprod(x, axis=axis, dtype=dtype)


__all__ = [
    "nanargmax",
    "nanargmin",
    "nancumprod",
    "nancumsum",
    "nanmax",
    "nanmean",
    "nanmin",
    "nanprod",
    "nanstd",
    "nansum",
    "nanvar",
]
