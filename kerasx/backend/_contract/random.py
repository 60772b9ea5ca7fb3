"""Contract of `kerasx/backend/<engine>/random.py`."""

from __future__ import annotations

from typing import Any, Callable, Protocol

Tensor = Any


class RandomContract(Protocol):
    def random_bits(self, shape, key) -> Tensor:
        """uint32 bits of `shape` from the counter-based generator in `kerasx.backend._threefry`, keyed by `key`.

        `key` is a uint32 tensor of shape (2,). The same key gives the same bits on every engine.
        """
