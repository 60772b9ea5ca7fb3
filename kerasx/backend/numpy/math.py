"""NumPy backend: special functions, Fourier transforms, segment reductions and bit-level views.

NumPy has no error function, so erf and erfc apply Python's `math` functions elementwise, and erfinv refines a
rational first guess with Newton steps on `math.erf`; this backend is the inference oracle, not the fast path.
"""

from __future__ import annotations

import math

import numpy as np

from kerasx.backend import _dtypes

_erf = np.frompyfunc(math.erf, 1, 1)
_erfc = np.frompyfunc(math.erfc, 1, 1)

_SEGMENT_UFUNC = {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}


def erf(x):
    return np.asarray(_erf(x), dtype=x.dtype)


def erfc(x):
    return np.asarray(_erfc(x), dtype=x.dtype)


def _erfinv_guess(y):
    # Giles' single-precision approximation ("Approximating the erfinv function", GPU Computing Gems, 2011).
    w = -np.log((1.0 - y) * (1.0 + y))
    central = w - 2.5
    p = 2.81022636e-08
    for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503, -0.00417768164,
              0.246640727, 1.50140941):
        p = c + p * central
    tail = np.sqrt(np.maximum(w, 5.0)) - 3.0
    q = -0.000200214257
    for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
              1.00167406, 2.83297682):
        q = c + q * tail
    return np.where(w < 5.0, p, q) * y


def erfinv(x):
    y = x.astype(np.float64)
    inside = np.abs(y) < 1.0
    guess = _erfinv_guess(np.where(inside, y, 0.0))
    for _ in range(2):
        # Newton on erf(g) = y: erf'(g) = 2 / sqrt(pi) * exp(-g^2).
        error = np.asarray(_erf(guess), dtype=np.float64) - y
        guess = guess - np.where(inside, error / (2.0 / math.sqrt(math.pi) * np.exp(-guess * guess)), 0.0)
    edge = np.where(y == 1.0, np.inf, np.where(y == -1.0, -np.inf, np.nan))
    return np.where(inside, guess, edge).astype(x.dtype)


def _last_axes(num_axes):
    return tuple(range(-num_axes, 0))


def fft(x, num_axes=1):
    return np.fft.fftn(x, axes=_last_axes(num_axes)).astype(x.dtype)


def ifft(x, num_axes=1):
    return np.fft.ifftn(x, axes=_last_axes(num_axes)).astype(x.dtype)


def rfft(x, fft_length):
    return np.fft.rfft(x, n=fft_length, axis=-1).astype(np.result_type(x.dtype, np.complex64))


def irfft(x, fft_length):
    return np.fft.irfft(x, n=fft_length, axis=-1).astype(np.real(x).dtype)


def _identity(reduction, dtype):
    if reduction == "sum":
        return 0
    if reduction == "prod":
        return 1
    if np.issubdtype(dtype, np.floating):
        return -np.inf if reduction == "max" else np.inf
    if dtype == np.bool_:
        return reduction == "min"
    info = np.iinfo(dtype)
    return info.min if reduction == "max" else info.max


def segment_reduce(data, segment_ids, num_segments, reduction):
    result = np.full((num_segments,) + data.shape[1:], _identity(reduction, data.dtype), dtype=data.dtype)
    _SEGMENT_UFUNC[reduction].at(result, segment_ids, data)
    return result


def view(x, dtype):
    return np.ascontiguousarray(x).view(_dtypes.numpy_dtype(dtype))


__all__ = ["erf", "erfc", "erfinv", "fft", "ifft", "irfft", "rfft", "segment_reduce", "view"]
