"""Padding images with zeros and cropping them, each side given by its margin or by the target size."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._image_common import check_image_rank, data_format_of, spatial_axes
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import DataFormat, Tensor, TensorLike

_np = active.numpy

BAD_TWO_OF_THREE = (
    "Must specify exactly two of {first}, {second}, {target}. Received: {first}={first_value}, "
    "{second}={second_value}, {target}={target_value}"
)
NEGATIVE = "{name} must be >= 0. Received: {name}={value}"
UNKNOWN_SIZE = (
    "When the {side} of the images is unknown, `{target}` must be specified. Received images.shape={shape} and "
    "{target}={value}"
)


def _check_arguments(first, second, target, names) -> None:
    if [first, second, target].count(None) != 1:
        raise ValueError(BAD_TWO_OF_THREE.format(
            first=names[0], second=names[1], target=names[2], first_value=first, second_value=second,
            target_value=target,
        ))
    for name, value in zip(names, (first, second, target)):
        _non_negative(name, value)


def _non_negative(name, value) -> None:
    if value is not None and value < 0:
        raise ValueError(NEGATIVE.format(name=name, value=value))


def _padded(size, before, after, target, names):
    """(before, after, output size) along one axis; the output is unknown when `size` is and no target is given."""
    if size is None:
        return before, after, target if target is not None else None
    if target is None:
        target = before + size + after
    if before is None:
        before = target - size - after
    if after is None:
        after = target - size - before
    for name, value in zip(names, (before, after, target)):
        _non_negative(name, value)
    return before, after, target


def _cropped(size, before, after, target, names, side, shape):
    if size is None:
        if target is None:
            raise ValueError(UNKNOWN_SIZE.format(side=side, target=names[2], shape=shape, value=target))
        return before, target
    if target is None:
        target = size - before - after
    if before is None:
        before = size - target - after
    for name, value in zip(names, (before, size - target - before, target)):
        _non_negative(name, value)
    return before, target


_PAD_NAMES = (("top_padding", "bottom_padding", "target_height"), ("left_padding", "right_padding", "target_width"))
_CROP_NAMES = (
    ("top_cropping", "bottom_cropping", "target_height"), ("left_cropping", "right_cropping", "target_width"),
)


def _pad_plan(images, top, left, bottom, right, target_height, target_width, data_format):
    shape = list(shape_of(images))
    check_image_rank(shape)
    _check_arguments(top, bottom, target_height, _PAD_NAMES[0])
    _check_arguments(left, right, target_width, _PAD_NAMES[1])
    axes = spatial_axes(len(shape), data_format_of(data_format))
    rows = _padded(shape[axes[0]], top, bottom, target_height, _PAD_NAMES[0])
    columns = _padded(shape[axes[1]], left, right, target_width, _PAD_NAMES[1])
    return shape, axes, rows, columns


def _pad_images_spec(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None,
                     target_height=None, target_width=None, data_format=None) -> KerasTensor:
    shape, axes, rows, columns = _pad_plan(images, top_padding, left_padding, bottom_padding, right_padding,
                                           target_height, target_width, data_format)
    shape[axes[0]], shape[axes[1]] = rows[2], columns[2]
    return KerasTensor(tuple(shape), dtype_of(images))


@op(_pad_images_spec)
def pad_images(images: TensorLike, top_padding: int | None = None, left_padding: int | None = None,
               bottom_padding: int | None = None, right_padding: int | None = None,
               target_height: int | None = None, target_width: int | None = None,
               data_format: DataFormat = None) -> Tensor:
    """Images padded with zeros to a larger height and width.

    Along each axis give exactly two of the three: the two margins and the target size.

    Args:
        images: a 3-D image or a 4-D batch.
        top_padding: rows of zeros above.
        left_padding: columns of zeros on the left.
        bottom_padding: rows of zeros below.
        right_padding: columns of zeros on the right.
        target_height: the padded height.
        target_width: the padded width.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        The padded images, in the input's dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.ones((1, 1, 1), "float32")
        >>> ops.convert_to_numpy(ops.image.pad_images(x, 1, 0, target_height=3, target_width=2))[:, :, 0]
        array([[0., 0.],
               [1., 0.],
               [0., 0.]], dtype=float32)
    """
    images = tensor(images)
    shape, axes, rows, columns = _pad_plan(images, top_padding, left_padding, bottom_padding, right_padding,
                                           target_height, target_width, data_format)
    widths = [(0, 0)] * len(shape)
    widths[axes[0]], widths[axes[1]] = (rows[0], rows[1]), (columns[0], columns[1])
    return _np.pad(images, tuple(widths), "constant", tensor(0, dtype_of(images)))


def _crop_plan(images, top, left, bottom, right, target_height, target_width, data_format):
    shape = list(shape_of(images))
    check_image_rank(shape)
    _check_arguments(top, bottom, target_height, _CROP_NAMES[0])
    _check_arguments(left, right, target_width, _CROP_NAMES[1])
    axes = spatial_axes(len(shape), data_format_of(data_format))
    rows = _cropped(shape[axes[0]], top, bottom, target_height, _CROP_NAMES[0], "height", tuple(shape))
    columns = _cropped(shape[axes[1]], left, right, target_width, _CROP_NAMES[1], "width", tuple(shape))
    return shape, axes, rows, columns


def _crop_images_spec(images, top_cropping=None, left_cropping=None, bottom_cropping=None, right_cropping=None,
                      target_height=None, target_width=None, data_format=None) -> KerasTensor:
    shape, axes, rows, columns = _crop_plan(images, top_cropping, left_cropping, bottom_cropping, right_cropping,
                                            target_height, target_width, data_format)
    shape[axes[0]], shape[axes[1]] = rows[1], columns[1]
    return KerasTensor(tuple(shape), dtype_of(images))


@op(_crop_images_spec)
def crop_images(images: TensorLike, top_cropping: int | None = None, left_cropping: int | None = None,
                bottom_cropping: int | None = None, right_cropping: int | None = None,
                target_height: int | None = None, target_width: int | None = None,
                data_format: DataFormat = None) -> Tensor:
    """A window cut out of images.

    Along each axis give exactly two of the three: the two margins cut off and the target size.

    Args:
        images: a 3-D image or a 4-D batch.
        top_cropping: rows cut off at the top.
        left_cropping: columns cut off on the left.
        bottom_cropping: rows cut off at the bottom.
        right_cropping: columns cut off on the right.
        target_height: the height kept.
        target_width: the width kept.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        The cropped images, in the input's dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.arange(9.0, dtype="float32").reshape(3, 3, 1)
        >>> ops.convert_to_numpy(ops.image.crop_images(x, 1, 1, target_height=2, target_width=2))[:, :, 0]
        array([[4., 5.],
               [7., 8.]], dtype=float32)
    """
    images = tensor(images)
    shape, axes, rows, columns = _crop_plan(images, top_cropping, left_cropping, bottom_cropping, right_cropping,
                                            target_height, target_width, data_format)
    start, size = [0] * len(shape), list(shape)
    start[axes[0]], size[axes[0]] = rows
    start[axes[1]], size[axes[1]] = columns
    return active.core.slice(images, tuple(start), tuple(size))


__all__ = ["crop_images", "pad_images"]
