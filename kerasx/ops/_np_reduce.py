"""Reductions over `axis` with `keepdims`: sums and products, means and spreads, truth tests, extrema, counts.

`axis` is None (every axis), an int or a tuple of ints; `keepdims=True` keeps each reduced axis with size 1.
"""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import accumulator_dtype, axes, float_tensor, native
from kerasx.ops._types import Axis, Tensor, TensorLike

_np = active.numpy


def _accumulator_spec(x, axis=None, keepdims=False, **kwargs) -> KerasTensor:
    return KerasTensor(_specs.reduced_shape(shape_of(x), axis, keepdims), accumulator_dtype(dtype_of(x)))


def _bool_reduction(x, axis=None, keepdims=False) -> KerasTensor:
    return KerasTensor(_specs.reduced_shape(shape_of(x), axis, keepdims), "bool")


def _extremum_spec(x, axis=None, keepdims=False, initial=None) -> KerasTensor:
    return _specs.reduction(x, axis, keepdims)


def _count_spec(x, axis=None) -> KerasTensor:
    return KerasTensor(_specs.reduced_shape(shape_of(x), axis, False), "int32")


@op(_accumulator_spec)
def sum(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Sum of the elements of `x` over `axis`.

    Bools and 8/16-bit integers are summed in (u)int32, so that they do not overflow silently; other dtypes keep
    theirs.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        The sums, in the accumulator dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sum([[1, 2], [3, 4]], axis=0))
        array([4, 6], dtype=int32)
    """
    x = native(x)
    x = convert(x, accumulator_dtype(dtype_of(x)))
    return _np.sum(x, axis=axes(x, axis), keepdims=keepdims)


def _prod_spec(x, axis=None, keepdims=False, dtype=None) -> KerasTensor:
    spec = _accumulator_spec(x, axis, keepdims)
    return spec if dtype is None else KerasTensor(spec.shape, _dtypes.standardize_dtype(dtype))


@op(_prod_spec)
def prod(x: TensorLike, axis: Axis = None, keepdims: bool = False, dtype: str | None = None) -> Tensor:
    """Product of the elements of `x` over `axis`.

    Bools and 8/16-bit integers are multiplied in (u)int32, as `sum` does; other dtypes keep theirs.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.
        dtype: the dtype to multiply in and return; None takes the accumulator dtype above.

    Returns:
        The products, in `dtype` or the accumulator dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.prod([[1, 2], [3, 4]], axis=1))
        array([ 2, 12], dtype=int32)
    """
    x = native(x)
    dtype = accumulator_dtype(dtype_of(x)) if dtype is None else _dtypes.standardize_dtype(dtype)
    x = convert(x, dtype)
    return _np.prod(x, axis=axes(x, axis), keepdims=keepdims, dtype=dtype)


@op(_specs.reduction_float)
def mean(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean of the elements of `x` over `axis`.

    Integer and bool inputs give floatx.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        The means, a float tensor.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.mean([[1, 2], [3, 4]]))
        array(2.5, dtype=float32)
    """
    x = float_tensor(x)
    return _np.mean(x, axis=axes(x, axis), keepdims=keepdims)


@op(_specs.reduction_float)
def std(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Population standard deviation (ddof = 0) of `x` over `axis`.

    `sqrt(mean((x - mean(x)) ** 2))`. Integer and bool inputs give floatx.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        The standard deviations, a float tensor.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.std([1.0, 3.0, 5.0, 7.0]))
        array(2.236068, dtype=float32)
    """
    x = float_tensor(x)
    return _np.std(x, axis=axes(x, axis), keepdims=keepdims)


@op(_specs.reduction_float)
def var(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Population variance (ddof = 0) of `x` over `axis`.

    `mean((x - mean(x)) ** 2)`. Integer and bool inputs give floatx.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        The variances, a float tensor.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.var([1.0, 3.0, 5.0, 7.0]))
        array(5., dtype=float32)
    """
    x = float_tensor(x)
    return _np.var(x, axis=axes(x, axis), keepdims=keepdims)


@op(_specs.reduction_float)
def median(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Median of `x` over `axis`.

    For an even number of elements it is the mean of the two middle values. Integer and bool inputs give floatx.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        The medians, a float tensor.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.median([3.0, 1.0, 4.0, 2.0]))
        array(2.5, dtype=float32)
    """
    x = float_tensor(x)
    return _np.median(x, axis=axes(x, axis), keepdims=keepdims)


@op(_bool_reduction)
def all(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Whether every element of `x` over `axis` is true (nonzero).

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A bool tensor.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.all([[True, False], [True, True]], axis=1))
        array([False,  True])
    """
    x = convert(x, "bool")
    return _np.all(x, axis=axes(x, axis), keepdims=keepdims)


@op(_bool_reduction)
def any(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Whether some element of `x` over `axis` is true (nonzero).

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A bool tensor.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.any([[0, 0], [0, 3]], axis=1))
        array([False,  True])
    """
    x = convert(x, "bool")
    return _np.any(x, axis=axes(x, axis), keepdims=keepdims)


@op(_extremum_spec)
def max(x: TensorLike, axis: Axis = None, keepdims: bool = False, initial: float | None = None) -> Tensor:
    """Maximum of the elements of `x` over `axis`, at least `initial` when it is given.

    The result keeps the dtype of `x`; a NaN in a reduced slice gives NaN.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.
        initial: optional lower bound of the result; also what an empty reduction gives.

    Returns:
        The maxima, same dtype as `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.max([[1, 5], [3, 2]], axis=0))
        array([3, 5], dtype=int32)
        >>> ops.convert_to_numpy(ops.max([1, 2], initial=4))
        array(4, dtype=int32)
    """
    x = tensor(x)
    return _np.max(x, axis=axes(x, axis), keepdims=keepdims, initial=initial)


@op(_extremum_spec)
def min(x: TensorLike, axis: Axis = None, keepdims: bool = False, initial: float | None = None) -> Tensor:
    """Minimum of the elements of `x` over `axis`, at most `initial` when it is given.

    The result keeps the dtype of `x`; a NaN in a reduced slice gives NaN.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.
        initial: optional upper bound of the result; also what an empty reduction gives.

    Returns:
        The minima, same dtype as `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.min([[1, 5], [3, 2]], axis=0))
        array([1, 2], dtype=int32)
        >>> ops.convert_to_numpy(ops.min([1, 2], initial=0))
        array(0, dtype=int32)
    """
    x = tensor(x)
    return _np.min(x, axis=axes(x, axis), keepdims=keepdims, initial=initial)


@op(_specs.reduction)
def amax(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Maximum of the elements of `x` over `axis`; `max` without `initial`.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        The maxima, same dtype as `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.amax([[1, 5], [3, 2]], axis=1))
        array([5, 3], dtype=int32)
    """
    x = tensor(x)
    return _np.max(x, axis=axes(x, axis), keepdims=keepdims, initial=None)


@op(_specs.reduction)
def amin(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Minimum of the elements of `x` over `axis`; `min` without `initial`.

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        The minima, same dtype as `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.amin([[1, 5], [3, 2]], axis=1))
        array([1, 2], dtype=int32)
    """
    x = tensor(x)
    return _np.min(x, axis=axes(x, axis), keepdims=keepdims, initial=None)


@op(_specs.reduction)
def ptp(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Range (peak to peak, `max - min`) of the elements of `x` over `axis`.

    Not defined for bools (cast to an integer dtype first).

    Args:
        x: input tensor.
        axis: the axes to reduce: None (all), an int or a tuple of ints.
        keepdims: keep each reduced axis with size 1.

    Returns:
        The ranges, same dtype as `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.ptp([[1, 5], [3, 2]], axis=1))
        array([4, 1], dtype=int32)
    """
    x = tensor(x)
    if dtype_of(x) == "bool":
        raise TypeError("`ptp` is not defined for bool tensors. Received: dtype=bool. Cast to an integer dtype first.")
    axis = axes(x, axis)
    return _np.subtract(
        _np.max(x, axis=axis, keepdims=keepdims, initial=None), _np.min(x, axis=axis, keepdims=keepdims, initial=None)
    )


@op(_count_spec)
def count_nonzero(x: TensorLike, axis: Axis = None) -> Tensor:
    """Number of nonzero (true) elements of `x` over `axis`.

    Args:
        x: input tensor.
        axis: the axes to count over: None (all), an int or a tuple of ints.

    Returns:
        The counts, an int32 tensor.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.count_nonzero([[0, 1], [2, 3]], axis=0))
        array([1, 2], dtype=int32)
    """
    x = tensor(x)
    return _np.count_nonzero(x, axis=axes(x, axis))


__all__ = [
    "all",
    "amax",
    "amin",
    "any",
    "count_nonzero",
    "max",
    "mean",
    "median",
    "min",
    "prod",
    "ptp",
    "std",
    "sum",
    "var",
]
