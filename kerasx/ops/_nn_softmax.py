"""Normalizing activations along an axis: softmax, log_softmax and sparsemax.

Integer and bool inputs become floatx; float inputs keep their dtype.
"""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import op, promote_float, shape_of
from kerasx.ops._types import Tensor, TensorLike

_nn = active.nn


def _float(x):
    (x,) = promote_float(x)
    return x



def _single_axis(axis, ndim: int) -> int:
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise ValueError(f"Expected a single integer axis. Received: axis={axis!r}.")
    return _specs.normalize_axis(axis, ndim)[0]



def _axes(axis, ndim: int):
    axes = _specs.normalize_axis(axis, ndim)
    return axes[0] if isinstance(axis, int) else axes



def _softmax_spec(x, axis=-1):
    _axes(axis, len(shape_of(x)))
    return _specs.same_float(x)



def _sparsemax_spec(x, axis=-1):
    _single_axis(axis, len(shape_of(x)))
    return _specs.same_float(x)


@op(_softmax_spec)
def softmax(x: TensorLike, axis: int | tuple[int, ...] = -1) -> Tensor:
    """Softmax `exp(x) / sum(exp(x))` along `axis`: non-negative values that sum to 1 over `axis`.

    Computed stably (the maximum is subtracted first).

    Args:
        x: input tensor (logits); integers and bools give floatx.
        axis: the axis, or a tuple of axes, to normalize over.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.softmax([1.0, 2.0, 3.0])).round(4)
        array([0.09  , 0.2447, 0.6652], dtype=float32)
    """
    x = _float(x)
    return _nn.softmax(x, _axes(axis, len(shape_of(x))))


@op(_softmax_spec)
def log_softmax(x: TensorLike, axis: int | tuple[int, ...] = -1) -> Tensor:
    """Log of the softmax along `axis`, computed stably as `x - logsumexp(x)`.

    Args:
        x: input tensor (logits); integers and bools give floatx.
        axis: the axis, or a tuple of axes, to normalize over.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.log_softmax([1.0, 2.0, 3.0])).round(4)
        array([-2.4076, -1.4076, -0.4076], dtype=float32)
    """
    x = _float(x)
    return _nn.log_softmax(x, _axes(axis, len(shape_of(x))))


@op(_sparsemax_spec)
def sparsemax(x: TensorLike, axis: int = -1) -> Tensor:
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    Like softmax, the result is non-negative and sums to 1, but small logits get exactly 0.

    Args:
        x: input tensor (logits); integers and bools give floatx.
        axis: the axis to normalize over.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sparsemax([1.0, 2.0, 2.5])).round(4)
        array([0.  , 0.25, 0.75], dtype=float32)
    """
    x = _float(x)
    return _nn.sparsemax(x, _single_axis(axis, len(shape_of(x))))


__all__ = ["log_softmax", "softmax", "sparsemax"]
