"""NumPy backend: reductions, statistics, cumulative ops and sorting.

The public op has already cast `x` to the result dtype; `dtype=x.dtype` stops NumPy from widening int32 sums.
"""

from __future__ import annotations

import numpy as np


def sum(x, axis=None, keepdims=False):
    return np.asarray(np.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype))


def prod(x, axis=None, keepdims=False, dtype=None):
    return np.asarray(np.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype))


def mean(x, axis=None, keepdims=False):
    return np.asarray(np.mean(x, axis=axis, keepdims=keepdims), dtype=x.dtype)


def std(x, axis=None, keepdims=False):
    return np.asarray(np.std(x, axis=axis, keepdims=keepdims), dtype=x.dtype)


def var(x, axis=None, keepdims=False):
    return np.asarray(np.var(x, axis=axis, keepdims=keepdims), dtype=x.dtype)


def median(x, axis=None, keepdims=False):
    return np.asarray(np.median(x, axis=axis, keepdims=keepdims), dtype=x.dtype)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return np.asarray(np.quantile(x, q, axis=axis, method=method, keepdims=keepdims), dtype=x.dtype)  # pyright: ignore[reportArgumentType,reportCallIssue] - NumPy's stubs want a literal


def max(x, axis=None, keepdims=False, initial=None):
    if initial is None:
        return np.asarray(np.max(x, axis=axis, keepdims=keepdims))
    return np.asarray(np.max(x, axis=axis, keepdims=keepdims, initial=initial))


def min(x, axis=None, keepdims=False, initial=None):
    if initial is None:
        return np.asarray(np.min(x, axis=axis, keepdims=keepdims))
    return np.asarray(np.min(x, axis=axis, keepdims=keepdims, initial=initial))


def all(x, axis=None, keepdims=False):
    return np.asarray(np.all(x, axis=axis, keepdims=keepdims))


def any(x, axis=None, keepdims=False):
    return np.asarray(np.any(x, axis=axis, keepdims=keepdims))


def argmax(x, axis=None, keepdims=False):
    return np.asarray(np.argmax(x, axis=axis, keepdims=keepdims), dtype=np.int32)


def argmin(x, axis=None, keepdims=False):
    return np.asarray(np.argmin(x, axis=axis, keepdims=keepdims), dtype=np.int32)


def count_nonzero(x, axis=None):
    return np.asarray(np.count_nonzero(x, axis=axis), dtype=np.int32)


def cumsum(x, axis=None, dtype=None):
    return np.cumsum(x, axis=axis, dtype=x.dtype)


def cumprod(x, axis=None, dtype=None):
    return np.cumprod(x, axis=axis, dtype=x.dtype)


def sort(x, axis=-1):
    return np.sort(x, axis=axis, kind="stable")


def argsort(x, axis=-1):
    return np.argsort(x, axis=axis, kind="stable").astype(np.int32)


def top_k(x, k, sorted=True):
    # Descending order with ties broken by the lower index (as jax.lax.top_k): stable-sort the reversed last axis.
    n = x.shape[-1]
    order = (n - 1 - np.argsort(x[..., ::-1], axis=-1, kind="stable"))[..., ::-1][..., :k]
    return np.take_along_axis(x, order, axis=-1), order.astype(np.int32)


def searchsorted(sorted_sequence, values, side="left"):
    return np.asarray(np.searchsorted(sorted_sequence, values, side=side), dtype=np.int32)  # pyright: ignore[reportArgumentType,reportCallIssue] - NumPy's stubs want a literal


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
