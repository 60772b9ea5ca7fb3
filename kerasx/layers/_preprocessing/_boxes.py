"""Bounding-box arithmetic of the image layers: format conversion through "xyxy" and clipping to the image.

`kerasx.utils.bounding_boxes` offers the same to users, but `utils` sits floors above `layers` (it imports saving
and models), so the layers carry this small copy of the rules, written with `kerasx.ops`.
"""

from __future__ import annotations

from kerasx import ops

FORMATS = (
    "xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy", "rel_yxyx", "rel_xywh", "rel_center_xywh",
)
BAD_FORMAT = "Unknown bounding box format. Received: bounding_box_format={value!r}. Expected one of {formats}."


def _columns(boxes):
    return tuple(boxes[..., i : i + 1] for i in range(4))


def to_xyxy(boxes, source: str | None, height, width):
    """`(..., 4)` boxes of format `source` as absolute "xyxy" float32 boxes."""
    if source not in FORMATS:
        raise ValueError(BAD_FORMAT.format(value=source, formats=FORMATS))
    boxes = ops.cast(boxes, "float32")
    if source == "xyxy":
        return boxes
    a, b, c, d = _columns(boxes)
    relative = str(source).startswith("rel_")
    name = str(source)[4:] if relative else source
    if name == "yxyx":
        a, b, c, d = b, a, d, c
    elif name == "xywh":
        c, d = a + c, b + d
    elif name == "center_xywh":
        a, b, c, d = a - c / 2, b - d / 2, a + c / 2, b + d / 2
    elif name == "center_yxhw":
        a, b, c, d = b - d / 2, a - c / 2, b + d / 2, a + c / 2
    if relative:
        width, height = ops.cast(width, "float32"), ops.cast(height, "float32")
        a, b, c, d = a * width, b * height, c * width, d * height
    return ops.concatenate([a, b, c, d], axis=-1)


def from_xyxy(boxes, target: str | None, height, width):
    """Absolute "xyxy" boxes in format `target`."""
    if target not in FORMATS:
        raise ValueError(BAD_FORMAT.format(value=target, formats=FORMATS))
    if target == "xyxy":
        return boxes
    a, b, c, d = _columns(ops.cast(boxes, "float32"))
    relative = str(target).startswith("rel_")
    if relative:
        width, height = ops.cast(width, "float32"), ops.cast(height, "float32")
        a, b, c, d = a / width, b / height, c / width, d / height
    name = str(target)[4:] if relative else target
    if name == "yxyx":
        a, b, c, d = b, a, d, c
    elif name == "xywh":
        c, d = c - a, d - b
    elif name == "center_xywh":
        a, b, c, d = (a + c) / 2, (b + d) / 2, c - a, d - b
    elif name == "center_yxhw":
        a, b, c, d = (b + d) / 2, (a + c) / 2, d - b, c - a
    return ops.concatenate([a, b, c, d], axis=-1)


def clip_xyxy(bounding_boxes: dict, height, width) -> dict:
    """Boxes clipped to `[0, width] x [0, height]`; the labels of boxes left without area become -1."""
    boxes = bounding_boxes["boxes"]
    x_max, y_max = ops.cast(width, ops.dtype(boxes)), ops.cast(height, ops.dtype(boxes))
    x1, y1, x2, y2 = _columns(boxes)
    x1, x2 = ops.clip(x1, 0, x_max), ops.clip(x2, 0, x_max)
    y1, y2 = ops.clip(y1, 0, y_max), ops.clip(y2, 0, y_max)
    result = {**bounding_boxes, "boxes": ops.concatenate([x1, y1, x2, y2], axis=-1)}
    if "labels" in bounding_boxes:
        areas = ops.squeeze((x2 - x1) * (y2 - y1), axis=-1)
        result["labels"] = ops.where(areas > 0, bounding_boxes["labels"], -1)
    return result
