"""TensorFlow backend: image resampling with tf.image.resize, as Keras 3's tensorflow backend does."""

from __future__ import annotations

import tensorflow as tf

_METHODS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


def resize(images, size, interpolation="bilinear", antialias=False):
    resized = tf.image.resize(images, size, method=interpolation, antialias=antialias)
    # tf.image.resize returns float32 for every input but float16/bfloat16/float64 ones kept as they are.
    return tf.cast(resized, images.dtype)


def round_position(x):
    # As ImageProjectiveTransformV3 (Keras 3's tensorflow affine_transform) rounds: halves away from zero.
    return tf.sign(x) * tf.floor(tf.abs(x) + 0.5)


def resize_methods():
    return _METHODS
