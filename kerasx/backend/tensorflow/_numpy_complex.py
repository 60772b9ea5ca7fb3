"""TensorFlow backend: parts of complex tensors and complex tensors from parts."""

from __future__ import annotations

import tensorflow as tf


def real(x):
    return tf.math.real(x)


def imag(x):
    return tf.math.imag(x)


def conj(x):
    return tf.math.conj(x)


def make_complex(real, imag):
    shape = tf.broadcast_dynamic_shape(tf.shape(real), tf.shape(imag))
    return tf.complex(tf.broadcast_to(real, shape), tf.broadcast_to(imag, shape))


__all__ = ["conj", "imag", "make_complex", "real"]
