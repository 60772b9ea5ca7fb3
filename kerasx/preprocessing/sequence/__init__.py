"""Keras 3's `keras.preprocessing.sequence`: `pad_sequences` (the same function as `kerasx.utils.pad_sequences`)."""

from kerasx.utils import pad_sequences

__all__ = ["pad_sequences"]
