"""Contract of `kerasx/backend/<engine>/random.py`.

Only integer work lives here: it is exact, so every engine returns the same numbers. The distributions built on
these bits are written once, in `kerasx.random`.
"""

from __future__ import annotations

from typing import Any, Protocol

Tensor = Any


class RandomContract(Protocol):
    def random_bits(self, shape, key) -> Tensor:
        """uint32 bits of `shape` from the counter-based generator in `kerasx.backend._threefry`, keyed by `key`.

        `key` is a uint32 tensor of shape (2,). The same key gives the same bits on every engine.
        """

    def uniform_bits(self, shape, key, num_bits) -> Tensor:
        """int32 tensor of `random_bits(shape, key) >> (32 - num_bits)`: uniform integers in [0, 2**num_bits).

        `num_bits` is a Python int from 1 to 31 (int32 holds them without a sign bit; torch's uint32 has no
        arithmetic, so the shift happens here).
        """

    def next_key(self, state) -> tuple:
        """`(key, new_state)` for one draw from a seed generator's state (uint32, shape (2,), possibly a variable).

        `key` is a copy of `state` that later assignments to the state cannot change; `new_state` is `state` with
        its second (counter) word plus one, modulo 2**32.
        """
        ...
