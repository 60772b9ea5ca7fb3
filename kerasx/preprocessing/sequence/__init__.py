"""Keras 3's `keras.preprocessing.sequence`: `pad_sequences` (the same function as `kerasx.utils.pad_sequences`)."""

from kerasx import _missing
from kerasx.utils import pad_sequences

__all__ = ["pad_sequences"]

__getattr__ = _missing.missing_name_hook(__name__)
