"""Public linear-algebra ops (Keras 3 `keras.ops.linalg`), also exported at `kerasx.ops`.

The ops live in the private modules `_linalg`, `_linalg_factor` and `_linalg_jvp`, which list them in `__all__`;
this face re-exports every one of them by name. `tests/test_ops_surface.py` checks that the lists agree.
"""

from __future__ import annotations

from kerasx import _missing
from kerasx.ops import _linalg, _linalg_factor, _linalg_jvp
from kerasx.ops._linalg import cholesky, det, eigh, inv, lstsq, norm, qr, solve, solve_triangular, svd
from kerasx.ops._linalg_factor import cholesky_inverse, eig, lu_factor, matrix_rank, pinv
from kerasx.ops._linalg_jvp import jvp

__all__ = sorted(_linalg.__all__ + _linalg_factor.__all__ + _linalg_jvp.__all__)


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
