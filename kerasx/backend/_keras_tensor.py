"""`KerasTensor`: a symbolic tensor (shape with None dimensions, dtype) that the functional API is built from.

It lives on the backend floor, as in Keras 3, so that `kerasx.backend.is_keras_tensor` can recognize one; the ops
give it its operators (`x + 1`) and record the graph (`kerasx.ops._node`).
"""

from __future__ import annotations

from kerasx.backend import _dtypes

NOT_A_VALUE = (
    "A KerasTensor is symbolic: it has a shape {shape} and dtype {dtype} but no value, so it cannot be {what}. "
    "KerasTensors are placeholders used to build functional models (`kerasx.Input` -> layers -> `kerasx.Model`). "
    "To compute with real data, build the model and call it on arrays: `model(np.ones(...))`, or wrap engine code "
    "that needs values in a Layer's `call`."
)


NO_SPARSE = (
    "kerasx has no {kind} tensors, so a KerasTensor cannot be {kind}. Received: {kind}=True. Pass dense data and "
    "leave {kind} at False (a {kind} input can be densified before it reaches the model)."
)
UNKNOWN_KWARGS = "KerasTensor got unexpected keyword arguments: {names}. Received: {kwargs}."
# What Keras 3 passes along with `ragged=True`; meaningful only for ragged tensors.
_RAGGED_DETAILS = ("ragged_rank", "row_splits_dtype")


class KerasTensor:
    """Symbolic tensor: what `kerasx.Input` returns and what layers and ops return on symbolic inputs.

    Args:
        shape: tuple of ints or None (unknown, e.g. the batch dimension).
        dtype: dtype name.
        sparse: must stay False: kerasx has no sparse tensors (accepted for Keras 3's signature).
        ragged: must stay False: kerasx has no ragged tensors.
        record_history: False makes the results of ops and layers called on this tensor carry no graph history, so
            no functional model can be traced back through them (Keras 3's meaning).
        name: optional name.

    Example:

    >>> import kerasx
    >>> x = kerasx.KerasTensor((None, 3), "float32")
    >>> (x + 1).shape
    (None, 3)
    """

    __slots__ = ("shape", "dtype", "name", "record_history", "_history", "_keras_mask", "__weakref__")

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, record_history=True, name=None, **kwargs):
        for kind, flag in (("sparse", sparse), ("ragged", ragged)):
            if flag:
                raise ValueError(NO_SPARSE.format(kind=kind))
        unknown = sorted(set(kwargs) - set(_RAGGED_DETAILS))
        if unknown:
            raise TypeError(UNKNOWN_KWARGS.format(names=unknown, kwargs=kwargs))
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = _dtypes.standardize_dtype(dtype)
        self.name = name
        self.record_history = bool(record_history)
        self._history: tuple | None = None
        self._keras_mask = None

    @property
    def sparse(self) -> bool:
        return False

    @property
    def ragged(self) -> bool:
        return False

    @property
    def ragged_rank(self) -> None:
        """None: kerasx's tensors are never ragged (Keras 3 gives a ragged tensor's number of ragged axes)."""
        return None

    @property
    def row_splits_dtype(self) -> None:
        """None: kerasx's tensors are never ragged (Keras 3 gives a ragged tensor's row partition dtype)."""
        return None

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
        return (self[i] for i in range(self.shape[0]))  # pyright: ignore[reportIndexIssue] - set by kerasx.ops

    def __len__(self):
        if not self.shape or self.shape[0] is None:
            self._refuse("measured with len() (its first dimension is unknown)")
        return self.shape[0]

    def __hash__(self):
        return id(self)

    def __repr__(self):
        name = f", name={self.name}" if self.name else ""
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}{name}>"
