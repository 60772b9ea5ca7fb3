"""Window functions for signal processing: Hann, Hamming, Blackman, Bartlett and Kaiser, in floatx.

The windows are symmetric, as NumPy's: their peak (1) is in the middle.
"""

from __future__ import annotations

import math

from kerasx.backend import _config, active
from kerasx.ops._dispatch import convert, op
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import static_value
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy


def _window_spec(x, *args):
    return KerasTensor((int(static_value(x, "x")),), _config.floatx())



def _window_positions(x):
    """NumPy's `arange(1 - M, M, 2) / (M - 1)` for a window of length M, in floatx (empty for M < 1)."""
    length = int(static_value(x, "x"))
    dtype = _config.floatx()
    positions = _np.arange(1 - length, length, 2, dtype=dtype)
    return length, _np.divide(positions, convert(max(length - 1, 1), dtype))



def _cosine_window(terms):
    def window(x):
        length, n = _window_positions(x)
        dtype = _config.floatx()
        result = _np.zeros_like(n, dtype=dtype)
        for order, weight in enumerate(terms):
            angle = _np.multiply(n, convert(math.pi * order, dtype))
            result = _np.add(result, _np.multiply(convert(weight, dtype), _np.cos(angle)))
        return result if length > 1 else _np.ones_like(n, dtype=dtype)

    return window


_hanning = _cosine_window((0.5, 0.5))

_hamming = _cosine_window((0.54, 0.46))

_blackman = _cosine_window((0.42, 0.5, 0.08))


@op(_window_spec)
def hanning(x: int) -> Tensor:
    """Hann window: `0.5 - 0.5 * cos(2 * pi * n / (x - 1))` for `n = 0, ..., x - 1`.

    Args:
        x: the window length (a Python int, or a concrete integer scalar).

    Returns:
        A 1-D floatx tensor of length `x` (a single 1 for `x == 1`).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.hanning(5)).round(4)
        array([0. , 0.5, 1. , 0.5, 0. ], dtype=float32)
    """
    return _hanning(x)


@op(_window_spec)
def hamming(x: int) -> Tensor:
    """Hamming window: `0.54 - 0.46 * cos(2 * pi * n / (x - 1))` for `n = 0, ..., x - 1`.

    Args:
        x: the window length (a Python int, or a concrete integer scalar).

    Returns:
        A 1-D floatx tensor of length `x` (a single 1 for `x == 1`).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.hamming(5)).round(4)
        array([0.08, 0.54, 1.  , 0.54, 0.08], dtype=float32)
    """
    return _hamming(x)


@op(_window_spec)
def blackman(x: int) -> Tensor:
    """Blackman window: `0.42 - 0.5 * cos(2 * pi * n / (x - 1)) + 0.08 * cos(4 * pi * n / (x - 1))`.

    Args:
        x: the window length (a Python int, or a concrete integer scalar).

    Returns:
        A 1-D floatx tensor of length `x` (a single 1 for `x == 1`).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.blackman(5)).round(4)[1:4]
        array([0.34, 1.  , 0.34], dtype=float32)
    """
    return _blackman(x)


@op(_window_spec)
def bartlett(x: int) -> Tensor:
    """Bartlett (triangular) window: rising linearly from 0 to 1 and back to 0.

    Args:
        x: the window length (a Python int, or a concrete integer scalar).

    Returns:
        A 1-D floatx tensor of length `x` (a single 1 for `x == 1`).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.bartlett(5)).round(4)
        array([0. , 0.5, 1. , 0.5, 0. ], dtype=float32)
    """
    length, n = _window_positions(x)
    dtype = _config.floatx()
    result = _np.subtract(convert(1, dtype), _np.abs(n))
    return result if length > 1 else _np.ones_like(n, dtype=dtype)


@op(_window_spec)
def kaiser(x: int, beta: TensorLike) -> Tensor:
    """Kaiser window: `i0(beta * sqrt(1 - (2n / (x - 1) - 1) ** 2)) / i0(beta)` for `n = 0, ..., x - 1`.

    Larger `beta` gives a narrower peak (0 is a rectangle; about 8.6 resembles a Blackman window).

    Args:
        x: the window length (a Python int, or a concrete integer scalar).
        beta: the shape parameter.

    Returns:
        A 1-D floatx tensor of length `x` (a single 1 for `x == 1`).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.kaiser(5, 5.0)).round(4)
        array([0.0367, 0.5529, 1.    , 0.5529, 0.0367], dtype=float32)
    """
    length, n = _window_positions(x)
    dtype = _config.floatx()
    beta = convert(beta, dtype)
    inside = _np.sqrt(_np.maximum(_np.subtract(convert(1, dtype), _np.square(n)), convert(0, dtype)))
    result = _np.divide(_np.i0(_np.multiply(beta, inside)), _np.i0(beta))
    return result if length > 1 else _np.ones_like(n, dtype=dtype)


__all__ = ["bartlett", "blackman", "hamming", "hanning", "kaiser"]
