"""Weight constraints: projections `constraint(w) -> w'` that an optimizer applies after each update."""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import epsilon
from kerasx.serialization import _registry


def _norms(w, axis):
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


class Constraint:
    """Base class: `__call__(w)` returns the projected weight; the base constraint leaves it unchanged.

    Optimizers apply a variable's constraint after each update (`add_weight(constraint=...)`, or a layer's
    `kernel_constraint`).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> class Clip(kerasx.constraints.Constraint):
        ...     def __init__(self, limit=1.0):
        ...         self.limit = limit
        ...     def __call__(self, w):
        ...         return kerasx.ops.clip(w, -self.limit, self.limit)
        ...     def get_config(self):
        ...         return {"limit": self.limit}
        >>> print(kerasx.ops.convert_to_numpy(Clip(0.5)(np.array([-2.0, 0.25, 1.0]))))
        [-0.5   0.25  0.5 ]
    """

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


@_registry.builtin
class MaxNorm(Constraint):
    """Rescales slices along `axis` whose L2 norm exceeds `max_value` down to `max_value`.

    Args:
        max_value: maximum norm.
        axis: axis (or axes) the norm is taken over; 0 for a Dense kernel constrains each unit's incoming weights.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> w = np.array([[3.0, 0.3], [4.0, 0.4]])
        >>> print(np.round(kerasx.ops.convert_to_numpy(kerasx.constraints.MaxNorm(max_value=1.0)(w)), 4))
        [[0.6 0.3]
         [0.8 0.4]]
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0, self.max_value)
        return ops.multiply(w, ops.divide(desired, ops.add(norms, epsilon())))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


@_registry.builtin
class NonNeg(Constraint):
    """Sets negative entries to zero.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> w = kerasx.constraints.NonNeg()(np.array([-1.0, 0.5, 2.0]))
        >>> print(kerasx.ops.convert_to_numpy(w) + 0.0)  # + 0.0 prints the zeroed -1.0 (a -0.0) as 0.0
        [0.  0.5 2. ]
    """

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        return ops.multiply(w, ops.cast(ops.greater_equal(w, 0.0), ops.dtype(w)))


@_registry.builtin
class UnitNorm(Constraint):
    """Scales slices along `axis` to unit L2 norm.

    Args:
        axis: axis (or axes) the norm is taken over; 0 for a Dense kernel normalizes each unit's incoming weights.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> w = np.array([[3.0, 1.0], [4.0, 0.0]])
        >>> print(np.round(kerasx.ops.convert_to_numpy(kerasx.constraints.UnitNorm()(w)), 4))
        [[0.6 1. ]
         [0.8 0. ]]
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        return ops.divide(w, ops.add(_norms(w, self.axis), epsilon()))

    def get_config(self) -> dict:
        return {"axis": self.axis}


@_registry.builtin
class MinMaxNorm(Constraint):
    """Moves the L2 norms of slices along `axis` into `[min_value, max_value]`, by a fraction `rate` per call.

    The new norm is `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`.

    Args:
        min_value: the smallest norm allowed.
        max_value: the largest norm allowed.
        rate: fraction of the way to the allowed range moved per call (1.0 projects at once).
        axis: axis (or axes) the norm is taken over; 0 for a Dense kernel constrains each unit's incoming weights.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> w = np.array([[3.0, 0.3], [4.0, 0.4]])
        >>> constraint = kerasx.constraints.MinMaxNorm(min_value=1.0, max_value=2.0)
        >>> print(np.round(kerasx.ops.convert_to_numpy(constraint(w)), 4))
        [[1.2 0.6]
         [1.6 0.8]]
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        clipped = ops.clip(norms, self.min_value, self.max_value)
        desired = ops.add(ops.multiply(self.rate, clipped), ops.multiply(1.0 - self.rate, norms))
        return ops.multiply(w, ops.divide(desired, ops.add(norms, epsilon())))

    def get_config(self) -> dict:
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}
