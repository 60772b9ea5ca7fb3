"""Public core ops: conversion, casting, shapes, control flow, slicing and scattering."""

from __future__ import annotations

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


def shape(x) -> tuple:
    """Shape tuple of a tensor (None for unknown dimensions of symbolic tensors)."""
    if isinstance(x, (KerasTensor, Variable)):
        return x.shape
    return _core.shape(tensor(x))


def dtype(x) -> str:
    """kerasx dtype name of a tensor, Variable or KerasTensor."""
    return dtype_of(x)
