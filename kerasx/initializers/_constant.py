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
    """All zeros.

    Example:
        >>> import kerasx
        >>> print(kerasx.ops.convert_to_numpy(kerasx.initializers.Zeros()((2, 3))))
        [[0. 0. 0.]
         [0. 0. 0.]]
        >>> kerasx.layers.Dense(3, bias_initializer="zeros").bias_initializer
        Zeros()
    """

    def __call__(self, shape, dtype=None):
        return ops.zeros(check_shape("Zeros", shape), dtype=resolve_dtype(dtype))


@_registry.builtin
class Ones(Initializer):
    """All ones.

    Example:
        >>> import kerasx
        >>> print(kerasx.ops.convert_to_numpy(kerasx.initializers.Ones()((2, 3), dtype="int32")))
        [[1 1 1]
         [1 1 1]]
    """

    def __call__(self, shape, dtype=None):
        return ops.ones(check_shape("Ones", shape), dtype=resolve_dtype(dtype))


@_registry.builtin
class Constant(Initializer):
    """Filled with `value` (a number, or an array broadcastable to the requested shape).

    Args:
        value: the fill value.

    Example:
        >>> import kerasx
        >>> print(kerasx.ops.convert_to_numpy(kerasx.initializers.Constant(0.5)((2, 2))))
        [[0.5 0.5]
         [0.5 0.5]]
        >>> print(kerasx.ops.convert_to_numpy(kerasx.initializers.Constant([1.0, 2.0, 3.0])((2, 3))))
        [[1. 2. 3.]
         [1. 2. 3.]]
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

    Example:
        >>> import kerasx
        >>> print(kerasx.ops.convert_to_numpy(kerasx.initializers.Identity(gain=2.0)((2, 3))))
        [[2. 0. 0.]
         [0. 2. 0.]]
    """

    def __init__(self, gain=1.0):
        self.gain = float(gain)

    def __call__(self, shape, dtype=None):
        shape = check_shape("Identity", shape)
        if len(shape) != 2:
            raise ValueError(NOT_2D.format(shape=shape))
        return ops.multiply(ops.eye(*shape, dtype=resolve_dtype(dtype)), self.gain)

    def get_config(self) -> dict:
        # Keras 3.15's Identity writes an empty config, which loses a gain other than 1: write the default as Keras
        # does (configs compare equal) and any other gain, which Keras's Identity(gain=...) reads back.
        return {} if self.gain == 1.0 else {"gain": self.gain}
