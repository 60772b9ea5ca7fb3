"""Boxes as deltas from anchor boxes, the regression targets of detection heads, and back."""

from __future__ import annotations

from kerasx import backend, ops
from kerasx.layers._preprocessing._bounding_boxes._formats import convert_format

CENTER_FORMATS = ("center_xywh", "center_yxhw")

BAD_VARIANCE = "{function}() takes a `variance` of 4 values (one per coordinate). Received: variance={variance}."
BAD_ENCODING = "{function}() encodes deltas in {formats}. Received: {argument}={value!r}."


def _check_variance(variance, function: str):
    if variance is None:
        return None
    tensor = ops.convert_to_tensor(variance, "float32")
    shape = tuple(ops.shape(tensor))
    if not shape or shape[-1] != 4:
        raise ValueError(BAD_VARIANCE.format(function=function, variance=variance))
    return tensor


def _check_encoding(value, argument: str, function: str) -> None:
    if value not in CENTER_FORMATS:
        raise ValueError(BAD_ENCODING.format(function=function, formats=CENTER_FORMATS, argument=argument, value=value))


def _image_size(image_shape):
    return (None, None) if image_shape is None else (image_shape[0], image_shape[1])


def encode_box_to_deltas(
    anchors,
    boxes,
    anchor_format: str,
    box_format: str,
    encoding_format: str = "center_yxhw",
    variance=None,
    image_shape=None,
):
    """Encodes boxes as deltas from anchors: the center's offset in anchor sizes and the log of the size ratio.

    Both are converted to `encoding_format` first, so the deltas come in that layout (`center_yxhw`:
    `(dy, dx, log dh, log dw)`); with a `variance`, each delta is divided by it.

    Args:
        anchors: anchor boxes of shape `(N, 4)`.
        boxes: the boxes, of shape `(N, 4)` or `(batch, N, 4)`.
        anchor_format: the format of `anchors` (see `convert_format`).
        box_format: the format of `boxes`.
        encoding_format: `"center_yxhw"` or `"center_xywh"`.
        variance: 4 scale factors the deltas are divided by, or None.
        image_shape: `(height, width, channels)`, needed for relative formats.

    Returns:
        The deltas, of the shape of `boxes`.

    Example:

    >>> import numpy as np
    >>> from kerasx import ops
    >>> from kerasx.utils import bounding_boxes
    >>> anchors = np.array([[0.0, 0.0, 10.0, 10.0]])
    >>> boxes = np.array([[5.0, 0.0, 15.0, 20.0]])
    >>> deltas = bounding_boxes.encode_box_to_deltas(anchors, boxes, "xyxy", "xyxy", encoding_format="center_xywh")
    >>> ops.convert_to_numpy(deltas).astype("float64").round(4).tolist()
    [[0.5, 0.5, 0.0, 0.6931]]
    """
    variance = _check_variance(variance, "encode_box_to_deltas")
    _check_encoding(encoding_format, "encoding_format", "encode_box_to_deltas")
    height, width = _image_size(image_shape)
    anchors = convert_format(anchors, source=anchor_format, target=encoding_format, height=height, width=width)
    boxes = convert_format(boxes, source=box_format, target=encoding_format, height=height, width=width)
    anchor_sizes = ops.maximum(anchors[..., 2:], backend.epsilon())
    box_sizes = ops.maximum(boxes[..., 2:], backend.epsilon())
    deltas = ops.concatenate(
        [(boxes[..., :2] - anchors[..., :2]) / anchor_sizes, ops.log(box_sizes / anchor_sizes)], axis=-1
    )
    return deltas if variance is None else deltas / variance


def decode_deltas_to_boxes(
    anchors,
    boxes_delta,
    anchor_format: str,
    box_format: str,
    encoded_format: str = "center_yxhw",
    variance=None,
    image_shape=None,
):
    """Decodes deltas from anchors (as `encode_box_to_deltas` makes them) into boxes in `box_format`.

    Args:
        anchors: anchor boxes of shape `(N, 4)`, or a dict of them per feature level.
        boxes_delta: deltas of shape `(N, 4)` or `(batch, N, 4)`, or a dict with the keys of `anchors`.
        anchor_format: the format of `anchors` (see `convert_format`).
        box_format: the format of the decoded boxes.
        encoded_format: the layout of the deltas, `"center_yxhw"` or `"center_xywh"`.
        variance: 4 scale factors the deltas are multiplied by first, or None.
        image_shape: `(height, width, channels)`, needed for relative formats.

    Returns:
        The boxes (a dict of them per level when `anchors` and `boxes_delta` are dicts).

    Example:

    >>> import numpy as np
    >>> from kerasx import ops
    >>> from kerasx.utils import bounding_boxes
    >>> anchors = np.array([[0.0, 0.0, 10.0, 10.0]])
    >>> deltas = np.array([[0.5, 0.5, 0.0, np.log(2.0)]])
    >>> boxes = bounding_boxes.decode_deltas_to_boxes(anchors, deltas, "xyxy", "xyxy", encoded_format="center_xywh")
    >>> ops.convert_to_numpy(boxes).astype("float64").round(4).tolist()
    [[5.0, 0.0, 15.0, 20.0]]
    """
    variance = _check_variance(variance, "decode_deltas_to_boxes")
    _check_encoding(encoded_format, "encoded_format", "decode_deltas_to_boxes")
    height, width = _image_size(image_shape)

    def decode(anchor, delta):
        anchor = convert_format(anchor, source=anchor_format, target=encoded_format, height=height, width=width)
        # The anchors decide the dtype (float32, as Keras 3's): TensorFlow does not promote float64 deltas itself.
        delta = ops.cast(delta, ops.dtype(anchor))
        if variance is not None:
            delta = delta * variance
        sizes = anchor[..., 2:]
        box = ops.concatenate([delta[..., :2] * sizes + anchor[..., :2], ops.exp(delta[..., 2:]) * sizes], axis=-1)
        return convert_format(box, source=encoded_format, target=box_format, height=height, width=width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode(anchor, boxes_delta[level]) for level, anchor in anchors.items()}
    return decode(anchors, boxes_delta)
