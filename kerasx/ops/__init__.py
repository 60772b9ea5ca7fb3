"""Public ops: `kerasx.ops.add`, `kerasx.ops.conv`, ... Every op works eagerly on the selected engine's tensors and
symbolically on KerasTensors (output shape and dtype without running an engine).

The public surface is the union of the `__all__` lists of `core`, `numpy`, `nn` and `linalg`.
"""

from kerasx.ops import _operators, core, linalg, nn, numpy
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._node import Node
from kerasx.ops.core import *  # noqa: F403 - the public list is core.__all__
from kerasx.ops.linalg import *  # noqa: F403
from kerasx.ops.nn import *  # noqa: F403
from kerasx.ops.numpy import *  # noqa: F403

__all__ = ["KerasTensor", "Node", "core", "linalg", "nn", "numpy"] + core.__all__ + numpy.__all__ + nn.__all__ + linalg.__all__

del _operators
