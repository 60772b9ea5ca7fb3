"""JAX backend: the raw bit generator."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
from jax import lax

from kerasx.backend import _threefry


class _Words(_threefry.Words):
    def const(self, value):
        return jnp.uint32(value)

    def add(self, a, b):
        return a + b

    def xor(self, a, b):
        return a ^ b

    def rotl(self, x, r):
        return lax.shift_left(x, jnp.uint32(r)) | lax.shift_right_logical(x, jnp.uint32(32 - r))


WORDS = _Words()


def random_bits(shape, key):
    return _random_bits(tuple(int(d) for d in shape), jnp.asarray(key).astype(jnp.uint32))


def uniform_bits(shape, key, num_bits):
    return _uniform_bits(tuple(int(d) for d in shape), jnp.asarray(key).astype(jnp.uint32), int(num_bits))


# Compiled once per shape: run eagerly, the ~150 word operations of Threefry would each be dispatched (and
# compiled for every new shape) separately, about 0.5 s per new shape on a CPU.
@functools.partial(jax.jit, static_argnums=(0,))
def _random_bits(shape, key):
    size = math.prod(shape)
    counters = jnp.arange(_threefry.num_blocks(size), dtype=jnp.uint32)
    y0, y1 = _threefry.threefry2x32(WORDS, key[0], key[1], counters, jnp.zeros_like(counters))
    return jnp.concatenate([y0, y1])[:size].reshape(shape)


@functools.partial(jax.jit, static_argnums=(0, 2))
def _uniform_bits(shape, key, num_bits):
    return lax.shift_right_logical(_random_bits(shape, key), jnp.uint32(32 - num_bits)).astype(jnp.int32)


def next_key(state):
    # jax arrays are immutable: the state itself is a safe snapshot.
    key = jnp.asarray(state, dtype=jnp.uint32)
    return key, key + jnp.array([0, 1], dtype=jnp.uint32)
