"""JAX backend: linalg ops."""

from __future__ import annotations

import jax.numpy as jnp


def inv(x):
    return jnp.linalg.inv(x)
