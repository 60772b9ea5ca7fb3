"""Pairwise Euclidean distances between two sets of points (`cdist`)."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import ndim_of
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

BAD_CDIST = (
    "`cdist` needs x of shape (..., N, D) and y of shape (..., M, D) (rank >= 2, the same D). Received: "
    "x.shape={x}, y.shape={y}."
)


def _cdist_spec(x, y) -> KerasTensor:
    x_shape, y_shape = tuple(shape_of(x)), tuple(shape_of(y))
    if len(x_shape) < 2 or len(y_shape) < 2 or (None not in (x_shape[-1], y_shape[-1]) and x_shape[-1] != y_shape[-1]):
        raise ValueError(BAD_CDIST.format(x=x_shape, y=y_shape))
    batch = tuple(d1 if d1 is not None else d2 for d1, d2 in zip(x_shape[:-2], y_shape[:-2]))
    return KerasTensor(batch + (x_shape[-2], y_shape[-2]), _dtypes.float_result(dtype_of(x), dtype_of(y)))


@op(_cdist_spec)
def cdist(x: TensorLike, y: TensorLike) -> Tensor:
    """Euclidean distances between every row of `x` and every row of `y`, batched over leading axes.

    Args:
        x: a tensor of shape `(..., N, D)`.
        y: a tensor of shape `(..., M, D)`.

    Returns:
        A float tensor of shape `(..., N, M)`: entry `[i, j]` is `|x[i] - y[j]|`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.cdist([[0.0, 0.0], [1.0, 1.0]], [[3.0, 4.0]]))
        array([[5.       ],
               [3.6055512]], dtype=float32)
    """
    spec = _cdist_spec(x, y)
    x, y = tensor(x, spec.dtype), tensor(y, spec.dtype)
    rank_x, rank_y = ndim_of(x), ndim_of(y)
    differences = _np.subtract(_np.expand_dims(x, (rank_x - 1,)), _np.expand_dims(y, (rank_y - 2,)))
    return _np.sqrt(_np.sum(_np.square(differences), axis=(rank_x,)))


__all__ = ["cdist"]
