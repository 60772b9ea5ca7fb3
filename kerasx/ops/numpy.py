"""Public numpy-like ops (Keras 3 names, signatures and semantics).

The implementations live in private modules by concept (`_np_math`, `_np_reduce`, ...); this module re-exports
each module's `__all__`, and `kerasx.ops` re-exports this module's.
"""

from __future__ import annotations

from kerasx.ops import (
    _np_arith,
    _np_create,
    _np_index,
    _np_join,
    _np_linear,
    _np_logic,
    _np_math,
    _np_reduce,
    _np_shape,
    _np_sort,
)
from kerasx.ops._np_arith import *  # noqa: F403 - each private module lists its ops in __all__
from kerasx.ops._np_create import *  # noqa: F403
from kerasx.ops._np_index import *  # noqa: F403
from kerasx.ops._np_join import *  # noqa: F403
from kerasx.ops._np_linear import *  # noqa: F403
from kerasx.ops._np_logic import *  # noqa: F403
from kerasx.ops._np_math import *  # noqa: F403
from kerasx.ops._np_reduce import *  # noqa: F403
from kerasx.ops._np_shape import *  # noqa: F403
from kerasx.ops._np_sort import *  # noqa: F403

__all__ = sorted(
    _np_arith.__all__
    + _np_create.__all__
    + _np_index.__all__
    + _np_join.__all__
    + _np_linear.__all__
    + _np_logic.__all__
    + _np_math.__all__
    + _np_reduce.__all__
    + _np_shape.__all__
    + _np_sort.__all__
)
