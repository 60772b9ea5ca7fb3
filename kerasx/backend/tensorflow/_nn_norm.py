"""TensorFlow backend: moments, batch normalization, normalize."""

from __future__ import annotations

import tensorflow as tf


def moments(x, axes, keepdims=False, synchronized=False):
    mean = tf.reduce_mean(x, axis=axes, keepdims=True)
    variance = tf.reduce_mean(tf.square(x - mean), axis=axes, keepdims=keepdims)
    if not keepdims:
        mean = tf.squeeze(mean, axis=axes)
    return mean, variance


def _along(parameter, axis, ndim):
    shape = [1] * ndim
    shape[axis] = -1
    return tf.reshape(parameter, shape)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    ndim = x.shape.rank
    inverse = tf.math.rsqrt(_along(variance, axis, ndim) + epsilon)
    if scale is not None:
        inverse = inverse * _along(scale, axis, ndim)
    result = (x - _along(mean, axis, ndim)) * inverse
    if offset is not None:
        result = result + _along(offset, axis, ndim)
    return result


def normalize(x, axis=-1, order=2, epsilon=None):
    norm = tf.reduce_sum(tf.abs(x) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return x / tf.maximum(norm, epsilon)  # pyright: ignore[reportArgumentType,reportCallIssue] - kerasx.ops passes a value
