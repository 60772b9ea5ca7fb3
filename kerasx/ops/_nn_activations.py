"""Smooth activation functions: sigmoid and its log, softplus, softsign, silu/swish, gelu, the ELU family,
squareplus, tanh_shrink and glu.

Integer and bool inputs become floatx; float inputs keep their dtype.
"""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import op, promote_float, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Tensor, TensorLike

_nn = active.nn

ODD_GLU_AXIS = (
    "`glu` splits `x` into two halves along `axis`, so that axis must have an even size. "
    "Received: x.shape={shape}, axis={axis}."
)


def _float(x):
    (x,) = promote_float(x)
    return x



def _single_axis(axis, ndim: int) -> int:
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise ValueError(f"Expected a single integer axis. Received: axis={axis!r}.")
    return _specs.normalize_axis(axis, ndim)[0]


@op(_specs.same_float)
def sigmoid(x: TensorLike) -> Tensor:
    """Logistic sigmoid `1 / (1 + exp(-x))`, in `(0, 1)`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sigmoid([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([0.1192, 0.3775, 0.5   , 0.6225, 0.8808], dtype=float32)
    """
    return _nn.sigmoid(_float(x))


@op(_specs.same_float)
def log_sigmoid(x: TensorLike) -> Tensor:
    """`log(sigmoid(x))`, computed stably as `-softplus(-x)`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.log_sigmoid([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-2.1269, -0.9741, -0.6931, -0.4741, -0.1269], dtype=float32)
    """
    return _nn.log_sigmoid(_float(x))


@op(_specs.same_float)
def softplus(x: TensorLike) -> Tensor:
    """Softplus `log(1 + exp(x))`, a smooth ReLU.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.softplus([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([0.1269, 0.4741, 0.6931, 0.9741, 2.1269], dtype=float32)
    """
    return _nn.softplus(_float(x))


@op(_specs.same_float)
def softsign(x: TensorLike) -> Tensor:
    """Softsign `x / (1 + |x|)`, in `(-1, 1)`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.softsign([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-0.6667, -0.3333,  0.    ,  0.3333,  0.6667], dtype=float32)
    """
    return _nn.softsign(_float(x))


@op(_specs.same_float)
def silu(x: TensorLike) -> Tensor:
    """Sigmoid linear unit `x * sigmoid(x)`, also available as `swish` (the same function, as in Keras).

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.silu([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-0.2384, -0.1888,  0.    ,  0.3112,  1.7616], dtype=float32)
    """
    return _nn.silu(_float(x))


@op(_specs.same_float)
def gelu(x: TensorLike, approximate: bool = True) -> Tensor:
    """Gaussian error linear unit `x * Phi(x)`, with `Phi` the standard normal CDF.

    `approximate=True` uses the tanh formula `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3)))`.

    Args:
        x: input tensor; integers and bools give floatx.
        approximate: use the tanh approximation instead of the exact erf form.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.gelu([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-0.0454, -0.1543,  0.    ,  0.3457,  1.9546], dtype=float32)
    """
    return _nn.gelu(_float(x), bool(approximate))


@op(_specs.same_float)
def elu(x: TensorLike, alpha: float = 1.0) -> Tensor:
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    Args:
        x: input tensor; integers and bools give floatx.
        alpha: the scale of the negative part (its limit is `-alpha`).

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.elu([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-0.8647, -0.3935,  0.    ,  0.5   ,  2.    ], dtype=float32)
    """
    return _nn.elu(_float(x), float(alpha))


@op(_specs.same_float)
def selu(x: TensorLike) -> Tensor:
    """Scaled ELU: `scale * elu(x, alpha)` with the self-normalizing constants alpha ~1.6733, scale ~1.0507.

    With inputs of mean 0 and variance 1 (and LeCun-normal weights), activations keep that mean and variance.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.selu([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-1.5202, -0.6918,  0.    ,  0.5254,  2.1014], dtype=float32)
    """
    return _nn.selu(_float(x))


@op(_specs.same_float)
def celu(x: TensorLike, alpha: float = 1.0) -> Tensor:
    """Continuously differentiable ELU: `max(x, 0) + min(alpha * (exp(x / alpha) - 1), 0)`.

    Args:
        x: input tensor; integers and bools give floatx.
        alpha: the scale of the negative part (its limit is `-alpha`).

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.celu([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-0.8647, -0.3935,  0.    ,  0.5   ,  2.    ], dtype=float32)
    """
    return _nn.celu(_float(x), float(alpha))


@op(_specs.same_float)
def squareplus(x: TensorLike, b: float = 4) -> Tensor:
    """Squareplus `(x + sqrt(x ** 2 + b)) / 2`, a smooth ReLU computed without exponentials.

    Args:
        x: input tensor; integers and bools give floatx.
        b: the curvature near 0 (`b >= 0`; 0 gives ReLU).

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.squareplus([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([0.4142, 0.7808, 1.    , 1.2808, 2.4142], dtype=float32)
    """
    return _nn.squareplus(_float(x), float(b))


@op(_specs.same_float)
def tanh_shrink(x: TensorLike) -> Tensor:
    """Tanh shrink `x - tanh(x)`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.tanh_shrink([-2.0, -0.5, 0.0, 0.5, 2.0])).round(4)
        array([-1.036 , -0.0379,  0.    ,  0.0379,  1.036 ], dtype=float32)
    """
    return _nn.tanh_shrink(_float(x))


def _glu_axis(x, axis) -> int:
    shape = shape_of(x)
    axis = _single_axis(axis, len(shape))
    if shape[axis] is not None and shape[axis] % 2:
        raise ValueError(ODD_GLU_AXIS.format(shape=tuple(shape), axis=axis))
    return axis



def _glu_spec(x, axis=-1):
    shape = list(shape_of(x))
    axis = _glu_axis(x, axis)
    shape[axis] = None if shape[axis] is None else shape[axis] // 2
    return KerasTensor(tuple(shape), _specs.same_float(x).dtype)


@op(_glu_spec)
def glu(x: TensorLike, axis: int = -1) -> Tensor:
    """Gated linear unit: `a * sigmoid(b)`, where `a` and `b` are the two halves of `x` along `axis`.

    Args:
        x: input tensor with an even size along `axis`; integers and bools give floatx.
        axis: the axis to split in halves.

    Returns:
        A float tensor with half the size of `x` along `axis`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.glu([[1.0, 2.0, 0.0, 100.0]])).round(4)
        array([[0.5, 2. ]], dtype=float32)
    """
    axis = _glu_axis(x, axis)
    return _nn.glu(_float(x), axis)


# One function under two names, as in Keras (`ops.swish is ops.silu`).
swish = silu

__all__ = [
    "celu",
    "elu",
    "gelu",
    "glu",
    "log_sigmoid",
    "selu",
    "sigmoid",
    "silu",
    "softplus",
    "softsign",
    "squareplus",
    "swish",
    "tanh_shrink",
]
