"""`Wrapper`: the base class of layers that hold one other layer and change how it is applied."""

from __future__ import annotations

from kerasx.layers import _call_context
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry

NOT_A_LAYER = (
    "{cls} wraps a layer or a model. Received: layer={layer!r} of type {type}. Pass a kerasx layer, e.g. "
    "`{cls}(kerasx.layers.Dense(8))`."
)


@_registry.builtin
class Wrapper(Layer):
    """Base class of the layers that wrap another layer (`TimeDistributed`, or your own): it holds `layer`, builds
    it with the wrapper, and writes it into the wrapper's config so that `from_config` rebuilds it.

    Subclasses define `call` (and usually `build` and `compute_output_shape`); the base class's `call` applies the
    wrapped layer unchanged.

    Args:
        layer: the Layer (or Model) to wrap.
        **kwargs: base Layer arguments.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> class Doubled(kerasx.layers.Wrapper):
        ...     def call(self, inputs):
        ...         return 2.0 * self.layer(inputs)
        >>> layer = Doubled(kerasx.layers.Dense(2, kernel_initializer="ones"))
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[1.0, 2.0]]))))
        [[6. 6.]]
        >>> layer.get_config()["layer"]["class_name"]
        'Dense'
    """

    def __init__(self, layer: Layer, **kwargs):
        if not isinstance(layer, Layer):
            cls = type(self).__name__
            raise ValueError(NOT_A_LAYER.format(cls=cls, layer=layer, type=type(layer).__name__))
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            with _call_context.call_scope(record_nodes=False):
                self.layer.build(input_shape)
            self.layer.built = True
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return self.layer(inputs, *args, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config["layer"] = _registry.serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = _registry.deserialize_keras_object(config.pop("layer"), custom_objects, kind="layer")
        return cls(layer, **config)
