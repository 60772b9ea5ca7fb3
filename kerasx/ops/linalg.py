"""Public linear-algebra ops."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import op, promote_float

_linalg = active.linalg

__all__ = ["inv"]


@op(_specs.same_float)
def inv(x):
    """Inverse of a square matrix, batched over leading axes."""
    (x,) = promote_float(x)
    return _linalg.inv(x)
