"""Threefry-2x32 (20 rounds), the counter-based generator behind every kerasx random op, written once.

Why counter-based: the bits are a pure function of (key, position), computed with 32-bit add, xor and rotate only.
IEEE-free integer arithmetic is exact on every engine, so the same seed yields bit-identical bits on numpy, jax,
torch and tensorflow (Keras 3's `random.normal((3,), seed=42)` gives four different answers on its four backends).

Each backend supplies a `Words` implementation: how it holds 32-bit words (uint32 natively, or int64 masked to 32
bits on torch, whose uint32 lacks arithmetic) and the three word operations.
"""

from __future__ import annotations

from typing import Any

_ROTATIONS = (13, 15, 26, 6, 17, 29, 16, 24)
_PARITY = 0x1BD11BDA
MASK32 = 0xFFFFFFFF


class Words:
    """Word arithmetic an engine provides; all results are reduced modulo 2**32."""

    def const(self, value: int) -> Any:
        raise TypeError("Words is abstract")

    def add(self, a, b) -> Any:
        raise TypeError("Words is abstract")

    def xor(self, a, b) -> Any:
        raise TypeError("Words is abstract")

    def rotl(self, x, r: int) -> Any:
        raise TypeError("Words is abstract")


def threefry2x32(words: Words, k0, k1, x0, x1):
    """Encrypt counter pairs (x0, x1) under key (k0, k1); returns two word tensors shaped like x0."""
    k2 = words.xor(words.xor(k0, k1), words.const(_PARITY))
    keys = (k0, k1, k2)
    x0 = words.add(x0, k0)
    x1 = words.add(x1, k1)
    for group in range(5):
        rotations = _ROTATIONS[:4] if group % 2 == 0 else _ROTATIONS[4:]
        for r in rotations:
            x0 = words.add(x0, x1)
            x1 = words.xor(words.rotl(x1, r), x0)
        x0 = words.add(x0, keys[(group + 1) % 3])
        x1 = words.add(words.add(x1, keys[(group + 2) % 3]), words.const(group + 1))
    return x0, x1


def num_blocks(size: int) -> int:
    """Counter pairs needed for `size` words: each pair gives two."""
    return (size + 1) // 2


def seed_to_key(seed: int) -> tuple[int, int]:
    """Key words of an integer seed: low and high 32 bits (negative seeds wrap like uint64)."""
    seed = int(seed) & 0xFFFFFFFFFFFFFFFF
    return seed & MASK32, (seed >> 32) & MASK32
