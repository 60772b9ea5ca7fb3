"""Augmentations that cut or mix regions of images: `RandomErasing`, `MixUp` and `CutMix`.

MixUp and CutMix mix each image with another image of the batch (a random permutation) and mix the labels of a dict
input (`{"images": ..., "labels": ...}`) in the same proportions. Random numbers come from the layer's
`SeedGenerator`, bit-identical on every engine.
"""

from __future__ import annotations

from kerasx import ops, random
from kerasx.layers._preprocessing import _color_math
from kerasx.layers._preprocessing._random_color import ColorAugmentation, batch_size, images_of
from kerasx.layers._preprocessing._random_pixels import coin_flips, unit_range
from kerasx.serialization import _registry

BAD_FILL_VALUE = (
    "{cls}: `fill_value` must be None (Gaussian noise), a number, or a list of three numbers (one per channel). "
    "Received: fill_value={value!r}."
)


def _crop_bounds(count, length, ratio, dtype: str, seed):
    """Start and end (floats) of a span of `ratio * length` pixels placed uniformly inside `length`."""
    crop_length = ops.cast(ratio * length, dtype)
    start = random.uniform((count,), 0, 1, dtype=dtype, seed=seed) * (length - crop_length)
    return start, start + crop_length


class _RegionAugmentation(ColorAugmentation):
    def _height_width(self, images_shape) -> tuple:
        height_axis, width_axis = _color_math.spatial_axes(self.data_format)
        return images_shape[height_axis], images_shape[width_axis]


@_registry.builtin
class RandomErasing(_RegionAugmentation):
    """Erases a random rectangle of each image while training (with a probability drawn from `factor`), filling it
    with `fill_value` or with Gaussian noise.

    The rectangle's sides are `sqrt(s) * width` and `sqrt(s') * height`, `s` and `s'` drawn from `scale`, at a
    uniformly drawn position.

    Args:
        factor: the probability of erasing: a number `p` in [0, 1] (drawn from `[0, p]`) or a pair.
        scale: the range of the erased fraction of each side, squared: a number or a pair in [0, 1].
        fill_value: None (noise `normal * value_range[1]`, clipped to `value_range`), a number, or three numbers.
        value_range: `(low, high)` of the pixel values.
        seed: int seed of the layer's random draws.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.RandomErasing(factor=(1.0, 1.0), scale=(1.0, 1.0), fill_value=0.0)
        >>> print(kerasx.ops.convert_to_numpy(layer(np.ones((1, 2, 2, 1), "float32")))[0, :, :, 0])
        [[0. 0.]
         [0. 0.]]
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _CONFIG_KEYS = ("factor", "scale", "fill_value", "value_range", "seed")

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255),
                 seed: int | None = None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = unit_range(type(self).__name__, "scale", scale)
        if fill_value is not None and not (
            isinstance(fill_value, (int, float)) or (isinstance(fill_value, (tuple, list)) and len(fill_value) == 3)
        ):
            raise ValueError(BAD_FILL_VALUE.format(cls=type(self).__name__, value=fill_value))
        self.fill_value = fill_value
        self._init_random(value_range, seed, sort_range=False)

    def _fill(self, images, images_shape, seed):
        dtype = self.compute_dtype
        if self.fill_value is None:
            fill = random.normal(images_shape, dtype=dtype, seed=seed) * self.value_range[1]
        elif isinstance(self.fill_value, (tuple, list)):
            fill = ops.full_like(images, self.fill_value, dtype=dtype)
        else:
            fill = ops.ones(images_shape, dtype=dtype) * self.fill_value
        return ops.clip(fill, self.value_range[0], self.value_range[1])

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = images_of(data)
        images_shape = tuple(ops.shape(images))
        count = batch_size(images)
        height, width = self._height_width(images_shape)
        seed, dtype = self._seed(seed), self.compute_dtype
        sides = ops.sqrt(random.uniform((count, 2), self.scale[0], self.scale[1], dtype=dtype, seed=seed))
        x0, x1 = _crop_bounds(count, width, sides[:, 0], dtype, seed)
        y0, y1 = _crop_bounds(count, height, sides[:, 1], dtype, seed)
        masks = _color_math.box_masks(images_shape, (x0, x1, y0, y1), self.data_format, dtype)
        apply = coin_flips(count, self.factor, seed)
        return {"apply_erasing": apply, "batch_masks": masks, "fill_value": self._fill(images, images_shape, seed)}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if training:
            t = transformation
            images = _color_math.erase(images, t["batch_masks"], t["fill_value"], t["apply_erasing"])
        return ops.cast(images, self.compute_dtype)


def _mix_labels(labels, transformation):
    weight = ops.reshape(transformation["mix_weight"], [-1, 1])
    other = ops.take(labels, transformation["permutation_order"], axis=0)
    return weight * labels + (1.0 - weight) * other


@_registry.builtin
class MixUp(_RegionAugmentation):
    """MixUp while training: each image becomes `w x + (1 - w) x'`, `x'` another image of the batch and `w` drawn
    from Beta(alpha, alpha); labels of a dict input are mixed with the same weights.

    Args:
        alpha: the Beta distribution's parameter (small values keep images close to one of the two).
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)`, or a dict `{"images": ..., "labels": ...}` with labels of
            shape `(batch, num_classes)`.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.stack([np.zeros((2, 2, 1)), np.ones((2, 2, 1))]).astype("float32")
        >>> labels = np.eye(2, dtype="float32")
        >>> out = kerasx.layers.MixUp(seed=2)({"images": images, "labels": labels})
        >>> mixed = kerasx.ops.convert_to_numpy(out["labels"])
        >>> bool(np.allclose(mixed.sum(axis=1), 1.0)), tuple(out["images"].shape)
        (True, (2, 2, 2, 1))
    """

    _CONFIG_KEYS = ("alpha", "seed")
    _HOST_IN_TF_GRAPH = "unknown_batch"  # draws a partner and a weight per image: a graph needs the batch size

    def __init__(self, alpha: float = 0.2, data_format=None, seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.alpha = alpha
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        count = batch_size(images_of(data))
        seed = self._seed(seed)
        order = random.shuffle(ops.arange(0, count, dtype="int64"), seed=seed)
        weight = random.beta((count,), self.alpha, self.alpha, seed=seed)
        return {"mix_weight": weight, "permutation_order": order}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        dtype = self.compute_dtype
        images = ops.cast(images, dtype)
        weight = ops.cast(ops.reshape(transformation["mix_weight"], [-1, 1, 1, 1]), dtype)
        others = ops.cast(ops.take(images, transformation["permutation_order"], axis=0), dtype)
        return weight * images + (1.0 - weight) * others

    def transform_labels(self, labels, transformation, training=True):
        return _mix_labels(labels, transformation) if training else labels


@_registry.builtin
class CutMix(_RegionAugmentation):
    """CutMix while training: a random rectangle of each image is replaced by the same rectangle of another image
    of the batch; labels of a dict input are mixed by the area each image keeps.

    A Beta parameter `a` is drawn from `factor`, then per image a weight `w` from Beta(a, a); the rectangle's sides
    are `sqrt(1 - w)` of the image's, at a uniformly drawn position.

    Args:
        factor: a number `f` in [0, 1] (the range `[0, f]` of the Beta parameter) or a pair.
        seed: int seed of the layer's random draws.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base layer arguments.

    Call arguments:
        data: a batch of images `(batch, height, width, channels)`, or a dict `{"images": ..., "labels": ...}`.
            A single image passes unchanged.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.stack([np.zeros((4, 4, 1)), np.ones((4, 4, 1))]).astype("float32")
        >>> out = kerasx.layers.CutMix(seed=1)({"images": images, "labels": np.eye(2, dtype="float32")})
        >>> bool(np.allclose(kerasx.ops.convert_to_numpy(out["labels"]).sum(axis=1), 1.0))
        True
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _CONFIG_KEYS = ("factor", "seed")
    _HOST_IN_TF_GRAPH = "unknown_batch"  # draws a partner and a box per image: a graph needs the batch size

    def __init__(self, factor=1.0, seed: int | None = None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = images_of(data)
        images_shape = tuple(ops.shape(images))
        count = batch_size(images)
        height, width = self._height_width(images_shape)
        seed, dtype = self._seed(seed), self.compute_dtype
        alpha = random.uniform((), self.factor[0], self.factor[1], dtype=dtype, seed=seed) + 1e-6
        weight = random.beta((count,), alpha, alpha, dtype=dtype, seed=seed)
        ratio = ops.sqrt(1.0 - weight)
        x0, x1 = _crop_bounds(count, width, ratio, dtype, seed)
        y0, y1 = _crop_bounds(count, height, ratio, dtype, seed)
        masks = _color_math.box_masks(images_shape, (x0, x1, y0, y1), self.data_format, dtype)
        # The label weight is the area the image keeps, measured on the drawn (fractional) rectangle.
        kept = 1.0 - (x1 - x0) * (y1 - y0) / (width * height)
        order = random.shuffle(ops.arange(0, count, dtype="int32"), seed=seed)
        return {"permutation_order": order, "batch_masks": masks, "mix_weight": kept}

    def transform_images(self, images, transformation, training=True):
        if training and transformation is not None:
            images = ops.cast(images, self.compute_dtype)
            others = ops.take(images, transformation["permutation_order"], axis=0)
            images = ops.where(transformation["batch_masks"], others, images)
        return ops.cast(images, self.compute_dtype)

    def transform_labels(self, labels, transformation, training=True):
        return _mix_labels(labels, transformation) if training and transformation is not None else labels
