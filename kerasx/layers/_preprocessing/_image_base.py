"""`BaseImagePreprocessingLayer`: what the image preprocessing and augmentation layers share.

A subclass draws one random transformation per batch (`get_random_transformation`) and applies it to every part
of the input: images, labels, bounding boxes and segmentation masks (`transform_*`). Inputs are a batch of images
(rank 4), one image (rank 3), or a dict with an "images" entry and optional "labels", "bounding_boxes" (a dict of
"boxes" and "labels") and "segmentation_masks" entries. Single images get a batch axis of 1 before the transformation
is drawn and lose it afterwards, so `get_random_transformation` and `transform_*` always see batches.

Interface for subclasses (kept stable: the color and mixing layers build on it):
- class attributes `_USE_BASE_FACTOR` (the constructor parses `factor` into `self.factor = (lower, upper)`) and
  `_FACTOR_BOUNDS`;
- `get_random_transformation(data, training=True, seed=None)`: any structure of tensors, or None (no change); the
  draws use `self._seed(seed)` (the caller's seed, else the layer's `self.generator`, made by `self._set_seed(seed)`);
- `_CONFIG_KEYS`: the attributes `get_config` adds to the base config; `ImagesOnlyLayer` for layers that change
  only pixel values;
- `transform_images`, `transform_labels`, `transform_bounding_boxes`, `transform_segmentation_masks`, each
  `(values, transformation, training=True)`; the defaults cast images to the compute dtype and send images and masks
  through `_transform_images(values, transformation, interpolation)`;
- helpers `_transform_value_range` and `affine_matrix` (one 3x3 affine map per image, flattened to 8 values).
"""

from __future__ import annotations

import math

import numpy as np

from kerasx import ops, random
from kerasx.backend._config import ImageDataFormat
from kerasx.layers import _arguments
from kerasx.layers._layer import Layer
from kerasx.layers._preprocessing import _graph_host

BAD_FACTOR = (
    "{cls}: `factor` must be a number or a list of two numbers in [{low}, {high}]. Received: factor={factor!r}."
)
NO_FACTOR = "{cls} takes no `factor` argument. Received: factor={factor!r}."
BAD_RANK = (
    "Layer '{name}' ({cls}) takes a single image (rank 3) or a batch of images (rank 4). "
    "Received: images.shape={shape}."
)
NO_BOX_FORMAT = (
    "Layer '{name}' ({cls}) received 'bounding_boxes' but has no bounding box format. Pass one when making the layer, "
    'e.g. `{cls}(bounding_box_format="xyxy")`.'
)
NO_GENERATOR = (
    "Layer '{name}' ({cls}) draws random numbers but has no `seed` and `generator` attributes. Set "
    "`self.seed = seed` and `self.generator = kerasx.random.SeedGenerator(seed)` in `__init__`."
)
BAD_VALUE_RANGE = (
    "{cls}: `value_range` must be a list of two numbers, the lowest value first. Received: value_range={value!r}."
)


def check_value_range(cls_name: str, value_range) -> tuple:
    """`value_range` as a `(low, high)` tuple with low < high; a ValueError naming layer class `cls_name` otherwise."""
    try:
        low, high = value_range
    except (TypeError, ValueError):
        raise ValueError(BAD_VALUE_RANGE.format(cls=cls_name, value=value_range)) from None
    if not all(isinstance(v, (int, float, np.number)) for v in (low, high)) or not low < high:
        raise ValueError(BAD_VALUE_RANGE.format(cls=cls_name, value=value_range))
    return (low, high)


def affine_matrix(center_x, center_y, angle, translate_x, translate_y, scale, shear_x, shear_y, height, width):
    """Per-image affine maps as `(batch, 8)` rows `[a0, a1, a2, b0, b1, b2, 0, 0]` (the layout of
    `ops.image.affine_transform`): a scaling after a shear after a rotation by `angle` degrees about the point
    `(center_x * (width - 1), center_y * (height - 1))`, then a translation in pixels. Shears are angles in degrees.
    Every argument but `height`/`width` is a `(batch,)` tensor (or broadcasts to one)."""
    to_radians = math.pi / 180.0
    angle = ops.multiply(angle, to_radians)
    dtype = ops.dtype(angle)
    cx = ops.multiply(center_x, ops.cast(width, dtype) - 1.0)
    cy = ops.multiply(center_y, ops.cast(height, dtype) - 1.0)
    cos, sin = ops.cos(angle), ops.sin(angle)
    tan_x, tan_y = ops.tan(ops.multiply(shear_x, to_radians)), ops.tan(ops.multiply(shear_y, to_radians))
    a0 = scale * (cos + tan_x * sin)
    a1 = scale * (tan_x * cos - sin)
    b0 = scale * (tan_y * cos + sin)
    b1 = scale * (cos - tan_y * sin)
    # The translation that keeps the center fixed, plus the requested one.
    a2 = translate_x + cx - cx * a0 - cy * a1
    b2 = translate_y + cy - cx * b0 - cy * b1
    zeros = ops.zeros_like(a0)
    return ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)


def _dense_boxes(bounding_boxes: dict) -> dict:
    """ "boxes" and "labels" as tensors; lists of per-image arrays of different lengths are padded with -1 (the
    'no box' marker of Keras 3's dense box batches)."""
    boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
    if isinstance(boxes, (list, tuple)) and boxes and not np.isscalar(boxes[0]):
        arrays = [np.asarray(b, dtype="float32").reshape(-1, 4) for b in boxes]
        if len({len(a) for a in arrays}) > 1:
            size = max(len(a) for a in arrays)
            boxes = np.stack([np.pad(a, ((0, size - len(a)), (0, 0)), constant_values=-1) for a in arrays])
            labels = np.stack(
                [np.pad(np.asarray(lab, "int32"), (0, size - len(lab)), constant_values=-1) for lab in labels]
            )
    return {**bounding_boxes, "boxes": ops.convert_to_tensor(boxes), "labels": ops.convert_to_tensor(labels)}


class BaseImagePreprocessingLayer(_graph_host.HostInGraphMixin, Layer):
    """Base of the image preprocessing layers: one random transformation per batch, applied alike to images,
    labels, bounding boxes and segmentation masks.

    A subclass overrides `get_random_transformation` and the `transform_*` methods it supports; `call` sends each
    part of the input to its method. When `training` is False the layers that augment return their input (cast to
    the compute dtype); resizing and cropping layers transform at inference too.

    Args:
        factor: for layers that declare `_USE_BASE_FACTOR`: a number `f` (the range `[-f, f]`, clipped to
            `_FACTOR_BOUNDS`) or a pair `(lower, upper)`; stored as `self.factor = (lower, upper)`.
        bounding_box_format: format of the boxes in a "bounding_boxes" input ("xyxy", "xywh", "center_xywh",
            "rel_xyxy", ...; see `kerasx.utils.bounding_boxes.convert_format`); needed only for box inputs.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base Layer arguments.

    Call arguments:
        data: images of shape `(batch, height, width, channels)` or `(height, width, channels)` (channels first
            with "channels_first"), or a dict `{"images": ..., "labels": ..., "bounding_boxes": {"boxes": ...,
            "labels": ...}, "segmentation_masks": ...}` (every entry but "images" optional); a dict in, a dict out.
        training: whether to augment (the default when the layer is called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> from kerasx.layers._preprocessing._image_base import BaseImagePreprocessingLayer
        >>> class Negate(BaseImagePreprocessingLayer):
        ...     def transform_images(self, images, transformation, training=True):
        ...         images = kerasx.ops.cast(images, self.compute_dtype)
        ...         return kerasx.ops.negative(images) if training else images
        >>> x = np.ones((2, 2, 1), "float32")
        >>> print(kerasx.ops.convert_to_numpy(Negate()(x))[..., 0])
        [[-1. -1.]
         [-1. -1.]]
        >>> print(kerasx.ops.convert_to_numpy(Negate()(x, training=False))[..., 0])
        [[1. 1.]
         [1. 1.]]
    """

    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS: tuple[float, float] = (-1, 1)
    # The attributes `get_config` adds after the base keys, in this order (a subclass extends its parent's tuple).
    _CONFIG_KEYS: tuple[str, ...] = ()
    data_format: ImageDataFormat

    def __init__(self, factor=None, bounding_box_format: str | None = None, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.bounding_box_format = bounding_box_format
        self.data_format = _arguments.data_format(type(self).__name__, data_format)
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(NO_FACTOR.format(cls=type(self).__name__, factor=factor))

    def _set_factor(self, factor) -> None:
        low, high = self._FACTOR_BOUNDS
        message = BAD_FACTOR.format(cls=type(self).__name__, low=low, high=high, factor=factor)
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or factor[0] > high or factor[1] < low:
                raise ValueError(message)
            lower, upper = sorted(factor)
        elif isinstance(factor, (int, float)) and not isinstance(factor, bool):
            if not low <= factor <= high:
                raise ValueError(message)
            lower, upper = max(-abs(factor), low), abs(factor)
        else:
            raise ValueError(message)
        self.factor = (lower, upper)

    def _get_seed_generator(self, backend=None) -> random.SeedGenerator:
        # `backend` is accepted for Keras 3's signature; kerasx layers always draw with the active engine.
        del backend
        generator = getattr(self, "generator", None)
        if generator is None or not hasattr(self, "seed"):
            raise ValueError(NO_GENERATOR.format(name=self.name, cls=type(self).__name__))
        return generator

    def _set_seed(self, seed: int | None) -> None:
        """Keeps `seed` (the config's) and makes the layer's generator from it."""
        self.seed = seed
        # The generator's state is a variable of the layer, so a compiled training step carries it forward.
        self.generator = random.SeedGenerator(seed)

    def _seed(self, seed):
        """The `seed` a caller passed to `get_random_transformation` (RandAugment, AugMix), else the layer's own."""
        return self._get_seed_generator() if seed is None else seed

    # The transformation and its application -----------------------------------------------------------------------

    def get_random_transformation(self, data, training=True, seed=None):
        """The random parameters of one call (any structure of tensors), or None for no change. `data` is the
        batched input (a tensor or a dict)."""
        del data, training, seed
        return None

    def _transform_images(self, images, transformation, interpolation):
        raise NotImplementedError(f"{type(self).__name__} does not define `_transform_images`.")

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if training:
            images = self._transform_images(images, transformation, getattr(self, "interpolation", "bilinear"))
        return images

    def transform_labels(self, labels, transformation, training=True):
        raise NotImplementedError(f"{type(self).__name__} does not transform labels.")

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        raise NotImplementedError(f"{type(self).__name__} does not transform bounding boxes.")

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if training:
            segmentation_masks = self._transform_images(segmentation_masks, transformation, "nearest")
        return segmentation_masks

    def _is_batched(self, images) -> bool:
        rank = len(ops.shape(images))
        if rank not in (3, 4):
            raise ValueError(BAD_RANK.format(name=self.name, cls=type(self).__name__, shape=tuple(ops.shape(images))))
        return rank == 4

    def call(self, data, training=True):
        if not isinstance(data, dict):
            images = ops.convert_to_tensor(data)
            batched = self._is_batched(images)
            images = images if batched else ops.expand_dims(images, 0)
            transformation = self.get_random_transformation(images, training=training)
            outputs = self.transform_images(images, transformation, training=training)
            return outputs if batched else ops.squeeze(outputs, 0)

        data = dict(data)
        batched = self._is_batched(ops.convert_to_tensor(data["images"]))
        for key in ("images", "labels", "segmentation_masks"):
            if key in data:
                data[key] = _batch_axis(ops.convert_to_tensor(data[key]), batched, add=True)
        if "bounding_boxes" in data:
            self._box_format()
            boxes = _dense_boxes(data["bounding_boxes"])
            data["bounding_boxes"] = _boxes_batch_axis(boxes, batched, add=True)
        transformation = self.get_random_transformation(data, training=training)
        data["images"] = self.transform_images(data["images"], transformation, training=training)
        if "bounding_boxes" in data:
            data["bounding_boxes"] = self.transform_bounding_boxes(
                data["bounding_boxes"], transformation, training=training
            )
        if "labels" in data:
            data["labels"] = self.transform_labels(data["labels"], transformation, training=training)
        if "segmentation_masks" in data:
            data["segmentation_masks"] = self.transform_segmentation_masks(
                data["segmentation_masks"], transformation, training=training
            )
        for key in ("images", "labels", "segmentation_masks"):
            if key in data:
                data[key] = _batch_axis(data[key], batched, add=False)
        if "bounding_boxes" in data:
            data["bounding_boxes"] = _boxes_batch_axis(data["bounding_boxes"], batched, add=False)
        return data

    # Helpers -------------------------------------------------------------------------------------------------------

    def _transform_value_range(self, images, original_range, target_range, dtype="float32"):
        """`images` mapped linearly from `original_range` to `target_range` (unchanged when they are equal)."""
        if tuple(original_range) == tuple(target_range):
            return images
        images = ops.cast(images, dtype)
        original_low, original_high = (ops.cast(v, dtype) for v in original_range)
        target_low, target_high = (ops.cast(v, dtype) for v in target_range)
        unit = (images - original_low) / (original_high - original_low)
        return unit * (target_high - target_low) + target_low

    def _box_format(self) -> str:
        """The format of the boxes this layer reads; a ValueError saying how to set it when the layer has none."""
        if not self.bounding_box_format:
            raise ValueError(NO_BOX_FORMAT.format(name=self.name, cls=type(self).__name__))
        return self.bounding_box_format

    def _images_size(self, images) -> tuple:
        """`(height, width)` of a batch of images in this layer's data format (ints, or tensors when unknown)."""
        shape = ops.shape(images)
        return (shape[1], shape[2]) if self.data_format == "channels_last" else (shape[2], shape[3])

    def get_config(self) -> dict:
        config = super().get_config()
        config["data_format"] = self.data_format
        # Keras 3 writes the key only when the layer has a box format.
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        config.update({key: getattr(self, key) for key in self._CONFIG_KEYS})
        return config


def _batch_axis(x, batched: bool, add: bool):
    if batched:
        return x
    return ops.expand_dims(x, 0) if add else ops.squeeze(x, 0)


def _boxes_batch_axis(bounding_boxes: dict, batched: bool, add: bool) -> dict:
    return {**bounding_boxes, **{k: _batch_axis(bounding_boxes[k], batched, add) for k in ("boxes", "labels")}}


class ImagesOnlyLayer(BaseImagePreprocessingLayer):
    """Base of the layers that change pixel values only (colour, contrast, policies of them): labels, bounding boxes
    and segmentation masks pass unchanged, and the output shape is the input's."""

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        return bounding_boxes

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def compute_output_shape(self, input_shape):
        return input_shape
