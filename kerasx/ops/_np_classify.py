"""Elementwise classification of values (finite, infinite, NaN, sign bit, real) and the complex-number parts
(conjugate, real and imaginary parts, angle) of kerasx's real tensors."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import op, promote_float, tensor
from kerasx.ops._np_common import as_tensor
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy


@op(_specs.same_bool)
def isfinite(x: TensorLike) -> Tensor:
    """Elementwise test: True where `x` is neither infinite nor NaN.

    Args:
        x: input tensor; integers are tested as floats (and are always finite).

    Returns:
        A bool tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.isfinite([1.0, np.inf, -np.inf, np.nan]))
        array([ True, False, False, False])
    """
    (x,) = promote_float(x)
    return _np.isfinite(x)


@op(_specs.same_bool)
def isinf(x: TensorLike) -> Tensor:
    """Elementwise test: True where `x` is +inf or -inf.

    Args:
        x: input tensor; integers are tested as floats (and are always finite).

    Returns:
        A bool tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.isinf([1.0, np.inf, -np.inf, np.nan]))
        array([False,  True,  True, False])
    """
    (x,) = promote_float(x)
    return _np.isinf(x)


@op(_specs.same_bool)
def isnan(x: TensorLike) -> Tensor:
    """Elementwise test: True where `x` is NaN.

    Args:
        x: input tensor; integers are tested as floats (and are always finite).

    Returns:
        A bool tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.isnan([1.0, np.inf, -np.inf, np.nan]))
        array([False, False, False,  True])
    """
    (x,) = promote_float(x)
    return _np.isnan(x)


@op(_specs.same_bool)
def isposinf(x: TensorLike) -> Tensor:
    """Elementwise test: True where `x` is +inf.

    Args:
        x: input tensor; integers are tested as floats (and are always finite).

    Returns:
        A bool tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.isposinf([1.0, np.inf, -np.inf, np.nan]))
        array([False,  True, False, False])
    """
    (x,) = promote_float(x)
    return _np.isposinf(x)


@op(_specs.same_bool)
def isneginf(x: TensorLike) -> Tensor:
    """Elementwise test: True where `x` is -inf.

    Args:
        x: input tensor; integers are tested as floats (and are always finite).

    Returns:
        A bool tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.isneginf([1.0, np.inf, -np.inf, np.nan]))
        array([False, False,  True, False])
    """
    (x,) = promote_float(x)
    return _np.isneginf(x)


@op(_specs.same_bool)
def signbit(x: TensorLike) -> Tensor:
    """Elementwise test: True where the sign bit is set, that is for negative values and for -0.0.

    Args:
        x: input tensor; integers are tested as floats.

    Returns:
        A bool tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.signbit([-1.0, 0.0, -0.0, 2.0]))
        array([ True, False,  True, False])
    """
    (x,) = promote_float(x)
    return _np.signbit(x)


@op(_specs.same_bool)
def isreal(x: TensorLike) -> Tensor:
    """Elementwise test: True where `x` has no imaginary part, which holds everywhere for kerasx's real dtypes.

    Args:
        x: input tensor.

    Returns:
        A bool tensor of the shape of `x`, all True.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.isreal([1.0, 2.0]))
        array([ True,  True])
    """
    return _np.full_like(tensor(x), as_tensor(True, "bool"), dtype="bool")


# Complex-number parts of real tensors -------------------------------------------------------------------------------


@op(_specs.same)
def conj(x: TensorLike) -> Tensor:
    """Complex conjugate; a real tensor (the only kind kerasx has) is its own conjugate.

    Args:
        x: input tensor.

    Returns:
        `x` as a tensor, same shape and dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.conj([1.0, -2.0]))
        array([ 1., -2.], dtype=float32)
    """
    return tensor(x)


@op(_specs.same)
def conjugate(x: TensorLike) -> Tensor:
    """Complex conjugate; the same op as `conj` (a real tensor is its own conjugate).

    Args:
        x: input tensor.

    Returns:
        `x` as a tensor, same shape and dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.conjugate([3, 4]))
        array([3, 4], dtype=int32)
    """
    return tensor(x)


@op(_specs.same)
def real(x: TensorLike) -> Tensor:
    """Real part; a real tensor is returned as it is.

    Args:
        x: input tensor.

    Returns:
        `x` as a tensor, same shape and dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.real([1.5, -2.0]))
        array([ 1.5, -2. ], dtype=float32)
    """
    return tensor(x)


@op(_specs.same)
def imag(x: TensorLike) -> Tensor:
    """Imaginary part: zeros for a real tensor.

    Args:
        x: input tensor.

    Returns:
        Zeros of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.imag([1.5, -2.0]))
        array([0., 0.], dtype=float32)
    """
    return _np.zeros_like(tensor(x))


@op(_specs.same_float)
def angle(x: TensorLike) -> Tensor:
    """Argument (phase angle) of each value, in radians: pi for negative real values, 0 otherwise.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.angle([-2.0, 3.0])).round(4)
        array([3.1416, 0.    ], dtype=float32)
    """
    (x,) = promote_float(x)
    return _np.arctan2(_np.zeros_like(x), x)


__all__ = [
    "angle",
    "conj",
    "conjugate",
    "imag",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "real",
    "signbit",
]
