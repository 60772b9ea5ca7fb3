"""Integer inputs of activations become floatx, as the ops do."""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import floatx, is_float


def as_float(x):
    x = ops.convert_to_tensor(x)
    return x if is_float(ops.dtype(x)) else ops.cast(x, floatx())
