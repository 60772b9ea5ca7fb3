"""Shape and dtype rules shared by many ops, for symbolic (KerasTensor) inputs.

A spec takes the op's arguments and returns KerasTensor(s) with the output shape and dtype. `None` dimensions
(unknown sizes) propagate: broadcasting None against 1 gives None, against n gives n.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from kerasx.backend import _dtypes
from kerasx.ops._dispatch import dtype_of, shape_of
from kerasx.ops._keras_tensor import KerasTensor

INCOMPATIBLE_SHAPES = (
    "Shapes cannot be broadcast together. Received: shapes {shapes}. Each dimension must be equal, 1, or unknown."
)


def broadcast_shapes(*shapes) -> tuple:
    ndim = max((len(s) for s in shapes), default=0)
    result = []
    for axis in range(ndim):
        dims = [s[axis - ndim + len(s)] for s in shapes if axis - ndim + len(s) >= 0]
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            raise ValueError(INCOMPATIBLE_SHAPES.format(shapes=list(shapes)))
        if known:
            result.append(known.pop())
        elif any(d is None for d in dims):
            result.append(None)
        else:
            result.append(1)
    return tuple(result)


@overload
def normalize_axis(axis: None, ndim: int, name: str = "axis") -> None: ...
@overload
def normalize_axis(axis: int | Sequence[int], ndim: int, name: str = "axis") -> tuple[int, ...]: ...
def normalize_axis(axis, ndim: int, name: str = "axis") -> tuple[int, ...] | None:
    """None, or a tuple of non-negative axes; raises a clear error when an axis is out of range."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    normalized = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(f"Axis out of range for a tensor of rank {ndim}. Received: {name}={axis}.")
        normalized.append(a % ndim if ndim else 0)
    return tuple(normalized)


def reduced_shape(shape, axis, keepdims: bool) -> tuple:
    axes = normalize_axis(axis, len(shape))
    if axes is None:
        return tuple(1 for _ in shape) if keepdims else ()
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def same(x, *args, **kwargs) -> KerasTensor:
    """Output like the first input: elementwise ops that keep dtype."""
    return KerasTensor(shape_of(x), dtype_of(x))


def same_float(x, *args, **kwargs) -> KerasTensor:
    """Same shape; integer inputs become floatx (sqrt, exp, sin, ...)."""
    return KerasTensor(shape_of(x), _dtypes.float_result(dtype_of(x)))


def same_real(x, *args, **kwargs) -> KerasTensor:
    """Same shape; complex inputs give their real dtype (abs, real, imag), other dtypes are kept."""
    return KerasTensor(shape_of(x), _dtypes.real_part_dtype(dtype_of(x)))


def same_bool(x, *args, **kwargs) -> KerasTensor:
    return KerasTensor(shape_of(x), "bool")


def broadcast_binary(x1, x2, *args, **kwargs) -> KerasTensor:
    return KerasTensor(broadcast_shapes(shape_of(x1), shape_of(x2)), _dtypes.result_type(_weak(x1), _weak(x2)))


def broadcast_binary_float(x1, x2, *args, **kwargs) -> KerasTensor:
    return KerasTensor(broadcast_shapes(shape_of(x1), shape_of(x2)), _dtypes.float_result(_weak(x1), _weak(x2)))


def broadcast_binary_bool(x1, x2, *args, **kwargs) -> KerasTensor:
    return KerasTensor(broadcast_shapes(shape_of(x1), shape_of(x2)), "bool")


def reduction(x, axis=None, keepdims=False, **kwargs) -> KerasTensor:
    return KerasTensor(reduced_shape(shape_of(x), axis, keepdims), dtype_of(x))


def reduction_float(x, axis=None, keepdims=False, **kwargs) -> KerasTensor:
    return KerasTensor(reduced_shape(shape_of(x), axis, keepdims), _dtypes.float_result(dtype_of(x)))


def _weak(x):
    """Python scalars stay scalars so that promotion treats them as weak; everything else becomes its dtype."""
    return x if isinstance(x, (bool, int, float)) else dtype_of(x)
