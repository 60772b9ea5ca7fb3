"""Contract of `kerasx/backend/<engine>/linalg.py`."""

from __future__ import annotations

from typing import Any, Callable, Protocol

Tensor = Any


class LinalgContract(Protocol):
    def inv(self, x) -> Tensor:
        """Inverse of square matrices (batched over leading axes)."""
