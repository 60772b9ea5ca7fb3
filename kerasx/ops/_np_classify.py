"""Elementwise classification of values (finite, infinite, NaN, sign bit, real) and the complex-number parts
(conjugate, real and imaginary parts, angle) of complex tensors; a real tensor is its own real part."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import as_tensor
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy


def _part_spec(x) -> KerasTensor:
    return KerasTensor(shape_of(x), _dtypes.real_part_dtype(dtype_of(x)))


def _angle_spec(x) -> KerasTensor:
    return KerasTensor(shape_of(x), _dtypes.real_part_dtype(_dtypes.float_result(dtype_of(x))))


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
    """Elementwise test: True where `x` has no imaginary part (everywhere for a real dtype).

    Args:
        x: input tensor.

    Returns:
        A bool tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.isreal([1.0, 2.0]))
        array([ True,  True])
    """
    x = tensor(x)
    if _dtypes.is_complex(dtype_of(x)):
        imaginary = _np.imag(x)
        return _np.equal(imaginary, _np.zeros_like(imaginary))
    return _np.full_like(x, as_tensor(True, "bool"), dtype="bool")


# Complex-number parts of real tensors -------------------------------------------------------------------------------


@op(_specs.same)
def conj(x: TensorLike) -> Tensor:
    """Complex conjugate: the imaginary part negated; a real tensor is its own conjugate.

    Args:
        x: input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.conj(np.array([1 + 2j, 3 - 1j], "complex64")))
        array([1.-2.j, 3.+1.j], dtype=complex64)
    """
    x = tensor(x)
    return _np.conj(x) if _dtypes.is_complex(dtype_of(x)) else x


@op(_specs.same)
def conjugate(x: TensorLike) -> Tensor:
    """Complex conjugate; the same op as `conj` (a real tensor is its own conjugate).

    Args:
        x: input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.conjugate([3, 4]))
        array([3, 4], dtype=int32)
    """
    x = tensor(x)
    return _np.conj(x) if _dtypes.is_complex(dtype_of(x)) else x


@op(_part_spec)
def real(x: TensorLike) -> Tensor:
    """Real part; a real tensor is returned as it is.

    Args:
        x: input tensor.

    Returns:
        A tensor of the shape of `x`: float32 for complex64, float64 for complex128, else the dtype of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.real(np.array([1.5 + 2j, -2.0 - 1j], "complex64")))
        array([ 1.5, -2. ], dtype=float32)
    """
    x = tensor(x)
    return _np.real(x) if _dtypes.is_complex(dtype_of(x)) else x


@op(_part_spec)
def imag(x: TensorLike) -> Tensor:
    """Imaginary part: zeros for a real tensor.

    Args:
        x: input tensor.

    Returns:
        A tensor of the shape of `x`: float32 for complex64, float64 for complex128, else the dtype of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.imag(np.array([1.5 + 2j, -2.0 - 1j], "complex64")))
        array([ 2., -1.], dtype=float32)
    """
    x = tensor(x)
    return _np.imag(x) if _dtypes.is_complex(dtype_of(x)) else _np.zeros_like(x)


@op(_angle_spec)
def angle(x: TensorLike) -> Tensor:
    """Argument (phase angle) of each value, in radians, in [-pi, pi]; for real values pi where negative, else 0.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x` (float32 for complex64, float64 for complex128).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.angle([-2.0, 3.0])).round(4)
        array([3.1416, 0.    ], dtype=float32)
    """
    (x,) = promote_float(x)
    if _dtypes.is_complex(dtype_of(x)):
        return _np.arctan2(_np.imag(x), _np.real(x))
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
