"""Layers: the `Layer` base class, `InputLayer`/`Input`, `Dense`, `Activation`, and `InputSpec`."""

from kerasx.layers._activation import Activation
from kerasx.layers._dense import Dense
from kerasx.layers._input_layer import Input, InputLayer
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.saving import _registry

_registry.builtin(Layer)


def serialize(layer) -> dict:
    """`{"class_name": ..., "config": layer.get_config()}`."""
    return _registry.serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """A new layer from `serialize`'s output."""
    return _registry.deserialize_keras_object(config, custom_objects, kind="layer")


__all__ = ["Activation", "Dense", "Input", "InputLayer", "InputSpec", "Layer", "deserialize", "serialize"]
