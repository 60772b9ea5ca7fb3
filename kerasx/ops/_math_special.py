"""Special functions: the error function and its complement and inverse, the reciprocal square root, and the
log of a sum of exponentials.

All are float functions: integer and bool inputs give floatx, float inputs keep their dtype.
"""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import op
from kerasx.ops._np_common import axes, float_tensor
from kerasx.ops._types import Axis, Tensor, TensorLike

_np = active.numpy
_math = active.math


@op(_specs.same_float)
def erf(x: TensorLike) -> Tensor:
    """Elementwise error function `erf(x) = 2 / sqrt(pi) * integral from 0 to x of exp(-t ** 2) dt`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`, with values in [-1, 1].

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.erf([-1.0, 0.0, 0.5])).round(4)
        array([-0.8427,  0.    ,  0.5205], dtype=float32)
    """
    return _math.erf(float_tensor(x))


@op(_specs.same_float)
def erfc(x: TensorLike) -> Tensor:
    """Elementwise complementary error function `1 - erf(x)`, accurate where `erf(x)` is close to 1.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`, with values in [0, 2].

    Example:
        >>> from kerasx import ops
        >>> [round(float(v), 6) for v in ops.convert_to_numpy(ops.erfc([-1.0, 0.0, 3.0]))]
        [1.842701, 1.0, 2.2e-05]
    """
    return _math.erfc(float_tensor(x))


@op(_specs.same_float)
def erfinv(x: TensorLike) -> Tensor:
    """Elementwise inverse error function: `y` with `erf(y) = x`, for `x` in [-1, 1].

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`: +-inf at +-1, NaN outside [-1, 1].

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.erfinv([-0.5, 0.0, 0.8427008])).round(4)
        array([-0.4769,  0.    ,  1.    ], dtype=float32)
    """
    return _math.erfinv(float_tensor(x))


@op(_specs.same_float)
def rsqrt(x: TensorLike) -> Tensor:
    """Elementwise reciprocal square root `1 / sqrt(x)`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`: inf at 0, NaN for negative values.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.rsqrt([1.0, 4.0, 16.0]))
        array([1.  , 0.5 , 0.25], dtype=float32)
    """
    x = float_tensor(x)
    return _np.reciprocal(_np.sqrt(x))


@op(_specs.reduction_float)
def logsumexp(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """`log(sum(exp(x)))` over `axis`, computed without overflow by shifting by the maximum.

    Args:
        x: input tensor; integers and bools give floatx.
        axis: None (every axis), an axis or a tuple of axes.
        keepdims: keep each reduced axis with size 1.

    Returns:
        A float tensor: `x`'s shape without the reduced axes (size 1 with `keepdims`). Slices that are all -inf
        give -inf.

    Example:
        >>> from kerasx import ops
        >>> [round(float(v), 3) for v in ops.convert_to_numpy(ops.logsumexp([[0.0, 0.0], [1000.0, 1000.0]], axis=1))]
        [0.693, 1000.693]
    """
    x = float_tensor(x)
    reduced = axes(x, axis)
    peak = _np.max(x, axis=reduced, keepdims=True)
    # A slice of -inf (or inf) has no finite shift; shifting by 0 there keeps its sum -inf (or inf).
    peak = active.core.stop_gradient(_np.where(_np.isfinite(peak), peak, _np.zeros_like(peak)))
    total = _np.sum(_np.exp(_np.subtract(x, peak)), axis=reduced, keepdims=True)
    result = _np.add(_np.log(total), peak)
    if keepdims:
        return result
    return _np.squeeze(result, axis=reduced) if reduced is not None else _np.reshape(result, ())


__all__ = ["erf", "erfc", "erfinv", "logsumexp", "rsqrt"]
