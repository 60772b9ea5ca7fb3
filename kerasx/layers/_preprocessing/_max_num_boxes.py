"""`MaxNumBoundingBoxes`: box batches padded or truncated to a fixed number of boxes."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers._preprocessing._image_base import BaseImagePreprocessingLayer
from kerasx.serialization import _registry


@_registry.builtin
class MaxNumBoundingBoxes(BaseImagePreprocessingLayer):
    """Pads (with `fill_value`) or truncates the "bounding_boxes" of a dict input to `max_number` boxes per image,
    so that batches of different box counts stack; images, labels and masks pass through unchanged.

    Args:
        max_number: the number of boxes per image in the output.
        fill_value: the value of the padded boxes' coordinates and labels.
        **kwargs: `bounding_box_format`, `data_format` and base Layer arguments.

    Call arguments:
        data: a dict with "images" and "bounding_boxes" (`{"boxes": (batch, num_boxes, 4), "labels": (batch,
            num_boxes)}`), or images alone (returned as they are).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.MaxNumBoundingBoxes(max_number=3, bounding_box_format="xyxy")
        >>> boxes = {"boxes": np.ones((1, 2, 4), "float32"), "labels": np.array([[4, 5]])}
        >>> out = layer({"images": np.zeros((1, 8, 8, 3), "float32"), "bounding_boxes": boxes})
        >>> print(kerasx.ops.convert_to_numpy(out["bounding_boxes"]["labels"]))
        [[ 4  5 -1]]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, max_number: int, fill_value: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)

    def transform_images(self, images, transformation=None, training=True):
        return images

    def transform_labels(self, labels, transformation=None, training=True):
        return labels

    def transform_segmentation_masks(self, segmentation_masks, transformation=None, training=True):
        return segmentation_masks

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
        # An unknown box count (a symbolic batch) pads as if there were none; the slice then trims.
        missing = max(self.max_number - (ops.shape(boxes)[1] or 0), 0)
        boxes = ops.pad(boxes[:, : self.max_number], [[0, 0], [0, missing], [0, 0]], constant_values=self.fill_value)
        labels = ops.pad(labels[:, : self.max_number], [[0, 0], [0, missing]], constant_values=self.fill_value)
        return {**bounding_boxes, "boxes": boxes, "labels": labels}

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            shapes = dict(input_shape["bounding_boxes"])
            shapes["boxes"] = (shapes["boxes"][0], self.max_number, *shapes["boxes"][2:])
            shapes["labels"] = (shapes["labels"][0], self.max_number, *shapes["labels"][2:])
            return {**input_shape, "bounding_boxes": shapes}
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config["max_number"] = self.max_number
        return config
