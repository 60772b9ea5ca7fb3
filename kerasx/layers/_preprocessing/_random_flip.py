"""`RandomFlip`: mirrors images left-right and/or top-bottom at random while training."""

from __future__ import annotations

from kerasx import ops, random
from kerasx.layers._preprocessing._bounding_boxes import clip_to_image_size, convert_format
from kerasx.layers._preprocessing._image_base import BaseImagePreprocessingLayer
from kerasx.serialization import _registry

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", "horizontal_and_vertical"
BAD_MODE = (
    "RandomFlip: unknown `mode`. Received: mode={mode!r}. Expected \"horizontal\", \"vertical\" or "
    "\"horizontal_and_vertical\"."
)


@_registry.builtin
class RandomFlip(BaseImagePreprocessingLayer):
    """Flips each image with probability 1/2 while training; the identity at inference.

    With "horizontal_and_vertical", one draw per image decides both flips (the image is turned by 180 degrees or
    left alone). Segmentation masks flip with their images, bounding boxes are mirrored, labels pass through.

    Args:
        mode: "horizontal" (left-right), "vertical" (top-bottom) or "horizontal_and_vertical".
        seed: int seed of the layer's SeedGenerator (None: a random one).
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: `bounding_box_format` and base Layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or `(height, width, channels)`, or a dict of images,
            labels, bounding boxes and segmentation masks (see `BaseImagePreprocessingLayer`).
        training: flip only when True (the default when called directly).

    Output shape: the input's, in the compute dtype.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.arange(3, dtype="float32").reshape(1, 1, 3, 1).repeat(8, axis=0)
        >>> out = kerasx.ops.convert_to_numpy(kerasx.layers.RandomFlip("horizontal", seed=3)(images))
        >>> sorted({tuple(row) for row in out[:, 0, :, 0].tolist()})
        [(0.0, 1.0, 2.0), (2.0, 1.0, 0.0)]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, mode: str = HORIZONTAL_AND_VERTICAL, seed: int | None = None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(BAD_MODE.format(mode=mode))
        self.mode = mode
        self.seed = seed
        # The generator's state is a variable of the layer, so a compiled training step carries it forward.
        self.generator = random.SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        seed = self._get_seed_generator() if seed is None else seed
        flips = random.uniform((ops.shape(images)[0], 1, 1, 1), seed=seed) <= 0.5
        height, width = self._images_size(images)
        return {"flips": flips, "image_height": height, "image_width": width}

    def _axes(self) -> list:
        height_axis, width_axis = (1, 2) if self.data_format == "channels_last" else (2, 3)
        axes = []
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            axes.append(width_axis)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            axes.append(height_axis)
        return axes

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        flipped = images
        for axis in self._axes():
            flipped = ops.flip(flipped, axis=axis)
        return ops.where(transformation["flips"], flipped, images)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training=training)

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = transformation["image_height"], transformation["image_width"]
        box_format = self._box_format()
        boxes = convert_format(bounding_boxes["boxes"], box_format, "xyxy", height=height, width=width)
        x1, y1, x2, y2 = (boxes[..., i : i + 1] for i in range(4))
        width, height = ops.cast(width, "float32"), ops.cast(height, "float32")
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            x1, x2 = width - x2, width - x1
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            y1, y2 = height - y2, height - y1
        flipped = ops.concatenate([x1, y1, x2, y2], axis=-1)
        flips = ops.reshape(transformation["flips"], (-1, 1, 1))
        result = clip_to_image_size(
            {**bounding_boxes, "boxes": ops.where(flips, flipped, boxes)}, height=height, width=width
        )
        result["boxes"] = convert_format(result["boxes"], "xyxy", box_format, height=height, width=width)
        return result

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"seed": self.seed, "mode": self.mode})
        return config
