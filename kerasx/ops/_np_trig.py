"""Elementwise trigonometric and hyperbolic functions, their inverses, and angle-unit conversions.

Integer and bool inputs give floatx; float inputs keep their dtype. Angles are in radians.
"""

from __future__ import annotations

import math

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote_float
from kerasx.ops._np_common import as_tensor, float_tensor
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy


@op(_specs.same_float)
def sin(x: TensorLike) -> Tensor:
    """Elementwise sine of angles in radians.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sin([0.0, np.pi / 2])).round(4)
        array([0., 1.], dtype=float32)
    """
    return _np.sin(float_tensor(x))


@op(_specs.same_float)
def cos(x: TensorLike) -> Tensor:
    """Elementwise cosine of angles in radians.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.cos([0.0, np.pi])).round(4)
        array([ 1., -1.], dtype=float32)
    """
    return _np.cos(float_tensor(x))


@op(_specs.same_float)
def tan(x: TensorLike) -> Tensor:
    """Elementwise tangent of angles in radians.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.tan([0.0, np.pi / 4])).round(4)
        array([0., 1.], dtype=float32)
    """
    return _np.tan(float_tensor(x))


@op(_specs.same_float)
def arcsin(x: TensorLike) -> Tensor:
    """Elementwise inverse sine, in radians in `[-pi/2, pi/2]`; NaN outside `[-1, 1]`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.arcsin([0.0, 1.0])).round(4)
        array([0.    , 1.5708], dtype=float32)
    """
    return _np.arcsin(float_tensor(x))


@op(_specs.same_float)
def arccos(x: TensorLike) -> Tensor:
    """Elementwise inverse cosine, in radians in `[0, pi]`; NaN outside `[-1, 1]`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.arccos([1.0, 0.0])).round(4)
        array([0.    , 1.5708], dtype=float32)
    """
    return _np.arccos(float_tensor(x))


@op(_specs.same_float)
def arctan(x: TensorLike) -> Tensor:
    """Elementwise inverse tangent, in radians in `(-pi/2, pi/2)`; see `arctan2` for the full circle.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.arctan([0.0, 1.0])).round(4)
        array([0.    , 0.7854], dtype=float32)
    """
    return _np.arctan(float_tensor(x))


@op(_specs.same_float)
def sinh(x: TensorLike) -> Tensor:
    """Elementwise hyperbolic sine `(exp(x) - exp(-x)) / 2`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sinh([0.0, 1.0])).round(4)
        array([0.    , 1.1752], dtype=float32)
    """
    return _np.sinh(float_tensor(x))


@op(_specs.same_float)
def cosh(x: TensorLike) -> Tensor:
    """Elementwise hyperbolic cosine `(exp(x) + exp(-x)) / 2`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.cosh([0.0, 1.0])).round(4)
        array([1.    , 1.5431], dtype=float32)
    """
    return _np.cosh(float_tensor(x))


@op(_specs.same_float)
def tanh(x: TensorLike) -> Tensor:
    """Elementwise hyperbolic tangent, in `(-1, 1)`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.tanh([0.0, 1.0])).round(4)
        array([0.    , 0.7616], dtype=float32)
    """
    return _np.tanh(float_tensor(x))


@op(_specs.same_float)
def arcsinh(x: TensorLike) -> Tensor:
    """Elementwise inverse hyperbolic sine.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.arcsinh([0.0, 1.0])).round(4)
        array([0.    , 0.8814], dtype=float32)
    """
    return _np.arcsinh(float_tensor(x))


@op(_specs.same_float)
def arccosh(x: TensorLike) -> Tensor:
    """Elementwise inverse hyperbolic cosine; NaN below 1.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.arccosh([1.0, 2.0])).round(4)
        array([0.   , 1.317], dtype=float32)
    """
    return _np.arccosh(float_tensor(x))


@op(_specs.same_float)
def arctanh(x: TensorLike) -> Tensor:
    """Elementwise inverse hyperbolic tangent; infinite at -1 and 1, NaN outside `[-1, 1]`.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.arctanh([0.0, 0.5])).round(4)
        array([0.    , 0.5493], dtype=float32)
    """
    return _np.arctanh(float_tensor(x))


@op(_specs.same_float)
def deg2rad(x: TensorLike) -> Tensor:
    """Converts angles from degrees to radians: `x * pi / 180`.

    Args:
        x: angles in degrees; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.deg2rad([180.0, 90.0])).round(4)
        array([3.1416, 1.5708], dtype=float32)
    """
    (x,) = promote_float(x)
    return _np.multiply(x, as_tensor(math.pi / 180.0, dtype_of(x)))


@op(_specs.same_float)
def rad2deg(x: TensorLike) -> Tensor:
    """Converts angles from radians to degrees: `x * 180 / pi`.

    Args:
        x: angles in radians; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.rad2deg([np.pi, np.pi / 2])).round(4)
        array([180.,  90.], dtype=float32)
    """
    (x,) = promote_float(x)
    return _np.multiply(x, as_tensor(180.0 / math.pi, dtype_of(x)))


@op(_specs.same_float)
def sinc(x: TensorLike) -> Tensor:
    """Elementwise normalized sinc `sin(pi * x) / (pi * x)`, and 1 at `x = 0`.

    The gradient stays finite at 0.

    Args:
        x: input tensor; integers and bools give floatx.

    Returns:
        A float tensor of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sinc([0.0, 0.5])).round(4)
        array([1.    , 0.6366], dtype=float32)
    """
    (x,) = promote_float(x)
    dtype = dtype_of(x)
    is_zero = _np.equal(x, as_tensor(0, dtype))
    # A safe argument keeps the unused branch (and its gradient) finite at 0.
    safe = _np.where(is_zero, as_tensor(1, dtype), x)
    pi_x = _np.multiply(safe, as_tensor(math.pi, dtype))
    return _np.where(is_zero, as_tensor(1, dtype), _np.divide(_np.sin(pi_x), pi_x))


__all__ = [
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctanh",
    "cos",
    "cosh",
    "deg2rad",
    "rad2deg",
    "sin",
    "sinc",
    "sinh",
    "tan",
    "tanh",
]
