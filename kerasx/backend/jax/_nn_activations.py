"""JAX backend: activations (jax.nn where it has them)."""

from __future__ import annotations

import jax
import jax.numpy as jnp


def relu(x):
    return jax.nn.relu(x)


def relu6(x):
    return jax.nn.relu6(x)


def sigmoid(x):
    return jax.nn.sigmoid(x)


def sparse_sigmoid(x):
    return jax.nn.sparse_sigmoid(x)


def softplus(x):
    return jax.nn.softplus(x)


def softsign(x):
    return jax.nn.soft_sign(x)


def soft_shrink(x, threshold=0.5):
    return jnp.where(x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, 0.0))


def sparse_plus(x):
    return jax.nn.sparse_plus(x)


def silu(x):
    return jax.nn.silu(x)


def squareplus(x, b=4):
    return jax.nn.squareplus(x, b)


def log_sigmoid(x):
    return jax.nn.log_sigmoid(x)


def leaky_relu(x, negative_slope=0.2):
    return jax.nn.leaky_relu(x, negative_slope)


def hard_sigmoid(x):
    return jax.nn.hard_sigmoid(x)


def hard_silu(x):
    return jax.nn.hard_silu(x)


def elu(x, alpha=1.0):
    return jax.nn.elu(x, alpha)


def selu(x):
    return jax.nn.selu(x)


def gelu(x, approximate=True):
    return jax.nn.gelu(x, approximate=approximate)


def celu(x, alpha=1.0):
    return jax.nn.celu(x, alpha)


def glu(x, axis=-1):
    return jax.nn.glu(x, axis)


def tanh_shrink(x):
    return x - jnp.tanh(x)


def hard_tanh(x):
    return jax.nn.hard_tanh(x)


def hard_shrink(x, threshold=0.5):
    return jnp.where(jnp.abs(x) > threshold, x, 0.0)


def threshold(x, threshold, default_value):
    return jnp.where(x > threshold, x, default_value)


def softmax(x, axis=-1):
    return jax.nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(x, axis=axis)


def sparsemax(x, axis=-1):
    moved = jnp.moveaxis(x, axis, -1)
    ordered = -jnp.sort(-moved, axis=-1)
    ranks = jnp.arange(1, moved.shape[-1] + 1, dtype=x.dtype)
    cumulative = jnp.cumsum(ordered, axis=-1)
    support_size = jnp.sum(1.0 + ranks * ordered > cumulative, axis=-1, keepdims=True)
    tau = (jnp.take_along_axis(cumulative, support_size - 1, axis=-1) - 1.0) / support_size.astype(x.dtype)
    return jnp.moveaxis(jnp.maximum(moved - tau, 0.0), -1, axis)
