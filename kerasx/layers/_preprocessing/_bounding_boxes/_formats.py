"""Bounding-box formats and `convert_format`, written with `kerasx.ops` so they run on every engine and trace.

A conversion goes through "xyxy" (absolute corners): each format has one function to it and one from it, working on
the four coordinate columns of shape `(..., 1)`.
"""

from __future__ import annotations

from collections.abc import Callable

from kerasx import ops

SUPPORTED_FORMATS = (
    "xyxy",
    "yxyx",
    "xywh",
    "center_xywh",
    "center_yxhw",
    "rel_xyxy",
    "rel_yxyx",
    "rel_xywh",
    "rel_center_xywh",
)

UNKNOWN_FORMAT = (
    "{function}() does not know the bounding box format {argument}={value!r}. Expected one of {formats} "
    "(case-insensitive)."
)
LAST_AXIS = (
    "{function}() needs boxes whose last dimension has size 4 (the four coordinates of each box). "
    "Received: boxes.shape={shape}."
)
NEEDS_IMAGE_SIZE = (
    "convert_format() needs `height` and `width` (the image size) to convert between relative (`rel_*`) and "
    "absolute formats. Received: source={source!r}, target={target!r}, height={height}, width={width}."
)

_Columns = tuple  # four tensors of shape (..., 1)


def check_format(value, function: str, argument: str = "bounding_box_format") -> str:
    """The lower-cased format name, or a ValueError naming `function` and its `argument`."""
    name = value.lower() if isinstance(value, str) else value
    if name not in SUPPORTED_FORMATS:
        raise ValueError(
            UNKNOWN_FORMAT.format(function=function, argument=argument, value=value, formats=SUPPORTED_FORMATS)
        )
    return name


def check_boxes_shape(boxes, function: str) -> None:
    shape = tuple(ops.shape(boxes))
    if not shape or (shape[-1] is not None and shape[-1] != 4):
        raise ValueError(LAST_AXIS.format(function=function, shape=shape))


def _half(value):
    # ops.divide promotes integer boxes to floats on every engine (TensorFlow's `/` refuses int / float).
    return ops.divide(value, 2.0)


# Each function maps a format's four columns to xyxy's (x1, y1, x2, y2).
_TO_XYXY: dict[str, Callable[..., _Columns]] = {
    "xyxy": lambda a, b, c, d, height, width: (a, b, c, d),
    "yxyx": lambda a, b, c, d, height, width: (b, a, d, c),
    "xywh": lambda a, b, c, d, height, width: (a, b, a + c, b + d),
    "center_xywh": lambda a, b, c, d, height, width: (a - _half(c), b - _half(d), a + _half(c), b + _half(d)),
    "center_yxhw": lambda a, b, c, d, height, width: (b - _half(d), a - _half(c), b + _half(d), a + _half(c)),
    "rel_xyxy": lambda a, b, c, d, height, width: (a * width, b * height, c * width, d * height),
    "rel_yxyx": lambda a, b, c, d, height, width: (b * width, a * height, d * width, c * height),
    "rel_xywh": lambda a, b, c, d, height, width: (a * width, b * height, (a + c) * width, (b + d) * height),
    "rel_center_xywh": lambda a, b, c, d, height, width: (
        (a - _half(c)) * width,
        (b - _half(d)) * height,
        (a + _half(c)) * width,
        (b + _half(d)) * height,
    ),
}


def _center(low, high):
    return low + _half(high - low)


# Each function maps xyxy's (x1, y1, x2, y2) to the format's four columns.
_FROM_XYXY: dict[str, Callable[..., _Columns]] = {
    "xyxy": lambda x1, y1, x2, y2, height, width: (x1, y1, x2, y2),
    "yxyx": lambda x1, y1, x2, y2, height, width: (y1, x1, y2, x2),
    "xywh": lambda x1, y1, x2, y2, height, width: (x1, y1, x2 - x1, y2 - y1),
    "center_xywh": lambda x1, y1, x2, y2, height, width: (_center(x1, x2), _center(y1, y2), x2 - x1, y2 - y1),
    "center_yxhw": lambda x1, y1, x2, y2, height, width: (_center(y1, y2), _center(x1, x2), y2 - y1, x2 - x1),
    "rel_xyxy": lambda x1, y1, x2, y2, height, width: (x1 / width, y1 / height, x2 / width, y2 / height),
    "rel_yxyx": lambda x1, y1, x2, y2, height, width: (y1 / height, x1 / width, y2 / height, x2 / width),
    "rel_xywh": lambda x1, y1, x2, y2, height, width: (x1 / width, y1 / height, (x2 - x1) / width, (y2 - y1) / height),
    "rel_center_xywh": lambda x1, y1, x2, y2, height, width: (
        _center(x1, x2) / width,
        _center(y1, y2) / height,
        (x2 - x1) / width,
        (y2 - y1) / height,
    ),
}


def convert_columns(columns: _Columns, source: str, target: str, height=None, width=None) -> _Columns:
    """Four coordinate columns in `source` format (checked, lower-case names) as `target`'s columns."""
    if source == target:
        return columns
    # Between two relative formats the image size cancels out: convert as if the image were 1x1.
    if source.startswith("rel_") and target.startswith("rel_"):
        source, target = source[len("rel_"):], target[len("rel_"):]
    return _FROM_XYXY[target](*_TO_XYXY[source](*columns, height, width), height, width)


def convert_format(boxes, source: str, target: str, height=None, width=None, dtype: str = "float32"):
    """Converts bounding boxes from one coordinate format to another.

    The formats (case-insensitive) are `"xyxy"` (left, top, right, bottom), `"yxyx"` (top, left, bottom, right),
    `"xywh"` (left, top, width, height), `"center_xywh"` (center x, center y, width, height), `"center_yxhw"`
    (center y, center x, height, width), and the relative `"rel_xyxy"`, `"rel_yxyx"`, `"rel_xywh"`,
    `"rel_center_xywh"`, whose coordinates are fractions of the image's `width` and `height`. Converting between a
    relative and an absolute format needs `height` and `width`.

    Args:
        boxes: boxes of shape `(..., 4)`, or a dict whose `"boxes"` entry holds them (Keras's bounding-box dict,
            with `"labels"` and so on): that entry is replaced by the converted boxes and the same dict returned,
            as Keras 3 does.
        source: the format of `boxes`.
        target: the format to convert to.
        height: the image height (for relative formats).
        width: the image width (for relative formats).
        dtype: the dtype of the result (the boxes are cast to it first).

    Returns:
        The converted boxes, a tensor of the same shape (or the dict holding them).

    Example:

    >>> import numpy as np
    >>> from kerasx import ops
    >>> from kerasx.utils import bounding_boxes
    >>> boxes = np.array([[10, 20, 30, 60]])
    >>> ops.convert_to_numpy(bounding_boxes.convert_format(boxes, source="xyxy", target="center_xywh"))
    array([[20., 40., 20., 40.]], dtype=float32)
    >>> ops.convert_to_numpy(
    ...     bounding_boxes.convert_format(boxes, source="xyxy", target="rel_xyxy", height=100, width=40))
    array([[0.25, 0.2 , 0.75, 0.6 ]], dtype=float32)
    """
    if isinstance(boxes, dict):
        boxes["boxes"] = convert_format(boxes["boxes"], source, target, height=height, width=width, dtype=dtype)
        return boxes
    boxes = ops.cast(boxes, dtype)
    check_boxes_shape(boxes, "convert_format")
    source_name = check_format(source, "convert_format", "source")
    target_name = check_format(target, "convert_format", "target")
    relative = source_name.startswith("rel_") or target_name.startswith("rel_")
    if relative and (height is None or width is None):
        raise ValueError(NEEDS_IMAGE_SIZE.format(source=source, target=target, height=height, width=width))
    if source_name == target_name:
        return boxes
    height = None if height is None else ops.cast(height, dtype)
    width = None if width is None else ops.cast(width, dtype)
    columns = ops.split(boxes, 4, axis=-1)
    return ops.concatenate(convert_columns(tuple(columns), source_name, target_name, height, width), axis=-1)
