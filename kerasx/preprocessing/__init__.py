"""Keras 3's `keras.preprocessing` namespace: the dataset builders, and the `image` and `sequence` helpers (the same
functions as in `kerasx.utils`, plus `image.smart_resize`)."""

from kerasx import _missing
from kerasx.preprocessing import image, sequence
from kerasx.utils import image_dataset_from_directory, text_dataset_from_directory, timeseries_dataset_from_array

__all__ = [
    "image",
    "image_dataset_from_directory",
    "sequence",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
]

__getattr__ = _missing.missing_name_hook(__name__)
