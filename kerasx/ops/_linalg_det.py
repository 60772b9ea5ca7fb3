"""Log-determinants: `slogdet` (sign and log of the absolute determinant) and `logdet` (of positive-definite
matrices), from the engine's LU-based `slogdet`, without the overflow of `det`.

As in `_linalg`: matrices are the last two axes, integer inputs give floatx, half precision computes in float32.
"""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops._dispatch import op, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._linalg import _check_matrix, _floats, _restore, _result_dtype
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy
_linalg = active.linalg


def _slogdet_spec(x):
    _check_matrix("slogdet", shape_of(x))
    shape, dtype = shape_of(x)[:-2], _result_dtype(x)
    return KerasTensor(shape, dtype), KerasTensor(shape, dtype)


@op(_slogdet_spec)
def slogdet(x: TensorLike) -> tuple[Tensor, Tensor]:
    """Sign and natural log of the absolute value of determinants, without the overflow of `det`.

    Args:
        x: a tensor of shape `(..., M, M)`.

    Returns:
        `(sign, logabsdet)`, each of shape `x.shape[:-2]`, with `det = sign * exp(logabsdet)`; a singular matrix
        gives sign 0 and logabsdet -inf.

    Example:
        >>> from kerasx import ops
        >>> sign, logabsdet = ops.slogdet([[1.0, 2.0], [3.0, 4.0]])
        >>> float(ops.convert_to_numpy(sign)), round(float(ops.convert_to_numpy(logabsdet)), 4)
        (-1.0, 0.6931)
    """
    _check_matrix("slogdet", shape_of(x))
    (x,), dtype = _floats(x)
    return _restore(_linalg.slogdet(x), dtype)


def _logdet_spec(x):
    _check_matrix("logdet", shape_of(x))
    return KerasTensor(shape_of(x)[:-2], _result_dtype(x))


@op(_logdet_spec)
def logdet(x: TensorLike) -> Tensor:
    """Natural log of the determinant of Hermitian positive-definite matrices.

    Args:
        x: a tensor of shape `(..., M, M)`; for matrices with a negative determinant the result is NaN.

    Returns:
        A tensor of shape `x.shape[:-2]`.

    Example:
        >>> from kerasx import ops
        >>> round(float(ops.convert_to_numpy(ops.logdet([[2.0, 0.0], [0.0, 3.0]]))), 4)
        1.7918
    """
    _check_matrix("logdet", shape_of(x))
    (x,), dtype = _floats(x)
    sign, logabsdet = _linalg.slogdet(x)
    # log(det) is real only for a positive determinant; log(sign) adds 0 there, NaN for negative, -inf for 0.
    return _restore(_np.add(logabsdet, _np.log(sign)), dtype)


__all__ = ["logdet", "slogdet"]
