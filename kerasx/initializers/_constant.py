"""Deterministic initializers: Zeros, Ones, Constant, Identity."""

from __future__ import annotations

import numpy as np

from kerasx import ops
from kerasx.initializers._base import Initializer, check_shape, resolve_dtype
from kerasx.serialization import _registry

NOT_2D = (
    "The Identity initializer only makes 2D matrices. Received: shape={shape}. For other shapes use Constant, "
    "or reshape an identity matrix."
)


@_registry.builtin
class Zeros(Initializer):
    """All zeros."""

    def __call__(self, shape, dtype=None):
        return ops.zeros(check_shape("Zeros", shape), dtype=resolve_dtype(dtype))


@_registry.builtin
class Ones(Initializer):
    """All ones."""

    def __call__(self, shape, dtype=None):
        return ops.ones(check_shape("Ones", shape), dtype=resolve_dtype(dtype))


@_registry.builtin
class Constant(Initializer):
    """Filled with `value` (a number, or an array broadcastable to the requested shape).

    Args:
        value: the fill value.
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return ops.full(check_shape("Constant", shape), self.value, dtype=resolve_dtype(dtype))

    def get_config(self) -> dict:
        value = self.value
        return {"value": value.tolist() if isinstance(value, np.ndarray) else value}


@_registry.builtin
class Identity(Initializer):
    """`gain` times the identity matrix (ones on the main diagonal of a 2D, possibly non-square, matrix).

    Args:
        gain: multiplier.
    """

    def __init__(self, gain=1.0):
        self.gain = float(gain)

    def __call__(self, shape, dtype=None):
        shape = check_shape("Identity", shape)
        if len(shape) != 2:
            raise ValueError(NOT_2D.format(shape=shape))
        return ops.multiply(ops.eye(*shape, dtype=resolve_dtype(dtype)), self.gain)

    def get_config(self) -> dict:
        return {"gain": self.gain}
