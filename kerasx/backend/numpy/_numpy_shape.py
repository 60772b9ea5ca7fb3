"""NumPy backend: shape manipulation, joining/splitting and indexing."""

from __future__ import annotations

import numpy as np


def reshape(x, newshape):
    return np.reshape(x, newshape)


def transpose(x, axes=None):
    return np.transpose(x, axes)


def moveaxis(x, source, destination):
    return np.moveaxis(x, source, destination)


def swapaxes(x, axis1, axis2):
    return np.swapaxes(x, axis1, axis2)


def expand_dims(x, axis):
    return np.expand_dims(x, axis)


def squeeze(x, axis=None):
    return np.squeeze(x, axis=axis)


def flip(x, axis=None):
    return np.flip(x, axis=axis)


def roll(x, shift, axis=None):
    return np.roll(x, shift, axis=axis)


def broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


def tile(x, repeats):
    return np.tile(x, repeats)


def repeat(x, repeats, axis=None):
    return np.repeat(x, repeats, axis=axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    return np.pad(x, pad_width, mode="constant", constant_values=constant_values)  # pyright: ignore[reportArgumentType,reportCallIssue] - kerasx.ops passes a value


def concatenate(xs, axis=0):
    return np.concatenate(xs, axis=axis)


def stack(x, axis=0):
    return np.stack(x, axis=axis)


def split(x, indices_or_sections, axis=0):
    return np.split(x, indices_or_sections, axis=axis)


def get_item(x, key):
    return np.asarray(x[key])


def take(x, indices, axis=None):
    return np.take(x, indices, axis=axis)


def take_along_axis(x, indices, axis=None):
    return np.take_along_axis(x, indices, axis=axis)


def where(condition, x1=None, x2=None):
    return np.where(condition, x1, x2)


def nonzero(x):
    return tuple(i.astype(np.int32) for i in np.nonzero(x))


def bincount(x, weights=None, minlength=0, sparse=False):
    dtype = np.int32 if weights is None else weights.dtype
    if x.ndim == 1:
        return np.bincount(x, weights=weights, minlength=minlength).astype(dtype)
    length = max(minlength, int(x.max()) + 1 if x.size else 0)
    if weights is None:
        rows = [np.bincount(row, minlength=length) for row in x]
    else:
        rows = [np.bincount(row, weights=w, minlength=length) for row, w in zip(x, weights)]
    return np.stack(rows).astype(dtype) if rows else np.zeros((0, length), dtype)


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
