"""TensorFlow backend: shape manipulation, joining/splitting and indexing.

TF tensors support basic slicing only; integer-array and bool-mask indexing (`get_item`) are rebuilt here with
NumPy's rules from `gather_nd`.
"""

from __future__ import annotations

import itertools

import tensorflow as tf


def reshape(x, newshape):
    return tf.reshape(x, newshape)


def transpose(x, axes=None):
    return tf.transpose(x, perm=None if axes is None else list(axes))


def _moved_order(ndim, source, destination):
    order = [i for i in range(ndim) if i not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return order


def moveaxis(x, source, destination):
    source = (source,) if isinstance(source, int) else tuple(source)
    destination = (destination,) if isinstance(destination, int) else tuple(destination)
    return tf.transpose(x, _moved_order(x.shape.rank, source, destination))


def swapaxes(x, axis1, axis2):
    perm = list(range(x.shape.rank))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return tf.transpose(x, perm)


def expand_dims(x, axis):
    for a in sorted((axis,) if isinstance(axis, int) else axis):
        x = tf.expand_dims(x, a)
    return x


def squeeze(x, axis=None):
    if axis == ():
        return x
    return tf.squeeze(x, axis=None if axis is None else list(axis) if isinstance(axis, tuple) else axis)


def flip(x, axis=None):
    return tf.reverse(x, list(range(x.shape.rank)) if axis is None else list(axis))


def roll(x, shift, axis=None):
    return tf.roll(x, shift=list(shift), axis=list(axis))  # pyright: ignore[reportArgumentType] - kerasx.ops passes a value


def broadcast_to(x, shape):
    return tf.broadcast_to(x, shape)


def tile(x, repeats):
    return tf.tile(x, repeats)


def repeat(x, repeats, axis=None):
    return tf.repeat(x, repeats, axis=axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    fill = 0 if constant_values is None else constant_values
    return tf.pad(x, [list(p) for p in pad_width], mode="CONSTANT", constant_values=fill)


def concatenate(xs, axis=0):
    return tf.concat(list(xs), axis=axis)


def stack(x, axis=0):
    return tf.stack(list(x), axis=axis)


def split(x, indices_or_sections, axis=0):
    if isinstance(indices_or_sections, int):
        return tf.split(x, indices_or_sections, axis=axis)
    size = x.shape[axis]
    edges = [0] + [min(max(i, 0), size) for i in indices_or_sections] + [size]
    sizes = [max(stop - start, 0) for start, stop in itertools.pairwise(edges)]
    return tf.split(x, sizes, axis=axis)


def _is_array(k) -> bool:
    return tf.is_tensor(k)


def get_item(x, key):
    key = key if isinstance(key, tuple) else (key,)
    if not any(_is_array(k) for k in key):
        return x[key]
    return _advanced_get_item(x, key)


def _advanced_get_item(x, key):
    """NumPy advanced indexing: bool masks become their nonzero indices; ints count as 0-d index arrays."""
    # Expand the Ellipsis (and trailing axes) so that every key entry lines up with an axis of x.
    consumed = sum(k.shape.rank if _is_array(k) and k.dtype == tf.bool else 0 if k is None or k is Ellipsis else 1
                   for k in key)
    fill = (slice(None),) * (x.shape.rank - consumed)
    at = next((i for i, k in enumerate(key) if k is Ellipsis), len(key))
    key = key[:at] + fill + key[at + 1 :]
    entries = []
    for k in key:
        if _is_array(k) and k.dtype == tf.bool:
            coordinates = tf.cast(tf.where(k), tf.int64)
            entries.extend(coordinates[:, i] for i in range(k.shape.rank))
        elif isinstance(k, int) or _is_array(k):
            entries.append(tf.cast(k, tf.int64))
        else:
            entries.append(k)
    # Basic indexing first, with a full slice at every advanced position; remember where those axes land.
    basic, advanced_axes, advanced, out_axis = [], [], [], 0
    for k in entries:
        if k is None:
            basic.append(None)
            out_axis += 1
        elif isinstance(k, slice):
            basic.append(k)
            out_axis += 1
        else:
            basic.append(slice(None))
            advanced_axes.append(out_axis)
            advanced.append(k)
            out_axis += 1
    y = x[tuple(basic)]
    positions = [i for i, k in enumerate(entries) if not (k is None or isinstance(k, slice))]
    adjacent = positions == list(range(positions[0], positions[0] + len(positions)))
    rest = [a for a in range(y.shape.rank) if a not in advanced_axes]
    moved = tf.transpose(y, advanced_axes + rest)
    shape = tf.shape(y)
    index_shape = tf.shape(advanced[0])
    for k in advanced[1:]:
        index_shape = tf.broadcast_dynamic_shape(index_shape, tf.shape(k))
    coordinates = []
    for axis, k in zip(advanced_axes, advanced):
        size = tf.cast(shape[axis], tf.int64)
        k = tf.where(k < 0, k + size, k)
        coordinates.append(tf.broadcast_to(k, index_shape))
    result = tf.gather_nd(moved, tf.stack(coordinates, axis=-1))
    if not adjacent:
        return result
    # NumPy keeps adjacent advanced indices in place: move the index dims to where the first one was.
    first = sum(1 for a in rest if a < advanced_axes[0])
    index_rank = result.shape.rank - len(rest)
    order = list(range(index_rank, index_rank + first)) + list(range(index_rank)) + list(
        range(index_rank + first, result.shape.rank))
    return tf.transpose(result, order)


def _wrap(indices, size):
    indices = tf.cast(indices, tf.int64)
    return tf.where(indices < 0, indices + tf.cast(size, tf.int64), indices)


def take(x, indices, axis=None):
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return tf.gather(x, _wrap(indices, tf.shape(x)[axis]), axis=axis)


def take_along_axis(x, indices, axis=None):
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    indices = _wrap(indices, tf.shape(x)[axis])
    # Move `axis` last so that batch_dims gathers along it for every leading position.
    rank = x.shape.rank
    perm = [a for a in range(rank) if a != axis] + [axis]
    inverse = [perm.index(a) for a in range(rank)]
    gathered = tf.gather(tf.transpose(x, perm), tf.transpose(indices, perm), batch_dims=rank - 1)
    return tf.transpose(gathered, inverse)


def where(condition, x1=None, x2=None):
    return tf.where(condition, x1, x2)


def nonzero(x):
    coordinates = tf.cast(tf.where(x), tf.int32)
    return tuple(coordinates[:, i] for i in range(x.shape.rank))


def bincount(x, weights=None, minlength=0, sparse=False):
    length = tf.maximum(tf.cast(minlength, tf.int32), tf.reduce_max(x) + 1 if tf.size(x) > 0 else 0)
    dtype = tf.int32 if weights is None else weights.dtype
    return tf.math.bincount(x, weights=weights, minlength=length, maxlength=length, dtype=dtype, axis=-1)


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
