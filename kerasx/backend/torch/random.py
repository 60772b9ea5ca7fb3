"""PyTorch backend: the raw bit generator.

torch's uint32 has almost no arithmetic, so words are held in int64 and reduced modulo 2**32 after each add.
"""

from __future__ import annotations

import math

import torch

from kerasx.backend import _threefry
from kerasx.backend.torch.core import DEFAULT_DEVICE

_MASK = _threefry.MASK32


class _Words(_threefry.Words):
    def const(self, value):
        return value

    def add(self, a, b):
        return (a + b) & _MASK

    def xor(self, a, b):
        return a ^ b

    def rotl(self, x, r):
        return ((x << r) & _MASK) | (x >> (32 - r))


WORDS = _Words()


def _words(shape, key):
    """The bits of `random_bits` as int64 words in [0, 2**32)."""
    shape = tuple(int(d) for d in shape)
    size = math.prod(shape)
    key = torch.as_tensor(key).to(device=DEFAULT_DEVICE, dtype=torch.int64) & _MASK
    counters = torch.arange(_threefry.num_blocks(size), dtype=torch.int64, device=key.device)
    y0, y1 = _threefry.threefry2x32(WORDS, key[0], key[1], counters, torch.zeros_like(counters))
    return torch.cat([y0, y1])[:size].reshape(shape)


def random_bits(shape, key):
    return _words(shape, key).to(torch.uint32)


def uniform_bits(shape, key, num_bits):
    return (_words(shape, key) >> (32 - num_bits)).to(torch.int32)


def next_key(state):
    key = torch.as_tensor(state).to(device=DEFAULT_DEVICE, dtype=torch.int64)
    following = (key + torch.tensor([0, 1], device=key.device)) & _MASK
    return key.to(torch.uint32), following.to(torch.uint32)
