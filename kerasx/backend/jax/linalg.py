"""JAX backend: linalg ops."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl


def cholesky(x, upper=False):
    return jnp.linalg.cholesky(x, upper=upper)


def det(x):
    return jnp.linalg.det(x)


def eigh(x):
    eigenvalues, eigenvectors = jnp.linalg.eigh(x)
    return eigenvalues, eigenvectors


def inv(x):
    return jnp.linalg.inv(x)


def lstsq(a, b, rcond=None):
    return jnp.linalg.lstsq(a, b, rcond=rcond)[0]


def norm(x, ord=None, axis=None, keepdims=False):
    return jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)


def qr(x, mode="reduced"):
    q, r = jnp.linalg.qr(x, mode=mode)
    return q, r


def solve(a, b):
    return jnp.linalg.solve(a, b)


def solve_triangular(a, b, lower=False):
    return jsl.solve_triangular(a, b, lower=lower)


def svd(x, full_matrices=True, compute_uv=True):
    if not compute_uv:
        return jnp.linalg.svd(x, compute_uv=False)
    u, s, vh = jnp.linalg.svd(x, full_matrices=full_matrices)
    return u, s, vh


def eig(x):
    eigenvalues, eigenvectors = jnp.linalg.eig(x)
    return eigenvalues, eigenvectors


def slogdet(x):
    sign, logabsdet = jnp.linalg.slogdet(x)
    return sign, logabsdet


def lu_factor(x):
    lu, pivots, _ = jax.lax.linalg.lu(x)
    return lu, pivots.astype(jnp.int32)


def jvp(fun, primals, tangents, has_aux=False):
    return jax.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)
