"""`RandomColorJitter`: random brightness, contrast, saturation and hue, one after the other."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers._preprocessing._image_base import ImagesOnlyLayer
from kerasx.layers._preprocessing._random_color import (
    RandomBrightness,
    RandomContrast,
    RandomHue,
    RandomSaturation,
)
from kerasx.serialization import _registry

# The order Keras 3 applies them in, with the argument each one's factor comes from.
_STAGES = (
    ("brightness_factor", "random_brightness", RandomBrightness),
    ("contrast_factor", "random_contrast", RandomContrast),
    ("saturation_factor", "random_saturation", RandomSaturation),
    ("hue_factor", "random_hue", RandomHue),
)


@_registry.builtin
class RandomColorJitter(ImagesOnlyLayer):
    """Randomly changes brightness, contrast, saturation and hue while training, in that order; a stage whose factor
    is None is skipped. Each stage reads its factor as `RandomBrightness`, `RandomContrast`, `RandomSaturation` and
    `RandomHue` do, and all draws come from this layer's seed.

    Args:
        value_range: `(low, high)` of the pixel values.
        brightness_factor, contrast_factor, saturation_factor, hue_factor: the factors of the stages (None skips).
        seed: int seed of the layer's random draws.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base layer arguments.

    Call arguments:
        data: RGB images `(batch, height, width, 3)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.RandomColorJitter(brightness_factor=(0.5, 0.5), value_range=(0, 1))
        >>> print(kerasx.ops.convert_to_numpy(layer(np.full((1, 1, 1, 3), 0.25, "float32"))).ravel())
        [0.75 0.75 0.75]
    """

    _USE_BASE_FACTOR = False
    _CONFIG_KEYS = (
        "value_range", "brightness_factor", "contrast_factor", "saturation_factor", "hue_factor", "seed"
    )

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None, saturation_factor=None,
                 hue_factor=None, seed: int | None = None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        self._set_seed(seed)
        self._stages = []
        for argument, attribute, layer_class in _STAGES:
            factor = getattr(self, argument)
            stage = None
            if factor is not None:
                stage = layer_class(factor=factor, value_range=value_range, seed=seed, data_format=self.data_format)
                self._stages.append(stage)
            setattr(self, attribute, stage)

    def build(self, input_shape):
        for stage in self._stages:
            stage.build(input_shape)
        self.built = True

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = self._seed(seed)
        return [stage.get_random_transformation(data, training=True, seed=seed) for stage in self._stages]

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        images = ops.cast(images, self.compute_dtype)
        for stage, stage_transformation in zip(self._stages, transformation):
            if isinstance(stage, RandomContrast):
                factor = ops.cast(stage_transformation["contrast_factor"], self.compute_dtype)
                stage_transformation = {"contrast_factor": factor}
            images = stage.transform_images(images, stage_transformation)
        return ops.cast(images, self.compute_dtype)
