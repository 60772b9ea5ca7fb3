"""JAX backend: one-hot encodings and cross-entropies (Keras semantics: probabilities clipped to epsilon).

`epsilon()` is read on every call and passed to the jitted bodies as a static argument, so `set_epsilon` takes effect
instead of being frozen into the first trace.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from kerasx.backend import _config
from kerasx.backend.jax.core import native_dtype


@functools.partial(jax.jit, static_argnames=("num_classes", "axis", "dtype"))
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    return jax.nn.one_hot(x, num_classes, dtype=native_dtype(dtype), axis=axis)


@functools.partial(jax.jit, static_argnames=("num_classes", "axis", "dtype"))
def multi_hot(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    label_axis = 1 if inputs.ndim > 1 else 0
    return jnp.max(one_hot(inputs, num_classes, axis, dtype), axis=label_axis)


def binary_crossentropy(target, output, from_logits=False):
    return _binary_crossentropy(target, output, from_logits, _config.epsilon())


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return _categorical_crossentropy(target, output, from_logits, axis, _config.epsilon())


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return _sparse_categorical_crossentropy(target, output, from_logits, axis, _config.epsilon())


@functools.partial(jax.jit, static_argnames=("from_logits", "epsilon"))
def _binary_crossentropy(target, output, from_logits, epsilon):
    if from_logits:
        return jnp.maximum(output, 0.0) - output * target + jnp.log1p(jnp.exp(-jnp.abs(output)))
    p = jnp.clip(output, epsilon, 1.0 - epsilon)
    return -(target * jnp.log(p) + (1.0 - target) * jnp.log(1.0 - p))


@functools.partial(jax.jit, static_argnames=("from_logits", "axis", "epsilon"))
def _categorical_crossentropy(target, output, from_logits, axis, epsilon):
    if from_logits:
        log_probabilities = jax.nn.log_softmax(output, axis=axis)
    else:
        probabilities = output / jnp.sum(output, axis=axis, keepdims=True)
        log_probabilities = jnp.log(jnp.clip(probabilities, epsilon, 1.0 - epsilon))
    return -jnp.sum(target * log_probabilities, axis=axis)


@functools.partial(jax.jit, static_argnames=("from_logits", "axis", "epsilon"))
def _sparse_categorical_crossentropy(target, output, from_logits, axis, epsilon):
    if target.ndim == output.ndim:
        target = jnp.squeeze(target, axis=-1)
    encoded = jax.nn.one_hot(target, output.shape[axis], dtype=output.dtype, axis=axis)
    return _categorical_crossentropy(encoded, output, from_logits, axis, epsilon)
