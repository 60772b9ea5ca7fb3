"""TensorFlow backend: pooling. TF's own "SAME" is the Keras semantics (also excluding padding from averages);
CPU pooling is channels-last only, so channels_first inputs are transposed."""

from __future__ import annotations

import tensorflow as tf

from kerasx.backend.tensorflow._nn_conv import CHANNELS_LAST, from_channels_last, to_channels_last


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = to_channels_last(inputs, data_format)
    out = tf.nn.max_pool(x, pool_size, strides, padding.upper(), CHANNELS_LAST[len(strides)])  # pyright: ignore[reportArgumentType] - kerasx.ops passes strides
    return from_channels_last(out, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = to_channels_last(inputs, data_format)
    out = tf.nn.avg_pool(x, pool_size, strides, padding.upper(), CHANNELS_LAST[len(strides)])  # pyright: ignore[reportArgumentType] - TensorFlow's stubs want literals
    return from_channels_last(out, data_format)
