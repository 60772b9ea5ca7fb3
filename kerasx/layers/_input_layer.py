"""`InputLayer` and `Input`: the entry points of a functional graph."""

from __future__ import annotations

from kerasx.backend import floatx, standardize_dtype
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor, Node
from kerasx.serialization import _registry

SHAPE_AND_BATCH_SHAPE = (
    "Pass either `shape` or `batch_shape`, not both. Received: shape={shape}, batch_shape={batch_shape}."
)
NO_SHAPE = "An Input needs a shape. Pass `shape=(...)` (one sample, without the batch axis) or `batch_shape=(...)`."
BAD_SHAPE = (
    "Cannot interpret {argument}={value!r} as a shape: expected a tuple of non-negative ints or None, "
    "e.g. {argument}=(32,) or {argument}=(None, 3)."
)


def _standardize_shape(value, argument: str) -> tuple:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ValueError(BAD_SHAPE.format(argument=argument, value=value))
    shape = []
    for d in value:
        if d is None:
            shape.append(None)
            continue
        if isinstance(d, bool) or not isinstance(d, int) and not hasattr(d, "__index__"):
            raise ValueError(BAD_SHAPE.format(argument=argument, value=value))
        if int(d) < 0:
            raise ValueError(BAD_SHAPE.format(argument=argument, value=value))
        shape.append(int(d))
    return tuple(shape)


@_registry.builtin
class InputLayer(Layer):
    """The layer behind `kerasx.Input`: holds the input KerasTensor of a functional model.

    Args:
        shape: shape of one sample, without the batch axis.
        batch_size: optional fixed batch size.
        dtype: dtype of the input; default `floatx()`.
        batch_shape: full shape including the batch axis (instead of `shape` and `batch_size`).
        name: layer name; also the KerasTensor's name.

    Example:
        >>> import kerasx
        >>> layer = kerasx.layers.InputLayer(shape=(3,))
        >>> layer.output.shape
        (None, 3)
        >>> model = kerasx.Sequential([layer, kerasx.layers.Dense(2)])
        >>> model.output_shape
        (None, 2)
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, batch_shape=None, name=None, **kwargs):
        if shape is not None and batch_shape is not None:
            raise ValueError(SHAPE_AND_BATCH_SHAPE.format(shape=shape, batch_shape=batch_shape))
        if shape is None and batch_shape is None:
            raise ValueError(NO_SHAPE)
        if batch_shape is None:
            batch_shape = (batch_size,) + _standardize_shape(shape, "shape")
        batch_shape = _standardize_shape(batch_shape, "batch_shape")
        dtype = floatx() if dtype is None else standardize_dtype(dtype)
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.batch_shape = batch_shape
        self.built = True
        tensor = KerasTensor(batch_shape, dtype, name=self.name)
        self._inbound_nodes.append(Node(self, (), {}, tensor))
        object.__setattr__(self, "_tensor", tensor)

    # `input` is that of the node, which has no input tensors: an empty list, as in Keras 3.
    @property
    def output(self):
        return self._tensor

    @property
    def input_shape(self):
        return self.batch_shape

    @property
    def output_shape(self):
        return self.batch_shape

    def call(self, inputs):
        return inputs

    def get_config(self) -> dict:
        return {"batch_shape": self.batch_shape, "dtype": self.dtype, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, name=None, batch_shape=None) -> KerasTensor:
    """A symbolic input tensor for building functional models.

    Args:
        shape: shape of one sample, without the batch axis, e.g. `(32,)`; None entries are unknown sizes.
        batch_size: optional fixed batch size.
        dtype: dtype of the input; default `floatx()`.
        name: name of the input (and of its InputLayer).
        batch_shape: full shape including the batch axis (instead of `shape` and `batch_size`).

    Returns:
        A KerasTensor of shape `(batch_size,) + shape` whose history points to an `InputLayer`.

    Example:
        >>> import kerasx
        >>> x = kerasx.Input(shape=(16,), name="features")
        >>> x.shape
        (None, 16)
        >>> y = kerasx.layers.Dense(4)(x)
        >>> kerasx.Model(x, y).output_shape
        (None, 4)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, batch_shape=batch_shape, name=name)
    return layer.output
