"""Reductions (`axis`, `keepdims`), statistics, cumulative sums/products and differences."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import accumulator_dtype, axes, float_tensor, make_op, native, ndim_of, one_axis

_np = active.numpy

QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")
BAD_QUANTILE_METHOD = "Unknown quantile method. Received: method={method!r}. Expected one of {methods}."
BAD_WEIGHTS = (
    "`average` needs `weights` of the same shape as `x`, or 1-D of length x.shape[axis] with an integer `axis`. "
    "Received: x.shape={x_shape}, weights.shape={w_shape}, axis={axis}."
)
BAD_DIFF_ORDER = "`diff` needs a non-negative integer order. Received: n={n!r}."

_REDUCE_ARGS = (
    "\n\n    Args:\n        x: input tensor.\n        axis: None (all axes), an int or a tuple of ints.\n"
    "        keepdims: keep reduced axes with size 1.\n    "
)


def _accumulator_spec(x, axis=None, keepdims=False, **kwargs):
    return KerasTensor(_specs.reduced_shape(shape_of(x), axis, keepdims), accumulator_dtype(dtype_of(x)))


def _accumulate(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x, axis=None, keepdims=False):
        x = native(x)
        x = convert(x, accumulator_dtype(dtype_of(x)))
        return engine(x, axis=axes(x, axis), keepdims=keepdims)

    doc = summary + _REDUCE_ARGS + "Bools and 8/16-bit integers accumulate in (u)int32.\n    "
    return make_op(name, _accumulator_spec, body, doc)


def _float_reduce(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x, axis=None, keepdims=False):
        x = float_tensor(x)
        return engine(x, axis=axes(x, axis), keepdims=keepdims)

    return make_op(name, _specs.reduction_float, body, summary + _REDUCE_ARGS + "Integers give floatx.\n    ")


sum = _accumulate("sum", "Sum of elements over `axis`.")
prod = _accumulate("prod", "Product of elements over `axis`.")
mean = _float_reduce("mean", "Arithmetic mean over `axis`.")
std = _float_reduce("std", "Population standard deviation (ddof=0) over `axis`.")
var = _float_reduce("var", "Population variance (ddof=0) over `axis`.")
median = _float_reduce("median", "Median over `axis` (mean of the two middle values for even sizes).")


def _bool_reduction(x, axis=None, keepdims=False):
    return KerasTensor(_specs.reduced_shape(shape_of(x), axis, keepdims), "bool")


@op(_bool_reduction)
def all(x, axis=None, keepdims=False):
    """True where every element over `axis` is nonzero (a bool tensor)."""
    x = convert(x, "bool")
    return _np.all(x, axis=axes(x, axis), keepdims=keepdims)


@op(_bool_reduction)
def any(x, axis=None, keepdims=False):
    """True where some element over `axis` is nonzero (a bool tensor)."""
    x = convert(x, "bool")
    return _np.any(x, axis=axes(x, axis), keepdims=keepdims)


def _extremum_spec(x, axis=None, keepdims=False, initial=None):
    return _specs.reduction(x, axis, keepdims)


@op(_extremum_spec)
def max(x, axis=None, keepdims=False, initial=None):
    """Maximum over `axis`, at least `initial` when given (same dtype as `x`).

    Args:
        x: input tensor. axis: None, int or tuple. keepdims: keep reduced axes.
        initial: optional lower bound for the result (allows empty reductions).
    """
    x = tensor(x)
    return _np.max(x, axis=axes(x, axis), keepdims=keepdims, initial=initial)


@op(_extremum_spec)
def min(x, axis=None, keepdims=False, initial=None):
    """Minimum over `axis`, at most `initial` when given (same dtype as `x`).

    Args:
        x: input tensor. axis: None, int or tuple. keepdims: keep reduced axes.
        initial: optional upper bound for the result (allows empty reductions).
    """
    x = tensor(x)
    return _np.min(x, axis=axes(x, axis), keepdims=keepdims, initial=initial)


amax = make_op(
    "amax", _specs.reduction, lambda x, axis=None, keepdims=False: max(x, axis=axis, keepdims=keepdims),
    "Maximum over `axis`; alias of `max`." + _REDUCE_ARGS,
)
amin = make_op(
    "amin", _specs.reduction, lambda x, axis=None, keepdims=False: min(x, axis=axis, keepdims=keepdims),
    "Minimum over `axis`; alias of `min`." + _REDUCE_ARGS,
)


@op(_specs.reduction)
def ptp(x, axis=None, keepdims=False):
    """Range (`max - min`) over `axis`."""
    x = tensor(x)
    if dtype_of(x) == "bool":
        raise TypeError("`ptp` is not defined for bool tensors. Received: dtype=bool. Cast to an integer dtype first.")
    axis = axes(x, axis)
    return _np.subtract(
        _np.max(x, axis=axis, keepdims=keepdims, initial=None), _np.min(x, axis=axis, keepdims=keepdims, initial=None)
    )


def _index_spec(x, axis=None, keepdims=False):
    if axis is None:
        shape = tuple(1 for _ in shape_of(x)) if keepdims else ()
    else:
        shape = _specs.reduced_shape(shape_of(x), axis, keepdims)
    return KerasTensor(shape, "int32")


def _arg_reduce(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x, axis=None, keepdims=False):
        x = tensor(x)
        return engine(x, axis=None if axis is None else one_axis(x, axis), keepdims=keepdims)

    doc = summary + (
        "\n\n    Args:\n        x: input tensor.\n        axis: an int, or None to index the flattened tensor.\n"
        "        keepdims: keep the reduced axis with size 1.\n\n"
        "    Returns int32 indices (the first one on ties).\n    "
    )
    return make_op(name, _index_spec, body, doc)


argmax = _arg_reduce("argmax", "Index of the maximum along `axis`.")
argmin = _arg_reduce("argmin", "Index of the minimum along `axis`.")


def _count_spec(x, axis=None):
    return KerasTensor(_specs.reduced_shape(shape_of(x), axis, False), "int32")


@op(_count_spec)
def count_nonzero(x, axis=None):
    """Number of nonzero elements over `axis` (int32).

    Args:
        x: input tensor. axis: None (all), an int or a tuple of ints.
    """
    x = tensor(x)
    return _np.count_nonzero(x, axis=axes(x, axis))


def _quantile_spec(x, q, axis=None, method="linear", keepdims=False):
    reduced = _specs.reduced_shape(shape_of(x), axis, keepdims)
    return KerasTensor(tuple(shape_of(q)) + reduced, _dtypes.float_result(dtype_of(x)))


@op(_quantile_spec)
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles of `x` over `axis`.

    Args:
        x: input tensor (integers give floatx).
        q: a number or 1-D tensor of probabilities in [0, 1].
        axis: None, int or tuple. keepdims: keep reduced axes.
        method: "linear", "lower", "higher", "midpoint" or "nearest" (NumPy's names).

    Returns shape `q.shape + reduced x.shape`.
    """
    if method not in QUANTILE_METHODS:
        raise ValueError(BAD_QUANTILE_METHOD.format(method=method, methods=QUANTILE_METHODS))
    (x,) = promote_float(x)
    q = convert(q, dtype_of(x))
    return _np.quantile(x, q, axis=axes(x, axis), method=method, keepdims=keepdims)


@op(_quantile_spec)
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles (q in [0, 100]) of `x` over `axis`; see `quantile`."""
    (x,) = promote_float(x)
    q = _np.divide(convert(q, dtype_of(x)), convert(100, dtype_of(x)))
    return quantile(x, q, axis=axis, method=method, keepdims=keepdims)


def _average_spec(x, axis=None, weights=None):
    dtype = _dtypes.float_result(dtype_of(x), *(() if weights is None else (dtype_of(weights),)))
    return KerasTensor(_specs.reduced_shape(shape_of(x), axis, False), dtype)


@op(_average_spec)
def average(x, axis=None, weights=None):
    """Weighted mean over `axis`: `sum(x * weights) / sum(weights)`.

    Args:
        x: input tensor.
        axis: None, int or tuple.
        weights: None (plain mean), a tensor of `x`'s shape, or 1-D of length `x.shape[axis]` for an int `axis`.
    """
    if weights is None:
        return mean(x, axis=axis)
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


def _cumulative_spec(x, axis=None, dtype=None):
    shape = shape_of(x)
    if axis is None:
        size = None if None in shape else _prod(shape)
        shape = (size,)
    return KerasTensor(shape, _cumulative_dtype(dtype_of(x), dtype))


def _prod(values) -> int:
    result = 1
    for v in values:
        result *= v
    return result


def _cumulative_dtype(x_dtype: str, dtype) -> str:
    if dtype is not None:
        return _dtypes.standardize_dtype(dtype)
    return "int32" if x_dtype == "bool" else x_dtype


def _cumulative(name: str, summary: str):
    engine = getattr(_np, name)

    def body(x, axis=None, dtype=None):
        x = tensor(x)
        dtype = _cumulative_dtype(dtype_of(x), dtype)
        x = convert(x, dtype)
        return engine(x, axis=None if axis is None else one_axis(x, axis), dtype=dtype)

    doc = summary + (
        "\n\n    Args:\n        x: input tensor.\n        axis: an int, or None to run over the flattened tensor.\n"
        "        dtype: result dtype (default: `x`'s dtype; bools give int32).\n    "
    )
    return make_op(name, _cumulative_spec, body, doc)


cumsum = _cumulative("cumsum", "Cumulative sum along `axis`.")
cumprod = _cumulative("cumprod", "Cumulative product along `axis`.")


def _diff_spec(a, n=1, axis=-1):
    shape = list(shape_of(a))
    axis = _specs.normalize_axis(axis, len(shape))[0]
    if shape[axis] is not None:
        shape[axis] = _max0(shape[axis] - n)
    return KerasTensor(tuple(shape), dtype_of(a))


def _max0(value: int) -> int:
    return value if value > 0 else 0


@op(_diff_spec)
def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference along `axis` (`a[1:] - a[:-1]`, repeated `n` times; bools use `!=`).

    Args:
        a: input tensor. n: number of times to difference. axis: the axis.
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


def _trapezoid_spec(y, x=None, dx=1.0, axis=-1):
    shape = shape_of(y)
    dtype = _dtypes.float_result(dtype_of(y), *(() if x is None else (dtype_of(x),)))
    return KerasTensor(_specs.reduced_shape(shape, axis, False), dtype)


@op(_trapezoid_spec)
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of `y` along `axis` by the trapezoidal rule.

    Args:
        y: values. x: optional sample points (1-D along `axis`, or y's shape); else spacing `dx`. axis: the axis.
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
    "all",
    "amax",
    "amin",
    "any",
    "argmax",
    "argmin",
    "average",
    "count_nonzero",
    "cumprod",
    "cumsum",
    "diff",
    "max",
    "mean",
    "median",
    "min",
    "percentile",
    "prod",
    "ptp",
    "quantile",
    "std",
    "sum",
    "trapezoid",
    "var",
]
