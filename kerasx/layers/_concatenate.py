"""`Concatenate` and its function form `concatenate`: joins tensors along one axis."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers._layer import Layer
from kerasx.layers._merging import as_shape_list
from kerasx.ops._np_join import distinct_sizes
from kerasx.serialization import _registry

BAD_AXIS = "Concatenate: `axis` must be an int. Received: axis={axis!r}."
RANK_MISMATCH = (
    "Layer '{name}' (Concatenate) needs inputs of the same rank. Received: input shapes {shapes}. "
    "Reshape or expand the inputs so that their ranks match."
)
AXIS_OUT_OF_RANGE = (
    "Layer '{name}' (Concatenate) cannot concatenate along axis={axis}: the inputs have rank {rank}. "
    "Received: input shapes {shapes}."
)
SHAPE_MISMATCH = (
    "Layer '{name}' (Concatenate) needs inputs with matching shapes except along the concatenation axis "
    "{axis}, but axis {other} has sizes {sizes}. Received: input shapes {shapes}."
)


@_registry.builtin
class Concatenate(Layer):
    """Concatenates a list of tensors along `axis`; all other sizes must match.

    Args:
        axis: the concatenation axis (negative counts from the end; -1 is the feature axis).
        **kwargs: base Layer arguments.

    Input masks (e.g. from `Embedding(mask_zero=True)`) are concatenated too: an entry of the output mask is True
    where every concatenated input is valid.

    Call arguments:
        inputs: list of tensors of one rank whose sizes agree except along `axis`.
        mask: optional list of masks, one per input (None for inputs without one).

    Output shape: the inputs' shape with the sizes along `axis` added up.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 2.0]]), np.array([[3.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Concatenate()([x1, x2])))
        [[1. 2. 3.]]
        >>> a, b = kerasx.Input(shape=(4, 8)), kerasx.Input(shape=(6, 8))
        >>> kerasx.layers.Concatenate(axis=1)([a, b]).shape
        (None, 10, 8)
    """

    supports_masking = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(BAD_AXIS.format(axis=axis))
        self.axis = axis

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape):
        shapes = as_shape_list(self, input_shape, minimum=1)
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes):
            raise ValueError(RANK_MISMATCH.format(name=self.name, shapes=shapes))
        if not -rank <= self.axis < rank:
            raise ValueError(AXIS_OUT_OF_RANGE.format(name=self.name, axis=self.axis, rank=rank, shapes=shapes))
        axis = self.axis % rank
        output = []
        for index in range(rank):
            sizes = [s[index] for s in shapes]
            if index == axis:
                output.append(None if None in sizes else sum(sizes))
                continue
            known = distinct_sizes(sizes)
            # The batch axis may differ in symbolic shapes only when unknown; known sizes must agree everywhere.
            if len(known) > 1:
                raise ValueError(
                    SHAPE_MISMATCH.format(name=self.name, axis=self.axis, other=index, sizes=sizes, shapes=shapes)
                )
            output.append(known[0] if known else None)
        return tuple(output)

    def compute_output_spec(self, inputs):
        self.compute_output_shape([tuple(x.shape) for x in inputs])
        return self.call(inputs)

    def call(self, inputs):
        return ops.concatenate(list(inputs), axis=self.axis)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            if m is None:
                m = ops.ones_like(x, dtype="bool")
            elif len(ops.shape(m)) < len(ops.shape(x)):
                # logical_and with ones broadcasts also when the batch size is unknown (symbolic inputs).
                m = ops.logical_and(ops.expand_dims(m, -1), ops.ones_like(x, dtype="bool"))
            masks.append(m)
        return ops.all(ops.concatenate(masks, axis=self.axis), axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """`Concatenate(axis, **kwargs)(inputs)`.

    Args:
        inputs: list of tensors of one rank whose sizes agree except along `axis`.
        axis: the concatenation axis.
        **kwargs: arguments of the `Concatenate` layer (e.g. `name`).

    Returns:
        The concatenated tensor (a KerasTensor for symbolic inputs).

    Example:
        >>> import kerasx
        >>> a, b = kerasx.Input(shape=(3,)), kerasx.Input(shape=(5,))
        >>> kerasx.layers.concatenate([a, b]).shape
        (None, 8)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
