"""Colour-space conversions: RGB to grayscale, RGB to HSV and back (hue, saturation and value each in [0, 1])."""

from __future__ import annotations

import numpy as np

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._image_common import (
    BAD_FLOAT_IMAGES,
    channel_axis,
    check_image_rank,
    compute_dtype,
    data_format_of,
)
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import DataFormat, Tensor, TensorLike

_np = active.numpy

BAD_GRAYSCALE_CHANNELS = (
    "`rgb_to_grayscale` needs 1 or 3 channels on axis {axis} (data_format={data_format!r}). Received input with "
    "shape: images.shape={shape}"
)
# ITU-R 601 luma weights, as tf.image.rgb_to_grayscale uses.
_LUMA = (0.2989, 0.5870, 0.1140)


def _grayscale_spec(images, data_format=None) -> KerasTensor:
    data_format = data_format_of(data_format)
    shape = list(shape_of(images))
    check_image_rank(shape)
    axis = channel_axis(len(shape), data_format)
    if shape[axis] not in (1, 3, None):
        raise ValueError(BAD_GRAYSCALE_CHANNELS.format(axis=axis, data_format=data_format, shape=tuple(shape)))
    shape[axis] = 1
    return KerasTensor(tuple(shape), dtype_of(images))


@op(_grayscale_spec)
def rgb_to_grayscale(images: TensorLike, data_format: DataFormat = None) -> Tensor:
    """RGB images reduced to one luminance channel, `0.2989 R + 0.5870 G + 0.1140 B`.

    Single-channel images come back unchanged; integer images are computed in float and cast back.

    Args:
        images: a 3-D image or a 4-D batch with 3 (or 1) channels.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        The images with one channel, in the input's dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> gray = ops.image.rgb_to_grayscale(np.ones((2, 2, 3), "float32"))
        >>> ops.shape(gray), round(float(ops.convert_to_numpy(gray)[0, 0, 0]), 4)
        ((2, 2, 1), 0.9999)
    """
    spec = _grayscale_spec(images, data_format)
    images = tensor(images)
    axis = channel_axis(len(spec.shape), data_format_of(data_format))
    if shape_of(images)[axis] == 1:
        return images
    original = dtype_of(images)
    dtype = compute_dtype(images)
    weights = tensor(np.asarray(_LUMA), dtype)
    last = len(spec.shape) - 1
    gray = _np.sum(_np.moveaxis(active.core.cast(images, dtype), axis, last) * weights, axis=last)
    gray = _np.expand_dims(gray, axis)
    return active.core.cast(gray, original)


def _same_spec(images, data_format=None) -> KerasTensor:
    data_format_of(data_format)
    check_image_rank(shape_of(images))
    return KerasTensor(tuple(shape_of(images)), dtype_of(images))


def _float_images(name, images):
    images = tensor(images)
    if not _dtypes.is_float(dtype_of(images)):
        raise ValueError(BAD_FLOAT_IMAGES.format(name=name, dtype=dtype_of(images)))
    check_image_rank(shape_of(images))
    return images


def _planes(images, axis):
    return [_np.squeeze(plane, axis) for plane in _np.split(images, 3, axis)]


@op(_same_spec)
def rgb_to_hsv(images: TensorLike, data_format: DataFormat = None) -> Tensor:
    """RGB images (values in [0, 1]) converted to hue, saturation and value, each in [0, 1].

    Args:
        images: a float 3-D image or 4-D batch with 3 channels.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        HSV images of the same shape and dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> hsv = ops.image.rgb_to_hsv(np.array([[[0.0, 0.5, 1.0]]], "float32"))
        >>> print(np.round(ops.convert_to_numpy(hsv), 4))
        [[[0.5833 1.     1.    ]]]
    """
    images = _float_images("rgb_to_hsv", images)
    axis = channel_axis(len(shape_of(images)), data_format_of(data_format))
    dtype = dtype_of(images)
    eps = float(np.finfo(_dtypes.numpy_dtype(dtype)).eps) if dtype != "bfloat16" else 2.0**-7
    zero, one = tensor(0.0, dtype), tensor(1.0, dtype)
    # Values within machine epsilon of zero count as zero, so that noise does not decide the hue.
    images = _np.where(_np.abs(images) < eps, zero, images)
    red, green, blue = _planes(images, axis)
    value = _np.maximum(_np.maximum(red, green), blue)
    spread = value - _np.minimum(_np.minimum(red, green), blue)
    saturation = _np.where(value > 0, spread / _np.where(value > 0, value, one), zero)
    norm = one / (6.0 * _np.where(spread > 0, spread, one))
    hue = _np.where(value == green, norm * (blue - red) + 2.0 / 6.0, norm * (red - green) + 4.0 / 6.0)
    hue = _np.where(value == red, norm * (green - blue), hue)
    hue = _np.where(spread > 0, hue, zero)
    hue = hue + active.core.cast(hue < 0.0, dtype)
    return _np.stack([hue, saturation, value], axis)


@op(_same_spec)
def hsv_to_rgb(images: TensorLike, data_format: DataFormat = None) -> Tensor:
    """HSV images (hue, saturation and value in [0, 1]) converted back to RGB.

    Args:
        images: a float 3-D image or 4-D batch with 3 channels.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        RGB images of the same shape and dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.image.hsv_to_rgb(np.array([[[0.5, 1.0, 1.0]]], "float32")))
        array([[[0., 1., 1.]]], dtype=float32)
    """
    images = _float_images("hsv_to_rgb", images)
    axis = channel_axis(len(shape_of(images)), data_format_of(data_format))
    hue, saturation, value = _planes(images, axis)
    zero, one = tensor(0.0, dtype_of(images)), tensor(1.0, dtype_of(images))
    sector = _np.mod(hue, one) * 6.0
    red = _np.clip(_np.abs(sector - 3.0) - 1.0, zero, one)
    green = _np.clip(2.0 - _np.abs(sector - 2.0), zero, one)
    blue = _np.clip(2.0 - _np.abs(sector - 4.0), zero, one)
    grey = 1.0 - saturation
    planes = [value * (grey + saturation * channel) for channel in (red, green, blue)]
    return _np.stack(planes, axis)


__all__ = ["hsv_to_rgb", "rgb_to_grayscale", "rgb_to_hsv"]
