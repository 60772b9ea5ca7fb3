"""Public linear-algebra ops (Keras 3 `keras.ops.linalg`), also exported at `kerasx.ops`.

The ops live in the private module `_linalg`, which lists them in `__all__`; this face re-exports every one of them
by name. `tests/test_ops_surface.py` checks that the lists agree.
"""

from __future__ import annotations

from kerasx.ops import _linalg
from kerasx.ops._linalg import cholesky, det, eigh, inv, lstsq, norm, qr, solve, solve_triangular, svd

__all__ = sorted(_linalg.__all__)
