"""Comparisons, logical ops, closeness tests and membership: every result is a bool tensor."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, op, promote, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import promote_pair
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy


# Comparisons: the inputs broadcast and are compared in their promoted dtype ---------------------------------------


@op(_specs.broadcast_binary_bool)
def equal(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise `x1 == x2`.

    The inputs broadcast against each other and are compared in their promoted dtype. NaN equals nothing.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        A bool tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.equal([1, 2, 3], 2))
        array([False,  True, False])
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.equal(x1, x2)


@op(_specs.broadcast_binary_bool)
def not_equal(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise `x1 != x2`.

    The inputs broadcast against each other and are compared in their promoted dtype.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        A bool tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.not_equal([1, 2, 3], 2))
        array([ True, False,  True])
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.not_equal(x1, x2)


@op(_specs.broadcast_binary_bool)
def less(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise `x1 < x2`.

    The inputs broadcast against each other and are compared in their promoted dtype.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        A bool tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.less([1, 2, 3], 2))
        array([ True, False, False])
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.less(x1, x2)


@op(_specs.broadcast_binary_bool)
def less_equal(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise `x1 <= x2`.

    The inputs broadcast against each other and are compared in their promoted dtype.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        A bool tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.less_equal([1, 2, 3], 2))
        array([ True,  True, False])
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.less_equal(x1, x2)


@op(_specs.broadcast_binary_bool)
def greater(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise `x1 > x2`.

    The inputs broadcast against each other and are compared in their promoted dtype.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        A bool tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.greater([1, 2, 3], 2))
        array([False, False,  True])
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.greater(x1, x2)


@op(_specs.broadcast_binary_bool)
def greater_equal(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise `x1 >= x2`.

    The inputs broadcast against each other and are compared in their promoted dtype.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        A bool tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.greater_equal([1, 2, 3], 2))
        array([False,  True,  True])
    """
    x1, x2 = promote_pair(x1, x2)
    return _np.greater_equal(x1, x2)


# Logical ops: nonzero values count as True --------------------------------------------------------------------------


@op(_specs.broadcast_binary_bool)
def logical_and(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise truth of `x1 and x2`; nonzero values count as True.

    Args:
        x1: a tensor or Python value.
        x2: a tensor or Python value, broadcast against `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.logical_and([True, True, False], [True, False, False]))
        array([ True, False, False])
    """
    return _np.logical_and(convert(x1, "bool"), convert(x2, "bool"))


@op(_specs.broadcast_binary_bool)
def logical_or(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise truth of `x1 or x2`; nonzero values count as True.

    Args:
        x1: a tensor or Python value.
        x2: a tensor or Python value, broadcast against `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.logical_or([True, True, False], [True, False, False]))
        array([ True,  True, False])
    """
    return _np.logical_or(convert(x1, "bool"), convert(x2, "bool"))


@op(_specs.broadcast_binary_bool)
def logical_xor(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Elementwise truth of `x1 xor x2` (exactly one is true); nonzero values count as True.

    Args:
        x1: a tensor or Python value.
        x2: a tensor or Python value, broadcast against `x1`.

    Returns:
        A bool tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.logical_xor([True, True, False], [True, False, False]))
        array([False,  True, False])
    """
    return _np.logical_xor(convert(x1, "bool"), convert(x2, "bool"))


@op(_specs.same_bool)
def logical_not(x: TensorLike) -> Tensor:
    """Elementwise truth of `not x`; nonzero values count as True.

    Args:
        x: a tensor or Python value.

    Returns:
        A bool tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.logical_not([0, 1, 2]))
        array([ True, False, False])
    """
    return _np.logical_not(convert(x, "bool"))


# Closeness and membership ------------------------------------------------------------------------------------------


@op(_specs.broadcast_binary_bool)
def isclose(
    x1: TensorLike, x2: TensorLike, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """Elementwise test `|x1 - x2| <= atol + rtol * |x2|`.

    The inputs broadcast and are compared in their promoted dtype. Equal infinities are close; NaNs are close to
    each other only with `equal_nan=True`.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number (the reference for the relative tolerance).
        rtol: relative tolerance.
        atol: absolute tolerance.
        equal_nan: whether two NaNs count as close.

    Returns:
        A bool tensor of the broadcast shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.isclose([1.0, 1.1], [1.000001, 1.0]))
        array([ True, False])
    """
    x1, x2 = promote(x1, x2)
    return _np.isclose(x1, x2, rtol=float(rtol), atol=float(atol), equal_nan=bool(equal_nan))


def _scalar_bool(*args, **kwargs) -> KerasTensor:
    return KerasTensor((), "bool")


@op(_scalar_bool)
def allclose(
    x1: TensorLike, x2: TensorLike, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """Whether `isclose(x1, x2)` holds at every position.

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number (the reference for the relative tolerance).
        rtol: relative tolerance.
        atol: absolute tolerance.
        equal_nan: whether two NaNs count as close.

    Returns:
        A bool scalar tensor.

    Example:
        >>> from kerasx import ops
        >>> bool(ops.convert_to_numpy(ops.allclose([1.0, 2.0], [1.0, 2.000001])))
        True
    """
    close = _np.isclose(*promote(x1, x2), rtol=float(rtol), atol=float(atol), equal_nan=bool(equal_nan))
    return _np.all(close, axis=None, keepdims=False)


def _isin_spec(x1, x2, assume_unique=False, invert=False) -> KerasTensor:
    return KerasTensor(shape_of(x1), "bool")


@op(_isin_spec)
def isin(x1: TensorLike, x2: TensorLike, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Elementwise test whether each element of `x1` occurs anywhere in `x2`.

    Args:
        x1: the values to test; the result has their shape.
        x2: the allowed values (any shape).
        assume_unique: accepted for NumPy compatibility; has no effect.
        invert: return the negation (True where the element does not occur).

    Returns:
        A bool tensor of the shape of `x1`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.isin([1, 2, 3], [2, 5]))
        array([False,  True, False])
    """
    x1, x2 = promote(x1, x2)
    return _np.isin(x1, x2, assume_unique=bool(assume_unique), invert=bool(invert))


__all__ = [
    "allclose",
    "equal",
    "greater",
    "greater_equal",
    "isclose",
    "isin",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "not_equal",
]
