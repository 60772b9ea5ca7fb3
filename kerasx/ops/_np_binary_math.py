"""Elementwise binary math: extrema, angles and norms, log-sum-exp, float stepping, gcd/lcm and the step function.

The inputs broadcast against each other; Python numbers are weak in promotion (they do not widen a tensor's dtype).
"""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote_float
from kerasx.ops._np_common import as_tensor, promote_pair, promote_pair_float, require_integer
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy


# Extrema -----------------------------------------------------------------------------------------------------------


@op(_specs.broadcast_binary)
def maximum(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise maximum of two tensors; NaN wherever either input is NaN.

    The inputs broadcast and are promoted to their common dtype. `fmax` ignores NaNs instead.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        The larger of `x1` and `x2` at each position, in the promoted dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.array([1.0, np.nan, 3.0], dtype="float32")
        >>> ops.convert_to_numpy(ops.maximum(x, 2.0))
        array([ 2., nan,  3.], dtype=float32)
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.maximum(x1, x2)


@op(_specs.broadcast_binary)
def minimum(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise minimum of two tensors; NaN wherever either input is NaN.

    The inputs broadcast and are promoted to their common dtype. `fmin` ignores NaNs instead.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        The smaller of `x1` and `x2` at each position, in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.minimum([1, 5], [3, 2]))
        array([1, 2], dtype=int32)
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.minimum(x1, x2)


@op(_specs.broadcast_binary)
def fmax(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise maximum that ignores NaN: NaN only where both inputs are NaN.

    The inputs broadcast and are promoted to their common dtype.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        The larger non-NaN value of `x1` and `x2` at each position, in the promoted dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x1 = np.array([1.0, np.nan, np.nan], dtype="float32")
        >>> x2 = np.array([np.nan, 3.0, np.nan], dtype="float32")
        >>> ops.convert_to_numpy(ops.fmax(x1, x2))
        array([ 1.,  3., nan], dtype=float32)
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.fmax(x1, x2)


@op(_specs.broadcast_binary)
def fmin(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise minimum that ignores NaN: NaN only where both inputs are NaN.

    The inputs broadcast and are promoted to their common dtype.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        The smaller non-NaN value of `x1` and `x2` at each position, in the promoted dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x1 = np.array([1.0, np.nan], dtype="float32")
        >>> x2 = np.array([np.nan, 3.0], dtype="float32")
        >>> ops.convert_to_numpy(ops.fmin(x1, x2))
        array([1., 3.], dtype=float32)
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.fmin(x1, x2)


# Float-valued ------------------------------------------------------------------------------------------------------


@op(_specs.broadcast_binary_float)
def arctan2(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise angle of the point `(x2, x1)` from the positive x axis, in radians in `[-pi, pi]`.

    Unlike `arctan(x1 / x2)`, the signs of both inputs choose the quadrant. Integer inputs give floatx.

    Args:
        x1: the y coordinates.
        x2: the x coordinates.

    Returns:
        The angles, a float tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.arctan2([0.0, 1.0, 0.0], [1.0, 0.0, -1.0])).round(4)
        array([0.    , 1.5708, 3.1416], dtype=float32)
    """
    x1, x2 = promote_pair_float(x1, x2)
    return _np.arctan2(x1, x2)


@op(_specs.broadcast_binary_float)
def hypot(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise hypotenuse `sqrt(x1**2 + x2**2)`, without overflow in the squares.

    Integer inputs give floatx.

    Args:
        x1: the first legs.
        x2: the second legs.

    Returns:
        The hypotenuses, a float tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.hypot([3.0, 5.0], [4.0, 12.0])).round(4)
        array([ 5., 13.], dtype=float32)
    """
    x1, x2 = promote_pair_float(x1, x2)
    return _np.hypot(x1, x2)


@op(_specs.broadcast_binary_float)
def logaddexp(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise `log(exp(x1) + exp(x2))`, computed without overflow for large inputs.

    Integer inputs give floatx.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        A float tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.logaddexp([0.0, 10.0], [0.0, 10.0])).round(4)
        array([ 0.6931, 10.6931], dtype=float32)
    """
    x1, x2 = promote_pair_float(x1, x2)
    return _np.logaddexp(x1, x2)


@op(_specs.broadcast_binary_float)
def logaddexp2(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise `log2(2**x1 + 2**x2)`, computed without overflow for large inputs.

    Integer inputs give floatx.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        A float tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.logaddexp2([1.0, 3.0], [1.0, 3.0])).round(4)
        array([2., 4.], dtype=float32)
    """
    x1, x2 = promote_pair_float(x1, x2)
    return _np.logaddexp2(x1, x2)


@op(_specs.broadcast_binary_float)
def nextafter(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise next representable float after `x1` in the direction of `x2`.

    The step is one unit in the last place of the result dtype (integer inputs give floatx).

    Args:
        x1: the starting values.
        x2: the directions.

    Returns:
        A float tensor of the broadcast shape.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> one = np.array([1.0], dtype="float32")
        >>> ops.convert_to_numpy(ops.nextafter(one, 2.0)) - one
        array([1.1920929e-07], dtype=float32)
    """
    x1, x2 = promote_pair_float(x1, x2)
    return _np.nextafter(x1, x2)


@op(_specs.broadcast_binary_float)
def heaviside(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Heaviside step function: 0 where `x1 < 0`, `x2` where `x1 == 0`, 1 where `x1 > 0`.

    Integer inputs give floatx.

    Args:
        x1: the input values.
        x2: the value of the function at 0 (a tensor broadcast against `x1`, or a number).

    Returns:
        A float tensor of the broadcast shape.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.array([-1.0, 0.0, 2.0], dtype="float32")
        >>> ops.convert_to_numpy(ops.heaviside(x, 0.5))
        array([0. , 0.5, 1. ], dtype=float32)
    """
    x1, x2 = promote_float(x1, x2)
    dtype = dtype_of(x1)
    zero, one = as_tensor(0, dtype), as_tensor(1, dtype)
    step = _np.where(_np.greater(x1, zero), one, zero)
    return _np.where(_np.equal(x1, zero), _np.add(x2, _np.zeros_like(x1)), _np.add(step, _np.zeros_like(x2)))


# Integer-valued ----------------------------------------------------------------------------------------------------


@op(_specs.broadcast_binary)
def gcd(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise greatest common divisor of two integer tensors (always non-negative).

    Args:
        x1: an integer or bool tensor, or a Python int.
        x2: an integer or bool tensor, or a Python int.

    Returns:
        The divisors, in the promoted integer dtype. Float inputs raise a `TypeError`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.gcd([12, 18], 8))
        array([4, 2], dtype=int32)
    """
    x1, x2 = promote_pair(x1, x2)
    require_integer("gcd", dtype_of(x1))
    return _np.gcd(x1, x2)


@op(_specs.broadcast_binary)
def lcm(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise least common multiple of two integer tensors (always non-negative).

    Args:
        x1: an integer or bool tensor, or a Python int.
        x2: an integer or bool tensor, or a Python int.

    Returns:
        The multiples, in the promoted integer dtype. Float inputs raise a `TypeError`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.lcm([4, 6], 10))
        array([20, 30], dtype=int32)
    """
    x1, x2 = promote_pair(x1, x2)
    require_integer("lcm", dtype_of(x1))
    return _np.lcm(x1, x2)


__all__ = [
    "arctan2",
    "fmax",
    "fmin",
    "gcd",
    "heaviside",
    "hypot",
    "lcm",
    "logaddexp",
    "logaddexp2",
    "maximum",
    "minimum",
    "nextafter",
]
