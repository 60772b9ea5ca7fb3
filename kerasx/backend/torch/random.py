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


def random_bits(shape, key):
    shape = tuple(int(d) for d in shape)
    size = math.prod(shape)
    key = torch.as_tensor(key).to(device=DEFAULT_DEVICE, dtype=torch.int64) & _MASK
    counters = torch.arange(_threefry.num_blocks(size), dtype=torch.int64, device=key.device)
    y0, y1 = _threefry.threefry2x32(WORDS, key[0], key[1], counters, torch.zeros_like(counters))
    return torch.cat([y0, y1])[:size].reshape(shape).to(torch.uint32)
