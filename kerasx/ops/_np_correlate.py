"""Correlations and histograms: the correlation-coefficient matrix, the sliding cross-correlation of two 1-D
signals, and equal-width histograms."""

from __future__ import annotations

import numpy as np

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._math_segment import segment_sum
from kerasx.ops._np_common import as_tensor, ndim_of
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

CORRELATE_MODES = ("valid", "same", "full")
BAD_CORRELATE = (
    "`correlate` needs two non-empty 1-D tensors and mode \"valid\", \"same\" or \"full\". Received: "
    "x1.shape={x1}, x2.shape={x2}, mode={mode!r}."
)
BAD_CORRCOEF = "`corrcoef` needs a 1-D or 2-D tensor (rows are variables). Received: x.shape={shape}."
BAD_BINS = "`bins` must be a positive int. Received: bins={bins!r}."
BAD_RANGE = "`range` must be None or a pair (lower, upper) with lower <= upper. Received: range={range!r}."


def _corrcoef_spec(x) -> KerasTensor:
    shape = tuple(shape_of(x))
    if len(shape) not in (1, 2):
        raise ValueError(BAD_CORRCOEF.format(shape=shape))
    return KerasTensor(() if len(shape) == 1 else (shape[0], shape[0]), _dtypes.float_result(dtype_of(x)))


@op(_corrcoef_spec)
def corrcoef(x: TensorLike) -> Tensor:
    """Pearson correlation coefficients between the rows (variables) of `x`, whose columns are observations.

    Args:
        x: a 1-D tensor (one variable) or a 2-D tensor of shape `(variables, observations)`.

    Returns:
        A float tensor of shape `(variables, variables)` with values clipped to [-1, 1] (a scalar for 1-D input).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.corrcoef([[1.0, 2.0, 3.0], [2.0, 4.0, 7.0]])).round(4)
        array([[1.    , 0.9934],
               [0.9934, 1.    ]], dtype=float32)
    """
    spec = _corrcoef_spec(x)
    x = tensor(x, spec.dtype)
    rows = _np.reshape(x, (1, -1)) if ndim_of(x) == 1 else x
    centred = _np.subtract(rows, _np.mean(rows, axis=(1,), keepdims=True))
    covariance = _np.matmul(centred, _np.swapaxes(centred, 0, 1))
    scale = _np.sqrt(_np.diagonal(covariance, offset=0, axis1=0, axis2=1))
    result = _np.divide(_np.divide(covariance, _np.expand_dims(scale, (1,))), _np.expand_dims(scale, (0,)))
    result = _np.clip(result, as_tensor(-1.0, spec.dtype), as_tensor(1.0, spec.dtype))
    return _np.reshape(result, ()) if ndim_of(x) == 1 else result


def _correlate_lengths(x1, x2, mode):
    s1, s2 = tuple(shape_of(x1)), tuple(shape_of(x2))
    if mode not in CORRELATE_MODES or len(s1) != 1 or len(s2) != 1 or 0 in (s1[0], s2[0]):
        raise ValueError(BAD_CORRELATE.format(x1=s1, x2=s2, mode=mode))
    return s1[0], s2[0]


def _correlate_window(m: int, n: int, mode: str) -> tuple:
    """(start, length) of the `mode` output inside the full correlation of lengths m and n."""
    shorter, longer = min(m, n), max(m, n)
    if mode == "full":
        return 0, m + n - 1
    if mode == "same":
        return (shorter - 1) // 2, longer
    return shorter - 1, longer - shorter + 1


def _correlate_spec(x1, x2, mode="valid") -> KerasTensor:
    m, n = _correlate_lengths(x1, x2, mode)
    length = None if None in (m, n) else _correlate_window(m, n, mode)[1]
    return KerasTensor((length,), _dtypes.float_result(dtype_of(x1), dtype_of(x2)))


@op(_correlate_spec)
def correlate(x1: TensorLike, x2: TensorLike, mode: str = "valid") -> Tensor:
    """Cross-correlation of two 1-D signals: `c[k] = sum_n x1[n + k] * x2[n]`, as `numpy.correlate`.

    Args:
        x1: first 1-D signal, of length M.
        x2: second 1-D signal, of length N.
        mode: "valid" (only full overlaps, length `max(M, N) - min(M, N) + 1`), "same" (length `max(M, N)`,
            centred) or "full" (every overlap, length `M + N - 1`).

    Returns:
        A 1-D float tensor (integer inputs give floatx).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.correlate([1.0, 2.0, 3.0], [0.0, 1.0, 0.5], mode="full"))
        array([0.5, 2. , 3.5, 3. , 0. ], dtype=float32)
    """
    spec = _correlate_spec(x1, x2, mode)
    m, n = _correlate_lengths(x1, x2, mode)
    x1, x2 = tensor(x1, spec.dtype), tensor(x2, spec.dtype)
    start, length = _correlate_window(m, n, mode)
    # Output k (of the full correlation) reads x1 at k + j - (n - 1) for each j of x2: one gather, one product.
    lags = np.arange(start, start + length)[:, None] + np.arange(n)[None, :]
    padded = _np.pad(x1, ((n - 1, n - 1),), mode="constant", constant_values=as_tensor(0, spec.dtype))
    windows = _np.take(padded, tensor(lags.astype("int32")), axis=0)
    return _np.matmul(windows, x2)


def _histogram_spec(x, bins=10, range=None):
    if not isinstance(bins, int) or bins < 1:
        raise ValueError(BAD_BINS.format(bins=bins))
    if range is not None and (len(range) != 2 or range[0] > range[1]):
        raise ValueError(BAD_RANGE.format(range=range))
    dtype = _dtypes.float_result(dtype_of(x))
    return KerasTensor((bins,), dtype), KerasTensor((bins + 1,), dtype)


@op(_histogram_spec)
def histogram(x: TensorLike, bins: int = 10, range: tuple[float, float] | None = None) -> tuple[Tensor, Tensor]:
    """Counts of the values of `x` in `bins` equal-width bins, and the bin edges.

    Each bin includes its left edge; the last also its right edge. Values outside `range` are not counted.

    Args:
        x: input tensor (flattened).
        bins: number of bins.
        range: `(lower, upper)` edges of the outer bins; None takes the smallest and largest values of `x` (widened
            by 0.5 on each side when they are equal).

    Returns:
        `(counts, edges)`: float tensors of shapes `(bins,)` and `(bins + 1,)` (integer inputs give floatx).

    Example:
        >>> from kerasx import ops
        >>> counts, edges = ops.histogram([1.0, 2.0, 2.0, 3.0, 7.0], bins=3)
        >>> ops.convert_to_numpy(counts), ops.convert_to_numpy(edges)
        (array([3., 1., 1.], dtype=float32), array([1., 3., 5., 7.], dtype=float32))
    """
    counts_spec, _ = _histogram_spec(x, bins, range)
    dtype = counts_spec.dtype
    values = _np.reshape(tensor(x, dtype), (-1,))
    if range is None:
        lower, upper = _np.min(values), _np.max(values)
        same = _np.equal(lower, upper)
        half = as_tensor(0.5, dtype)
        lower = _np.where(same, _np.subtract(lower, half), lower)
        upper = _np.where(same, _np.add(upper, half), upper)
    else:
        lower, upper = as_tensor(float(range[0]), dtype), as_tensor(float(range[1]), dtype)
    fractions = tensor(np.linspace(0.0, 1.0, bins + 1), dtype)
    edges = _np.add(lower, _np.multiply(_np.subtract(upper, lower), fractions))
    index = _np.subtract(tensor(_np.searchsorted(edges, values, side="right"), "int32"), as_tensor(1, "int32"))
    # The upper edge belongs to the last bin; values outside the edges fall outside [0, bins) and are dropped.
    index = _np.where(_np.equal(values, upper), _np.full_like(index, as_tensor(bins - 1, "int32")), index)
    index = _np.where(_np.less(values, lower), _np.full_like(index, as_tensor(-1, "int32")), index)
    counts = segment_sum(_np.ones_like(values), index, num_segments=bins)
    return counts, edges


__all__ = ["corrcoef", "correlate", "histogram"]
