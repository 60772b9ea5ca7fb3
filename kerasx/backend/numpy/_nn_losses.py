"""NumPy backend: one-hot encodings and cross-entropies (Keras semantics: probabilities are clipped to epsilon)."""

from __future__ import annotations

import numpy as np

from kerasx.backend import _config
from kerasx.backend.numpy._nn_activations import log_softmax
from kerasx.backend.numpy.core import native_dtype


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    # Comparing against every class gives all-zero rows for negative or too large indices.
    encoded = (x[..., None] == np.arange(num_classes)).astype(native_dtype(dtype))
    return np.moveaxis(encoded, -1, axis)


def multi_hot(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    label_axis = 1 if inputs.ndim > 1 else 0
    return np.max(one_hot(inputs, num_classes, axis, dtype), axis=label_axis)


def _clipped(probabilities):
    epsilon = _config.epsilon()
    return np.clip(probabilities, epsilon, 1.0 - epsilon)


def binary_crossentropy(target, output, from_logits=False):
    if from_logits:
        # log(1 + exp(-|z|)) + max(z, 0) - z t: the stable form of the sigmoid cross-entropy.
        loss = np.maximum(output, 0.0) - output * target + np.log1p(np.exp(-np.abs(output)))
        return loss.astype(output.dtype)
    p = _clipped(output)
    return (-(target * np.log(p) + (1.0 - target) * np.log(1.0 - p))).astype(output.dtype)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if from_logits:
        log_probabilities = log_softmax(output, axis)
    else:
        log_probabilities = np.log(_clipped(output / np.sum(output, axis=axis, keepdims=True)))
    return (-np.sum(target * log_probabilities, axis=axis)).astype(output.dtype)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if target.ndim == output.ndim:
        target = np.squeeze(target, axis=-1)
    encoded = one_hot(target, output.shape[axis], axis, output.dtype.name)
    return categorical_crossentropy(encoded, output, from_logits, axis)
