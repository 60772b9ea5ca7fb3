"""Piecewise-linear activation functions: the ReLU family, hard sigmoid/silu/tanh, shrinkage and thresholds,
and the sparse (piecewise) sigmoid and plus.

Integer and bool inputs become floatx; float inputs keep their dtype.
"""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import op, promote_float
from kerasx.ops._types import Tensor, TensorLike

_nn = active.nn


def _float(x):
    (x,) = promote_float(x)
    return x


@op(_specs.same_float)
def relu(x: TensorLike) -> Tensor:
    """Rectified linear unit `max(x, 0)`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.relu([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([0. , 0. , 0. , 0.5, 2. ], dtype=float32)
    """
    return _nn.relu(_float(x))


@op(_specs.same_float)
def relu6(x: TensorLike) -> Tensor:
    """ReLU capped at 6: `min(max(x, 0), 6)`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.relu6([-1.0, 3.0, 8.0])).round(4)
        array([0., 3., 6.], dtype=float32)
    """
    return _nn.relu6(_float(x))


@op(_specs.same_float)
def leaky_relu(x: TensorLike, negative_slope: float = 0.2) -> Tensor:
    """Leaky ReLU: `x` for `x >= 0`, `negative_slope * x` otherwise.

    Args:
        x: input tensor; integers and bools give floatx.
        negative_slope: the slope below 0.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.leaky_relu([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-0.4, -0.1,  0. ,  0.5,  2. ], dtype=float32)
    """
    return _nn.leaky_relu(_float(x), float(negative_slope))


@op(_specs.same_float)
def hard_sigmoid(x: TensorLike) -> Tensor:
    """Hard sigmoid `clip(x / 6 + 1 / 2, 0, 1)`, a piecewise-linear sigmoid.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.hard_sigmoid([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([0.1667, 0.4167, 0.5   , 0.5833, 0.8333], dtype=float32)
    """
    return _nn.hard_sigmoid(_float(x))


@op(_specs.same_float)
def hard_silu(x: TensorLike) -> Tensor:
    """Hard SiLU `x * hard_sigmoid(x)`, also available as `hard_swish` (the same function, as in Keras).

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.hard_silu([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-0.3333, -0.2083,  0.    ,  0.2917,  1.6667], dtype=float32)
    """
    return _nn.hard_silu(_float(x))


@op(_specs.same_float)
def hard_tanh(x: TensorLike) -> Tensor:
    """Hard tanh `clip(x, -1, 1)`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.hard_tanh([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-1. , -0.5,  0. ,  0.5,  1. ], dtype=float32)
    """
    return _nn.hard_tanh(_float(x))


@op(_specs.same_float)
def hard_shrink(x: TensorLike, threshold: float = 0.5) -> Tensor:
    """Hard shrinkage: `x` where `|x| > threshold`, 0 elsewhere.

    Args:
        x: input tensor; integers and bools give floatx.
        threshold: the half-width of the band set to 0.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.hard_shrink([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-2.,  0.,  0.,  0.,  2.], dtype=float32)
    """
    return _nn.hard_shrink(_float(x), float(threshold))


@op(_specs.same_float)
def soft_shrink(x: TensorLike, threshold: float = 0.5) -> Tensor:
    """Soft shrinkage: `x - threshold` above `threshold`, `x + threshold` below `-threshold`, 0 between.

    Args:
        x: input tensor; integers and bools give floatx.
        threshold: the half-width of the band set to 0, and how far the rest moves towards 0.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.soft_shrink([-2.0, 0.0, 2.0])).round(4)
        array([-1.5,  0. ,  1.5], dtype=float32)
    """
    return _nn.soft_shrink(_float(x), float(threshold))


@op(_specs.same_float)
def threshold(x: TensorLike, threshold: float, default_value: float) -> Tensor:
    """`x` where `x > threshold`, `default_value` elsewhere.

    Args:
        x: input tensor; integers and bools give floatx.
        threshold: the values at or below it are replaced.
        default_value: the replacement.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.threshold([-2.0, 0.0, 0.5, 2.0], 0.0, -1.0))
        array([-1. , -1. ,  0.5,  2. ], dtype=float32)
    """
    return _nn.threshold(_float(x), float(threshold), float(default_value))


@op(_specs.same_float)
def sparse_sigmoid(x: TensorLike) -> Tensor:
    """Sparse sigmoid: 0 for `x <= -1`, 1 for `x >= 1`, `(x + 1) / 2` between.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sparse_sigmoid([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    return _nn.sparse_sigmoid(_float(x))


@op(_specs.same_float)
def sparse_plus(x: TensorLike) -> Tensor:
    """Sparse plus: 0 for `x <= -1`, `(x + 1) ** 2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    A ReLU smoothed on `[-1, 1]`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sparse_plus([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([0.    , 0.0625, 0.25  , 0.5625, 2.    ], dtype=float32)
    """
    return _nn.sparse_plus(_float(x))


# One function under two names, as in Keras (`ops.hard_swish is ops.hard_silu`).
hard_swish = hard_silu

__all__ = [
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "relu",
    "relu6",
    "soft_shrink",
    "sparse_plus",
    "sparse_sigmoid",
    "threshold",
]
