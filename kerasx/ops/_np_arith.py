"""Elementwise binary arithmetic (`+ - * / // % **`) with broadcasting and the shared promotion table.

Every op here broadcasts its two inputs against each other and promotes them to a common dtype first, with
Python numbers weak (`int8 tensor + 1` stays int8). The hot ones (add, subtract, multiply, divide) run inside
every eager torch step, so each body is the fast-path promotion plus one engine call.
"""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import (
    as_tensor,
    int_if_bool,
    operand,
    promote_pair,
    promote_pair_float,
    reject_bool,
    weak_dtype,
)
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy


def _numeric_spec(x1, x2) -> KerasTensor:
    """Promoted dtype of an arithmetic op whose bool result would be meaningless: two bools give int32."""
    dtype = int_if_bool(_dtypes.result_type(weak_dtype(x1), weak_dtype(x2)))
    return KerasTensor(_specs.broadcast_shapes(shape_of(x1), shape_of(x2)), dtype)


@op(_specs.broadcast_binary)
def add(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Adds two tensors elementwise.

    The inputs broadcast against each other and are promoted to their common dtype.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        `x1 + x2`, with the broadcast shape and the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.add([1, 2], [10, 20]))
        array([11, 22], dtype=int32)
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.add(x1, x2)


@op(_specs.broadcast_binary)
def subtract(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Subtracts `x2` from `x1` elementwise.

    The inputs broadcast against each other and are promoted to their common dtype. Two bools raise a
    `TypeError` (use `logical_xor`).

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        `x1 - x2`, with the broadcast shape and the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.subtract([5, 6], 1))
        array([4, 5], dtype=int32)
    """
    x1, x2 = promote_pair(x1, x2)
    reject_bool("subtract", dtype_of(x1))
    return _np.subtract(x1, x2)


@op(_specs.broadcast_binary)
def multiply(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Multiplies two tensors elementwise.

    The inputs broadcast against each other and are promoted to their common dtype.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        `x1 * x2`, with the broadcast shape and the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.multiply([1.5, 2.0], 2))
        array([3., 4.], dtype=float32)
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.multiply(x1, x2)


@op(_specs.broadcast_binary_float)
def divide(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Divides `x1` by `x2` elementwise (true division).

    The inputs broadcast against each other. Integer and bool inputs give floatx; float inputs keep their
    promoted dtype. Dividing by zero gives inf or NaN, as in NumPy.

    Args:
        x1: the dividend, a tensor or Python number.
        x2: the divisor, a tensor or Python number.

    Returns:
        `x1 / x2`, a float tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.divide([1, 3], 2))
        array([0.5, 1.5], dtype=float32)
    """
    x1, x2 = promote_pair_float(x1, x2)
    return _np.divide(x1, x2)


@op(_specs.broadcast_binary_float)
def true_divide(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Divides `x1` by `x2` elementwise; the same op as `divide`.

    Integer and bool inputs give floatx; float inputs keep their promoted dtype.

    Args:
        x1: the dividend, a tensor or Python number.
        x2: the divisor, a tensor or Python number.

    Returns:
        `x1 / x2`, a float tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.true_divide([1.0, 3.0], 4.0))
        array([0.25, 0.75], dtype=float32)
    """
    x1, x2 = promote_pair_float(x1, x2)
    return _np.divide(x1, x2)


@op(_specs.broadcast_binary_float)
def divide_no_nan(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Divides `x1` by `x2` elementwise, giving 0 wherever `x2` is 0 (also for 0 / 0).

    Useful for ratios whose denominator may be empty, such as a mean over a masked-out batch. The gradient stays
    finite where `x2` is 0. Integer inputs give floatx.

    Args:
        x1: the dividend, a tensor or Python number.
        x2: the divisor, a tensor or Python number.

    Returns:
        `x1 / x2` where `x2 != 0`, else 0; a float tensor of the broadcast shape.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x1 = np.array([1.0, 2.0], dtype="float32")
        >>> x2 = np.array([0.0, 4.0], dtype="float32")
        >>> ops.convert_to_numpy(ops.divide_no_nan(x1, x2))
        array([0. , 0.5], dtype=float32)
    """
    x1, x2 = promote_float(x1, x2)
    dtype = dtype_of(x1)
    is_zero = _np.equal(x2, as_tensor(0, dtype))
    # Dividing by a safe denominator keeps the unused branch, and so the gradient, finite.
    safe = _np.where(is_zero, as_tensor(1, dtype), x2)
    return _np.where(is_zero, as_tensor(0, dtype), _np.divide(x1, safe))


@op(_numeric_spec)
def floor_divide(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Divides `x1` by `x2` elementwise and rounds down, as Python's `//`.

    The inputs broadcast and promote; integers stay integers (`-7 // 2` is -4), two bools give int32.

    Args:
        x1: the dividend, a tensor or Python number.
        x2: the divisor, a tensor or Python number.

    Returns:
        `floor(x1 / x2)` in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.floor_divide([7, -7], 2))
        array([ 3, -4], dtype=int32)
    """
    dtype = int_if_bool(_dtypes.result_type(weak_dtype(x1), weak_dtype(x2)))
    return _np.floor_divide(operand(x1, dtype), operand(x2, dtype))


@op(_numeric_spec)
def mod(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Remainder of `x1 / x2` elementwise, with the sign of the divisor, as Python's `%`.

    `mod(x1, x2) == x1 - floor_divide(x1, x2) * x2`. The inputs broadcast and promote; two bools give int32.

    Args:
        x1: the dividend, a tensor or Python number.
        x2: the divisor, a tensor or Python number.

    Returns:
        The remainder, in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.mod([7, -7], 3))
        array([1, 2], dtype=int32)
    """
    dtype = int_if_bool(_dtypes.result_type(weak_dtype(x1), weak_dtype(x2)))
    return _np.mod(operand(x1, dtype), operand(x2, dtype))


@op(_numeric_spec)
def fmod(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Remainder of `x1 / x2` elementwise, with the sign of the dividend, as C's `fmod`.

    Unlike `mod`, the quotient is truncated towards zero. The inputs broadcast and promote; two bools give int32.

    Args:
        x1: the dividend, a tensor or Python number.
        x2: the divisor, a tensor or Python number.

    Returns:
        The remainder, in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.fmod([7, -7], 3))
        array([ 1, -1], dtype=int32)
    """
    dtype = int_if_bool(_dtypes.result_type(weak_dtype(x1), weak_dtype(x2)))
    return _np.fmod(operand(x1, dtype), operand(x2, dtype))


@op(_numeric_spec)
def power(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Raises `x1` to the power `x2` elementwise.

    The inputs broadcast and promote (integers stay integers; two bools give int32). A negative integer
    exponent of an integer base is undefined, as in NumPy: use float inputs.

    Args:
        x1: the base, a tensor or Python number.
        x2: the exponent, a tensor or Python number.

    Returns:
        `x1 ** x2`, in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.power([2, 3], 2))
        array([4, 9], dtype=int32)
    """
    dtype = int_if_bool(_dtypes.result_type(weak_dtype(x1), weak_dtype(x2)))
    return _np.power(operand(x1, dtype), operand(x2, dtype))


__all__ = [
    "add",
    "divide",
    "divide_no_nan",
    "floor_divide",
    "fmod",
    "mod",
    "multiply",
    "power",
    "subtract",
    "true_divide",
]
