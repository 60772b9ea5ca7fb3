"""Utilities, as Keras 3's `keras.utils`: data helpers (`to_categorical`, `pad_sequences`, `PyDataset`), dataset
builders (`image_dataset_from_directory`, ...: tf.data on TensorFlow, TensorFlow-free PyDatasets elsewhere), images
(`load_img`, `save_img`, ...), downloads (`get_file`), the progress bar, the custom-object and serialization
functions of `kerasx.saving` under their Keras names, reproducibility (`set_random_seed`), and `benchmark` (not a
Keras name: runs and compares a program on every engine, as `python -m kerasx bench` does).

Pillow (images) and pydot with Graphviz (model plots) are optional and imported on first use (`kerasx.utils._optional`).
"""

from kerasx import _missing
from kerasx.backend import clear_session, standardize_dtype
from kerasx.config import disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled
from kerasx.random import set_random_seed
from kerasx.saving import (
    CustomObjectScope,
    custom_object_scope,
    deserialize_keras_object,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
    serialize_keras_object,
)
from kerasx.trainers.data import PyDataset, pack_x_y_sample_weight, unpack_x_y_sample_weight
from kerasx.utils import bounding_boxes, legacy
from kerasx.utils._audio_dataset import audio_dataset_from_directory
from kerasx.utils._benchmark import benchmark
from kerasx.utils._config import Config
from kerasx.utils._download import get_file
from kerasx.utils._feature_space import FeatureSpace
from kerasx.utils._image_dataset import image_dataset_from_directory
from kerasx.utils._images import array_to_img, img_to_array, load_img, save_img
from kerasx.utils._model_plot import model_to_dot, plot_model
from kerasx.utils._numerical import normalize, to_categorical
from kerasx.utils._progbar import Progbar
from kerasx.utils._sequences import pad_sequences
from kerasx.utils._split import split_dataset
from kerasx.utils._symbolic import get_source_inputs, is_keras_tensor
from kerasx.utils._text_dataset import text_dataset_from_directory
from kerasx.utils._timeseries import timeseries_dataset_from_array

# Keras 3 keeps the older name of PyDataset as an alias.
Sequence = PyDataset

__all__ = [
    "Config",
    "CustomObjectScope",
    "FeatureSpace",
    "Progbar",
    "PyDataset",
    "Sequence",
    "array_to_img",
    "audio_dataset_from_directory",
    "benchmark",
    "bounding_boxes",
    "clear_session",
    "custom_object_scope",
    "deserialize_keras_object",
    "disable_interactive_logging",
    "enable_interactive_logging",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "get_source_inputs",
    "image_dataset_from_directory",
    "img_to_array",
    "is_interactive_logging_enabled",
    "is_keras_tensor",
    "legacy",
    "load_img",
    "model_to_dot",
    "normalize",
    "pack_x_y_sample_weight",
    "pad_sequences",
    "plot_model",
    "register_keras_serializable",
    "save_img",
    "serialize_keras_object",
    "set_random_seed",
    "split_dataset",
    "standardize_dtype",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
    "to_categorical",
    "unpack_x_y_sample_weight",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
