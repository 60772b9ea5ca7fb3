"""TensorFlow backend: one-hot encodings and cross-entropies (Keras semantics: probabilities clipped to epsilon)."""

from __future__ import annotations

import tensorflow as tf

from kerasx.backend import _config
from kerasx.backend.tensorflow.core import native_dtype


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    return tf.one_hot(x, num_classes, axis=axis, dtype=native_dtype(dtype))


def multi_hot(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    label_axis = 1 if inputs.shape.rank > 1 else 0
    return tf.reduce_max(one_hot(inputs, num_classes, axis, dtype), axis=label_axis)


def _clipped(probabilities):
    epsilon = _config.epsilon()
    return tf.clip_by_value(probabilities, epsilon, 1.0 - epsilon)


def binary_crossentropy(target, output, from_logits=False):
    if from_logits:
        return tf.maximum(output, 0.0) - output * target + tf.math.log1p(tf.exp(-tf.abs(output)))
    p = _clipped(output)
    return -(target * tf.math.log(p) + (1.0 - target) * tf.math.log(1.0 - p))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if from_logits:
        log_probabilities = tf.nn.log_softmax(output, axis=axis)
    else:
        log_probabilities = tf.math.log(_clipped(output / tf.reduce_sum(output, axis=axis, keepdims=True)))
    return -tf.reduce_sum(target * log_probabilities, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if target.shape.rank == output.shape.rank:
        target = tf.squeeze(target, axis=-1)
    encoded = tf.one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return categorical_crossentropy(encoded, output, from_logits, axis)
