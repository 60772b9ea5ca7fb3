"""TensorFlow backend: pooling. TF's own "SAME" is the Keras semantics (also excluding padding from averages);
CPU pooling is channels-last only, so channels_first inputs are transposed."""

from __future__ import annotations

import tensorflow as tf

from kerasx.backend.tensorflow._nn_conv import from_channels_last, to_channels_last


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = to_channels_last(inputs, data_format)
    return from_channels_last(tf.nn.max_pool(x, pool_size, strides, padding.upper()), data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = to_channels_last(inputs, data_format)
    return from_channels_last(tf.nn.avg_pool(x, pool_size, strides, padding.upper()), data_format)
