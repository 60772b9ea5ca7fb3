"""Elementwise rounding, absolute values and signs, clipping and replacing non-finite values."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import as_tensor, float_tensor, int_if_bool, native, reject_bool
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy


# Rounding ----------------------------------------------------------------------------------------------------------


@op(_specs.same_float)
def floor(x: TensorLike) -> Tensor:
    """Elementwise largest integer `<= x`, as a float (as in Keras: integer inputs give floatx).

    Args:
        x: input tensor.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.floor([1.5, -1.5]))
        array([ 1., -2.], dtype=float32)
    """
    return _np.floor(float_tensor(x))


@op(_specs.same_float)
def ceil(x: TensorLike) -> Tensor:
    """Elementwise smallest integer `>= x`, as a float (as in Keras: integer inputs give floatx).

    Args:
        x: input tensor.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.ceil([1.5, -1.5]))
        array([ 2., -1.], dtype=float32)
    """
    return _np.ceil(float_tensor(x))


@op(_specs.same)
def trunc(x: TensorLike) -> Tensor:
    """Elementwise rounding towards zero; integer tensors are returned unchanged.

    Args:
        x: input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.trunc([1.5, -1.5]))
        array([ 1., -1.], dtype=float32)
    """
    return _np.trunc(tensor(x))


@op(_specs.same)
def round(x: TensorLike, decimals: int = 0) -> Tensor:
    """Elementwise rounding to `decimals` decimal places, halves to the nearest even value (as NumPy).

    Args:
        x: input tensor (not bool).
        decimals: number of decimal places; negative values round to tens, hundreds, ...

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.round([0.5, 1.5, 2.5]))
        array([0., 2., 2.], dtype=float32)
        >>> ops.convert_to_numpy(ops.round([1234, 5678], decimals=-2))
        array([1200, 5700], dtype=int32)
    """
    x = tensor(x)
    reject_bool("round", dtype_of(x))
    return _np.round(x, decimals=int(decimals))


# Absolute values and signs -----------------------------------------------------------------------------------------


@op(_specs.same_real)
def abs(x: TensorLike) -> Tensor:
    """Elementwise absolute value, in the dtype of `x` (the modulus of complex values, in their real dtype).

    Args:
        x: input tensor.

    Returns:
        `|x|`, same shape; same dtype, except float32/float64 for complex64/complex128.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.abs([-1, 2]))
        array([1, 2], dtype=int32)
    """
    return _np.abs(native(x))


@op(_specs.same_real)
def absolute(x: TensorLike) -> Tensor:
    """Elementwise absolute value, in the dtype of `x`; the same op as `abs`.

    Args:
        x: input tensor.

    Returns:
        `|x|`, same shape; same dtype, except float32/float64 for complex64/complex128.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.absolute([-1.5, 2.0]))
        array([1.5, 2. ], dtype=float32)
    """
    return _np.abs(native(x))


@op(_specs.same_float)
def fabs(x: TensorLike) -> Tensor:
    """Elementwise absolute value as a float (integer and bool inputs give floatx).

    Args:
        x: input tensor.

    Returns:
        `|x|`, a float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.fabs([-1, 2]))
        array([1., 2.], dtype=float32)
    """
    (x,) = promote_float(x)
    return _np.abs(x)


@op(_specs.same)
def negative(x: TensorLike) -> Tensor:
    """Elementwise negation `-x` (not defined for bools: use `logical_not`).

    Args:
        x: input tensor.

    Returns:
        `-x`, same shape and dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.negative([1, -2]))
        array([-1,  2], dtype=int32)
    """
    x = native(x)
    reject_bool("negative", dtype_of(x))
    return _np.negative(x)


@op(_specs.same)
def sign(x: TensorLike) -> Tensor:
    """Elementwise sign: -1 for negative values, 0 for zeros, 1 for positive values (NaN stays NaN).

    Args:
        x: input tensor (not bool).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sign([-3.0, 0.0, 2.0]))
        array([-1.,  0.,  1.], dtype=float32)
    """
    x = tensor(x)
    reject_bool("sign", dtype_of(x))
    return _np.sign(x)


# Clipping and replacing --------------------------------------------------------------------------------------------


def _bool_to_int_spec(x, *args, **kwargs) -> KerasTensor:
    return KerasTensor(shape_of(x), int_if_bool(dtype_of(x)))


@op(_bool_to_int_spec)
def clip(x: TensorLike, x_min: TensorLike, x_max: TensorLike) -> Tensor:
    """Elementwise `min(max(x, x_min), x_max)`: values limited to the interval `[x_min, x_max]`.

    The bounds are cast to the dtype of `x`, which the result keeps (bools give int32).

    Args:
        x: input tensor.
        x_min: lower bound, a number or a tensor broadcastable to `x`.
        x_max: upper bound, a number or a tensor broadcastable to `x`.

    Returns:
        A tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.clip([1, 5, 9], 2, 6))
        array([2, 5, 6], dtype=int32)
    """
    x = tensor(x)
    dtype = int_if_bool(dtype_of(x))
    return _np.clip(as_tensor(x, dtype), as_tensor(x_min, dtype), as_tensor(x_max, dtype))


@op(_specs.same)
def nan_to_num(
    x: TensorLike, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """Replaces NaN by `nan`, +inf by `posinf` and -inf by `neginf`, elementwise.

    Args:
        x: input tensor.
        nan: the value for NaN.
        posinf: the value for +inf; None means the largest finite value of the dtype.
        neginf: the value for -inf; None means the most negative finite value of the dtype.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.array([np.nan, np.inf, -np.inf, 1.0], dtype="float32")
        >>> ops.convert_to_numpy(ops.nan_to_num(x, posinf=100.0, neginf=-100.0))
        array([   0.,  100., -100.,    1.], dtype=float32)
    """
    return _np.nan_to_num(tensor(x), nan=nan, posinf=posinf, neginf=neginf)


__all__ = [
    "abs",
    "absolute",
    "ceil",
    "clip",
    "fabs",
    "floor",
    "nan_to_num",
    "negative",
    "round",
    "sign",
    "trunc",
]
