"""Overlap of boxes: the pairwise intersection over union (`compute_iou`) and the Complete IoU (`compute_ciou`)."""

from __future__ import annotations

import math

from kerasx import backend, ops
from kerasx.layers._preprocessing._bounding_boxes._formats import check_format, convert_format

BOXES_RANK = (
    "compute_iou() takes boxes of shape (num_boxes, 4) or (batch, num_boxes, 4). Received: boxes1 of rank "
    "{rank1} and boxes2 of rank {rank2}."
)
NEEDS_IMAGE_SHAPE = (
    "{function}() needs `image_shape` (height, width, channels) for relative bounding box formats. Received: "
    "bounding_box_format={format!r}, image_shape={image_shape}."
)


def _image_size(image_shape, bounding_box_format: str, function: str):
    if image_shape is None:
        if "rel" in bounding_box_format.lower():
            raise ValueError(
                NEEDS_IMAGE_SHAPE.format(function=function, format=bounding_box_format, image_shape=image_shape)
            )
        return None, None
    return image_shape[0], image_shape[1]


def _to_xyxy(boxes, bounding_box_format: str, image_shape, function: str):
    check_format(bounding_box_format, function)
    height, width = _image_size(image_shape, bounding_box_format, function)
    return convert_format(boxes, source=bounding_box_format, target="xyxy", height=height, width=width)


def compute_iou(
    boxes1,
    boxes2,
    bounding_box_format: str,
    use_masking: bool = False,
    mask_val: float = -1,
    image_shape=None,
):
    """The intersection over union of every box of `boxes1` with every box of `boxes2`.

    Either set of boxes may be batched: `(M, 4)` with `(N, 4)` gives `(M, N)`; when one or both are
    `(batch, ..., 4)` the result is `(batch, M, N)`.

    Args:
        boxes1: boxes of shape `(M, 4)` or `(batch, M, 4)`.
        boxes2: boxes of shape `(N, 4)` or `(batch, N, 4)`.
        bounding_box_format: the format of both sets (see `convert_format`).
        use_masking: whether pairs involving a padding box (all four coordinates negative) get `mask_val`.
        mask_val: the value of masked pairs.
        image_shape: `(height, width, channels)`, needed for relative formats.

    Returns:
        The float32 table of IoUs.

    Example:

    >>> import numpy as np
    >>> from kerasx import ops
    >>> from kerasx.utils import bounding_boxes
    >>> boxes1 = np.array([[0.0, 0.0, 2.0, 2.0]])
    >>> boxes2 = np.array([[1.0, 0.0, 3.0, 2.0], [5.0, 5.0, 6.0, 6.0]])
    >>> ops.convert_to_numpy(bounding_boxes.compute_iou(boxes1, boxes2, "xyxy")).astype("float64").round(4).tolist()
    [[0.3333, 0.0]]
    """
    rank1, rank2 = len(ops.shape(boxes1)), len(ops.shape(boxes2))
    if rank1 not in (2, 3) or rank2 not in (2, 3):
        raise ValueError(BOXES_RANK.format(rank1=rank1, rank2=rank2))
    boxes1 = _to_xyxy(boxes1, bounding_box_format, image_shape, "compute_iou")
    boxes2 = _to_xyxy(boxes2, bounding_box_format, image_shape, "compute_iou")
    # boxes1's columns stand along rows (..., M, 1), boxes2's along columns (..., 1, N): they broadcast to pairs.
    x1a, y1a, x2a, y2a = ops.split(boxes1, 4, axis=-1)
    x1b, y1b, x2b, y2b = (ops.swapaxes(column, -1, -2) for column in ops.split(boxes2, 4, axis=-1))
    intersection_height = ops.maximum(ops.minimum(y2a, y2b) - ops.maximum(y1a, y1b), 0.0)
    intersection_width = ops.maximum(ops.minimum(x2a, x2b) - ops.maximum(x1a, x1b), 0.0)
    intersection = intersection_height * intersection_width
    union = (y2a - y1a) * (x2a - x1a) + (y2b - y1b) * (x2b - x1b) - intersection
    iou = ops.divide(intersection, union + backend.epsilon())
    if not use_masking:
        return iou
    padding1 = ops.less(ops.max(boxes1, axis=-1, keepdims=True), 0.0)
    padding2 = ops.swapaxes(ops.less(ops.max(boxes2, axis=-1, keepdims=True), 0.0), -1, -2)
    return ops.where(ops.logical_or(padding1, padding2), ops.cast(mask_val, ops.dtype(iou)), iou)


def compute_ciou(boxes1, boxes2, bounding_box_format: str, image_shape=None):
    """The Complete IoU of matching boxes: the IoU, less the squared distance of the centers over the squared
    diagonal of the smallest box enclosing both, less a term for the difference of aspect ratios.

    Unlike `compute_iou`, boxes are paired one to one (the two arrays broadcast against each other).

    Args:
        boxes1: boxes of shape `(..., 4)`.
        boxes2: boxes of shape `(..., 4)`.
        bounding_box_format: the format of both sets (see `convert_format`).
        image_shape: `(height, width, channels)`, needed for relative formats (Keras 3 refuses relative formats
            here; kerasx converts them with the image size).

    Returns:
        The CIoU of each pair, of shape `(...)`.

    Example:

    >>> import numpy as np
    >>> from kerasx import ops
    >>> from kerasx.utils import bounding_boxes
    >>> boxes = np.array([[0.0, 0.0, 2.0, 2.0]])
    >>> ops.convert_to_numpy(bounding_boxes.compute_ciou(boxes, boxes, "xyxy")).astype("float64").round(4).tolist()
    [1.0]
    """
    epsilon = backend.epsilon()
    boxes1 = _to_xyxy(boxes1, bounding_box_format, image_shape, "compute_ciou")
    boxes2 = _to_xyxy(boxes2, bounding_box_format, image_shape, "compute_ciou")
    x1a, y1a, x2a, y2a = ops.split(boxes1, 4, axis=-1)
    x1b, y1b, x2b, y2b = ops.split(boxes2, 4, axis=-1)
    width1, height1 = x2a - x1a, y2a - y1a + epsilon
    width2, height2 = x2b - x1b, y2b - y1b + epsilon
    intersection = ops.maximum(ops.minimum(x2a, x2b) - ops.maximum(x1a, x1b), 0) * ops.maximum(
        ops.minimum(y2a, y2b) - ops.maximum(y1a, y1b), 0
    )
    union = width1 * height1 + width2 * height2 - intersection + epsilon
    iou = ops.squeeze(ops.divide(intersection, union + epsilon), axis=-1)
    enclosing_width = ops.maximum(x2a, x2b) - ops.minimum(x1a, x1b)
    enclosing_height = ops.maximum(y2a, y2b) - ops.minimum(y1a, y1b)
    diagonal_squared = ops.squeeze(enclosing_width**2 + enclosing_height**2 + epsilon, axis=-1)
    centers_distance_squared = ops.squeeze(
        ((x1a + x2a) / 2 - (x1b + x2b) / 2) ** 2 + ((y1a + y2a) / 2 - (y1b + y2b) / 2) ** 2, axis=-1
    )
    aspect_term = ops.squeeze(
        (4 / math.pi**2) * ops.power(ops.arctan(width2 / height2) - ops.arctan(width1 / height1), 2), axis=-1
    )
    trade_off = aspect_term / (aspect_term - iou + (1 + epsilon))
    return iou - (centers_distance_squared / diagonal_squared + aspect_term * trade_off)
