"""NumPy backend: moments, batch normalization, normalize."""

from __future__ import annotations

import numpy as np


def moments(x, axes, keepdims=False, synchronized=False):
    mean = np.mean(x, axis=axes, keepdims=True)
    variance = np.mean(np.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = np.squeeze(mean, axis=axes)
    return mean, variance


def _along(parameter, axis, ndim):
    shape = [1] * ndim
    shape[axis] = -1
    return np.reshape(parameter, shape)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    inverse = 1.0 / np.sqrt(_along(variance, axis, x.ndim) + epsilon)
    if scale is not None:
        inverse = inverse * _along(scale, axis, x.ndim)
    result = (x - _along(mean, axis, x.ndim)) * inverse
    if offset is not None:
        result = result + _along(offset, axis, x.ndim)
    return result.astype(x.dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    norm = np.sum(np.abs(x) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return (x / np.maximum(norm, epsilon)).astype(x.dtype)  # pyright: ignore[reportArgumentType,reportCallIssue] - kerasx.ops passes a value
