"""Random per-pixel augmentations: `RandomInvert`, `RandomPosterization`, `Solarization`, `RandomSharpness` and
`RandomGaussianBlur`.

Their random numbers come from the layer's `SeedGenerator`, bit-identical on every engine, so a seed gives the same
augmented batch on jax, torch, tensorflow and numpy. At inference they return their input (cast to the compute
dtype where Keras 3 casts).
"""

from __future__ import annotations

from kerasx import ops, random
from kerasx.layers._preprocessing import _color_math
from kerasx.layers._preprocessing._random_color import ColorAugmentation, batch_size, images_of
from kerasx.serialization import _registry

BAD_RANGE_ARGUMENT = (
    "{cls}: `{name}` must be a number or a list of two numbers in [0, 1]. Received: {name}={value!r}."
)
BAD_KERNEL_SIZE = (
    "{cls}: `kernel_size` must be an odd number or a pair of odd numbers. Received: kernel_size={value!r}."
)


def unit_range(cls_name: str, name: str, value) -> tuple:
    """A number `f` as `(0, f)`, or a pair sorted; every number in [0, 1]."""
    pair = value if isinstance(value, (tuple, list)) else None
    numbers = pair if pair is not None else [value]
    if (
        (pair is not None and len(pair) != 2)
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in numbers)
    ):
        raise ValueError(BAD_RANGE_ARGUMENT.format(cls=cls_name, name=name, value=value))
    return tuple(sorted(pair)) if pair is not None else (0, value)


def coin_flips(count, probability_range, seed):
    """One boolean per image: True with a probability drawn uniformly from `probability_range` (two draws, as
    Keras 3's layers make them)."""
    probability = random.uniform((count,), probability_range[0], probability_range[1], seed=seed)
    return random.uniform((count,), 0, 1, seed=seed) < probability


@_registry.builtin
class RandomInvert(ColorAugmentation):
    """Inverts images (`value_range[1] - x`) while training, each with a probability drawn from `factor`.

    Args:
        factor: the probability of inverting an image: a number `p` in [0, 1] (drawn from `[0, p]`) or a pair.
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
        >>> layer = kerasx.layers.RandomInvert(factor=(1.0, 1.0), value_range=(0, 1))
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[[[0.25]]]], "float32"))).ravel())
        [0.75]
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, value_range=(0, 255), seed: int | None = None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._init_random(value_range, seed, sort_range=False)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        return {"apply_inversion": coin_flips(batch_size(images_of(data)), self.factor, self._seed(seed))}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        apply = transformation["apply_inversion"][:, None, None, None]
        return ops.where(apply, self.value_range[1] - images, images)


@_registry.builtin
class RandomPosterization(ColorAugmentation):
    """Reduces each image to fewer bits per channel while training: an image keeps `b` bits of its 8-bit values,
    `b` drawn per image from `[factor[0], factor[1])` (the number itself when both ends are equal).

    Args:
        factor: a number `b` in [1, 8] (the range `[1, b]`) or a pair of bit counts.
        value_range: `(low, high)` of the pixel values (they are mapped to 0-255 for the bit arithmetic).
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.RandomPosterization(factor=(2, 2))
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[[[100.0, 200.0, 255.0]]]], "float32"))).ravel())
        [ 64. 192. 192.]
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (1, 8)
    _MAX_BITS = 8

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._init_random(value_range, seed, sort_range=True)

    def get_random_transformation(self, data, training=True, seed=None):
        count = batch_size(images_of(data))
        if self.factor[0] != self.factor[1]:
            bits = random.randint((count,), self.factor[0], self.factor[1], dtype="uint8", seed=self._seed(seed))
        else:
            bits = ops.ones((count,), dtype="uint8") * self.factor[0]
        return {"shift_factor": self._MAX_BITS - bits}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        dtype = self.compute_dtype
        return _color_math.posterize(images, transformation["shift_factor"], self.value_range, dtype)


@_registry.builtin
class Solarization(ColorAugmentation):
    """Solarizes images while training: on the 0-255 scale, a random amount is added to every pixel (then clipped)
    and pixels at or above a random threshold are inverted (`255 - x`).

    Args:
        addition_factor: the added amount as a fraction of 255: a number `f` in [0, 1] (the draw is uniform in
            `[0, 255 f]`) or a pair `(lower, upper)` (uniform in `[lower, 255 upper]`, as Keras 3 draws it).
        threshold_factor: the threshold, read like `addition_factor`.
        value_range: `(low, high)` of the pixel values.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments (`data_format`, name, dtype, ...).

    Call arguments:
        data: images `(batch, height, width, channels)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Solarization()  # no addition, threshold 0: every pixel inverted
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[[[20.0, 100.0, 200.0]]]], "float32"))).ravel())
        [235. 155.  55.]
    """

    _USE_BASE_FACTOR = False
    _CONFIG_KEYS = ("value_range", "addition_factor", "threshold_factor", "seed")

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed: int | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        self.addition_factor = unit_range(name, "addition_factor", addition_factor)
        self.threshold_factor = unit_range(name, "threshold_factor", threshold_factor)
        self._init_random(value_range, seed, sort_range=True)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = (batch_size(images_of(data)), 1, 1, 1)
        seed = self._seed(seed)
        # Keras 3 scales only the upper end of each range by 255.
        additions = random.uniform(
            shape, self.addition_factor[0], self.addition_factor[1] * 255, dtype=self.compute_dtype, seed=seed
        )
        thresholds = random.uniform(
            shape, self.threshold_factor[0], self.threshold_factor[1] * 255, dtype=self.compute_dtype, seed=seed
        )
        return {"additions": additions, "thresholds": thresholds}

    def transform_images(self, images, transformation, training=True):
        input_dtype = ops.dtype(images)
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        results = _color_math.solarize(
            images, transformation["additions"], transformation["thresholds"], self.value_range, self.compute_dtype
        )
        return _color_math.back_to_input_dtype(results, input_dtype if "int" in input_dtype else ops.dtype(images))


@_registry.builtin
class RandomSharpness(ColorAugmentation):
    """Randomly sharpens or blurs images while training: each image is blended with a 3x3 smoothed copy,
    `x + (1 - 2u) * (smooth(x) - x)` with `u` uniform in `[factor[0], factor[1]]` (0.5 leaves it, 1 doubles the
    detail, 0 is the smoothed image), then clipped to `value_range`.

    Args:
        factor: a number `f` in [0, 1] (the range `[0, f]`) or a pair `(lower, upper)`.
        value_range: `(low, high)` of the pixel values.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> dot = np.zeros((1, 3, 3, 1), "float32")
        >>> dot[0, 1, 1, 0] = 130.0
        >>> layer = kerasx.layers.RandomSharpness(factor=(0.0, 0.0))  # the smoothed image
        >>> print(kerasx.ops.convert_to_numpy(layer(dot))[0, :, :, 0])
        [[10. 10. 10.]
         [10. 50. 10.]
         [10. 10. 10.]]
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._init_random(value_range, seed, sort_range=True)

    def get_random_transformation(self, data, training=True, seed=None):
        count = batch_size(images_of(data))
        return {"factor": random.uniform((count,), self.factor[0], self.factor[1], seed=self._seed(seed))}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training:
            return images
        return _color_math.sharpen(
            images, transformation["factor"], self.value_range, self.data_format, self.compute_dtype
        )


def _kernel_size(cls_name: str, value) -> tuple:
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v % 2 == 1 for v in pair):
        raise ValueError(BAD_KERNEL_SIZE.format(cls=cls_name, value=value))
    return pair


@_registry.builtin
class RandomGaussianBlur(ColorAugmentation):
    """Blurs images with a Gaussian kernel while training, each with a probability drawn from `factor`; the kernel's
    two standard deviations are drawn from `sigma` once per batch.

    Args:
        factor: the probability of blurring an image: a number `p` in [0, 1] (drawn from `[0, p]`) or a pair.
        kernel_size: an odd number, or a pair of odd numbers `(width, height)`.
        sigma: a number `s` in [0, 1] (standard deviations drawn from `[0, s]`) or a pair.
        value_range: `(low, high)` of the pixel values.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        seed: int seed of the layer's random draws.
        **kwargs: base layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.zeros((2, 5, 5, 3), "float32")
        >>> layer = kerasx.layers.RandomGaussianBlur(kernel_size=3, seed=0)
        >>> tuple(layer(images).shape)
        (2, 5, 5, 3)
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _CONFIG_KEYS = ("factor", "kernel_size", "sigma", "value_range", "seed")

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None,
                 seed: int | None = None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.kernel_size = _kernel_size(type(self).__name__, kernel_size)
        self.sigma = unit_range(type(self).__name__, "sigma", sigma)
        self._init_random(value_range, seed, sort_range=False)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = self._seed(seed)
        should_blur = coin_flips(batch_size(images_of(data)), self.factor, seed)
        sigma = random.uniform((2,), self.sigma[0], self.sigma[1], dtype=self.compute_dtype, seed=seed) + 1e-6
        return {"should_apply_blur": should_blur, "blur_factor": sigma}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        sigma = transformation["blur_factor"]
        blurred = ops.image.gaussian_blur(
            images, self.kernel_size, (sigma[0], sigma[1]), data_format=_color_math.image_format(self.data_format)
        )
        images = ops.where(transformation["should_apply_blur"][:, None, None, None], blurred, images)
        return ops.cast(ops.clip(images, self.value_range[0], self.value_range[1]), self.compute_dtype)
