"""`KerasTensor`: a symbolic tensor (shape with None dimensions, dtype) that the functional API is built from."""

from __future__ import annotations

from kerasx.backend import _dtypes

NOT_A_VALUE = (
    "A KerasTensor is symbolic: it has a shape {shape} and dtype {dtype} but no value, so it cannot be {what}. "
    "KerasTensors are placeholders used to build functional models (`kerasx.Input` -> layers -> `kerasx.Model`). "
    "To compute with real data, build the model and call it on arrays: `model(np.ones(...))`, or wrap engine code "
    "that needs values in a Layer's `call`."
)


class KerasTensor:
    """Symbolic tensor: what `kerasx.Input` returns and what layers and ops return on symbolic inputs.

    Args:
        shape: tuple of ints or None (unknown, e.g. the batch dimension).
        dtype: dtype name.
        name: optional name.

    Example:
    >>> x = KerasTensor((None, 3), "float32")
    >>> (x + 1).shape
    (None, 3)
    """

    __slots__ = ("shape", "dtype", "name", "_history", "_keras_mask", "__weakref__")

    def __init__(self, shape, dtype="float32", name=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = _dtypes.standardize_dtype(dtype)
        self.name = name
        self._history = None
        self._keras_mask = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def _refuse(self, what):
        raise TypeError(NOT_A_VALUE.format(shape=self.shape, dtype=self.dtype, what=what))

    def numpy(self):
        self._refuse("converted to a NumPy array")

    def __array__(self, dtype=None, copy=None):
        self._refuse("converted to a NumPy array")

    def __bool__(self):
        self._refuse("used as a Python bool (e.g. in `if`)")

    def __int__(self):
        self._refuse("converted to a Python int")

    def __float__(self):
        self._refuse("converted to a Python float")

    def __iter__(self):
        if not self.shape or self.shape[0] is None:
            self._refuse("iterated over (its first dimension is unknown)")
        return (self[i] for i in range(self.shape[0]))

    def __len__(self):
        if not self.shape or self.shape[0] is None:
            self._refuse("measured with len() (its first dimension is unknown)")
        return self.shape[0]

    def __hash__(self):
        return id(self)

    def __repr__(self):
        name = f", name={self.name}" if self.name else ""
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}{name}>"


def any_symbolic(args, kwargs=None) -> bool:
    """True when an argument (or an item of a list/tuple argument) is a KerasTensor."""
    for arg in args:
        if isinstance(arg, KerasTensor):
            return True
        if isinstance(arg, (list, tuple)):
            for item in arg:
                if isinstance(item, KerasTensor):
                    return True
    if kwargs:
        return any_symbolic(tuple(kwargs.values()))
    return False
