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
NO_SPARSE_INPUT = (
    "kerasx has no {kind} tensors, so an Input cannot be {kind}. Received: {kind}=True. Feed dense arrays and leave "
    "{kind} unset (densify {kind} data before it reaches the model)."
)
NOT_A_KERAS_TENSOR = (
    "The tensor an Input wraps must be a KerasTensor (e.g. `kerasx.KerasTensor((None, 3))`). Received: "
    "{argument}={value!r} of type {type}."
)
TENSOR_MISMATCH = (
    "An Input wrapping an existing KerasTensor takes its shape and dtype from it; {argument}={value!r} disagrees "
    "with the tensor's {what} {actual!r}. Leave {argument} unset or make it agree."
)


def _standardize_shape(value, argument: str) -> tuple:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ValueError(BAD_SHAPE.format(argument=argument, value=value))
    shape = []
    for d in value:
        if d is None:
            shape.append(None)
            continue
        if isinstance(d, bool) or (not isinstance(d, int) and not hasattr(d, "__index__")):
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
        sparse: must stay unset or False: kerasx has no sparse tensors.
        ragged: must stay unset or False: kerasx has no ragged tensors.
        batch_shape: full shape including the batch axis (instead of `shape` and `batch_size`).
        input_tensor: an existing KerasTensor to use as this input (its shape and dtype are the input's).
        optional: whether the model may be called with None for this input (its layers then receive None).
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

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, **kwargs):
        _refuse_sparse(sparse, ragged)
        if input_tensor is not None:
            batch_shape, dtype = _wrapped_spec(input_tensor, shape, batch_size, batch_shape, dtype)
            shape = batch_size = None
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
        self.optional = bool(optional)
        self.built = True
        # A wrapped tensor becomes this input itself (its history now points here), as in Keras 3.
        tensor = input_tensor if input_tensor is not None else KerasTensor(batch_shape, dtype, name=self.name)
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
        return {
            "batch_shape": self.batch_shape,
            "dtype": self.dtype,
            "sparse": False,
            "ragged": False,
            "name": self.name,
            "optional": self.optional,
        }


def _refuse_sparse(sparse, ragged) -> None:
    for kind, flag in (("sparse", sparse), ("ragged", ragged)):
        if flag:
            raise ValueError(NO_SPARSE_INPUT.format(kind=kind))


def _wrapped_spec(tensor, shape, batch_size, batch_shape, dtype) -> tuple:
    """(batch_shape, dtype) of the KerasTensor an Input wraps, after checking the other arguments agree with it."""
    if not isinstance(tensor, KerasTensor):
        raise ValueError(NOT_A_KERAS_TENSOR.format(argument="tensor", value=tensor, type=type(tensor).__name__))
    checks = (
        ("batch_size", batch_size, "batch size", tensor.shape[0] if tensor.shape else None),
        ("shape", None if shape is None else _standardize_shape(shape, "shape"), "shape without the batch axis",
         tensor.shape[1:]),
        ("batch_shape", None if batch_shape is None else _standardize_shape(batch_shape, "batch_shape"), "shape",
         tensor.shape),
        ("dtype", None if dtype is None else standardize_dtype(dtype), "dtype", tensor.dtype),
    )
    for argument, value, what, actual in checks:
        if value is not None and value != actual:
            raise ValueError(TENSOR_MISMATCH.format(argument=argument, value=value, what=what, actual=actual))
    return tensor.shape, tensor.dtype


def Input(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None, name=None,
          tensor=None, optional=False) -> KerasTensor:
    """A symbolic input tensor for building functional models.

    Args:
        shape: shape of one sample, without the batch axis, e.g. `(32,)`; None entries are unknown sizes.
        batch_size: optional fixed batch size.
        dtype: dtype of the input; default `floatx()`.
        sparse: must stay unset or False: kerasx has no sparse tensors (a clear error otherwise).
        ragged: must stay unset or False: kerasx has no ragged tensors.
        batch_shape: full shape including the batch axis (instead of `shape` and `batch_size`).
        name: name of the input (and of its InputLayer).
        tensor: an existing KerasTensor to make the input (returned itself, now the output of an InputLayer).
        optional: whether the model may be called with None for this input; its layers then receive None.

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
    layer = InputLayer(
        shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse, ragged=ragged, batch_shape=batch_shape,
        input_tensor=tensor, optional=optional, name=name,
    )
    return layer.output
