"""TensorFlow backend: special functions, Fourier transforms, segment reductions and bit-level views."""

from __future__ import annotations

import tensorflow as tf

from kerasx.backend.tensorflow.core import native_dtype

_SEGMENT = {
    "sum": tf.math.unsorted_segment_sum,
    "prod": tf.math.unsorted_segment_prod,
    "max": tf.math.unsorted_segment_max,
    "min": tf.math.unsorted_segment_min,
}
_FFT = {1: tf.signal.fft, 2: tf.signal.fft2d}
_IFFT = {1: tf.signal.ifft, 2: tf.signal.ifft2d}


def erf(x):
    return tf.math.erf(x)


def erfc(x):
    return tf.math.erfc(x)


def erfinv(x):
    return tf.math.erfinv(x)


def fft(x, num_axes=1):
    return _FFT[num_axes](x)


def ifft(x, num_axes=1):
    return _IFFT[num_axes](x)


def rfft(x, fft_length):
    return tf.signal.rfft(x, fft_length=[fft_length])


def irfft(x, fft_length):
    return tf.signal.irfft(x, fft_length=[fft_length])


def segment_reduce(data, segment_ids, num_segments, reduction):
    result = _SEGMENT[reduction](data, segment_ids, num_segments)
    if reduction in ("sum", "prod"):
        return result
    # TensorFlow fills empty segments with the dtype's lowest/highest finite value; the contract (and jax) says
    # -inf/+inf for floats.
    if not data.dtype.is_floating:
        return result
    counts = tf.math.unsorted_segment_sum(tf.ones_like(segment_ids), segment_ids, num_segments)
    counts = tf.reshape(counts, [-1] + [1] * (data.shape.rank - 1))
    identity = tf.constant(float("-inf") if reduction == "max" else float("inf"), data.dtype)
    return tf.where(counts > 0, result, identity)


def view(x, dtype):
    target = native_dtype(dtype)
    old, new = x.dtype.size, target.size
    if old == new:
        return tf.bitcast(x, target)
    shape = tf.shape(x)
    if old > new:
        # tf.bitcast adds a trailing axis of old // new items; NumPy's view folds it into the last axis.
        return tf.reshape(tf.bitcast(x, target), tf.concat([shape[:-1], [-1]], 0))
    grouped = tf.reshape(x, tf.concat([shape[:-1], [-1, new // old]], 0))
    return tf.bitcast(grouped, target)


__all__ = ["erf", "erfc", "erfinv", "fft", "ifft", "irfft", "rfft", "segment_reduce", "view"]
