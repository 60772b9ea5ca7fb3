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
    """

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
