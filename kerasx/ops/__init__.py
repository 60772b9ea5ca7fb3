"""Public ops: `kerasx.ops.add`, `kerasx.ops.conv`, ... Every op works eagerly on the selected engine's tensors and
symbolically on KerasTensors (output shape and dtype without running an engine)."""

from kerasx.ops import _operators, core, linalg, nn, numpy
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._node import Node
from kerasx.ops.core import cast, convert_to_numpy, convert_to_tensor, dtype, is_tensor, shape
from kerasx.ops.linalg import inv
from kerasx.ops.nn import relu
from kerasx.ops.numpy import add

__all__ = [
    "KerasTensor",
    "Node",
    "add",
    "cast",
    "convert_to_numpy",
    "convert_to_tensor",
    "core",
    "dtype",
    "inv",
    "is_tensor",
    "linalg",
    "nn",
    "numpy",
    "relu",
    "shape",
]

del _operators
