"""Names of serializable objects: the registry behind `register_keras_serializable` and `from_config` lookups.

The ground floor of the frontend: it imports nothing else of kerasx, so every family (activations, initializers,
losses, layers, ...) registers and looks up names here without depending on the file formats of `kerasx.saving`,
which re-exports these functions under their Keras 3 names.
"""

from kerasx.serialization._family import Family
from kerasx.serialization._registry import (
    custom_object_scope,
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)

__all__ = [
    "Family",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
]
