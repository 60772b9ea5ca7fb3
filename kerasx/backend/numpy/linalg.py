"""NumPy backend: linalg ops."""

from __future__ import annotations

import numpy as np


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
    q, r = np.linalg.qr(x, mode=mode)
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
