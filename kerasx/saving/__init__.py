"""Saving and loading: the `.keras` archive, `.weights.h5` files and legacy `.h5` files.

The registry of named classes and functions lives in `kerasx.serialization`; its public functions are re-exported
here under their Keras 3 names (`kerasx.saving.register_keras_serializable`, ...).
"""

from kerasx import _missing
from kerasx.saving import limits
from kerasx.saving._custom_objects import (
    CustomObjectScope,
    deserialize_keras_object,
    get_custom_objects,
    serialize_keras_object,
)
from kerasx.saving._file_editor import KerasFileEditor
from kerasx.saving._saving_lib import load_model, load_weights, save_model, save_weights
from kerasx.serialization import (
    custom_object_scope,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)

__all__ = [
    "CustomObjectScope",
    "KerasFileEditor",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "limits",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]


# Up a floor, for its side effect only: `load_model` finds `Functional` and `Sequential` by their registered names,
# and importing kerasx.models registers them (kerasx.models imports this package's file formats, hence the end).
from kerasx import models as _models  # noqa: F401

# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
