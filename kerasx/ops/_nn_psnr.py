"""Peak signal-to-noise ratio between two signals (images), in decibels."""

from __future__ import annotations

import numpy as np

from kerasx.backend import active
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

BAD_RANKS = "`psnr` needs inputs of the same rank. Received: x1.shape={shape1}, x2.shape={shape2}"
BAD_SHAPES = "Input shapes {shape1} and {shape2} must match for PSNR calculation."


def _psnr_spec(x1, x2, max_val) -> KerasTensor:
    if len(shape_of(x1)) != len(shape_of(x2)):
        raise ValueError(BAD_RANKS.format(shape1=tuple(shape_of(x1)), shape2=tuple(shape_of(x2))))
    return KerasTensor((), "float32")


@op(_psnr_spec)
def psnr(x1: TensorLike, x2: TensorLike, max_val: float) -> Tensor:
    """Peak signal-to-noise ratio: `20 log10(max_val) - 10 log10(mean((x1 - x2) ** 2))`.

    Higher is closer; identical inputs give infinity.

    Args:
        x1: the first signal.
        x2: the second signal, of the same shape.
        max_val: the largest value a signal can take (1.0 for images in [0, 1], 255 for 8-bit).

    Returns:
        A scalar, in decibels.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.zeros((4, 4), "float32")
        >>> round(float(ops.psnr(x, x + 0.1, 1.0)), 3)
        20.0
    """
    x1, x2 = tensor(x1), tensor(x2)
    if tuple(shape_of(x1)) != tuple(shape_of(x2)):
        raise ValueError(BAD_SHAPES.format(shape1=tuple(shape_of(x1)), shape2=tuple(shape_of(x2))))
    x1, x2 = promote_float(x1, x2)
    dtype = dtype_of(x2)
    mse = _np.mean(_np.square(x1 - x2))
    peak = 20.0 * np.log10(float(max_val)) if not active.core.is_tensor(max_val) else None
    if peak is None:
        peak = 20.0 * _np.log10(tensor(max_val, dtype))
    return tensor(peak, dtype) - 10.0 * _np.log10(mse)


__all__ = ["psnr"]
