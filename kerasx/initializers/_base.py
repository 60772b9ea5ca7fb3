"""`Initializer`: a callable `init(shape, dtype=None)` returning a native tensor, with a config for saving."""

from __future__ import annotations

from kerasx.backend import _dtypes

BAD_SHAPE = "Invalid shape for {name}. Received: shape={shape!r}. Expected a tuple of non-negative ints."


class Initializer:
    """Base class of initializers: subclasses implement `__call__(shape, dtype=None)` and `get_config()`.

    An initializer is called with the shape of a weight and returns a tensor of the selected engine; layers call it
    when they create their weights (`add_weight(initializer=...)`). `get_config` returns the constructor arguments,
    so that `from_config` (and `kerasx.initializers.deserialize`) can rebuild it.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> class Arange(kerasx.initializers.Initializer):
        ...     def __init__(self, step=1.0):
        ...         self.step = step
        ...     def __call__(self, shape, dtype=None):
        ...         count = int(np.prod(shape))
        ...         return kerasx.ops.reshape(kerasx.ops.arange(count, dtype=dtype or "float32") * self.step, shape)
        ...     def get_config(self):
        ...         return {"step": self.step}
        >>> print(kerasx.ops.convert_to_numpy(Arange(0.5)((2, 3))))
        [[0.  0.5 1. ]
         [1.5 2.  2.5]]
        >>> layer = kerasx.layers.Dense(2, kernel_initializer=Arange())
        >>> print(kerasx.ops.convert_to_numpy(layer(np.ones((1, 2)))))
        [[2. 4.]]
        >>> Arange.from_config(Arange(2.0).get_config()).step
        2.0
    """

    def __call__(self, shape, dtype=None):
        raise TypeError(f"{type(self).__name__} does not define __call__; subclasses of Initializer must.")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def clone(self):
        return type(self).from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def check_shape(name: str, shape) -> tuple:
    try:
        dims = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(BAD_SHAPE.format(name=name, shape=shape)) from None
    if any(d < 0 for d in dims):
        raise ValueError(BAD_SHAPE.format(name=name, shape=shape))
    return dims


def resolve_dtype(dtype) -> str:
    """The dtype to create: the given one, or floatx."""
    return _dtypes.standardize_dtype(dtype)
