"""Bitwise ops on integer and bool tensors: and, or, xor, not, shifts (and their NumPy aliases); and `view`, which
reads a tensor's bits as another dtype.

Float inputs of the bitwise ops raise a `TypeError` that says to cast first.
"""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, promote, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import require_integer
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

BAD_VIEW = (
    "Cannot view a tensor of shape {shape} and dtype {old} as {new}: the last axis must exist and hold a whole "
    "number of {new} items."
)


def _shift_spec(x, y) -> KerasTensor:
    spec = _specs.broadcast_binary(x, y)
    return KerasTensor(spec.shape, "int32" if spec.dtype == "bool" else spec.dtype)


@op(_specs.broadcast_binary)
def bitwise_and(x: TensorLike, y: TensorLike) -> Tensor:
    """Elementwise bitwise AND of two integer (or bool) tensors.

    Args:
        x: an integer or bool tensor, or a Python int.
        y: an integer or bool tensor, or a Python int, broadcast against `x`.

    Returns:
        `x & y` in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.bitwise_and([12, 10], 6))
        array([4, 2], dtype=int32)
    """
    x, y = promote(x, y)
    require_integer("bitwise_and", dtype_of(x))
    return _np.bitwise_and(x, y)


@op(_specs.broadcast_binary)
def bitwise_or(x: TensorLike, y: TensorLike) -> Tensor:
    """Elementwise bitwise OR of two integer (or bool) tensors.

    Args:
        x: an integer or bool tensor, or a Python int.
        y: an integer or bool tensor, or a Python int, broadcast against `x`.

    Returns:
        `x | y` in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.bitwise_or([12, 10], 6))
        array([14, 14], dtype=int32)
    """
    x, y = promote(x, y)
    require_integer("bitwise_or", dtype_of(x))
    return _np.bitwise_or(x, y)


@op(_specs.broadcast_binary)
def bitwise_xor(x: TensorLike, y: TensorLike) -> Tensor:
    """Elementwise bitwise exclusive OR of two integer (or bool) tensors.

    Args:
        x: an integer or bool tensor, or a Python int.
        y: an integer or bool tensor, or a Python int, broadcast against `x`.

    Returns:
        `x ^ y` in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.bitwise_xor([12, 10], 6))
        array([10, 12], dtype=int32)
    """
    x, y = promote(x, y)
    require_integer("bitwise_xor", dtype_of(x))
    return _np.bitwise_xor(x, y)


@op(_specs.same)
def bitwise_not(x: TensorLike) -> Tensor:
    """Elementwise bitwise NOT (two's complement: `~x == -x - 1`); logical NOT for bools.

    Args:
        x: an integer or bool tensor.

    Returns:
        `~x`, same dtype as `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.bitwise_not([0, 5]))
        array([-1, -6], dtype=int32)
    """
    x = tensor(x)
    require_integer("bitwise_not", dtype_of(x))
    return _np.bitwise_not(x)


@op(_specs.same)
def bitwise_invert(x: TensorLike) -> Tensor:
    """Elementwise bitwise NOT; the same op as `bitwise_not`.

    Args:
        x: an integer or bool tensor.

    Returns:
        `~x`, same dtype as `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.bitwise_invert([True, False]))
        array([False,  True])
    """
    x = tensor(x)
    require_integer("bitwise_invert", dtype_of(x))
    return _np.bitwise_not(x)


@op(_shift_spec)
def bitwise_left_shift(x: TensorLike, y: TensorLike) -> Tensor:
    """Shifts the bits of `x` left by `y` places elementwise (`x * 2**y` without overflow).

    Args:
        x: an integer or bool tensor, or a Python int.
        y: the shift counts, broadcast against `x`.

    Returns:
        `x << y` in the promoted dtype (two bools give int32).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.bitwise_left_shift([1, 3], 2))
        array([ 4, 12], dtype=int32)
    """
    x, y = promote(x, y)
    require_integer("bitwise_left_shift", dtype_of(x))
    if dtype_of(x) == "bool":
        x, y = convert(x, "int32"), convert(y, "int32")
    return _np.bitwise_left_shift(x, y)


@op(_shift_spec)
def left_shift(x: TensorLike, y: TensorLike) -> Tensor:
    """Shifts the bits of `x` left by `y` places elementwise; the same op as `bitwise_left_shift`.

    Args:
        x: an integer or bool tensor, or a Python int.
        y: the shift counts, broadcast against `x`.

    Returns:
        `x << y` in the promoted dtype (two bools give int32).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.left_shift([1, 3], 1))
        array([2, 6], dtype=int32)
    """
    x, y = promote(x, y)
    require_integer("bitwise_left_shift", dtype_of(x))
    if dtype_of(x) == "bool":
        x, y = convert(x, "int32"), convert(y, "int32")
    return _np.bitwise_left_shift(x, y)


@op(_shift_spec)
def bitwise_right_shift(x: TensorLike, y: TensorLike) -> Tensor:
    """Shifts the bits of `x` right by `y` places elementwise; arithmetic (sign-keeping) for signed dtypes.

    Args:
        x: an integer or bool tensor, or a Python int.
        y: the shift counts, broadcast against `x`.

    Returns:
        `x >> y` in the promoted dtype (two bools give int32).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.bitwise_right_shift([16, -16], 2))
        array([ 4, -4], dtype=int32)
    """
    x, y = promote(x, y)
    require_integer("bitwise_right_shift", dtype_of(x))
    if dtype_of(x) == "bool":
        x, y = convert(x, "int32"), convert(y, "int32")
    return _np.bitwise_right_shift(x, y)


@op(_shift_spec)
def right_shift(x: TensorLike, y: TensorLike) -> Tensor:
    """Shifts the bits of `x` right by `y` places elementwise; the same op as `bitwise_right_shift`.

    Args:
        x: an integer or bool tensor, or a Python int.
        y: the shift counts, broadcast against `x`.

    Returns:
        `x >> y` in the promoted dtype (two bools give int32).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.right_shift([16, 7], 1))
        array([8, 3], dtype=int32)
    """
    x, y = promote(x, y)
    require_integer("bitwise_right_shift", dtype_of(x))
    if dtype_of(x) == "bool":
        x, y = convert(x, "int32"), convert(y, "int32")
    return _np.bitwise_right_shift(x, y)


__all__ = [
    "bitwise_and",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "left_shift",
    "right_shift",
    "view",
]


# Bit-level reinterpretation -----------------------------------------------------------------------------------------


def _itemsize(dtype: str) -> int:
    return _dtypes.numpy_dtype(dtype).itemsize


def _view_spec(x, dtype=None) -> KerasTensor:
    shape = tuple(shape_of(x))
    if dtype is None:
        return KerasTensor(shape, dtype_of(x))
    dtype = _dtypes.standardize_dtype(dtype)
    old, new = _itemsize(dtype_of(x)), _itemsize(dtype)
    if old == new:
        return KerasTensor(shape, dtype)
    if not shape or (shape[-1] is not None and shape[-1] * old % new):
        raise ValueError(BAD_VIEW.format(shape=shape, old=dtype_of(x), new=dtype))
    last = None if shape[-1] is None else shape[-1] * old // new
    return KerasTensor(shape[:-1] + (last,), dtype)


@op(_view_spec)
def view(x: TensorLike, dtype: str | None = None) -> Tensor:
    """The bits of `x` read as another dtype, as NumPy's `ndarray.view`; no value is converted.

    With a different item size, the last axis is rescaled: viewing 4 float32 values as uint8 gives 16 bytes.

    Args:
        x: input tensor.
        dtype: the dtype to read the bits as; None returns `x` unchanged.

    Returns:
        A tensor of `dtype`, the shape of `x` with its last axis scaled by the ratio of the item sizes.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.view([1.0, -2.0], "int32"))
        array([ 1065353216, -1073741824], dtype=int32)
    """
    spec = _view_spec(x, dtype)
    x = tensor(x)
    if dtype is None:
        return x
    return active.math.view(x, spec.dtype)
