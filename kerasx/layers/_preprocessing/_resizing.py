"""`Resizing` and `CenterCrop`: images to a fixed size, at training and at inference alike."""

from __future__ import annotations

import numpy as np

from kerasx import ops
from kerasx.backend import _dtypes
from kerasx.layers._preprocessing._bounding_boxes import clip_to_image_size, convert_format
from kerasx.layers._preprocessing._image_base import BaseImagePreprocessingLayer
from kerasx.serialization import _registry

BAD_SIZE = "{cls}: `height` and `width` must be positive ints. Received: height={height!r}, width={width!r}."


def _check_size(cls: str, height, width) -> None:
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (height, width)):
        raise ValueError(BAD_SIZE.format(cls=cls, height=height, width=width))


def _with_size(layer, input_shape, height: int, width: int) -> tuple:
    """`input_shape` (rank 3 or 4) with its spatial sizes replaced."""
    shape = list(input_shape)
    first = len(shape) - 3 + (0 if layer.data_format == "channels_last" else 1)
    shape[first], shape[first + 1] = height, width
    return tuple(shape)


def saturate_cast(values, dtype: str):
    """`values` cast to `dtype`, clipped first to the range of an integer `dtype` (rounded to the nearest int)."""
    if _dtypes.is_int(dtype):
        info = np.iinfo(dtype)
        values = ops.clip(ops.round(values), info.min, info.max)
    return ops.cast(values, dtype)


@_registry.builtin
class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to `(height, width)`, optionally keeping their aspect ratio by cropping or padding first.

    The resampling is `kerasx.ops.image.resize`'s, so each engine resamples as Keras 3 does on it (jax and numpy
    as `jax.image.resize`, tensorflow as `tf.image.resize`, torch as `torch.nn.functional.interpolate`). Integer
    images come back rounded in their own dtype; float images in the compute dtype. Segmentation masks use
    "nearest"; bounding boxes are scaled (and shifted by the crop or the padding).

    Args:
        height, width: the output size.
        interpolation: "bilinear", "nearest", "bicubic", "lanczos3", "lanczos5" (and "area" on tensorflow).
        crop_to_aspect_ratio: crop the largest centred window of the output's aspect ratio before resizing.
        pad_to_aspect_ratio: pad the short side evenly (with `fill_value`) to the output's aspect ratio first.
        fill_mode: how padding is filled; only "constant".
        fill_value: the value of padded pixels.
        antialias: low-pass filter the image when downsampling.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: `bounding_box_format` and base Layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or `(height, width, channels)`, or a dict of images,
            labels, bounding boxes and segmentation masks (see `BaseImagePreprocessingLayer`).

    Output shape: `(batch, height, width, channels)` (channels first with "channels_first").

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
        >>> out = kerasx.layers.Resizing(2, 2)(images)
        >>> print(kerasx.ops.convert_to_numpy(out)[0, ..., 0])
        [[ 2.5  4.5]
         [10.5 12.5]]
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        height: int,
        width: int,
        interpolation: str = "bilinear",
        crop_to_aspect_ratio: bool = False,
        pad_to_aspect_ratio: bool = False,
        fill_mode: str = "constant",
        fill_value: float = 0.0,
        antialias: bool = False,
        data_format: str | None = None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        _check_size(type(self).__name__, height, width)
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def get_random_transformation(self, data, training=True, seed=None):
        # Not random: the input size, which the boxes need.
        images = data["images"] if isinstance(data, dict) else data
        return self._images_size(images)

    def _transform_images(self, images, transformation, interpolation):
        resized = ops.image.resize(
            images,
            (self.height, self.width),
            interpolation=interpolation,
            antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )
        dtype = ops.dtype(images)
        return resized if ops.dtype(resized) == dtype else saturate_cast(resized, dtype)

    def transform_images(self, images, transformation=None, training=True):
        return self._transform_images(images, transformation, self.interpolation)

    def transform_segmentation_masks(self, segmentation_masks, transformation=None, training=True):
        return self._transform_images(segmentation_masks, transformation, "nearest")

    def transform_labels(self, labels, transformation=None, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        input_height, input_width = transformation
        boxes = ops.convert_to_tensor(bounding_boxes["boxes"])
        # All -1 (padding) and all 0 boxes stay all 0.
        empty = ops.logical_or(ops.all(boxes == -1, axis=-1), ops.all(boxes == 0, axis=-1))
        xyxy = convert_format(boxes, self._box_format(), "xyxy", height=input_height, width=input_width)
        resized = self._resize_xyxy(xyxy, input_height, input_width)
        bounding_boxes = clip_to_image_size({**bounding_boxes, "boxes": resized}, height=self.height, width=self.width)
        boxes = ops.where(ops.expand_dims(empty, -1), ops.zeros_like(resized), bounding_boxes["boxes"])
        bounding_boxes["boxes"] = convert_format(
            boxes, "xyxy", self._box_format(), height=self.height, width=self.width
        )
        return bounding_boxes

    def _resize_xyxy(self, boxes, input_height, input_width):
        dtype = ops.dtype(boxes)
        height, width = ops.cast(input_height, dtype), ops.cast(input_width, dtype)
        x_scale, y_scale = self.width / width, self.height / height
        x_shift = y_shift = 0.0
        if self.pad_to_aspect_ratio:
            x_scale = y_scale = ops.minimum(x_scale, y_scale)
            x_shift = ops.floor((self.width - width * x_scale) / 2)
            y_shift = ops.floor((self.height - height * y_scale) / 2)
        elif self.crop_to_aspect_ratio:
            wider = width / height > self.width / self.height
            scaled_width = ops.where(wider, self.height * width / height, self.width)
            scaled_height = ops.where(wider, self.height, self.width * height / width)
            x_scale, y_scale = scaled_width / width, scaled_height / height
            x_shift = -ops.floor((scaled_width - self.width) / 2)
            y_shift = -ops.floor((scaled_height - self.height) / 2)
        x1, y1, x2, y2 = (boxes[..., i] for i in range(4))
        return ops.stack(
            [x1 * x_scale + x_shift, y1 * y_scale + y_shift, x2 * x_scale + x_shift, y2 * y_scale + y_shift], axis=-1
        )

    def compute_output_shape(self, input_shape):
        return _with_size(self, input_shape, self.height, self.width)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "height": self.height,
                "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "antialias": self.antialias,
            }
        )
        return config


@_registry.builtin
class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the central `(height, width)` window of images, at training and at inference.

    An image smaller than the window on either side is instead resized to `(height, width)` after cropping it to
    the window's aspect ratio (as `kerasx.preprocessing.image.smart_resize`). Outputs are in the compute dtype.
    Segmentation masks are cropped alike; labels pass through.

    Args:
        height, width: the output size.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base Layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or `(height, width, channels)`, or a dict of images,
            labels and segmentation masks (see `BaseImagePreprocessingLayer`).

    Output shape: `(batch, height, width, channels)` (channels first with "channels_first").

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.arange(16).reshape(1, 4, 4, 1)
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.CenterCrop(2, 2)(images))[0, ..., 0])
        [[ 5.  6.]
         [ 9. 10.]]
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height: int, width: int, data_format: str | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        _check_size(type(self).__name__, height, width)
        self.height, self.width = height, width

    def get_random_transformation(self, data, training=True, seed=None):
        images = data["images"] if isinstance(data, dict) else data
        return self._images_size(images)

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        height, width = self._images_size(images)
        fits = not isinstance(height, int) or (height >= self.height and width >= self.width)
        if not fits:
            return ops.image.resize(
                images, (self.height, self.width), crop_to_aspect_ratio=True, data_format=self.data_format
            )
        top, left = (height - self.height) // 2, (width - self.width) // 2
        rows, columns = slice(top, top + self.height), slice(left, left + self.width)
        if self.data_format == "channels_last":
            return images[:, rows, columns, :]
        return images[:, :, rows, columns]

    def transform_segmentation_masks(self, segmentation_masks, transformation=None, training=True):
        return self.transform_images(segmentation_masks, transformation, training)

    def transform_labels(self, labels, transformation=None, training=True):
        return labels

    def compute_output_shape(self, input_shape):
        return _with_size(self, input_shape, self.height, self.width)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"height": self.height, "width": self.width})
        return config
