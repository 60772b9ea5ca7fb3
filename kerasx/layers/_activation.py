"""`Activation`: applies an activation function."""

from __future__ import annotations

from kerasx import activations
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry


@_registry.builtin
class Activation(Layer):
    """Applies `activation` to its input; shape unchanged.

    Args:
        activation: activation function or name (see `kerasx.activations`).
        **kwargs: base Layer arguments.

    Input shape: any. Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Activation("relu")
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([-2.0, 0.5, 3.0]))))
        [0.  0.5 3. ]
    """

    _built_at_construction = True

    supports_masking = True

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def get_config(self) -> dict:
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config
