"""TensorFlow backend: nn ops."""

from __future__ import annotations

import tensorflow as tf


def relu(x):
    return tf.nn.relu(x)
