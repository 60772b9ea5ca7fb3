"""TensorFlow backend: activations (tf.nn where it has them). Constants go through `_like` because tf.where does
not convert Python floats to the other branch's dtype."""

from __future__ import annotations

import tensorflow as tf


def _like(x, value):
    return tf.fill(tf.shape(x), tf.cast(value, x.dtype))


def relu(x):
    return tf.nn.relu(x)


def relu6(x):
    return tf.nn.relu6(x)


def sigmoid(x):
    return tf.nn.sigmoid(x)


def sparse_sigmoid(x):
    return tf.clip_by_value(0.5 * (x + 1.0), 0.0, 1.0)


def softplus(x):
    return tf.nn.softplus(x)


def softsign(x):
    return tf.nn.softsign(x)


def soft_shrink(x, threshold=0.5):
    return tf.where(x > threshold, x - threshold, tf.where(x < -threshold, x + threshold, _like(x, 0.0)))


def sparse_plus(x):
    middle = 0.25 * tf.square(x + 1.0)
    return tf.where(x <= -1.0, _like(x, 0.0), tf.where(x >= 1.0, x, middle))


def silu(x):
    return tf.nn.silu(x)


def squareplus(x, b=4):
    return 0.5 * (x + tf.sqrt(tf.square(x) + b))


def log_sigmoid(x):
    return tf.math.log_sigmoid(x)


def leaky_relu(x, negative_slope=0.2):
    return tf.nn.leaky_relu(x, alpha=negative_slope)


def hard_sigmoid(x):
    return tf.clip_by_value(x / 6.0 + 0.5, 0.0, 1.0)


def hard_silu(x):
    return x * hard_sigmoid(x)


def elu(x, alpha=1.0):
    return tf.where(x > 0.0, x, alpha * tf.math.expm1(tf.minimum(x, 0.0)))


def selu(x):
    return tf.nn.selu(x)


def gelu(x, approximate=True):
    return tf.nn.gelu(x, approximate=approximate)


def celu(x, alpha=1.0):
    return tf.maximum(x, 0.0) + tf.minimum(alpha * tf.math.expm1(tf.minimum(x, 0.0) / alpha), 0.0)


def glu(x, axis=-1):
    a, b = tf.split(x, 2, axis=axis)
    return a * tf.nn.sigmoid(b)


def tanh_shrink(x):
    return x - tf.tanh(x)


def hard_tanh(x):
    return tf.clip_by_value(x, -1.0, 1.0)


def hard_shrink(x, threshold=0.5):
    return tf.where(tf.abs(x) > threshold, x, _like(x, 0.0))


def threshold(x, threshold, default_value):
    return tf.where(x > threshold, x, _like(x, default_value))


def softmax(x, axis=-1):
    if isinstance(axis, int):
        return tf.nn.softmax(x, axis=axis)
    exps = tf.exp(x - tf.reduce_max(x, axis=axis, keepdims=True))
    return exps / tf.reduce_sum(exps, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    if isinstance(axis, int):
        return tf.nn.log_softmax(x, axis=axis)
    return x - tf.reduce_logsumexp(x, axis=axis, keepdims=True)


def sparsemax(x, axis=-1):
    ordered = tf.sort(x, axis=axis, direction="DESCENDING")
    size = x.shape[axis]
    shape = [1] * x.shape.rank
    shape[axis] = size
    ranks = tf.reshape(tf.range(1, size + 1, dtype=x.dtype), shape)
    in_support = 1.0 + ranks * ordered > tf.cumsum(ordered, axis=axis)
    # The support is a prefix of the sorted values, so its sum needs no gather.
    support_size = tf.reduce_sum(tf.cast(in_support, x.dtype), axis=axis, keepdims=True)
    support_sum = tf.reduce_sum(tf.where(in_support, ordered, tf.zeros_like(ordered)), axis=axis, keepdims=True)
    return tf.maximum(x - (support_sum - 1.0) / support_size, 0.0)
