"""Contract of `kerasx/backend/<engine>/nn.py`."""

from __future__ import annotations

from typing import Any, Callable, Protocol

Tensor = Any


class NNContract(Protocol):
    def relu(self, x) -> Tensor:
        """max(x, 0)."""
