"""What the affine augmentation layers share (RandomRotation, RandomZoom, RandomTranslation, RandomShear): argument
checks, the seed generator, and the resampling of images and masks through one `(batch, 8)` matrix per call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerasx import ops
from kerasx.layers._preprocessing._bounding_boxes import clip_to_image_size, convert_format
from kerasx.layers._preprocessing._image_base import BaseImagePreprocessingLayer

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")

BAD_FILL_MODE = "{cls}: unknown `fill_mode`. Received: fill_mode={value!r}. Expected one of {allowed}."
BAD_INTERPOLATION = (
    "{cls}: unknown `interpolation`. Received: interpolation={value!r}. Expected one of {allowed}."
)
BAD_RANGE = (
    "{cls}: `{name}` must be a number or a list of two numbers in [{low}, {high}]. Received: {name}={value!r}."
)


def check_modes(cls: str, fill_mode: str | None, interpolation: str) -> None:
    """NotImplementedError (as Keras 3 raises) for a fill mode or interpolation the layers do not offer."""
    if fill_mode is not None and fill_mode not in FILL_MODES:
        raise NotImplementedError(BAD_FILL_MODE.format(cls=cls, value=fill_mode, allowed=FILL_MODES))
    if interpolation not in INTERPOLATIONS:
        raise NotImplementedError(BAD_INTERPOLATION.format(cls=cls, value=interpolation, allowed=INTERPOLATIONS))


def factor_range(
    cls: str, name: str, value, low: float, high: float, open_low: bool = False, pair_low: float | None = None
) -> tuple:
    """`value` (a number `f`, meaning `[-f, f]`, or a pair) as a sorted `(lower, upper)` pair within `[low, high]`
    (`(low, high]` with `open_low`); a pair's entries may go down to `pair_low` when given."""
    message = BAD_RANGE.format(cls=cls, name=name, low=low, high=high, value=value)

    def check(number, low=low) -> None:
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise ValueError(message)
        if number > high or number < low or (open_low and number == low):
            raise ValueError(message)

    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(message)
        check(value[0], low if pair_low is None else pair_low)
        check(value[1], low if pair_low is None else pair_low)
        lower, upper = sorted(value)
        return (lower, upper)
    check(value)
    return (-abs(value), abs(value))


class AffineAugmentation(BaseImagePreprocessingLayer):
    """Base of the layers that resample images through a random affine map. A subclass draws its parameters in
    `_draw`; `get_random_transformation` returns them with the `"matrix"` of shape `(batch, 8)` they make (see
    `ops.image.affine_transform`) and the image size the box transform needs. Labels pass through; masks use
    "nearest"."""

    _USE_BASE_FACTOR = False
    _HOST_IN_TF_GRAPH = "unknown_batch"  # one affine map per image: a graph needs the batch size
    _CONFIG_KEYS: tuple[str, ...] = ("fill_mode", "fill_value", "interpolation", "seed")
    # Each subclass defines it: `_draw(batch, height, width, seed)` -> (the layer's random parameters as a dict,
    # the `(batch, 8)` matrix they make) for `batch` images of `height` x `width` pixels.
    _draw: Callable[[Any, Any, Any, Any], tuple]

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0, **kwargs):
        super().__init__(**kwargs)
        check_modes(type(self).__name__, fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        height, width = self._images_size(images)
        parameters, matrix = self._draw(ops.shape(images)[0], height, width, self._seed(seed))
        return {**parameters, "matrix": matrix, "image_height": height, "image_width": width}


    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        return ops.image.affine_transform(
            images,
            transformation["matrix"],
            interpolation=interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = transformation["image_height"], transformation["image_width"]
        box_format = self._box_format()
        boxes = convert_format(bounding_boxes["boxes"], box_format, "xyxy", height=height, width=width)
        moved = {**bounding_boxes, "boxes": self._move_xyxy(boxes, transformation)}
        result = clip_to_image_size(moved, height=height, width=width)
        result["boxes"] = convert_format(result["boxes"], "xyxy", box_format, height=height, width=width)
        return result

    def _move_xyxy(self, boxes, transformation):
        """Boxes (xyxy pixels) after the image transform: the box around the four moved corners. The image matrix
        maps output points to input points, so corners move by its inverse."""
        matrix = ops.cast(transformation["matrix"], ops.dtype(boxes))
        rows = ops.concatenate([matrix[:, :6], ops.zeros_like(matrix[:, :2]), ops.ones_like(matrix[:, :1])], axis=1)
        inverse = ops.linalg.inv(ops.reshape(rows, (-1, 3, 3)))[:, None]  # (batch, 1, 3, 3)
        x1, y1, x2, y2 = (boxes[..., i] for i in range(4))
        xs, ys = [], []
        for x, y in ((x1, y1), (x2, y1), (x1, y2), (x2, y2)):
            xs.append(inverse[..., 0, 0] * x + inverse[..., 0, 1] * y + inverse[..., 0, 2])
            ys.append(inverse[..., 1, 0] * x + inverse[..., 1, 1] * y + inverse[..., 1, 2])
        xs, ys = ops.stack(xs, axis=-1), ops.stack(ys, axis=-1)
        return ops.stack([ops.min(xs, -1), ops.min(ys, -1), ops.max(xs, -1), ops.max(ys, -1)], axis=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)
