"""JAX backend: reductions, statistics, cumulative ops and sorting.

The public op has already cast `x` to the result dtype; `dtype=x.dtype` stops JAX from widening int32 sums to the
default int (int64 under x64).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def sum(x, axis=None, keepdims=False):
    return jnp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    return jnp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def mean(x, axis=None, keepdims=False):
    return jnp.mean(x, axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return jnp.std(x, axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return jnp.var(x, axis=axis, keepdims=keepdims)


def median(x, axis=None, keepdims=False):
    return jnp.median(x, axis=axis, keepdims=keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return jnp.quantile(x, q, axis=axis, method=method, keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    return jnp.max(x, axis=axis, keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    return jnp.min(x, axis=axis, keepdims=keepdims, initial=initial)


def all(x, axis=None, keepdims=False):
    return jnp.all(x, axis=axis, keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return jnp.any(x, axis=axis, keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(x, axis=axis, keepdims=keepdims).astype(jnp.int32)


def argmin(x, axis=None, keepdims=False):
    return jnp.argmin(x, axis=axis, keepdims=keepdims).astype(jnp.int32)


def count_nonzero(x, axis=None):
    return jnp.count_nonzero(x, axis=axis).astype(jnp.int32)


def cumsum(x, axis=None, dtype=None):
    return jnp.cumsum(x, axis=axis, dtype=x.dtype)


def cumprod(x, axis=None, dtype=None):
    return jnp.cumprod(x, axis=axis, dtype=x.dtype)


def sort(x, axis=-1):
    return jnp.sort(x, axis=axis, stable=True)


def argsort(x, axis=-1):
    return jnp.argsort(x, axis=axis, stable=True).astype(jnp.int32)


def top_k(x, k, sorted=True):
    values, indices = jax.lax.top_k(x, k)
    return values, indices.astype(jnp.int32)


def searchsorted(sorted_sequence, values, side="left"):
    return jnp.searchsorted(sorted_sequence, values, side=side).astype(jnp.int32)


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
