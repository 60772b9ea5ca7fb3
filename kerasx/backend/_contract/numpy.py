"""Contract of `kerasx/backend/<engine>/numpy.py`."""

from __future__ import annotations

from typing import Any, Callable, Protocol

Tensor = Any


class NumpyContract(Protocol):
    def add(self, x1, x2) -> Tensor:
        """Elementwise sum; inputs already share a dtype."""
