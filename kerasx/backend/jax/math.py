"""JAX backend: special functions, Fourier transforms, segment reductions and bit-level views."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from kerasx.backend import _dtypes

_SEGMENT = {
    "sum": jax.ops.segment_sum,
    "prod": jax.ops.segment_prod,
    "max": jax.ops.segment_max,
    "min": jax.ops.segment_min,
}


def erf(x):
    return jax.lax.erf(x)


def erfc(x):
    return jax.lax.erfc(x)


def erfinv(x):
    return jax.lax.erf_inv(x)


def _last_axes(num_axes):
    return tuple(range(-num_axes, 0))


def fft(x, num_axes=1):
    return jnp.fft.fftn(x, axes=_last_axes(num_axes))


def ifft(x, num_axes=1):
    return jnp.fft.ifftn(x, axes=_last_axes(num_axes))


def rfft(x, fft_length):
    return jnp.fft.rfft(x, n=fft_length, axis=-1)


def irfft(x, fft_length):
    return jnp.fft.irfft(x, n=fft_length, axis=-1)


def segment_reduce(data, segment_ids, num_segments, reduction):
    return _SEGMENT[reduction](data, segment_ids, num_segments)


def view(x, dtype):
    target = jnp.dtype(_dtypes.numpy_dtype(dtype))
    old, new = x.dtype.itemsize, target.itemsize
    if old == new:
        return jax.lax.bitcast_convert_type(x, target)
    if old > new:
        # jax adds a trailing axis of old // new items; NumPy's view folds it into the last axis.
        result = jax.lax.bitcast_convert_type(x, target)
        return result.reshape(x.shape[:-1] + (x.shape[-1] * (old // new),))
    grouped = x.reshape(x.shape[:-1] + (x.shape[-1] // (new // old), new // old))
    return jax.lax.bitcast_convert_type(grouped, target)


__all__ = ["erf", "erfc", "erfinv", "fft", "ifft", "irfft", "rfft", "segment_reduce", "view"]
