"""Saving and loading: the `.keras` archive, `.weights.h5` files, and the registry of named classes and functions.

`load_model`, `save_model`, `load_weights` and `save_weights` are imported on first use: they need the layers and
models, which themselves import this package's registry.
"""

import importlib

from kerasx.saving import limits
from kerasx.saving._registry import (
    custom_object_scope,
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)

_LAZY_NAMES = ("load_model", "load_weights", "save_model", "save_weights")

__all__ = [
    "custom_object_scope",
    "deserialize_keras_object",
    "get_registered_name",
    "get_registered_object",
    "limits",
    "register_keras_serializable",
    "serialize_keras_object",
    *_LAZY_NAMES,
]


def __getattr__(name):
    if name in _LAZY_NAMES:
        # The models register Functional and Sequential, which `load_model` looks up by name.
        importlib.import_module("kerasx.models")
        return getattr(importlib.import_module("kerasx.saving._saving_lib"), name)
    raise AttributeError(f"module 'kerasx.saving' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
