"""TensorFlow backend: products, diagonals and triangles, and tensor creation."""

from __future__ import annotations

import tensorflow as tf

from kerasx.backend.tensorflow.core import native_dtype

# tf.matmul has kernels for these only; other integers are multiplied in int32/int64 and cast back.
_MATMUL_TYPES = (tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64, tf.complex64, tf.complex128)


def matmul(x1, x2):
    dtype = x1.dtype
    if dtype not in _MATMUL_TYPES:
        wide = tf.int64 if dtype in (tf.uint32, tf.uint64) else tf.int32
        return tf.cast(matmul(tf.cast(x1, wide), tf.cast(x2, wide)), dtype)
    vector1, vector2 = x1.shape.rank == 1, x2.shape.rank == 1
    if vector1:
        x1 = x1[None, :]
    if vector2:
        x2 = x2[:, None]
    result = tf.linalg.matmul(x1, x2)
    if vector1:
        result = tf.squeeze(result, -2)
    if vector2:
        result = tf.squeeze(result, -1)
    return result


def tensordot(x1, x2, axes=2):
    if not isinstance(axes, int):
        axes = [list(axes[0]), list(axes[1])]
    if x1.dtype not in _MATMUL_TYPES:
        return tf.cast(tf.tensordot(tf.cast(x1, tf.int32), tf.cast(x2, tf.int32), axes), x1.dtype)
    return tf.tensordot(x1, x2, axes)


def einsum(subscripts, *operands, **kwargs):
    dtype = operands[0].dtype
    if dtype not in _MATMUL_TYPES:
        return tf.cast(tf.einsum(subscripts, *(tf.cast(o, tf.int32) for o in operands)), dtype)
    return tf.einsum(subscripts, *operands)


def diagonal(x, offset=0, axis1=0, axis2=1):
    rank = x.shape.rank
    perm = [a for a in range(rank) if a not in (axis1, axis2)] + [axis1, axis2]
    moved = tf.transpose(x, perm)
    rows, cols = x.shape[axis1], x.shape[axis2]
    length = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
    if length == 0:
        return tf.zeros(tf.concat([tf.shape(moved)[:-2], [0]], axis=0), x.dtype)
    return tf.linalg.diag_part(moved, k=offset, align="LEFT_LEFT")


def diag(x, k=0):
    if x.shape.rank == 1:
        return tf.linalg.diag(x, k=k)
    return diagonal(x, offset=k, axis1=0, axis2=1)


def _band_mask(x, k, lower):
    rows = tf.range(tf.shape(x)[-2])[:, None]
    cols = tf.range(tf.shape(x)[-1])[None, :]
    return cols - rows <= k if lower else cols - rows >= k


def tril(x, k=0):
    return tf.where(_band_mask(x, k, True), x, tf.zeros_like(x))


def triu(x, k=0):
    return tf.where(_band_mask(x, k, False), x, tf.zeros_like(x))


def arange(start, stop=None, step=None, dtype=None):
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    native = native_dtype(dtype)
    if (stop - start) * step <= 0:
        # tf.range refuses bounds that disagree with the step's sign; NumPy returns an empty range.
        return tf.zeros((0,), native)
    if native.is_floating:
        # Computing in float64 then casting matches NumPy's values (it forms start + i * step in float64).
        return tf.cast(tf.range(start, stop, step, dtype=tf.float64), native)
    return tf.cast(tf.range(start, stop, step, dtype=tf.int64), native)


def zeros(shape, dtype=None):
    return tf.zeros(shape, dtype=native_dtype(dtype))


def ones(shape, dtype=None):
    return tf.ones(shape, dtype=native_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return tf.broadcast_to(tf.cast(fill_value, native_dtype(dtype)), shape)


def zeros_like(x, dtype=None):
    return tf.zeros_like(x, dtype=native_dtype(dtype) if dtype else x.dtype)


def ones_like(x, dtype=None):
    return tf.ones_like(x, dtype=native_dtype(dtype) if dtype else x.dtype)


def full_like(x, fill_value, dtype=None):
    dtype = native_dtype(dtype) if dtype else x.dtype
    return tf.broadcast_to(tf.cast(fill_value, dtype), tf.shape(x))


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    rows = tf.range(N)[:, None]
    cols = tf.range(M)[None, :]
    return tf.cast(tf.equal(cols - rows, k), native_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    rows = tf.range(N)[:, None]
    cols = tf.range(M)[None, :]
    return tf.cast(cols - rows <= k, native_dtype(dtype))


def meshgrid(*x, indexing="xy"):
    # tf.meshgrid wants one dtype; each grid is its input broadcast along its own axis.
    sizes = [tf.shape(t)[0] for t in x]
    axes = list(range(len(x)))
    if indexing == "xy" and len(x) > 1:
        axes[0], axes[1] = 1, 0
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for t, axis in zip(x, axes):
        shape = [1] * len(x)
        shape[axis] = -1
        grids.append(tf.broadcast_to(tf.reshape(t, shape), tf.stack(sizes)))
    return grids


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
