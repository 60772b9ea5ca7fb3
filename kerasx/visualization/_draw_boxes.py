"""`draw_bounding_boxes`: box outlines drawn into images with NumPy (Keras 3 needs OpenCV for this; kerasx does not),
class labels written with Pillow."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kerasx import ops
from kerasx.backend import standardize_data_format
from kerasx.utils import _optional
from kerasx.utils.bounding_boxes import convert_format
from kerasx.visualization._batch import check_batched

NOT_A_DICT = (
    "draw_bounding_boxes() takes `bounding_boxes` as a dict with 'boxes' and 'labels' (and optionally "
    "'confidences'). Received: bounding_boxes of type {type_name}."
)
MISSING_KEYS = (
    "draw_bounding_boxes() needs the keys 'boxes' and 'labels' in `bounding_boxes`. Received: keys {keys}."
)

# Label placement as Keras 3 places them: it reckons 12 pixels of font height per unit of `font_scale`, and puts the
# baseline 8 pixels above the box, or 3 pixels inside it when the image has no room above.
_FONT_HEIGHT = 12
_LABEL_GAP = 8
_LABEL_INSET = 3
# Pillow's default font size at `font_scale=1`: about the 22-pixel text height of OpenCV's Hershey Simplex there.
_FONT_SIZE = 22


def to_uint8_images(images) -> np.ndarray:
    """A uint8 NumPy copy of `images`: float images whose maximum is at most 1 are scaled by 255, other float images
    clipped to [0, 255], as Keras 3 does."""
    pixels = np.asarray(ops.convert_to_numpy(images))
    if pixels.dtype.kind == "f" and pixels.size > 0:
        pixels = np.clip(pixels, 0, 1) * 255 if pixels.max() <= 1.0 else np.clip(pixels, 0, 255)
    return pixels.astype("uint8")


def channel_color(color: Sequence[int], num_channels: int) -> np.ndarray:
    """`color` for an image of `num_channels`: the first values for fewer channels (gray takes the red value, as
    OpenCV does), opaque 255 for an extra alpha channel."""
    values = [int(value) for value in color][:num_channels]
    values += [255] * (num_channels - len(values))
    return np.asarray(values, dtype="uint8")


def _fill(image: np.ndarray, top: int, bottom: int, left: int, right: int, color: np.ndarray) -> None:
    """Paints the rows top..bottom and columns left..right (inclusive, clipped to the image)."""
    top, left = max(top, 0), max(left, 0)
    bottom, right = min(bottom, image.shape[0] - 1), min(right, image.shape[1] - 1)
    if top <= bottom and left <= right:
        image[top : bottom + 1, left : right + 1] = color


def draw_rectangle(image: np.ndarray, x1: int, y1: int, x2: int, y2: int, color: np.ndarray, thickness: int) -> None:
    """Draws, in place on a `(height, width, channels)` image, the outline of the box whose corner pixels are
    (x1, y1) and (x2, y2); a negative `thickness` fills the box.

    Each side is `thickness` pixels wide, centered on the box's edge; for an even thickness the extra pixel lies
    outside the box. Parts outside the image are left out."""
    x1, x2 = sorted((x1, x2))
    y1, y2 = sorted((y1, y2))
    if thickness < 0:
        _fill(image, y1, y2, x1, x2, color)
        return
    outside = thickness // 2
    inside = thickness - 1 - outside
    _fill(image, y1 - outside, y1 + inside, x1 - outside, x2 + outside, color)
    _fill(image, y2 - inside, y2 + outside, x1 - outside, x2 + outside, color)
    _fill(image, y1 - outside, y2 + outside, x1 - outside, x1 + inside, color)
    _fill(image, y1 - outside, y2 + outside, x2 - inside, x2 + outside, color)


def label_origin(x: int, y: int, font_scale: float, thickness: int) -> tuple[int, int]:
    """Where a box's label starts (left end of its baseline): above the box when there is room, else inside it."""
    font_height = int(font_scale * _FONT_HEIGHT)
    if y - _LABEL_GAP - 2 * font_height > 0:
        return x, y - _LABEL_GAP
    return x + _LABEL_INSET, y + 2 * font_height + thickness + _LABEL_INSET


def draw_label(image: np.ndarray, text: str, origin: tuple[int, int], color: np.ndarray, font_scale: float,
               thickness: int) -> None:
    """Writes `text` in place, its baseline starting at `origin`, with Pillow's default font."""
    feature = "draw_bounding_boxes() with a class_mapping (class labels are written with Pillow)"
    pil_image = _optional.pil_image(feature)
    image_draw = _optional._load("PIL.ImageDraw", "pillow", "image", feature)
    image_font = _optional._load("PIL.ImageFont", "pillow", "image", feature)
    font = image_font.load_default(size=max(1, round(_FONT_SIZE * font_scale)))
    # Only outline fonts know baselines; Pillow without FreeType gives a bitmap font, placed by its top instead.
    outline = isinstance(font, image_font.FreeTypeFont)
    x, y = origin if outline else (origin[0], origin[1] - _FONT_SIZE)
    mask = pil_image.new("L", (image.shape[1], image.shape[0]), 0)
    image_draw.Draw(mask).text(
        (x, y), text, fill=255, font=font, anchor="ls" if outline else None, stroke_width=max(thickness - 1, 0)
    )
    image[np.asarray(mask) >= 128] = color


def draw_bounding_boxes(
    images,
    bounding_boxes: dict,
    bounding_box_format: str,
    class_mapping: dict | None = None,
    color: Sequence[int] = (128, 128, 128),
    line_thickness: int = 2,
    text_thickness: int = 1,
    font_scale: float = 1.0,
    data_format: str | None = None,
) -> np.ndarray:
    """Draws the outlines of bounding boxes, and optionally their class labels, on a batch of images.

    Float images whose maximum is at most 1 are scaled to [0, 255], other floats are clipped to it; the result is
    a uint8 NumPy array. Boxes whose label is -1 (padding) are skipped. The outlines are drawn with NumPy
    (`line_thickness` pixels wide, centered on the box's edges); labels, for classes in `class_mapping`, are written
    with Pillow (`pip install pillow`), followed by the confidence when `bounding_boxes` has `"confidences"`.

    Args:
        images: images of shape `(batch, height, width, channels)` (or channels first, see `data_format`).
        bounding_boxes: a dict with `"boxes"` of shape `(batch, num_boxes, 4)`, `"labels"` of shape
            `(batch, num_boxes)` and optionally `"confidences"` of shape `(batch, num_boxes)`.
        bounding_box_format: the format of the boxes (see `kerasx.utils.bounding_boxes.convert_format`).
        class_mapping: class id -> name, for the labels written beside the boxes.
        color: the color of boxes and labels, RGB.
        line_thickness: the width of the outlines in pixels (negative: filled boxes).
        text_thickness: the stroke of the labels (None: `line_thickness`).
        font_scale: the size of the labels (1.0 is about 22 pixels).
        data_format: `"channels_last"` or `"channels_first"`; None uses `kerasx.config.image_data_format()`.

    Returns:
        The uint8 images with the boxes drawn, of the shape of `images`.

    Example:

    >>> import numpy as np
    >>> from kerasx import visualization
    >>> images = np.zeros((1, 6, 8, 3), "uint8")
    >>> boxes = {"boxes": np.array([[[1, 1, 5, 4]]]), "labels": np.array([[0]])}
    >>> drawn = visualization.draw_bounding_boxes(images, boxes, "xyxy", color=(255, 0, 0), line_thickness=1)
    >>> drawn[0, :, :, 0]
    array([[  0,   0,   0,   0,   0,   0,   0,   0],
           [  0, 255, 255, 255, 255, 255,   0,   0],
           [  0, 255,   0,   0,   0, 255,   0,   0],
           [  0, 255,   0,   0,   0, 255,   0,   0],
           [  0, 255, 255, 255, 255, 255,   0,   0],
           [  0,   0,   0,   0,   0,   0,   0,   0]], dtype=uint8)
    """
    class_mapping = class_mapping or {}
    text_thickness = text_thickness or line_thickness
    shape = check_batched(images, "draw_bounding_boxes")
    if not isinstance(bounding_boxes, dict):
        raise TypeError(NOT_A_DICT.format(type_name=type(bounding_boxes).__name__))
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError(MISSING_KEYS.format(keys=sorted(bounding_boxes)))
    channels_first = standardize_data_format(data_format) == "channels_first"
    height, width = shape[2:4] if channels_first else shape[1:3]
    bounding_boxes = convert_format(dict(bounding_boxes), bounding_box_format, "xyxy", height=height, width=width)
    pixels = to_uint8_images(images)
    if channels_first:
        pixels = np.ascontiguousarray(pixels.transpose(0, 2, 3, 1))
    boxes = np.asarray(ops.convert_to_numpy(bounding_boxes["boxes"])).astype("int32")
    labels = np.asarray(ops.convert_to_numpy(bounding_boxes["labels"])).astype("int32")
    confidences = bounding_boxes.get("confidences")
    confidences = None if confidences is None else np.asarray(ops.convert_to_numpy(confidences))
    box_color = channel_color(color, pixels.shape[-1])
    for index, image in enumerate(pixels):
        for box_index, (x1, y1, x2, y2) in enumerate(boxes[index].tolist()):
            label = int(labels[index][box_index])
            if label == -1:
                continue
            draw_rectangle(image, x1, y1, x2, y2, box_color, line_thickness)
            if label in class_mapping:
                text = str(class_mapping[label])
                if confidences is not None:
                    text = f"{text} | {confidences[index][box_index]:.2f}"
                origin = label_origin(x1, y1, font_scale, text_thickness)
                draw_label(image, text, origin, box_color, font_scale, text_thickness)
    return pixels.transpose(0, 3, 1, 2) if channels_first else pixels
