"""Image resizing in NumPy with the arithmetic of TensorFlow's `tf.image.resize` (no antialiasing), so that the
dataset builders give the pixels Keras 3 gives without importing TensorFlow.

Every method is separable: one weight matrix per axis (output x input), applied to the rows then the columns.
bilinear, nearest and bicubic use half-pixel centres as `tf.image.resize` does (bicubic: Keys' kernel with a=-0.5,
its coefficients read from a 1024-entry table and the taps outside the image dropped and renormalized); area
averages the covered input pixels; lanczos3, lanczos5, gaussian and mitchellcubic are TensorFlow's
scale-and-translate kernels.
"""

from __future__ import annotations

import math

import numpy as np

INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
_TABLE_SIZE = 1024
_MIN_WEIGHT_SUM = 1000.0 * np.finfo(np.float32).tiny


def _bilinear(in_size: int, out_size: int) -> np.ndarray:
    scale = np.float32(in_size / out_size)
    weights = np.zeros((out_size, in_size), np.float64)
    for i in range(out_size):
        source = (np.float32(i) + np.float32(0.5)) * scale - np.float32(0.5)
        floor = math.floor(source)
        lower, upper = max(floor, 0), min(math.ceil(source), in_size - 1)
        fraction = float(source) - floor
        weights[i, lower] += 1.0 - fraction
        weights[i, upper] += fraction
    return weights


def _nearest(in_size: int, out_size: int) -> np.ndarray:
    scale = np.float32(in_size / out_size)
    weights = np.zeros((out_size, in_size), np.float64)
    for i in range(out_size):
        index = min(max(math.floor((np.float32(i) + np.float32(0.5)) * scale), 0), in_size - 1)
        weights[i, index] = 1.0
    return weights


def _keys_table() -> np.ndarray:
    a = -0.5
    x = np.arange(_TABLE_SIZE + 1, dtype=np.float64) / _TABLE_SIZE
    near = ((a + 2) * x - (a + 3)) * x * x + 1  # |distance| in [0, 1]
    far_x = x + 1
    far = ((a * far_x - 5 * a) * far_x + 8 * a) * far_x - 4 * a  # |distance| in [1, 2]
    return np.stack([near, far], axis=1).astype(np.float32)


_KEYS = _keys_table()


def _bicubic(in_size: int, out_size: int) -> np.ndarray:
    scale = np.float32(in_size / out_size)
    weights = np.zeros((out_size, in_size), np.float64)
    for i in range(out_size):
        source = (np.float32(i) + np.float32(0.5)) * scale - np.float32(0.5)
        base = math.floor(source)
        offset = int(np.rint(np.float32(source - base) * _TABLE_SIZE))
        taps = (
            (base - 1, _KEYS[offset, 1]),
            (base, _KEYS[offset, 0]),
            (base + 1, _KEYS[_TABLE_SIZE - offset, 0]),
            (base + 2, _KEYS[_TABLE_SIZE - offset, 1]),
        )
        kept = [(min(max(index, 0), in_size - 1), float(w) if 0 <= index < in_size else 0.0) for index, w in taps]
        total = sum(w for _, w in kept)
        for index, w in kept:
            weights[i, index] += w / total if abs(total) >= _MIN_WEIGHT_SUM else w
    return weights


def _area(in_size: int, out_size: int) -> np.ndarray:
    scale = in_size / out_size
    weights = np.zeros((out_size, in_size), np.float64)
    for i in range(out_size):
        start, end = i * scale, (i + 1) * scale
        for index in range(math.floor(start), math.ceil(end)):
            covered = min(index + 1, end) - max(index, start)
            weights[i, min(index, in_size - 1)] += covered / scale
    return weights


def _lanczos(radius: float):
    def kernel(x: np.ndarray) -> np.ndarray:
        x = np.abs(x)
        safe = np.where(x <= 1e-3, 1.0, x)
        value = radius * np.sin(np.pi * safe) * np.sin(np.pi * safe / radius) / (np.pi * np.pi * safe * safe)
        return np.where(x > radius, 0.0, np.where(x <= 1e-3, 1.0, value))

    return kernel, radius


def _gaussian(x: np.ndarray) -> np.ndarray:
    radius = 1.5
    sigma = radius / 3.0
    x = np.abs(x)
    return np.where(x >= radius, 0.0, np.exp(-x * x / (2.0 * sigma * sigma)))


def _mitchell_cubic(x: np.ndarray) -> np.ndarray:
    x = np.abs(x)
    far = (((-7.0 / 18.0) * x + 2.0) * x - 10.0 / 3.0) * x + 16.0 / 9.0
    near = (((7.0 / 6.0) * x - 2.0) * x) * x + 8.0 / 9.0
    return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, far, near))


_KERNELS = {
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
    "gaussian": (_gaussian, 1.5),
    "mitchellcubic": (_mitchell_cubic, 2.0),
}


def _scale_and_translate(kernel_name: str, in_size: int, out_size: int) -> np.ndarray:
    kernel, radius = _KERNELS[kernel_name]
    inverse_scale = in_size / out_size
    weights = np.zeros((out_size, in_size), np.float64)
    for i in range(out_size):
        center = (i + 0.5) * inverse_scale
        start = max(math.ceil(center - radius - 0.5), 0)
        end = min(math.floor(center + radius - 0.5), in_size - 1)
        indices = np.arange(start, end + 1)
        values = kernel(indices + 0.5 - center)
        total = values.sum()
        weights[i, start:end + 1] = values / total if abs(total) >= _MIN_WEIGHT_SUM else values
    return weights


def axis_weights(method: str, in_size: int, out_size: int) -> np.ndarray:
    if method == "bilinear":
        return _bilinear(in_size, out_size)
    if method == "nearest":
        return _nearest(in_size, out_size)
    if method == "bicubic":
        return _bicubic(in_size, out_size)
    if method == "area":
        return _area(in_size, out_size)
    return _scale_and_translate(method, in_size, out_size)


def resize(image: np.ndarray, size: tuple, method: str = "bilinear") -> np.ndarray:
    """A (height, width, channels) image resized to `size` (height, width): float32, or with "nearest" the
    image's own dtype, as `tf.image.resize` returns."""
    height, width = image.shape[:2]
    rows = axis_weights(method, height, size[0])
    columns = axis_weights(method, width, size[1])
    if method == "nearest":
        return image[rows.argmax(axis=1)][:, columns.argmax(axis=1)]
    pixels = image.astype(np.float64)
    return np.einsum("oh,hwc,pw->opc", rows, pixels, columns).astype(np.float32)


def crop_to_aspect_ratio(image: np.ndarray, size: tuple) -> np.ndarray:
    """The largest centred crop of `image` with the aspect ratio of `size` (Keras's `smart_resize` crop)."""
    height, width = image.shape[:2]
    target_height, target_width = size
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    return image[top:top + crop_height, left:left + crop_width]


def resize_with_pad(image: np.ndarray, size: tuple, method: str) -> np.ndarray:
    """`image` resized to fit in `size` with its aspect ratio kept, centred on zeros (`tf.image.resize_with_pad`)."""
    height, width = image.shape[:2]
    target_height, target_width = size
    ratio = max(np.float32(width) / np.float32(target_width), np.float32(height) / np.float32(target_height))
    resized_height_float = np.float32(height) / ratio
    resized_width_float = np.float32(width) / ratio
    resized = resize(image, (int(np.floor(resized_height_float)), int(np.floor(resized_width_float))), method)
    top = max(0, int(np.floor((np.float32(target_height) - resized_height_float) / 2)))
    left = max(0, int(np.floor((np.float32(target_width) - resized_width_float) / 2)))
    padded = np.zeros((target_height, target_width, image.shape[2]), resized.dtype)
    padded[top:top + resized.shape[0], left:left + resized.shape[1]] = resized
    return padded
