"""JAX backend: products, diagonals and triangles, and tensor creation."""

from __future__ import annotations

import jax.numpy as jnp

from kerasx.backend.jax.core import native_dtype


def matmul(x1, x2):
    return jnp.matmul(x1, x2)


def tensordot(x1, x2, axes=2):
    return jnp.tensordot(x1, x2, axes=axes)


def einsum(subscripts, *operands, **kwargs):
    return jnp.einsum(subscripts, *operands, **kwargs)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return jnp.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)


def diag(x, k=0):
    return jnp.diag(x, k=k)


def tril(x, k=0):
    return jnp.tril(x, k=k)


def triu(x, k=0):
    return jnp.triu(x, k=k)


def arange(start, stop=None, step=None, dtype=None):
    return jnp.arange(start, stop, step, dtype=native_dtype(dtype))


def zeros(shape, dtype=None):
    return jnp.zeros(shape, dtype=native_dtype(dtype))


def ones(shape, dtype=None):
    return jnp.ones(shape, dtype=native_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return jnp.full(shape, fill_value, dtype=native_dtype(dtype))


def zeros_like(x, dtype=None):
    return jnp.zeros_like(x, dtype=native_dtype(dtype or x.dtype))


def ones_like(x, dtype=None):
    return jnp.ones_like(x, dtype=native_dtype(dtype or x.dtype))


def full_like(x, fill_value, dtype=None):
    return jnp.full(x.shape, fill_value, dtype=native_dtype(dtype or x.dtype))


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(N, M, k=k, dtype=native_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    return jnp.tri(N, M, k=k, dtype=native_dtype(dtype))


def meshgrid(*x, indexing="xy"):
    return list(jnp.meshgrid(*x, indexing=indexing))


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
