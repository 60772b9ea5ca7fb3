"""Weight penalties: `regularizer(weight)` is a scalar added to the model's losses."""

from __future__ import annotations

import numpy as np

from kerasx import ops
from kerasx.serialization import _registry

BAD_FACTOR = "Invalid value for argument {name}: expected a non-negative number. Received: {name}={value!r}."
BAD_MODE = "Invalid value for argument mode: expected 'rows' or 'columns'. Received: mode={value!r}."
NOT_2D = (
    "OrthogonalRegularizer applies to rank-2 weights (e.g. a Dense kernel). Received a weight of shape {shape}."
)


def _factor(name: str, value, float32: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(BAD_FACTOR.format(name=name, value=value))
    # Keras 3 keeps L1's and OrthogonalRegularizer's factors as float32 values (its configs then hold
    # 0.009999999776482582 for 0.01); the same rounding keeps configs equal.
    return float(np.float32(value)) if float32 else float(value)


class Regularizer:
    """Base class: `__call__(x)` returns a scalar penalty; `get_config` returns the constructor arguments.

    Layers add the penalty of their regularized weights to `layer.losses`, and training adds those to the loss.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> class MaxAbs(kerasx.regularizers.Regularizer):
        ...     def __init__(self, factor=0.1):
        ...         self.factor = factor
        ...     def __call__(self, x):
        ...         return self.factor * kerasx.ops.max(kerasx.ops.abs(x))
        ...     def get_config(self):
        ...         return {"factor": self.factor}
        >>> round(float(MaxAbs()(np.array([1.0, -3.0]))), 4)
        0.3
        >>> layer = kerasx.layers.Dense(2, kernel_initializer="ones", kernel_regularizer=MaxAbs(0.5))
        >>> _ = layer(np.ones((1, 2)))
        >>> [round(float(kerasx.ops.convert_to_numpy(loss)), 4) for loss in layer.losses]
        [0.5]
    """

    def __call__(self, x):
        return ops.zeros(())

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


@_registry.builtin
class L1(Regularizer):
    """L1 penalty `l1 * sum(|x|)`: pushes weights to exactly zero.

    Args:
        l1: the factor, >= 0.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> regularizer = kerasx.regularizers.L1(l1=0.1)
        >>> round(float(regularizer(np.array([[1.0, -2.0], [0.5, 0.0]]))), 4)
        0.35
        >>> layer = kerasx.layers.Dense(2, kernel_regularizer=regularizer)
    """

    def __init__(self, l1=0.01):
        self.l1 = _factor("l1", l1, float32=True)

    def __call__(self, x):
        return ops.multiply(self.l1, ops.sum(ops.abs(x)))

    def get_config(self) -> dict:
        return {"l1": self.l1}


@_registry.builtin
class L2(Regularizer):
    """L2 penalty `l2 * sum(x**2)` (weight decay): keeps weights small.

    Args:
        l2: the factor, >= 0.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> regularizer = kerasx.regularizers.L2(l2=0.1)
        >>> round(float(regularizer(np.array([[1.0, -2.0], [0.5, 0.0]]))), 4)
        0.525
        >>> layer = kerasx.layers.Dense(2, kernel_regularizer=regularizer)
    """

    def __init__(self, l2=0.01):
        self.l2 = _factor("l2", l2)

    def __call__(self, x):
        return ops.multiply(self.l2, ops.sum(ops.square(x)))

    def get_config(self) -> dict:
        return {"l2": self.l2}


@_registry.builtin
class L1L2(Regularizer):
    """Sum of the L1 and L2 penalties: `l1 * sum(|x|) + l2 * sum(x**2)`.

    Args:
        l1: the L1 factor, >= 0.
        l2: the L2 factor, >= 0.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> regularizer = kerasx.regularizers.L1L2(l1=0.1, l2=0.01)
        >>> round(float(regularizer(np.array([[1.0, -2.0], [0.5, 0.0]]))), 4)
        0.4025
        >>> layer = kerasx.layers.Dense(2, kernel_regularizer=regularizer)
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _factor("l1", l1)
        self.l2 = _factor("l2", l2)

    def __call__(self, x):
        penalty = ops.multiply(self.l1, ops.sum(ops.abs(x)))
        return ops.add(penalty, ops.multiply(self.l2, ops.sum(ops.square(x))))

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}


@_registry.builtin
class OrthogonalRegularizer(Regularizer):
    """Penalizes non-orthogonal rows (or columns) of a 2-D weight.

    The penalty is `factor * mean |<u_i, u_j>|` over the pairs i < j of L2-normalized rows (or columns with
    `mode="columns"`): 0 when they are orthogonal, `factor` when they are all parallel.

    Args:
        factor: the factor, >= 0.
        mode: "rows" or "columns".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> regularizer = kerasx.regularizers.OrthogonalRegularizer(factor=1.0)
        >>> round(float(regularizer(np.array([[1.0, 0.0], [0.0, 2.0]]))), 4)
        0.0
        >>> round(float(regularizer(np.array([[1.0, 1.0], [2.0, 2.0]]))), 4)
        1.0
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _factor("factor", factor, float32=True)
        if mode not in ("rows", "columns"):
            raise ValueError(BAD_MODE.format(value=mode))
        self.mode = mode

    def __call__(self, x):
        if len(ops.shape(x)) != 2:
            raise ValueError(NOT_2D.format(shape=ops.shape(x)))
        x = ops.convert_to_tensor(x)
        if self.mode == "columns":
            x = ops.transpose(x)
        x = ops.divide(x, ops.maximum(ops.sqrt(ops.sum(ops.square(x), axis=1, keepdims=True)), 1e-12))
        size = ops.shape(x)[0]
        product = ops.matmul(x, ops.transpose(x))
        off_diagonal = ops.multiply(product, ops.subtract(1.0, ops.eye(size, dtype=ops.dtype(x))))  # pyright: ignore[reportArgumentType] - a static size
        num_pairs = size * (size - 1) / 2.0  # pyright: ignore[reportOptionalOperand]
        return ops.multiply(self.factor * 0.5 / num_pairs, ops.sum(ops.abs(off_diagonal)))

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}
