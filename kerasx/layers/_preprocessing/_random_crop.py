"""`RandomCrop`: a random `(height, width)` window of each batch while training."""

from __future__ import annotations

from kerasx import ops, random
from kerasx.layers._preprocessing._bounding_boxes import clip_to_image_size, convert_format
from kerasx.layers._preprocessing._image_base import BaseImagePreprocessingLayer
from kerasx.layers._preprocessing._resizing import _check_size, _with_size
from kerasx.serialization import _registry

UNKNOWN_SIZE = (
    "Layer '{name}' (RandomCrop) needs images of known height and width. Received: images.shape={shape}. Give the "
    "input a full shape, e.g. `kerasx.Input(shape=(64, 64, 3))`."
)


@_registry.builtin
class RandomCrop(BaseImagePreprocessingLayer):
    """Crops one random `(height, width)` window, at the same place in every image of the batch, while training.

    Images not larger than the window on both sides are instead center-cropped to the window's aspect ratio and
    resized to it. At inference the layer returns its input unchanged, as Keras 3.15 does (its symbolic output
    shape is still `(height, width)`); put a `CenterCrop` or `Resizing` after it for inference-time sizes.

    Args:
        height, width: the window size.
        seed: int seed of the layer's SeedGenerator (None: a random one, written in the config as Keras 3 does).
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: `bounding_box_format` and base Layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or `(height, width, channels)`, or a dict of images,
            labels, bounding boxes and segmentation masks (see `BaseImagePreprocessingLayer`).
        training: crop only when True (the default when called directly).

    Output shape: `(batch, height, width, channels)` while training, in the compute dtype.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.zeros((2, 8, 8, 3), "float32")
        >>> tuple(kerasx.layers.RandomCrop(4, 5, seed=1)(images).shape)
        (2, 4, 5, 3)
    """

    _USE_BASE_FACTOR = False
    _HOST_IN_TF_GRAPH = "unknown_batch"  # one crop offset per image: a graph needs the batch size

    def __init__(self, height: int, width: int, seed: int | None = None, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        _check_size(type(self).__name__, height, width)
        self.height, self.width = height, width
        self.seed = seed if seed is not None else random.make_default_seed()
        # The generator's state is a variable of the layer, so a compiled training step carries it forward.
        self.generator = random.SeedGenerator(self.seed)

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        height, width = self._images_size(images)
        if height is None or width is None:
            raise ValueError(UNKNOWN_SIZE.format(name=self.name, shape=tuple(ops.shape(images))))
        if training and height > self.height and width > self.width:
            seed = self._get_seed_generator() if seed is None else seed
            top = random.uniform((), 0.0, float(height - self.height + 1), seed=seed)
            left = random.uniform((), 0.0, float(width - self.width + 1), seed=seed)
            return ops.cast(top, "int32"), ops.cast(left, "int32")
        # The largest centred window of the target's aspect ratio, resized afterwards.
        crop_height = max(min(height, int(width * self.height / self.width)), 1)
        crop_width = max(min(width, int(height * self.width / self.height)), 1)
        return int((height - crop_height) / 2), int((width - crop_width) / 2)

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        top, left = transformation
        height, width = self._images_size(images)
        size = (min(self.height, height), min(self.width, width))
        batch, channels = ops.shape(images)[0], ops.shape(images)[3 if self.data_format == "channels_last" else 1]
        # `call` runs on concrete (or traced, fully shaped) images: the symbolic path uses `compute_output_shape`.
        assert batch is not None and channels is not None
        if self.data_format == "channels_last":
            start, shape = [0, top, left, 0], (batch, *size, channels)
        else:
            start, shape = [0, 0, top, left], (batch, channels, *size)
        images = ops.slice(images, ops.stack([ops.cast(i, "int32") for i in start]), shape)
        if size != (self.height, self.width):
            images = ops.cast(ops.image.resize(images, (self.height, self.width), data_format=self.data_format),
                              self.compute_dtype)
        return images

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training)

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        # Boxes move with the window (x by its left edge, y by its top; Keras 3.15 swaps the two offsets).
        if not training:
            return bounding_boxes
        top, left = (ops.cast(v, "float32") for v in transformation)
        box_format, height, width = self._box_format(), self.height, self.width
        boxes = convert_format(bounding_boxes["boxes"], box_format, "xyxy", height=height, width=width)
        shift = ops.stack([left, top, left, top])
        result = clip_to_image_size({**bounding_boxes, "boxes": boxes - shift}, height=height, width=width)
        result["boxes"] = convert_format(result["boxes"], "xyxy", box_format, height=height, width=width)
        return result

    def compute_output_shape(self, input_shape):
        return _with_size(self, input_shape, self.height, self.width)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "seed": self.seed})
        return config
