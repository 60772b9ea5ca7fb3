"""JAX backend: shape manipulation, joining/splitting and indexing."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np


def reshape(x, newshape):
    return jnp.reshape(x, newshape)


def transpose(x, axes=None):
    return jnp.transpose(x, axes)


def moveaxis(x, source, destination):
    return jnp.moveaxis(x, source, destination)


def swapaxes(x, axis1, axis2):
    return jnp.swapaxes(x, axis1, axis2)


def expand_dims(x, axis):
    return jnp.expand_dims(x, axis)


def squeeze(x, axis=None):
    return jnp.squeeze(x, axis=axis)


def flip(x, axis=None):
    return jnp.flip(x, axis=axis)


def roll(x, shift, axis=None):
    return jnp.roll(x, shift, axis=axis)


def broadcast_to(x, shape):
    return jnp.broadcast_to(x, shape)


def tile(x, repeats):
    return jnp.tile(x, repeats)


def repeat(x, repeats, axis=None):
    if isinstance(repeats, int):
        return jnp.repeat(x, repeats, axis=axis)
    # Per-element counts give a data-dependent size: they must be concrete (a list, or a tensor outside jit).
    repeats = np.asarray(repeats)
    return jnp.repeat(x, repeats, axis=axis, total_repeat_length=int(repeats.sum()))


def pad(x, pad_width, mode="constant", constant_values=None):
    return jnp.pad(x, pad_width, mode="constant", constant_values=constant_values)


def concatenate(xs, axis=0):
    return jnp.concatenate(xs, axis=axis)


def stack(x, axis=0):
    return jnp.stack(x, axis=axis)


def split(x, indices_or_sections, axis=0):
    return jnp.split(x, indices_or_sections, axis=axis)


def get_item(x, key):
    return x[key]


def _wrap(indices, size):
    return jnp.where(indices < 0, indices + size, indices)


def take(x, indices, axis=None):
    if axis is None:
        x, axis = jnp.reshape(x, (-1,)), 0
    # mode="clip" after wrapping negatives: JAX's default fills out-of-range reads with NaN instead.
    return jnp.take(x, _wrap(indices, x.shape[axis]), axis=axis, mode="clip")


def take_along_axis(x, indices, axis=None):
    if axis is None:
        x, axis = jnp.reshape(x, (-1,)), 0
    return jnp.take_along_axis(x, _wrap(indices, x.shape[axis]), axis=axis, mode="clip")


def where(condition, x1=None, x2=None):
    return jnp.where(condition, x1, x2)  # pyright: ignore[reportArgumentType] - kerasx.ops passes a value


def nonzero(x):
    return tuple(i.astype(jnp.int32) for i in jnp.nonzero(x))


def bincount(x, weights=None, minlength=0, sparse=False):
    # The number of bins depends on the data: it is read eagerly (under jit, pass data whose max is concrete).
    length = max(minlength, int(jnp.max(x)) + 1 if x.size else 0)
    if x.ndim == 1:
        counts = jnp.bincount(x, weights=weights, minlength=length, length=length)
    else:
        one_hot = x[..., None] == jnp.arange(length)
        counts = jnp.sum(one_hot if weights is None else one_hot * weights[..., None], axis=-2)
    return counts.astype(jnp.int32 if weights is None else weights.dtype)


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
