"""NumPy backend: parts of complex tensors and complex tensors from parts."""

from __future__ import annotations

import numpy as np

_COMPLEX_OF = {np.dtype("float32"): np.complex64, np.dtype("float64"): np.complex128}


def real(x):
    return np.asarray(np.real(x))


def imag(x):
    return np.asarray(np.imag(x))


def conj(x):
    return np.asarray(np.conj(x))


def make_complex(real, imag):
    real, imag = np.broadcast_arrays(real, imag)
    result = np.empty(real.shape, dtype=_COMPLEX_OF[real.dtype])
    result.real, result.imag = real, imag
    return result


__all__ = ["conj", "imag", "make_complex", "real"]
