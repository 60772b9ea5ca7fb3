"""Masks travelling with tensors: `get_mask(x)` / `set_mask(x, mask)`.

A mask is stored as the `_keras_mask` attribute when the tensor type allows it (KerasTensor, torch, TensorFlow,
concrete JAX arrays). NumPy arrays and JAX tracers refuse new attributes, so their masks live in a side table keyed
by object identity and dropped by a weakref callback when the tensor dies.
"""

from __future__ import annotations

import weakref

_SIDE_TABLE: dict = {}  # id(tensor) -> (weakref to tensor, mask)


def get_mask(x):
    mask = getattr(x, "_keras_mask", None)
    if mask is not None:
        return mask
    entry = _SIDE_TABLE.get(id(x))
    if entry is not None and entry[0]() is x:
        return entry[1]
    return None


def set_mask(x, mask) -> None:
    try:
        x._keras_mask = mask
        return
    except (AttributeError, TypeError):
        pass
    key = id(x)
    try:
        ref = weakref.ref(x, lambda _, key=key: _SIDE_TABLE.pop(key, None))
    except TypeError:
        return  # Python scalars and other unreferenceable values carry no mask.
    _SIDE_TABLE[key] = (ref, mask)
