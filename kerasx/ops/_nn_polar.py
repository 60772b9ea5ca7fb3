"""`polar`: complex numbers from their moduli and arguments."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._math_fft import _float_dtype
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy


def _polar_spec(abs_, angle) -> KerasTensor:
    dtype = _float_dtype(dtype_of(abs_), dtype_of(angle))
    shape = _specs.broadcast_shapes(shape_of(abs_), shape_of(angle))
    return KerasTensor(shape, "complex128" if dtype == "float64" else "complex64")


@op(_polar_spec)
def polar(abs_: TensorLike, angle: TensorLike) -> Tensor:
    """Complex numbers from their polar coordinates: `abs_ * (cos(angle) + 1j * sin(angle))`.

    Args:
        abs_: the moduli.
        angle: the arguments, in radians; broadcast against `abs_`.

    Returns:
        A complex64 tensor (complex128 for float64 inputs) of the broadcast shape.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.polar([2.0, 1.0], [0.0, np.pi / 2])).round(4) + 0.0
        array([2.+0.j, 0.+1.j], dtype=complex64)
    """
    dtype = _float_dtype(dtype_of(abs_), dtype_of(angle))
    compute = "float64" if dtype == "float64" else "float32"
    abs_, angle = tensor(abs_, compute), tensor(angle, compute)
    return _np.make_complex(_np.multiply(abs_, _np.cos(angle)), _np.multiply(abs_, _np.sin(angle)))


__all__ = ["polar"]
