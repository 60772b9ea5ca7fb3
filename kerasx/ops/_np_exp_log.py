"""Elementwise exponentials, logarithms, roots, reciprocal, square, the Bessel function i0 and `ldexp`.

Except `square`, these are float functions: integer and bool inputs give floatx, float inputs keep their dtype.
"""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import as_tensor, float_tensor, int_if_bool, native, require_integer
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy


@op(_specs.same_float)
def exp(x: TensorLike) -> Tensor:
    """Elementwise exponential `e ** x`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.exp([0.0, 1.0])).round(4)
        array([1.    , 2.7183], dtype=float32)
    """
    return _np.exp(float_tensor(x))


@op(_specs.same_float)
def expm1(x: TensorLike) -> Tensor:
    """Elementwise `exp(x) - 1`, accurate for `x` near 0 where `exp(x)` rounds to 1.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.expm1([0.0, 1.0])).round(4)
        array([0.    , 1.7183], dtype=float32)
    """
    return _np.expm1(float_tensor(x))


@op(_specs.same_float)
def exp2(x: TensorLike) -> Tensor:
    """Elementwise `2 ** x`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.exp2([0, 3]))
        array([1., 8.], dtype=float32)
    """
    return _np.exp2(float_tensor(x))


@op(_specs.same_float)
def log(x: TensorLike) -> Tensor:
    """Elementwise natural logarithm; -inf at 0 and NaN for negative values.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.log([1.0, 100.0])).round(4)
        array([0.    , 4.6052], dtype=float32)
    """
    return _np.log(float_tensor(x))


@op(_specs.same_float)
def log1p(x: TensorLike) -> Tensor:
    """Elementwise `log(1 + x)`, accurate for `x` near 0 where `1 + x` rounds to 1.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.log1p([0.0, 1.0])).round(4)
        array([0.    , 0.6931], dtype=float32)
    """
    return _np.log1p(float_tensor(x))


@op(_specs.same_float)
def log2(x: TensorLike) -> Tensor:
    """Elementwise base-2 logarithm.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.log2([1, 8])).round(4)
        array([0., 3.], dtype=float32)
    """
    return _np.log2(float_tensor(x))


@op(_specs.same_float)
def log10(x: TensorLike) -> Tensor:
    """Elementwise base-10 logarithm.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.log10([1, 1000])).round(4)
        array([0., 3.], dtype=float32)
    """
    return _np.log10(float_tensor(x))


@op(_specs.same_float)
def sqrt(x: TensorLike) -> Tensor:
    """Elementwise non-negative square root; NaN for negative values.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sqrt([4, 9]))
        array([2., 3.], dtype=float32)
    """
    return _np.sqrt(float_tensor(x))


@op(_specs.same_float)
def cbrt(x: TensorLike) -> Tensor:
    """Elementwise real cube root (negative for negative `x`, unlike `x ** (1/3)`).

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.cbrt([-8.0, 27.0])).round(4)
        array([-2.,  3.], dtype=float32)
    """
    return _np.cbrt(float_tensor(x))


@op(_specs.same_float)
def reciprocal(x: TensorLike) -> Tensor:
    """Elementwise `1 / x` (inf at 0).

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.reciprocal([2.0, 4.0]))
        array([0.5 , 0.25], dtype=float32)
    """
    return _np.reciprocal(float_tensor(x))


def _bool_to_int_spec(x, *args, **kwargs) -> KerasTensor:
    return KerasTensor(shape_of(x), int_if_bool(dtype_of(x)))


@op(_bool_to_int_spec)
def square(x: TensorLike) -> Tensor:
    """Elementwise `x * x`, in the dtype of `x` (integers stay integers; bools give int32).

    Args:
        x: input tensor.

    Returns:
        A tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.square([2, -3]))
        array([4, 9], dtype=int32)
    """
    x = native(x)
    return _np.square(as_tensor(x, int_if_bool(dtype_of(x))))


@op(_specs.same_float)
def i0(x: TensorLike) -> Tensor:
    """Elementwise modified Bessel function of the first kind, order 0 (used by the Kaiser window).

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.i0([0.0, 1.0])).round(4)
        array([1.    , 1.2661], dtype=float32)
    """
    return _np.i0(float_tensor(x))


def _ldexp_spec(x1, x2) -> KerasTensor:
    return KerasTensor(_specs.broadcast_shapes(shape_of(x1), shape_of(x2)), _dtypes.float_result(dtype_of(x1)))


@op(_ldexp_spec)
def ldexp(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise `x1 * 2 ** x2`: the float with mantissa `x1` and integer exponent `x2`.

    Args:
        x1: the mantissas; integers and bools give floatx.
        x2: integer exponents, broadcast against `x1`.

    Returns:
        A float tensor of the broadcast shape, in the float dtype of `x1`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.ldexp([1.0, 0.75], [3, -1]))
        array([8.   , 0.375], dtype=float32)
    """
    x1 = float_tensor(x1)
    x2 = native(x2)
    require_integer("ldexp", dtype_of(x2))
    return _np.multiply(x1, _np.exp2(convert(x2, dtype_of(x1))))


__all__ = [
    "cbrt",
    "exp",
    "exp2",
    "expm1",
    "i0",
    "ldexp",
    "log",
    "log10",
    "log1p",
    "log2",
    "reciprocal",
    "sqrt",
    "square",
]
