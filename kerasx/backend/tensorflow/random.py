"""TensorFlow backend: the raw bit generator."""

from __future__ import annotations

import math

import tensorflow as tf

from kerasx.backend import _threefry


class _Words(_threefry.Words):
    def const(self, value):
        return tf.constant(value, tf.uint32)

    def add(self, a, b):
        return tf.add(a, b)

    def xor(self, a, b):
        return tf.bitwise.bitwise_xor(a, b)

    def rotl(self, x, r):
        left = tf.bitwise.left_shift(x, tf.constant(r, tf.uint32))
        return tf.bitwise.bitwise_or(left, tf.bitwise.right_shift(x, tf.constant(32 - r, tf.uint32)))


WORDS = _Words()


def _dims(shape):
    """Dimensions as ints, or int32 scalar tensors where they are known only when a tf.function runs."""
    dims = [tf.cast(d, tf.int32) if tf.is_tensor(d) else int(d) for d in shape]
    if all(isinstance(d, int) for d in dims):
        return dims, math.prod(dims)
    return dims, tf.reduce_prod(tf.stack(dims))


def random_bits(shape, key):
    shape, size = _dims(shape)
    key = tf.cast(tf.convert_to_tensor(key), tf.uint32)
    counters = tf.range(_threefry.num_blocks(size), dtype=tf.int32)  # pyright: ignore[reportArgumentType] - an int or a scalar tensor
    counters = tf.cast(counters, tf.uint32)
    y0, y1 = _threefry.threefry2x32(WORDS, key[0], key[1], counters, tf.zeros_like(counters))
    return tf.reshape(tf.concat([y0, y1], 0)[:size], shape)


def uniform_bits(shape, key, num_bits):
    shifted = tf.bitwise.right_shift(random_bits(shape, key), tf.constant(32 - num_bits, tf.uint32))
    return tf.cast(shifted, tf.int32)


def next_key(state):
    # tf.identity reads a tf.Variable into a new tensor, so a later assign cannot change the key.
    key = tf.identity(tf.cast(state, tf.uint32))
    return key, key + tf.constant([0, 1], tf.uint32)
