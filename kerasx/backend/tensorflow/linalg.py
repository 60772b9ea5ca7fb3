"""TensorFlow backend: linalg ops."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

LU_NOT_SQUARE = (
    "lu_factor on the tensorflow backend needs square matrices (tf.linalg.lu). Received: x.shape={shape}. "
    "Use another backend for rectangular ones."
)


def _broadcast_batch(a, b):
    """`a` (..., M, M) and `b` (..., M, K) with their batch axes broadcast to one shape (TF solvers need that)."""
    batch = tf.broadcast_dynamic_shape(tf.shape(a)[:-2], tf.shape(b)[:-2])
    a = tf.broadcast_to(a, tf.concat([batch, tf.shape(a)[-2:]], 0))
    b = tf.broadcast_to(b, tf.concat([batch, tf.shape(b)[-2:]], 0))
    return a, b


def cholesky(x, upper=False):
    lower = tf.linalg.cholesky(x)
    return tf.linalg.adjoint(lower) if upper else lower


def det(x):
    return tf.linalg.det(x)


def eigh(x):
    eigenvalues, eigenvectors = tf.linalg.eigh(x)
    return eigenvalues, eigenvectors


def inv(x):
    return tf.linalg.inv(x)


def lstsq(a, b, rcond=None):
    if rcond is None:
        rcond = np.finfo(a.dtype.as_numpy_dtype).eps * max(a.shape[-2], a.shape[-1])
    return tf.linalg.pinv(a, rcond=rcond) @ b


def qr(x, mode="reduced"):
    q, r = tf.linalg.qr(x, full_matrices=mode == "complete")
    return q, r


def solve(a, b):
    return tf.linalg.solve(*_broadcast_batch(a, b))


def solve_triangular(a, b, lower=False):
    return tf.linalg.triangular_solve(*_broadcast_batch(a, b), lower=lower)


def svd(x, full_matrices=True, compute_uv=True):
    if not compute_uv:
        return tf.linalg.svd(x, compute_uv=False)
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
    return u, s, tf.linalg.adjoint(v)


def norm(x, ord=None, axis=None, keepdims=False):
    if axis is None:
        return tf.sqrt(tf.reduce_sum(tf.square(x), keepdims=keepdims))
    if isinstance(axis, int):
        return _vector_norm(x, ord, axis, keepdims)
    return _matrix_norm(x, ord, axis, keepdims)


def _vector_norm(x, ord, axis, keepdims):
    magnitude = tf.abs(x)
    if ord is None or ord == 2:
        return tf.sqrt(tf.reduce_sum(tf.square(x), axis=axis, keepdims=keepdims))
    if ord == np.inf:
        return tf.reduce_max(magnitude, axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return tf.reduce_min(magnitude, axis=axis, keepdims=keepdims)
    if ord == 0:
        return tf.reduce_sum(tf.cast(x != 0, x.dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return tf.reduce_sum(magnitude, axis=axis, keepdims=keepdims)
    power = tf.cast(ord, x.dtype)
    return tf.reduce_sum(magnitude**power, axis=axis, keepdims=keepdims) ** (1 / power)


def _matrix_norm(x, ord, axis, keepdims):
    rows, cols = axis
    if ord is None or ord == "fro":
        result = tf.sqrt(tf.reduce_sum(tf.square(x), axis=axis))
    elif ord in (1, -1, np.inf, -np.inf):
        # Column sums (over rows) for the 1-norms, row sums (over columns) for the inf-norms.
        summed, other = (rows, cols) if ord in (1, -1) else (cols, rows)
        sums = tf.reduce_sum(tf.abs(x), axis=summed)
        pick = tf.reduce_max if ord in (1, np.inf) else tf.reduce_min
        result = pick(sums, axis=other - 1 if other > summed else other)
    else:
        # 2, -2 and "nuc" come from the singular values of the matrices moved to the last two axes.
        perm = [d for d in range(x.shape.rank) if d not in axis] + [rows, cols]
        singular = tf.linalg.svd(tf.transpose(x, perm), compute_uv=False)
        if ord == 2:
            result = tf.reduce_max(singular, axis=-1)
        elif ord == -2:
            result = tf.reduce_min(singular, axis=-1)
        else:
            result = tf.reduce_sum(singular, axis=-1)
    if keepdims:
        for a in sorted(axis):
            result = tf.expand_dims(result, a)
    return result


def eig(x):
    eigenvalues, eigenvectors = tf.linalg.eig(x)
    return eigenvalues, eigenvectors


def slogdet(x):
    sign, logabsdet = tf.linalg.slogdet(x)
    return sign, logabsdet


def lu_factor(x):
    rows, cols = x.shape[-2], x.shape[-1]
    if rows != cols:
        raise ValueError(LU_NOT_SQUARE.format(shape=tuple(x.shape)))
    lu, permutation = tf.linalg.lu(x)
    # tf.linalg.lu gives the final row order; LAPACK's pivots are the swaps that produce it, one per row.
    current = tf.broadcast_to(tf.range(rows, dtype=permutation.dtype), tf.shape(permutation))
    pivots = []
    for i in range(rows):
        wanted = permutation[..., i : i + 1]
        j = tf.argmax(tf.cast(tf.equal(current, wanted), tf.int32), axis=-1, output_type=tf.int32)
        pivots.append(j)
        at_i, at_j = current[..., i : i + 1], tf.gather(current, j[..., None], batch_dims=len(x.shape) - 2)  # pyright: ignore[reportArgumentType] - TensorFlow's stubs
        positions = tf.range(rows)
        current = tf.where(positions == i, at_j, tf.where(positions == j[..., None], at_i, current))  # pyright: ignore[reportArgumentType] - TensorFlow's stubs
    return lu, tf.stack(pivots, axis=-1)


def jvp(fun, primals, tangents, has_aux=False):
    primals_flat, tangents_flat = tf.nest.flatten(primals), tf.nest.flatten(tangents)
    with tf.autodiff.ForwardAccumulator(primals_flat, tangents_flat) as accumulator:
        outputs = fun(*primals)
        if has_aux:
            outputs, aux = outputs
    tangents_out = tf.nest.map_structure(accumulator.jvp, outputs)
    return (outputs, tangents_out, aux) if has_aux else (outputs, tangents_out)
