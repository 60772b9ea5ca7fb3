"""The autocast scope: while a mixed-precision layer runs, its float variables read in the layer's compute dtype.

A layer whose policy computes in another dtype than it stores (`mixed_float16`: float16 math, float32 variables)
opens `AutocastScope("float16")` around its `call`; `Variable.value` and `Variable.dtype` then give the variable cast
to float16 (a differentiable cast, so gradients still reach the float32 variable). `AutocastScope(None)` switches
casting off for a nested layer that computes in its variables' dtype.
"""

from __future__ import annotations

import threading

from kerasx.backend import _dtypes

NOT_FLOAT = (
    "AutocastScope casts variables to a float dtype only. Received: dtype={dtype!r}. Pass a float dtype such as "
    "'float16' or 'bfloat16', or None to switch casting off."
)

_STATE = threading.local()


def current_dtype() -> str | None:
    """The dtype float variables read in right now, or None (no cast)."""
    return getattr(_STATE, "dtype", None)


class AutocastScope:
    """Within the scope, float variables that allow it (`autocast=True`) read as `dtype`; None stops casting."""

    def __init__(self, dtype: str | None):
        if dtype is not None:
            dtype = _dtypes.standardize_dtype(dtype)
            if not _dtypes.is_float(dtype):
                raise ValueError(NOT_FLOAT.format(dtype=dtype))
        self.dtype = dtype
        self._previous = None

    def __enter__(self):
        self._previous = current_dtype()
        _STATE.dtype = self.dtype
        return self

    def __exit__(self, *exc_info):
        _STATE.dtype = self._previous
