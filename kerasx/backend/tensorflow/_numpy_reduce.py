"""TensorFlow backend: reductions, statistics, cumulative ops and sorting.

TF has no quantile/median kernel: they are computed here from a sort along the (merged) reduced axes with NumPy's
interpolation rules. TF reductions and sorts refuse bools, so bools go through int8.
"""

from __future__ import annotations

import tensorflow as tf


def _axis(axis):
    return None if axis is None else list(axis) if isinstance(axis, tuple) else axis


def sum(x, axis=None, keepdims=False):
    return tf.math.reduce_sum(x, axis=_axis(axis), keepdims=keepdims)


def prod(x, axis=None, keepdims=False, dtype=None):
    return tf.math.reduce_prod(x, axis=_axis(axis), keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    return tf.math.reduce_mean(x, axis=_axis(axis), keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return tf.math.reduce_variance(x, axis=_axis(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return tf.math.reduce_std(x, axis=_axis(axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    if x.dtype == tf.bool:
        result = tf.math.reduce_any(x, axis=_axis(axis), keepdims=keepdims)
        return result if initial is None else tf.math.logical_or(result, bool(initial))
    result = tf.math.reduce_max(x, axis=_axis(axis), keepdims=keepdims)
    return result if initial is None else tf.math.maximum(result, tf.constant(initial, x.dtype))


def min(x, axis=None, keepdims=False, initial=None):
    if x.dtype == tf.bool:
        result = tf.math.reduce_all(x, axis=_axis(axis), keepdims=keepdims)
        return result if initial is None else tf.math.logical_and(result, bool(initial))
    result = tf.math.reduce_min(x, axis=_axis(axis), keepdims=keepdims)
    return result if initial is None else tf.math.minimum(result, tf.constant(initial, x.dtype))


def all(x, axis=None, keepdims=False):
    return tf.math.reduce_all(x, axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return tf.math.reduce_any(x, axis=_axis(axis), keepdims=keepdims)


def _arg(fn, x, axis, keepdims):
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int8)
    if axis is None:
        result = fn(tf.reshape(x, [-1]), axis=0, output_type=tf.int32)
        return tf.reshape(result, [1] * x.shape.rank) if keepdims else result
    result = fn(x, axis=axis, output_type=tf.int32)
    return tf.expand_dims(result, axis) if keepdims else result


def argmax(x, axis=None, keepdims=False):
    return _arg(tf.math.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg(tf.math.argmin, x, axis, keepdims)


def count_nonzero(x, axis=None):
    return tf.math.count_nonzero(x, axis=_axis(axis), dtype=tf.int32)


def _sorted_last_axis(x, axis):
    """`x` with the reduced axes merged into one sorted last axis; also the kept and reduced dims."""
    rank = x.shape.rank
    dims = tuple(range(rank)) if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))
    kept = [d for d in range(rank) if d not in dims]
    moved = tf.transpose(x, kept + list(dims))
    kept_shape = tf.gather(tf.shape(x), kept) if kept else tf.zeros([0], tf.int32)
    flat = tf.reshape(moved, tf.concat([kept_shape, [-1]], axis=0))
    return tf.sort(flat, axis=-1), kept, dims


def quantile(x, q, axis=None, method="linear", keepdims=False):
    ordered, kept, dims = _sorted_last_axis(x, axis)
    count = tf.cast(tf.shape(ordered)[-1], x.dtype)
    position = tf.reshape(q, [-1]) * (count - 1)
    lower, upper = tf.math.floor(position), tf.math.ceil(position)
    if method == "lower":
        lower = upper = lower
    elif method == "higher":
        lower = upper = upper
    elif method == "nearest":
        # NumPy rounds halves to even here, as tf.round does.
        lower = upper = tf.math.round(position)
    low_values = tf.gather(ordered, tf.cast(lower, tf.int32), axis=-1)
    high_values = tf.gather(ordered, tf.cast(upper, tf.int32), axis=-1)
    if method == "linear":
        result = low_values + (high_values - low_values) * (position - lower)
    elif method == "midpoint":
        result = (low_values + high_values) / 2
    else:
        result = low_values
    # gather put the q axis last; NumPy puts it first.
    result = tf.transpose(result, [len(kept)] + list(range(len(kept))))
    x_shape = tf.shape(x)
    if keepdims:
        out_shape = tf.stack([1 if i in dims else x_shape[i] for i in range(x.shape.rank)]) if x.shape.rank else []
    else:
        out_shape = tf.gather(x_shape, kept) if kept else []
    out_shape = tf.cast(out_shape, tf.int32)
    return tf.reshape(result, tf.concat([tf.shape(q), out_shape], axis=0))


def median(x, axis=None, keepdims=False):
    return quantile(x, tf.constant(0.5, x.dtype), axis=axis, method="linear", keepdims=keepdims)


def cumsum(x, axis=None, dtype=None):
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return tf.math.cumsum(x, axis=axis)


def cumprod(x, axis=None, dtype=None):
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return tf.math.cumprod(x, axis=axis)


def sort(x, axis=-1):
    if x.dtype == tf.bool:
        return tf.cast(tf.sort(tf.cast(x, tf.int8), axis=axis), tf.bool)
    return tf.sort(x, axis=axis)


def argsort(x, axis=-1):
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int8)
    return tf.argsort(x, axis=axis, stable=True)


def top_k(x, k, sorted=True):
    values, indices = tf.math.top_k(x, k=k, sorted=sorted)
    return values, indices


def searchsorted(sorted_sequence, values, side="left"):
    flat = tf.reshape(values, [1, -1])
    indices = tf.searchsorted(sorted_sequence[None], flat, side=side, out_type=tf.int32)
    return tf.reshape(indices, tf.shape(values))


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
