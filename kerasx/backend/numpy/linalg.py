"""NumPy backend: linalg ops."""

from __future__ import annotations

import numpy as np

from kerasx.backend.numpy.core import NO_TRAINING


def cholesky(x, upper=False):
    return np.linalg.cholesky(x, upper=upper)


def det(x):
    return np.asarray(np.linalg.det(x))


def eigh(x):
    eigenvalues, eigenvectors = np.linalg.eigh(x)
    return eigenvalues, eigenvectors


def inv(x):
    return np.linalg.inv(x)


def lstsq(a, b, rcond=None):
    return np.linalg.lstsq(a, b, rcond=rcond)[0]


def norm(x, ord=None, axis=None, keepdims=False):
    return np.asarray(np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims), dtype=x.dtype)


def qr(x, mode="reduced"):
    q, r = np.linalg.qr(x, mode=mode)  # pyright: ignore[reportArgumentType,reportCallIssue] - NumPy's stubs want a literal
    return q, r


def solve(a, b):
    return np.linalg.solve(a, b)


def solve_triangular(a, b, lower=False):
    return np.linalg.solve(np.tril(a) if lower else np.triu(a), b)


def svd(x, full_matrices=True, compute_uv=True):
    if not compute_uv:
        return np.linalg.svd(x, compute_uv=False)
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return u, s, vh


def eig(x):
    eigenvalues, eigenvectors = np.linalg.eig(x)
    dtype = np.result_type(x.dtype, np.complex64)
    return eigenvalues.astype(dtype), eigenvectors.astype(dtype)


def slogdet(x):
    sign, logabsdet = np.linalg.slogdet(x)
    return np.asarray(sign, dtype=x.dtype), np.asarray(logabsdet, dtype=x.dtype)


def lu_factor(x):
    # Doolittle elimination with partial pivoting, vectorized over the batch axes (NumPy has no LU of its own).
    lu = np.array(x, copy=True)
    rows, cols = lu.shape[-2:]
    steps = min(rows, cols)
    pivots = np.zeros(lu.shape[:-2] + (steps,), dtype=np.int32)
    flat = lu.reshape((-1, rows, cols))
    flat_pivots = pivots.reshape((-1, steps))
    for k in range(steps):
        pivot = k + np.argmax(np.abs(flat[:, k:, k]), axis=1)
        flat_pivots[:, k] = pivot
        order = np.arange(flat.shape[0])
        flat[order, k], flat[order, pivot] = flat[order, pivot].copy(), flat[order, k].copy()
        diagonal = flat[:, k, k]
        safe = np.where(diagonal == 0, 1, diagonal)
        flat[:, k + 1:, k] = np.where(diagonal[:, None] == 0, 0, flat[:, k + 1:, k] / safe[:, None])
        flat[:, k + 1:, k + 1:] -= flat[:, k + 1:, k, None] * flat[:, k, None, k + 1:]
    return flat.reshape(lu.shape), flat_pivots.reshape(pivots.shape)


def jvp(fun, primals, tangents, has_aux=False):
    raise RuntimeError(NO_TRAINING.format(what="jvp"))
