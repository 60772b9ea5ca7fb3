"""Conversion and dtype ops: convert_to_tensor, convert_to_numpy, is_tensor, cast, saturate_cast, shape, dtype.

`cast` and `saturate_cast` are graph ops (a KerasTensor input gives a KerasTensor); the others convert a value or
answer a question about it and are plain functions, as in Keras.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np

from kerasx.backend import _dtypes, active
from kerasx.backend._variable import Variable
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Shape, Tensor, TensorLike

_core = active.core

NO_SPARSE_OR_RAGGED = (
    "kerasx has dense tensors only: it cannot make a {what} tensor (backend: {backend}). Received: {what}=True. "
    "Pass {what}=False (or leave it out) for a dense tensor."
)


def convert_to_tensor(
    x: TensorLike, dtype: str | None = None, sparse: bool | None = None, ragged: bool | None = None
) -> Tensor:
    """A native tensor of the selected engine holding `x`.

    A KerasTensor stays symbolic (cast to `dtype` when one is given).

    Args:
        x: an array-like (NumPy array, nested list, number), a tensor or a Variable.
        dtype: the dtype; None keeps the dtype of `x` (Python data: int32, floatx or bool).
        sparse: None or False; kerasx's tensors are dense, so True raises a `ValueError`.
        ragged: None or False; kerasx's tensors are rectangular, so True raises a `ValueError`.

    Returns:
        A tensor of the engine selected by `KERAS_BACKEND`.

    Example:
        >>> from kerasx import ops
        >>> x = ops.convert_to_tensor([1, 2], dtype="float32")
        >>> ops.is_tensor(x), ops.dtype(x)
        (True, 'float32')
    """
    if sparse or ragged:
        raise ValueError(NO_SPARSE_OR_RAGGED.format(what="sparse" if sparse else "ragged", backend=active.NAME))
    if isinstance(x, KerasTensor):
        return x if dtype is None else cast(x, dtype)
    return _core.convert_to_tensor(x, None if dtype is None else _dtypes.standardize_dtype(dtype))


def convert_to_numpy(x: TensorLike) -> np.ndarray:
    """A NumPy array copy of a tensor, Variable or array-like.

    A KerasTensor has no value and raises a `ValueError` that says how to get one.

    Args:
        x: a tensor, Variable or array-like.

    Returns:
        A NumPy array of the same shape and dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.convert_to_tensor([[1.5, 2.0]]))
        array([[1.5, 2. ]], dtype=float32)
    """
    if isinstance(x, KerasTensor):
        x.numpy()
    return _core.convert_to_numpy(x)


def is_tensor(x: TensorLike) -> bool:
    """Whether `x` is a native tensor of the selected engine (NumPy arrays and lists are not).

    Args:
        x: any value.

    Returns:
        A Python bool.

    Example:
        >>> from kerasx import ops
        >>> ops.is_tensor(ops.convert_to_tensor([1])), ops.is_tensor([1])
        (True, False)
    """
    return _core.is_tensor(x)


def _cast_spec(x, dtype):
    return KerasTensor(shape_of(x), _dtypes.standardize_dtype(dtype))


@op(_cast_spec)
def cast(x: TensorLike, dtype: str) -> Tensor:
    """`x` converted to `dtype`.

    Floats cast to integers truncate towards zero; out-of-range values wrap or are undefined as in the engine (see
    `saturate_cast` for clipping).

    Args:
        x: input tensor.
        dtype: the target dtype name, e.g. "int32" or "bfloat16".

    Returns:
        A tensor of the shape of `x` in `dtype`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.cast([1.7, -1.7], "int32"))
        array([ 1, -1], dtype=int32)
    """
    return _core.cast(tensor(x), _dtypes.standardize_dtype(dtype))


def _value_range(dtype: str) -> tuple:
    native = _dtypes.numpy_dtype(dtype)
    info = np.iinfo(native) if _dtypes.is_int(dtype) else ml_dtypes.finfo(native)
    return info.min, info.max



def _saturation_bounds(in_dtype: str, out_dtype: str) -> tuple:
    """Clip bounds in `in_dtype` whose values all fit in `out_dtype` (e.g. float32 2147483520 for int32)."""
    native = _dtypes.numpy_dtype(in_dtype)
    (in_low, in_high), (out_low, out_high) = _value_range(in_dtype), _value_range(out_dtype)
    bounds = []
    for value, limit in ((max(in_low, out_low), out_low), (min(in_high, out_high), out_high)):
        bound = np.array(value).astype(native)
        # Rounding to the input dtype may step outside the output range (int32's max is 2**31 in float32).
        if abs(float(bound)) > abs(float(limit)):
            bound = np.nextafter(bound, np.zeros((), native))
        bounds.append(bound)
    return tuple(bounds)


@op(_cast_spec)
def saturate_cast(x: TensorLike, dtype: str) -> Tensor:
    """`x` cast to `dtype`, with the values outside the range of `dtype` clipped to its limits (no wrap-around).

    Args:
        x: input tensor.
        dtype: the target dtype name.

    Returns:
        A tensor of the shape of `x` in `dtype`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.saturate_cast([300, -5], "uint8"))
        array([255,   0], dtype=uint8)
    """
    x = tensor(x)
    dtype, in_dtype = _dtypes.standardize_dtype(dtype), _core.dtype_name(x)
    if "bool" in (dtype, in_dtype):
        return _core.cast(x, dtype)
    low, high = _saturation_bounds(in_dtype, dtype)
    clipped = active.numpy.clip(x, tensor(low, in_dtype), tensor(high, in_dtype))
    return _core.cast(clipped, dtype)


def shape(x: TensorLike) -> Shape:
    """The shape of `x` as a tuple; None marks the unknown dimensions of a symbolic tensor.

    Inside `tf.function` a dimension unknown at tracing time is a scalar tensor.

    Args:
        x: a tensor, Variable, KerasTensor or array-like.

    Returns:
        A tuple with one entry per dimension.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.shape(np.zeros((2, 3)))
        (2, 3)
        >>> ops.shape(ops.KerasTensor((None, 3)))
        (None, 3)
    """
    if isinstance(x, (KerasTensor, Variable)):
        return x.shape
    if isinstance(x, np.ndarray) and x.dtype.kind in "USO":
        return x.shape  # text (for the text layers) stays a NumPy array on engines without string tensors
    return _core.shape(tensor(x))


def dtype(x: TensorLike) -> str:
    """The kerasx dtype name of a tensor, Variable, KerasTensor or array-like (e.g. "float32").

    Args:
        x: a tensor, Variable, KerasTensor or array-like.

    Returns:
        A dtype name.

    Example:
        >>> from kerasx import ops
        >>> ops.dtype(ops.convert_to_tensor([1.0])), ops.dtype([1, 2])
        ('float32', 'int32')
    """
    return dtype_of(x)


__all__ = ["cast", "convert_to_numpy", "convert_to_tensor", "dtype", "is_tensor", "saturate_cast", "shape"]
