"""Public numpy-like ops (Keras 3 names and semantics)."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import op, promote

_np = active.numpy

__all__ = ["add"]


@op(_specs.broadcast_binary)
def add(x1, x2):
    """Elementwise `x1 + x2` with broadcasting."""
    x1, x2 = promote(x1, x2)
    return _np.add(x1, x2)
