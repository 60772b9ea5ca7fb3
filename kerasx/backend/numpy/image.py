"""NumPy backend: image resampling written as jax.image.resize computes it (Keras 3's numpy backend follows jax).

Each spatial axis is resampled by one (input, output) weight matrix: output sample `j` sits at input position
`(j + 0.5) * in / out - 0.5`, and each input pixel weighs `kernel(distance / kernel_scale)`, where `kernel_scale`
widens the kernel by the downscale factor when antialiasing. Columns are normalised to sum to one.
"""

from __future__ import annotations

import numpy as np

_METHODS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")


def _linear(x):
    return np.maximum(0.0, 1.0 - np.abs(x))


def _keys_cubic(x):
    # Keys' cubic convolution kernel with a = -0.5 (jax's "cubic").
    x = np.abs(x)
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, far, near))


def _lanczos(radius):
    def kernel(x):
        y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(x > 1e-3, y / (np.pi**2 * x**2), 1.0)
        return np.where(x > radius, 0.0, out)

    return kernel


_KERNELS = {"bilinear": _linear, "bicubic": _keys_cubic, "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}


def _weights(in_size, out_size, kernel, antialias):
    scale = out_size / in_size
    inv_scale = 1.0 / scale
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    sample = (np.arange(out_size) + 0.5) * inv_scale - 0.5
    distance = np.abs(sample[np.newaxis, :] - np.arange(in_size)[:, np.newaxis]) / kernel_scale
    weights = kernel(distance)
    total = np.sum(weights, axis=0, keepdims=True)
    weights = np.where(np.abs(total) > 1000.0 * float(np.finfo(np.float32).eps),
                       weights / np.where(total != 0, total, 1), 0.0)
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return np.where(inside[np.newaxis, :], weights, 0.0)


def resize(images, size, interpolation="bilinear", antialias=False):
    x = np.asarray(images)
    dtype = x.dtype
    for axis, out_size in zip((1, 2), size):
        in_size = x.shape[axis]
        if in_size == out_size:
            continue
        if interpolation == "nearest":
            offsets = (np.arange(out_size, dtype=np.float32) + 0.5) * in_size / out_size
            x = np.take(x, np.floor(offsets).astype(np.int32), axis=axis)
            continue
        weights = _weights(in_size, out_size, _KERNELS[interpolation], antialias).astype(dtype)
        x = np.moveaxis(np.tensordot(np.moveaxis(x, axis, -1), weights, axes=1), -1, axis)
    return x.astype(dtype)


def round_position(x):
    # Keras 3's numpy backend samples with scipy.ndimage, which rounds halves up.
    return np.floor(x + 0.5)


def resize_methods():
    return _METHODS
