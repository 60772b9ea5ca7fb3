"""Public core ops: conversion, casting, shapes, control flow, slicing and scattering."""

from __future__ import annotations

import ml_dtypes
import numpy as np

from kerasx.backend import _dtypes, active
from kerasx.backend._variable import Variable
from kerasx.ops._core_flow import (
    cond,
    custom_gradient,
    fori_loop,
    map,
    scan,
    stop_gradient,
    switch,
    vectorized_map,
    while_loop,
)
from kerasx.ops._core_slicing import scatter, scatter_update, slice, slice_update
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor

_core = active.core

__all__ = [
    "cast",
    "cond",
    "convert_to_numpy",
    "convert_to_tensor",
    "custom_gradient",
    "dtype",
    "fori_loop",
    "is_tensor",
    "map",
    "saturate_cast",
    "scan",
    "scatter",
    "scatter_update",
    "shape",
    "slice",
    "slice_update",
    "stop_gradient",
    "switch",
    "vectorized_map",
    "while_loop",
]


def convert_to_tensor(x, dtype=None):
    """Native tensor of the selected engine holding `x` (array-like, tensor or Variable)."""
    if isinstance(x, KerasTensor):
        return x if dtype is None else cast(x, dtype)
    return _core.convert_to_tensor(x, None if dtype is None else _dtypes.standardize_dtype(dtype))


def convert_to_numpy(x):
    """NumPy array copy of a tensor, Variable or array-like."""
    if isinstance(x, KerasTensor):
        x.numpy()
    return _core.convert_to_numpy(x)


def is_tensor(x) -> bool:
    """True for a native tensor of the selected engine."""
    return _core.is_tensor(x)


def _cast_spec(x, dtype):
    return KerasTensor(shape_of(x), _dtypes.standardize_dtype(dtype))


@op(_cast_spec)
def cast(x, dtype):
    """`x` converted to `dtype`."""
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
def saturate_cast(x, dtype):
    """`x` cast to `dtype`, with values outside the range of `dtype` clipped to its limits (no wrap-around)."""
    x = tensor(x)
    dtype, in_dtype = _dtypes.standardize_dtype(dtype), _core.dtype_name(x)
    if "bool" in (dtype, in_dtype):
        return _core.cast(x, dtype)
    low, high = _saturation_bounds(in_dtype, dtype)
    clipped = active.numpy.clip(x, tensor(low, in_dtype), tensor(high, in_dtype))
    return _core.cast(clipped, dtype)


def shape(x) -> tuple:
    """Shape tuple of a tensor (None for unknown dimensions of symbolic tensors)."""
    if isinstance(x, (KerasTensor, Variable)):
        return x.shape
    return _core.shape(tensor(x))


def dtype(x) -> str:
    """kerasx dtype name of a tensor, Variable or KerasTensor."""
    return dtype_of(x)
