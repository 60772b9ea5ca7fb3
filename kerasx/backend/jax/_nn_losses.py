"""JAX backend: one-hot encodings and cross-entropies (Keras semantics: probabilities clipped to epsilon)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kerasx.backend import _config
from kerasx.backend.jax.core import native_dtype


def one_hot(x, num_classes, axis=-1, dtype=None):
    return jax.nn.one_hot(x, num_classes, dtype=native_dtype(dtype), axis=axis)


def multi_hot(inputs, num_classes, axis=-1, dtype=None):
    label_axis = 1 if inputs.ndim > 1 else 0
    return jnp.max(one_hot(inputs, num_classes, axis, dtype), axis=label_axis)


def _clipped(probabilities):
    epsilon = _config.epsilon()
    return jnp.clip(probabilities, epsilon, 1.0 - epsilon)


def binary_crossentropy(target, output, from_logits=False):
    if from_logits:
        return jnp.maximum(output, 0.0) - output * target + jnp.log1p(jnp.exp(-jnp.abs(output)))
    p = _clipped(output)
    return -(target * jnp.log(p) + (1.0 - target) * jnp.log(1.0 - p))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if from_logits:
        log_probabilities = jax.nn.log_softmax(output, axis=axis)
    else:
        log_probabilities = jnp.log(_clipped(output / jnp.sum(output, axis=axis, keepdims=True)))
    return -jnp.sum(target * log_probabilities, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if target.ndim == output.ndim:
        target = jnp.squeeze(target, axis=-1)
    encoded = jax.nn.one_hot(target, output.shape[axis], dtype=output.dtype, axis=axis)
    return categorical_crossentropy(encoded, output, from_logits, axis)
