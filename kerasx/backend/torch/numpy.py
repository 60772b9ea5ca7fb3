"""PyTorch backend: numpy-like ops. The functions live in private modules by concept; this module re-exports them."""

from kerasx.backend.torch import _numpy_complex, _numpy_elementwise, _numpy_matrix, _numpy_reduce, _numpy_shape
from kerasx.backend.torch._numpy_complex import *  # noqa: F403
from kerasx.backend.torch._numpy_elementwise import *  # noqa: F403 - each private module lists its ops in __all__
from kerasx.backend.torch._numpy_matrix import *  # noqa: F403
from kerasx.backend.torch._numpy_reduce import *  # noqa: F403
from kerasx.backend.torch._numpy_shape import *  # noqa: F403

__all__ = sorted(
    _numpy_complex.__all__
    + _numpy_elementwise.__all__
    + _numpy_matrix.__all__
    + _numpy_reduce.__all__
    + _numpy_shape.__all__
)
