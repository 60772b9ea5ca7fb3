"""Keras 3's `keras.utils.legacy`: the tf.keras 2 config format of one object, the same functions as
`kerasx.legacy.saving` (see there)."""

from kerasx import _missing
from kerasx.legacy.saving import deserialize_keras_object, serialize_keras_object

__all__ = ["deserialize_keras_object", "serialize_keras_object"]

# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`).
__getattr__ = _missing.missing_name_hook(__name__)
