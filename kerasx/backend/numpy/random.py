"""NumPy backend: the raw bit generator (transforms to distributions live in `kerasx.random`)."""

from __future__ import annotations

import numpy as np

from kerasx.backend import _threefry


class _Words(_threefry.Words):
    def const(self, value):
        return np.uint32(value)

    def add(self, a, b):
        with np.errstate(over="ignore"):
            return np.add(a, b, dtype=np.uint32)

    def xor(self, a, b):
        return np.bitwise_xor(a, b, dtype=np.uint32)

    def rotl(self, x, r):
        return np.bitwise_or(np.left_shift(x, np.uint32(r)), np.right_shift(x, np.uint32(32 - r)), dtype=np.uint32)


WORDS = _Words()


def random_bits(shape, key):
    shape = tuple(int(d) for d in shape)
    size = int(np.prod(shape, dtype=np.int64))
    blocks = _threefry.num_blocks(size)
    key = np.asarray(key, dtype=np.uint32)
    counters = np.arange(blocks, dtype=np.uint32)
    y0, y1 = _threefry.threefry2x32(WORDS, key[0], key[1], counters, np.zeros_like(counters))
    return np.concatenate([y0, y1])[:size].reshape(shape)


def uniform_bits(shape, key, num_bits):
    return (random_bits(shape, key) >> np.uint32(32 - num_bits)).astype(np.int32)


_ONE_DRAW = np.array([0, 1], dtype=np.uint32)


def next_key(state):
    key = np.array(state, dtype=np.uint32, copy=True)
    return key, key + _ONE_DRAW
