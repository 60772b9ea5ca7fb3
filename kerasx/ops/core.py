"""Public core ops: conversion and casting, shapes and dtypes, control flow and gradient control, static slices
and scatters, associative scans and einops-style rearrangement.

Each concept lives in a private module that lists its ops in `__all__`; this face re-exports every one of them by
name, and `kerasx.ops` re-exports this face. `tests/test_ops_surface.py` checks that the lists agree.
"""

from __future__ import annotations

from kerasx import _missing
from kerasx.ops import _core_associative_scan, _core_convert, _core_flow, _core_rearrange, _core_slicing
from kerasx.ops._core_associative_scan import associative_scan
from kerasx.ops._core_convert import cast, convert_to_numpy, convert_to_tensor, dtype, is_tensor, saturate_cast, shape
from kerasx.ops._core_flow import (
    cond, custom_gradient, fori_loop, map, scan, stop_gradient, switch, vectorized_map, while_loop,
)
from kerasx.ops._core_rearrange import rearrange
from kerasx.ops._core_slicing import scatter, scatter_update, slice, slice_update, unstack

__all__ = sorted(
    _core_associative_scan.__all__
    + _core_convert.__all__
    + _core_flow.__all__
    + _core_rearrange.__all__
    + _core_slicing.__all__
)


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
