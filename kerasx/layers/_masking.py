"""`Masking`: marks the timesteps whose features all equal `mask_value` as masked for the layers downstream."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry


@_registry.builtin
class Masking(Layer):
    """Masks the timesteps of `(batch, steps, features)` whose features all equal `mask_value`.

    The output carries the mask `any(inputs != mask_value, axis=-1)` (True where a step is kept), which masking
    layers downstream (LSTM, GRU, pooling, attention, ...) use to skip the masked steps; masked steps of the output
    are zeros. A mask arriving with the input is replaced, as in Keras 3.

    Args:
        mask_value: the value a step's features must all equal for the step to be masked.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: tensor of shape `(batch, steps, features)` (any rank: the last axis holds the features).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]])
        >>> layer = kerasx.layers.Masking(mask_value=0.0)
        >>> print(kerasx.ops.convert_to_numpy(layer.compute_mask(x)))
        [[ True False  True]]
        >>> print(kerasx.ops.convert_to_numpy(layer(x))[0, :, 0])
        [1. 0. 3.]
    """

    _built_at_construction = True

    supports_masking = True

    def __init__(self, mask_value: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return ops.multiply(inputs, ops.cast(keep, ops.dtype(inputs)))

    def compute_output_spec(self, inputs):
        return ops.KerasTensor(tuple(inputs.shape), inputs.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}
