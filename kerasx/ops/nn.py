"""Public neural-network ops: activations, convolutions, pooling, normalization, losses, attention."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import op, promote_float

_nn = active.nn

__all__ = ["relu"]


@op(_specs.same_float)
def relu(x):
    """Rectified linear unit: `max(x, 0)`."""
    (x,) = promote_float(x)
    return _nn.relu(x)
