"""JAX backend: parts of complex tensors and complex tensors from parts."""

from __future__ import annotations

import jax.lax as lax
import jax.numpy as jnp


def real(x):
    return jnp.real(x)


def imag(x):
    return jnp.imag(x)


def conj(x):
    return jnp.conj(x)


def make_complex(real, imag):
    real, imag = jnp.broadcast_arrays(real, imag)
    return lax.complex(real, imag)


__all__ = ["conj", "imag", "make_complex", "real"]
