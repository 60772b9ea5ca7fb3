"""Moving boxes with their image: clipping to the image, cropping, padding and affine transforms ("xyxy" boxes)."""

from __future__ import annotations

import math

from kerasx import backend, ops
from kerasx.layers._preprocessing._bounding_boxes._formats import check_boxes_shape

ONLY_FORMATS = (
    "{function}() works on boxes in the format(s) {formats}, as Keras 3's does. Received: "
    "bounding_box_format={value!r}. Convert the boxes first, e.g. "
    "`convert_format(boxes, source={value!r}, target='xyxy', height=..., width=...)`."
)
CLIP_NEEDS_SIZE = (
    "clip_to_image_size() needs `height` and `width` to clip absolute ('xyxy') boxes. Received: height={height}, "
    "width={width}."
)
NOT_A_BOX_DICT = (
    "clip_to_image_size() takes a dict with a 'boxes' entry (and optionally 'labels'). Received: "
    "bounding_boxes of type {type_name}."
)


def _check_only(value, formats: tuple, function: str) -> None:
    if value not in formats:
        raise ValueError(ONLY_FORMATS.format(function=function, formats=formats, value=value))


def _area(x1, y1, x2, y2):
    return (x2 - x1) * (y2 - y1)


def clip_to_image_size(bounding_boxes: dict, height=None, width=None, bounding_box_format: str = "xyxy") -> dict:
    """Clips boxes to the image, and marks the boxes left without area as padding (label -1).

    Args:
        bounding_boxes: a dict with `"boxes"` of shape `(num_boxes, 4)` or `(batch, num_boxes, 4)` and optionally
            `"labels"` of shape `(num_boxes,)` or `(batch, num_boxes)`.
        height: the image height (needed for `"xyxy"` boxes).
        width: the image width (needed for `"xyxy"` boxes).
        bounding_box_format: `"xyxy"` (clipped to `[0, width]` and `[0, height]`) or `"rel_xyxy"` (clipped to
            `[0, 1]`).

    Returns:
        A new dict with the clipped `"boxes"` and, when given, `"labels"` where boxes of zero area get -1; other
        entries are kept.

    Example:

    >>> import numpy as np
    >>> from kerasx import ops
    >>> from kerasx.utils import bounding_boxes
    >>> clipped = bounding_boxes.clip_to_image_size(
    ...     {"boxes": np.array([[-10.0, 5.0, 50.0, 30.0], [60.0, 0.0, 80.0, 10.0]]), "labels": np.array([3, 4])},
    ...     height=20, width=40)
    >>> ops.convert_to_numpy(clipped["boxes"]).tolist()
    [[0.0, 5.0, 40.0, 20.0], [40.0, 0.0, 40.0, 10.0]]
    >>> ops.convert_to_numpy(clipped["labels"]).tolist()
    [3, -1]
    """
    if not isinstance(bounding_boxes, dict):
        raise TypeError(NOT_A_BOX_DICT.format(type_name=type(bounding_boxes).__name__))
    _check_only(bounding_box_format, ("xyxy", "rel_xyxy"), "clip_to_image_size")
    if bounding_box_format == "xyxy" and (height is None or width is None):
        raise ValueError(CLIP_NEEDS_SIZE.format(height=height, width=width))
    boxes = ops.convert_to_tensor(bounding_boxes["boxes"])
    check_boxes_shape(boxes, "clip_to_image_size")
    labels = bounding_boxes.get("labels")
    if bounding_box_format == "xyxy":
        x_max, y_max = ops.cast(width, boxes.dtype), ops.cast(height, boxes.dtype)
    else:
        x_max, y_max = 1.0, 1.0
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    clipped = (ops.clip(x1, 0, x_max), ops.clip(y1, 0, y_max), ops.clip(x2, 0, x_max), ops.clip(y2, 0, y_max))
    result = dict(bounding_boxes)
    result["boxes"] = ops.concatenate(clipped, axis=-1)
    if labels is not None:
        areas = ops.squeeze(_area(*clipped), axis=-1)
        result["labels"] = ops.where(areas > 0, labels, -1)
    return result


def crop(boxes, top, left, height, width, bounding_box_format: str = "xyxy"):
    """The boxes as seen in a crop of their image: shifted by the crop's corner and clipped to its size.

    Args:
        boxes: "xyxy" boxes of shape `(num_boxes, 4)` or `(batch, num_boxes, 4)`.
        top: the crop's top row in the image.
        left: the crop's left column in the image.
        height: the crop's height (boxes are clipped to it; None leaves them unclipped below).
        width: the crop's width (boxes are clipped to it; None leaves them unclipped on the right).
        bounding_box_format: `"xyxy"`, the only format Keras 3 crops.

    Returns:
        The cropped boxes, of the same shape.

    Example:

    >>> import numpy as np
    >>> from kerasx import ops
    >>> from kerasx.utils import bounding_boxes
    >>> boxes = np.array([[10.0, 20.0, 50.0, 60.0]])
    >>> ops.convert_to_numpy(bounding_boxes.crop(boxes, top=10, left=20, height=40, width=20)).tolist()
    [[0.0, 10.0, 20.0, 40.0]]
    """
    _check_only(bounding_box_format, ("xyxy",), "crop")
    boxes = ops.convert_to_tensor(boxes)
    check_boxes_shape(boxes, "crop")
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    xs = [ops.subtract(x, left) for x in (x1, x2)]
    ys = [ops.subtract(y, top) for y in (y1, y2)]
    xs = [ops.clip(x, 0, width) if width is not None else ops.maximum(x, 0) for x in xs]
    ys = [ops.clip(y, 0, height) if height is not None else ops.maximum(y, 0) for y in ys]
    return ops.concatenate([xs[0], ys[0], xs[1], ys[1]], axis=-1)


def pad(boxes, top, left, height=None, width=None, bounding_box_format: str = "xyxy"):
    """The boxes as seen in their image padded by `top` rows and `left` columns (shifted down and right).

    Args:
        boxes: "xyxy" boxes of shape `(num_boxes, 4)` or `(batch, num_boxes, 4)`.
        top: the rows added above the image.
        left: the columns added left of the image.
        height: the padded image's height (accepted as Keras 3 does; shifting needs no size).
        width: the padded image's width (likewise).
        bounding_box_format: `"xyxy"`, the only format Keras 3 pads.

    Returns:
        The shifted boxes, of the same shape.

    Example:

    >>> import numpy as np
    >>> from kerasx import ops
    >>> from kerasx.utils import bounding_boxes
    >>> ops.convert_to_numpy(bounding_boxes.pad(np.array([[1.0, 2.0, 3.0, 4.0]]), top=10, left=20)).tolist()
    [[21.0, 12.0, 23.0, 14.0]]
    """
    del height, width
    _check_only(bounding_box_format, ("xyxy",), "pad")
    boxes = ops.convert_to_tensor(boxes)
    check_boxes_shape(boxes, "pad")
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    return ops.concatenate([ops.add(x1, left), ops.add(y1, top), ops.add(x2, left), ops.add(y2, top)], axis=-1)


def _as_parameter(value, dtype: str):
    """A transform parameter (scalar or one per image) that broadcasts against `(batch, num_boxes)` columns."""
    value = ops.cast(value, dtype)
    return ops.expand_dims(value, -1) if len(ops.shape(value)) == 1 else value


def _inverse_affine_coefficients(angle, translate_x, translate_y, scale, shear_x, shear_y, center_x, center_y,
                                 height, width):
    """The 2x3 matrix (as six coefficients) that Keras 3's image affine transform samples with, which Keras 3 also
    applies to the boxes' corners: the inverse of rotating by `angle` and shearing by (`shear_x`, `shear_y`)
    degrees about the center, scaled and translated by fractions of the image size."""
    to_radians = math.pi / 180.0
    rotation = -angle * to_radians
    shear_x, shear_y = -shear_x * to_radians, -shear_y * to_radians
    center_x, center_y = center_x * (width - 1), center_y * (height - 1)
    shifted_x = center_x - translate_x * (width - 1)
    shifted_y = center_y - translate_y * (height - 1)
    cos_shear_y, tan_shear_x = ops.cos(shear_y), ops.tan(shear_x)
    # The rotation-shear matrix [[a, b], [c, d]] has determinant 1, so its inverse is [[d, -b], [-c, a]].
    a = ops.cos(rotation - shear_y) / cos_shear_y
    b = a * tan_shear_x + ops.sin(rotation)
    c = -ops.sin(rotation - shear_y) / cos_shear_y
    d = ops.cos(rotation) - c * tan_shear_x
    xx, xy, yx, yy = d * scale, -b * scale, -c * scale, a * scale
    x0 = center_x - xx * shifted_x - xy * shifted_y
    y0 = center_y - yx * shifted_x - yy * shifted_y
    return xx, xy, x0, yx, yy, y0


def affine_transform(
    boxes,
    angle,
    translate_x,
    translate_y,
    scale,
    shear_x,
    shear_y,
    height,
    width,
    center_x=None,
    center_y=None,
    bounding_box_format: str = "xyxy",
):
    """Moves boxes with the affine transform that Keras 3's `RandomAffine`-style image layers apply, and returns
    the axis-aligned boxes around the four moved corners.

    Each parameter is a scalar or holds one value per image of the batch.

    Args:
        boxes: "xyxy" boxes of shape `(batch, num_boxes, 4)` (or `(num_boxes, 4)` with scalar parameters).
        angle: rotation in degrees.
        translate_x: horizontal shift, a fraction of the width.
        translate_y: vertical shift, a fraction of the height.
        scale: zoom factor.
        shear_x: horizontal shear in degrees.
        shear_y: vertical shear in degrees.
        height: the image height.
        width: the image width.
        center_x: the transform's center as a fraction of the width (default 0.5).
        center_y: the transform's center as a fraction of the height (default 0.5).
        bounding_box_format: `"xyxy"`, the only format Keras 3 transforms.

    Returns:
        The transformed "xyxy" boxes, of the shape of `boxes`, in the float dtype of `angle` (floatx when `angle`
        is not a float).

    Example:

    >>> import numpy as np
    >>> from kerasx import ops
    >>> from kerasx.utils import bounding_boxes
    >>> boxes = np.array([[[10.0, 10.0, 20.0, 30.0]]])
    >>> zero = np.zeros((1,), "float32")
    >>> moved = bounding_boxes.affine_transform(boxes, angle=zero, translate_x=np.array([0.5], "float32"),
    ...     translate_y=zero, scale=np.ones((1,), "float32"), shear_x=zero, shear_y=zero, height=41, width=41)
    >>> ops.convert_to_numpy(moved).tolist()
    [[[30.0, 10.0, 40.0, 30.0]]]
    """
    _check_only(bounding_box_format, ("xyxy",), "affine_transform")
    angle = ops.convert_to_tensor(angle)
    dtype = ops.dtype(angle) if backend.is_float_dtype(ops.dtype(angle)) else backend.floatx()
    center_x = 0.5 if center_x is None else center_x
    center_y = 0.5 if center_y is None else center_y
    angle, translate_x, translate_y, scale, shear_x, shear_y, center_x, center_y = (
        _as_parameter(value, dtype)
        for value in (angle, translate_x, translate_y, scale, shear_x, shear_y, center_x, center_y)
    )
    xx, xy, x0, yx, yy, y0 = _inverse_affine_coefficients(
        angle, translate_x, translate_y, scale, shear_x, shear_y, center_x, center_y, height, width
    )
    boxes = ops.cast(boxes, dtype)
    check_boxes_shape(boxes, "affine_transform")
    x1, y1, x2, y2 = (ops.squeeze(column, axis=-1) for column in ops.split(boxes, 4, axis=-1))
    corners = [(x1, y1), (x2, y1), (x2, y2), (x1, y2)]
    xs = ops.stack([xx * x + xy * y + x0 for x, y in corners], axis=-1)
    ys = ops.stack([yx * x + yy * y + y0 for x, y in corners], axis=-1)
    return ops.stack([ops.min(xs, axis=-1), ops.min(ys, axis=-1), ops.max(xs, axis=-1), ops.max(ys, axis=-1)], axis=-1)
