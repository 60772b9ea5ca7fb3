"""Utilities, as Keras 3's `keras.utils`: data helpers (`to_categorical`, `pad_sequences`, `PyDataset`), images
(`load_img`, `save_img`, ...), downloads (`get_file`), the progress bar, the serialization registry's functions under
their Keras names, and reproducibility (`set_random_seed`).

Pillow (images) and pydot (model plots) are optional and imported on first use (`kerasx.utils._optional`).
"""

from kerasx.backend import clear_session, standardize_dtype
from kerasx.random import set_random_seed
from kerasx.serialization import (
    custom_object_scope,
    deserialize_keras_object,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
from kerasx.trainers.data import PyDataset, pack_x_y_sample_weight, unpack_x_y_sample_weight
from kerasx.utils._config import Config
from kerasx.utils._download import get_file
from kerasx.utils._images import array_to_img, img_to_array, load_img, save_img
from kerasx.utils._numerical import normalize, to_categorical
from kerasx.utils._progbar import Progbar
from kerasx.utils._sequences import pad_sequences
from kerasx.utils._symbolic import get_source_inputs, is_keras_tensor

# Keras 3 keeps the older name of PyDataset as an alias.
Sequence = PyDataset

__all__ = [
    "Config",
    "Progbar",
    "PyDataset",
    "Sequence",
    "array_to_img",
    "clear_session",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "get_source_inputs",
    "img_to_array",
    "is_keras_tensor",
    "load_img",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "register_keras_serializable",
    "save_img",
    "serialize_keras_object",
    "set_random_seed",
    "standardize_dtype",
    "to_categorical",
    "unpack_x_y_sample_weight",
]
