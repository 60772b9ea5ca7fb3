"""JAX backend: pooling through lax.reduce_window."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax


def _window(values, data_format):
    return (1, *values, 1) if data_format == "channels_last" else (1, 1, *values)


def _lowest(dtype):
    return -jnp.inf if jnp.issubdtype(dtype, jnp.floating) else jnp.iinfo(dtype).min


@functools.partial(jax.jit, static_argnames=("pool_size", "strides", "padding", "data_format"))
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    # A concrete (NumPy) initial value lets lax pick its differentiable max/sum window reductions under jit.
    init = np.array(_lowest(inputs.dtype), inputs.dtype)
    return lax.reduce_window(
        inputs, init, lax.max, _window(pool_size, data_format), _window(strides, data_format), padding.upper()
    )


@functools.partial(jax.jit, static_argnames=("pool_size", "strides", "padding", "data_format"))
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    window, step = _window(pool_size, data_format), _window(strides, data_format)
    zero = np.array(0, inputs.dtype)
    total = lax.reduce_window(inputs, zero, lax.add, window, step, padding.upper())
    if padding == "valid":
        return total / math.prod(pool_size)
    # Count only the real cells of each window ("same" excludes the padding from the mean, as Keras/TF).
    spatial = inputs.shape[1:-1] if data_format == "channels_last" else inputs.shape[2:]
    ones = jnp.ones(_window(spatial, data_format), inputs.dtype)
    counts = lax.reduce_window(ones, zero, lax.add, window, step, padding.upper())
    return total / counts
