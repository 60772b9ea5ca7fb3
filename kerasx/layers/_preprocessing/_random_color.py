"""Random colour augmentations: `RandomContrast`, `RandomBrightness`, `RandomHue`, `RandomSaturation`,
`RandomColorDegeneration` and `RandomGrayscale`.

Each draws one number per image from its own `SeedGenerator` (bit-identical on every engine, see `kerasx.random`),
so a seed gives the same augmented batch on jax, torch, tensorflow and numpy. At inference they return their input.
"""

from __future__ import annotations

from kerasx import backend, ops, random
from kerasx.layers._preprocessing import _color_math
from kerasx.layers._preprocessing._image_base import ImagesOnlyLayer, check_value_range
from kerasx.serialization import _registry

BAD_PROBABILITY = "{cls}: `factor` must be a probability in [0, 1]. Received: factor={factor!r}."


def batch_size(images):
    """The number of images of a batched input (the draws make one number per image)."""
    return ops.shape(images)[0]


def images_of(data):
    return data["images"] if isinstance(data, dict) else data


class ColorAugmentation(ImagesOnlyLayer):
    """A random colour layer: a value range, a seed and its generator (`_init_random`); labels, boxes and masks pass
    unchanged. `_CONFIG_KEYS` names the attributes its config adds to the base image layer's."""

    _CONFIG_KEYS: tuple[str, ...] = ("factor", "value_range", "seed")

    def _init_random(self, value_range, seed, sort_range: bool) -> None:
        checked = check_value_range(type(self).__name__, value_range)
        # Keras 3 keeps the value range as given by some layers and sorted into a list by others (their configs).
        self.value_range = sorted(checked) if sort_range else value_range
        self._set_seed(seed)


@_registry.builtin
class RandomContrast(ColorAugmentation):
    """Randomly changes the contrast of each image while training.

    Each channel of each image moves away from (or towards) its spatial mean: `(x - mean) * c + mean` with `c` drawn
    uniformly from `[1 - factor[0], 1 + factor[1]]`, then clipped to `value_range`.

    Args:
        factor: a number `f` in [0, 1] (stored as `(0, f)`, Keras 3's reading) or a pair `(lower, upper)`.
        value_range: `(low, high)` of the pixel values.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments (`data_format`, name, dtype, ...).

    Call arguments:
        data: images `(batch, height, width, channels)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.arange(2 * 2 * 2 * 3, dtype="float32").reshape(2, 2, 2, 3) * 10.0
        >>> layer = kerasx.layers.RandomContrast(factor=0.5, seed=1)
        >>> tuple(layer(images).shape)
        (2, 2, 2, 3)
        >>> bool(np.array_equal(kerasx.ops.convert_to_numpy(layer(images, training=False)), images))
        True
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self._set_factor(factor)
        self._init_random(value_range, seed, sort_range=False)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = (batch_size(images_of(data)), 1, 1, 1)
        if not training:
            return {"contrast_factor": ops.zeros(shape)}
        return {
            "contrast_factor": random.uniform(
                shape, 1.0 - self.factor[0], 1.0 + self.factor[1], dtype=self.compute_dtype,
                seed=self._seed(seed),
            )
        }

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        outputs = _color_math.adjust_contrast(images, transformation["contrast_factor"], self.data_format)
        return ops.clip(outputs, self.value_range[0], self.value_range[1])


@_registry.builtin
class RandomBrightness(ColorAugmentation):
    """Randomly brightens or darkens each image while training.

    A delta drawn uniformly from `[factor[0], factor[1]]`, times the width of `value_range`, is added to every pixel
    of an image; the result is clipped to `value_range`.

    Args:
        factor: a number `f` in [-1, 1] (the range `[-|f|, |f|]`) or a pair `(lower, upper)`.
        value_range: `(low, high)` of the pixel values.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments (`data_format`, name, dtype, ...).

    Call arguments:
        data: images `(batch, height, width, channels)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.RandomBrightness(factor=(0.5, 0.5), value_range=(0, 1))
        >>> print(kerasx.ops.convert_to_numpy(layer(np.full((1, 1, 2, 1), 0.25, "float32")))[0, 0, :, 0])
        [0.75 0.75]
    """

    def __init__(self, factor, value_range=(0, 255), seed: int | None = None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        self._init_random(value_range, seed, sort_range=True)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = (batch_size(images_of(data)), 1, 1, 1)
        if not training:
            return {"rgb_delta": ops.zeros(shape)}
        delta = random.uniform(shape, self.factor[0], self.factor[1], seed=self._seed(seed))
        return {"rgb_delta": delta * (self.value_range[1] - self.value_range[0])}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = images + ops.cast(transformation["rgb_delta"], ops.dtype(images))
        return ops.clip(images, self.value_range[0], self.value_range[1])


@_registry.builtin
class RandomHue(ColorAugmentation):
    """Randomly turns the hue of each image while training.

    The hue (in HSV) of an image is turned by `s * u / 2` of a full circle, `u` uniform in `[factor[0], factor[1]]`
    and `s` a random sign, so factor 1 allows turns up to half a circle.

    Args:
        factor: a number `f` in [0, 1] (stored as `(0, f)`) or a pair `(lower, upper)`.
        value_range: `(low, high)` of the pixel values.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments.

    Call arguments:
        data: RGB images `(batch, height, width, 3)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> red = np.array([[[[1.0, 0.0, 0.0]]]], "float32")
        >>> layer = kerasx.layers.RandomHue(factor=(2 / 3, 2 / 3), value_range=(0, 1), seed=3)
        >>> print(np.round(kerasx.ops.convert_to_numpy(layer(red))[0, 0, 0], 3))  # a third of a turn, to green
        [0. 1. 0.]
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._init_random(value_range, seed, sort_range=False)

    def get_random_transformation(self, data, training=True, seed=None):
        seed = self._seed(seed)
        count = batch_size(images_of(data))
        sign = ops.where(random.uniform((count,), seed=seed) > 0.5, -1.0, 1.0)
        amount = random.uniform((count,), self.factor[0], self.factor[1], seed=seed)
        return {"factor": sign * amount * 0.5}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        dtype = self.compute_dtype
        images = _color_math.rescale(ops.cast(images, dtype), self.value_range, (0, 1), dtype)
        delta = ops.cast(transformation["factor"], ops.dtype(images))
        images = ops.clip(_color_math.shift_hue(images, delta, self.data_format), 0, 1)
        return ops.cast(_color_math.rescale(images, (0, 1), self.value_range, dtype), dtype)


@_registry.builtin
class RandomSaturation(ColorAugmentation):
    """Randomly changes the saturation of each image while training.

    A value `u` drawn uniformly from `[factor[0], factor[1]]` multiplies the HSV saturation by `u / (1 - u)`: 0.5
    leaves the image, 0 makes it grayscale, 1 fully saturated.

    Args:
        factor: a number `f` in [-1, 1] (the range `[-|f|, |f|]`) or a pair `(lower, upper)`.
        value_range: `(low, high)` of the pixel values.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments.

    Call arguments:
        data: RGB images `(batch, height, width, 3)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> pixel = np.array([[[[0.8, 0.4, 0.2]]]], "float32")
        >>> layer = kerasx.layers.RandomSaturation(factor=(0.0, 0.0), value_range=(0, 1))
        >>> print(np.round(kerasx.ops.convert_to_numpy(layer(pixel))[0, 0, 0], 3))
        [0.8 0.8 0.8]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._init_random(value_range, seed, sort_range=True)

    def get_random_transformation(self, data, training=True, seed=None):
        count = batch_size(images_of(data))
        amount = random.uniform((count,), self.factor[0], self.factor[1], seed=self._seed(seed))
        return {"factor": amount / (1 - amount + backend.epsilon())}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        factor = ops.cast(transformation["factor"], self.compute_dtype)
        return _color_math.scale_saturation(images, factor, self.value_range, self.data_format)


@_registry.builtin
class RandomColorDegeneration(ColorAugmentation):
    """Randomly blends each image with its grayscale version while training.

    `x + u * (gray(x) - x)` with `u` uniform in `[factor[0], factor[1]]` per image, clipped to `value_range`.

    Args:
        factor: a number `f` in [-1, 1] (the range `[-|f|, |f|]`) or a pair `(lower, upper)`.
        value_range: `(low, high)` of the pixel values.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments.

    Call arguments:
        data: RGB images `(batch, height, width, 3)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> pixel = np.array([[[[200.0, 100.0, 0.0]]]], "float32")
        >>> layer = kerasx.layers.RandomColorDegeneration(factor=(1.0, 1.0))
        >>> print(np.round(kerasx.ops.convert_to_numpy(layer(pixel))[0, 0, 0], 1))
        [118.5 118.5 118.5]
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._init_random(value_range, seed, sort_range=True)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = (batch_size(images_of(data)), 1, 1, 1)
        return {"factor": random.uniform(shape, self.factor[0], self.factor[1], seed=self._seed(seed))}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        factor = ops.cast(transformation["factor"], self.compute_dtype)
        images = _color_math.degenerate(images, factor, self.data_format)
        return ops.cast(ops.clip(images, self.value_range[0], self.value_range[1]), self.compute_dtype)


@_registry.builtin
class RandomGrayscale(ColorAugmentation):
    """Turns each image grayscale with probability `factor` while training (the gray value in every channel).

    Args:
        factor: probability in [0, 1] that an image becomes grayscale.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments.

    Call arguments:
        data: RGB images `(batch, height, width, 3)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> pixel = np.array([[[[200.0, 100.0, 0.0]]]], "float32")
        >>> print(np.round(kerasx.ops.convert_to_numpy(kerasx.layers.RandomGrayscale(factor=1.0)(pixel))[0, 0, 0], 1))
        [118.5 118.5 118.5]
    """

    _USE_BASE_FACTOR = False
    _CONFIG_KEYS = ("factor",)

    def __init__(self, factor=0.5, data_format=None, seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 <= factor <= 1:
            raise ValueError(BAD_PROBABILITY.format(cls=type(self).__name__, factor=factor))
        self.factor = factor
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        count = batch_size(images_of(data))
        draws = random.uniform((count,), 0, 1, seed=self._seed(seed))
        return ops.reshape(draws < self.factor, (-1, 1, 1, 1))

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        grayscale = ops.image.rgb_to_grayscale(images, data_format=_color_math.image_format(self.data_format))
        return ops.where(transformation, grayscale, images)
