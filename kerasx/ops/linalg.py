"""Public linear-algebra ops (Keras 3 `keras.ops.linalg`), also exported at `kerasx.ops`.

The ops live in the private module `_linalg`, which lists them in `__all__`; this face re-exports every one of them
by name. `tests/test_ops_surface.py` checks that the lists agree.
"""

from __future__ import annotations

from kerasx import _missing
from kerasx.ops import _linalg
from kerasx.ops._linalg import cholesky, det, eigh, inv, lstsq, norm, qr, solve, solve_triangular, svd

__all__ = sorted(_linalg.__all__)


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
