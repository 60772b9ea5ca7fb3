"""`Pipeline`: preprocessing layers applied in sequence, as one layer."""

from __future__ import annotations

from kerasx.layers._layer import Layer
from kerasx.layers._preprocessing import _graph_host
from kerasx.serialization import _registry

BAD_LAYERS = (
    "`Pipeline` needs a list of layers. Received: layers={layers!r}. Pass e.g. "
    "`Pipeline([RandomFlip(), RandomRotation(0.1)])`."
)


@_registry.builtin
class Pipeline(_graph_host.HostInGraphMixin, Layer):
    """Applies `layers` one after the other: a lighter `Sequential` for preprocessing, usable on any input
    structure the layers take (image batches, or dicts of images, labels, boxes and masks).

    `training` and masks are passed on to the layers that take them.

    Args:
        layers: the layers, in order.
        name: the layer name.

    Call arguments:
        inputs: whatever the first layer takes.
        training: passed to each layer that takes it (None: each layer's own default).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> pipeline = kerasx.layers.Pipeline([kerasx.layers.Rescaling(0.5), kerasx.layers.CenterCrop(2, 2)])
        >>> print(kerasx.ops.convert_to_numpy(pipeline(np.full((1, 4, 4, 1), 8.0)))[0, ..., 0])
        [[4. 4.]
         [4. 4.]]
    """

    def __init__(self, layers, name: str | None = None):
        super().__init__(name=name)
        if not isinstance(layers, (list, tuple)):
            raise ValueError(BAD_LAYERS.format(layers=layers))
        self._pipeline_layers = list(layers)

    @property
    def layers(self) -> list:
        return self._pipeline_layers

    def call(self, inputs, training=None, mask=None):
        outputs = inputs
        for layer in self._pipeline_layers:
            kwargs = {}
            if training is not None:
                kwargs["training"] = training
            if mask is not None and layer._call_signature().has_mask:
                kwargs["mask"] = mask
            outputs = layer(outputs, **kwargs)
            mask = None
        return outputs

    def get_config(self) -> dict:
        return {
            "layers": [_keras_format(layer) for layer in self._pipeline_layers],
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config):
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(BAD_LAYERS.format(layers=layers))
        layers = [_registry.deserialize_keras_object(layer, kind="layer") for layer in layers]
        return cls(**{**config, "layers": layers})


def _keras_format(layer) -> dict:
    """A layer's description as Keras 3 writes nested objects (with "module" and "registered_name"), which its
    `Pipeline.from_config` needs to find the classes."""
    config = _registry.serialize_keras_object(layer)
    name = config["class_name"]
    builtin = name == type(layer).__name__
    return {
        "module": "keras.layers" if builtin else type(layer).__module__,
        "class_name": name,
        "config": config["config"],
        "registered_name": None if builtin else name,
    }
