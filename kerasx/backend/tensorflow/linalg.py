"""TensorFlow backend: linalg ops."""

from __future__ import annotations

import tensorflow as tf


def inv(x):
    return tf.linalg.inv(x)
