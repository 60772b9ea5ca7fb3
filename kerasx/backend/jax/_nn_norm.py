"""JAX backend: moments, batch normalization, normalize."""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
from jax import lax


@functools.partial(jax.jit, static_argnames=("axes", "keepdims", "synchronized"))
def moments(x, axes, keepdims=False, synchronized=False):
    mean = jnp.mean(x, axis=axes, keepdims=True)
    variance = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = jnp.squeeze(mean, axis=axes)
    return mean, variance


def _along(parameter, axis, ndim):
    shape = [1] * ndim
    shape[axis] = -1
    return jnp.reshape(parameter, shape)


@functools.partial(jax.jit, static_argnames=("axis", "epsilon"))
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    inverse = lax.rsqrt(_along(variance, axis, x.ndim) + epsilon)
    if scale is not None:
        inverse = inverse * _along(scale, axis, x.ndim)
    result = (x - _along(mean, axis, x.ndim)) * inverse
    if offset is not None:
        result = result + _along(offset, axis, x.ndim)
    return result


@functools.partial(jax.jit, static_argnames=("axis", "order", "epsilon"))
def normalize(x, axis=-1, order=2, epsilon=None):
    norm = jnp.sum(jnp.abs(x) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return x / jnp.maximum(norm, epsilon)  # pyright: ignore[reportArgumentType] - kerasx.ops passes a value
