"""JAX backend: activations (jax.nn where it has them).

Every function here and in the other `_nn_*` modules is jitted with its non-array arguments static, so an eager
call compiles one fused program per input shape instead of one per primitive; inside an outer jit it is inlined.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp


@jax.jit
def relu(x):
    return jax.nn.relu(x)


@jax.jit
def relu6(x):
    return jax.nn.relu6(x)


@jax.jit
def sigmoid(x):
    return jax.nn.sigmoid(x)


@jax.jit
def sparse_sigmoid(x):
    return jax.nn.sparse_sigmoid(x)


@jax.jit
def softplus(x):
    return jax.nn.softplus(x)


@jax.jit
def softsign(x):
    return jax.nn.soft_sign(x)


@functools.partial(jax.jit, static_argnames=("threshold",))
def soft_shrink(x, threshold=0.5):
    return jnp.where(x > threshold, x - threshold, jnp.where(x < -threshold, x + threshold, 0.0))


@jax.jit
def sparse_plus(x):
    return jax.nn.sparse_plus(x)


@jax.jit
def silu(x):
    return jax.nn.silu(x)


@functools.partial(jax.jit, static_argnames=("b",))
def squareplus(x, b=4):
    return jax.nn.squareplus(x, b)


@jax.jit
def log_sigmoid(x):
    return jax.nn.log_sigmoid(x)


@functools.partial(jax.jit, static_argnames=("negative_slope",))
def leaky_relu(x, negative_slope=0.2):
    return jax.nn.leaky_relu(x, negative_slope)


@jax.jit
def hard_sigmoid(x):
    return jax.nn.hard_sigmoid(x)


@jax.jit
def hard_silu(x):
    return jax.nn.hard_silu(x)


@functools.partial(jax.jit, static_argnames=("alpha",))
def elu(x, alpha=1.0):
    return jax.nn.elu(x, alpha)


@jax.jit
def selu(x):
    return jax.nn.selu(x)


@functools.partial(jax.jit, static_argnames=("approximate",))
def gelu(x, approximate=True):
    return jax.nn.gelu(x, approximate=approximate)


@functools.partial(jax.jit, static_argnames=("alpha",))
def celu(x, alpha=1.0):
    return jax.nn.celu(x, alpha)


@functools.partial(jax.jit, static_argnames=("axis",))
def glu(x, axis=-1):
    return jax.nn.glu(x, axis)


@jax.jit
def tanh_shrink(x):
    return x - jnp.tanh(x)


@jax.jit
def hard_tanh(x):
    return jax.nn.hard_tanh(x)


@functools.partial(jax.jit, static_argnames=("threshold",))
def hard_shrink(x, threshold=0.5):
    return jnp.where(jnp.abs(x) > threshold, x, 0.0)


@functools.partial(jax.jit, static_argnames=("threshold", "default_value"))
def threshold(x, threshold, default_value):
    return jnp.where(x > threshold, x, default_value)


@functools.partial(jax.jit, static_argnames=("axis",))
def softmax(x, axis=-1):
    return jax.nn.softmax(x, axis=axis)


@functools.partial(jax.jit, static_argnames=("axis",))
def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(x, axis=axis)


@functools.partial(jax.jit, static_argnames=("axis",))
def sparsemax(x, axis=-1):
    moved = jnp.moveaxis(x, axis, -1)
    ordered = -jnp.sort(-moved, axis=-1)
    ranks = jnp.arange(1, moved.shape[-1] + 1, dtype=x.dtype)
    cumulative = jnp.cumsum(ordered, axis=-1)
    support_size = jnp.sum(1.0 + ranks * ordered > cumulative, axis=-1, keepdims=True)
    tau = (jnp.take_along_axis(cumulative, support_size - 1, axis=-1) - 1.0) / support_size.astype(x.dtype)
    return jnp.moveaxis(jnp.maximum(moved - tau, 0.0), -1, axis)
