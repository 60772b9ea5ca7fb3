"""`RandomPerspective` and `RandomElasticTransform`: non-affine random warps of images while training."""

from __future__ import annotations

import numpy as np

from kerasx import ops, random
from kerasx.layers._preprocessing._image_affine import check_modes
from kerasx.layers._preprocessing._image_base import BaseImagePreprocessingLayer, check_value_range
from kerasx.serialization import _registry

BAD_SCALE = "RandomPerspective: `scale` must be a number in [0, 1]. Received: scale={scale!r}."
NO_BOXES = (
    "Layer '{name}' ({cls}) does not move bounding boxes yet. Apply it to images (and masks) only, or use an affine "
    "augmentation (RandomRotation, RandomZoom, ...) for box data."
)


class _Warp(BaseImagePreprocessingLayer):
    """Shared by the warps: a probability range `factor` in [0, 1], the seed generator, labels passing through."""

    _FACTOR_BOUNDS = (0, 1)

    def _init_random(self, seed) -> None:
        self.seed = seed
        # The generator's state is a variable of the layer, so a compiled training step carries it forward.
        self.generator = random.SeedGenerator(seed)

    def _applied(self, batch, seed):
        """Per image, whether to warp it: a threshold below a probability drawn from `factor`."""
        probability = random.uniform((batch,), self.factor[0], self.factor[1], seed=seed)
        return random.uniform((batch,), seed=seed) < probability

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        raise NotImplementedError(NO_BOXES.format(name=self.name, cls=type(self).__name__))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


@_registry.builtin
class RandomPerspective(_Warp):
    """Moves the four corners of each image by random amounts (a projective warp) while training.

    Each corner moves by up to `scale / 2` times its own coordinates; each image is warped with a probability drawn
    from `factor`.

    Args:
        factor: the probability of warping an image: a number `f` in [0, 1] (drawn from `[0, f]`) or a pair.
        scale: the strength of the corner moves, in [0, 1].
        interpolation: "bilinear" or "nearest".
        fill_value: the value of pixels that come from outside the image.
        seed: int seed of the layer's SeedGenerator (None: a random one).
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base Layer arguments.

    Call arguments:
        data: images or a dict of images, labels and segmentation masks (see `BaseImagePreprocessingLayer`).
        training: warp only when True (the default when called directly).

    Output shape: the input's, in the compute dtype.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.ones((2, 6, 6, 1), "float32")
        >>> out = kerasx.ops.convert_to_numpy(kerasx.layers.RandomPerspective(scale=0.5, seed=1)(images))
        >>> out.shape, bool(out.min() >= 0.0 and out.max() <= 1.0)
        ((2, 6, 6, 1), True)
    """

    def __init__(
        self,
        factor=1.0,
        scale: float = 1.0,
        interpolation: str = "bilinear",
        fill_value: float = 0.0,
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs,
    ):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 <= scale <= 1:
            raise ValueError(BAD_SCALE.format(scale=scale))
        check_modes(type(self).__name__, None, interpolation)
        self.scale = scale
        self.interpolation = interpolation
        self.fill_value = fill_value
        self._init_random(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = data["images"] if isinstance(data, dict) else data
        batch = ops.shape(images)[0]
        height, width = self._images_size(images)
        seed = self._get_seed_generator() if seed is None else seed
        applied = self._applied(batch, seed)
        moves = random.uniform((batch, 4, 2), -0.5 * self.scale, 0.5 * self.scale, seed=seed)
        corners = np.array([[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]], "float32")
        start_points = ops.broadcast_to(ops.convert_to_tensor(corners), (batch, 4, 2))
        end_points = start_points + start_points * moves
        return {"apply_perspective": applied, "start_points": start_points, "end_points": end_points}

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        warped = ops.image.perspective_transform(
            images,
            transformation["start_points"],
            transformation["end_points"],
            interpolation=interpolation,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )
        return ops.where(transformation["apply_perspective"][:, None, None, None], warped, images)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "scale": self.scale,
                "interpolation": self.interpolation,
                "fill_value": self.fill_value,
                "seed": self.seed,
            }
        )
        return config


@_registry.builtin
class RandomElasticTransform(_Warp):
    """Displaces the pixels of each image along a smooth random field while training (an elastic distortion).

    The field is Gaussian noise blurred by a Gaussian: `ops.image.elastic_transform` with `alpha = 0.1 * s *
    max(height, width)` and `sigma = 0.05 * s * min(height, width)`, where the strength `s` is drawn from `scale`
    once per call. Outputs are clipped to `value_range`. kerasx draws its own noise (the same on every engine for a
    seed), not Keras 3's. The blur's kernel size depends on `s`, so the strength is read on the host: the layer runs
    eagerly (direct calls, eager training steps), not inside a traced function.

    Args:
        factor: the probability of distorting an image: a number `f` in [0, 1] (drawn from `[0, f]`) or a pair.
        scale: the strength range: a number or a pair in [0, 1].
        interpolation: "bilinear" or "nearest".
        fill_mode: how points outside the image are filled: "reflect", "wrap", "constant" or "nearest".
        fill_value: the value of "constant" fill.
        value_range: `(low, high)` of the pixel values; outputs are clipped to it.
        seed: int seed of the layer's SeedGenerator (None: a random one).
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base Layer arguments.

    Call arguments:
        data: images or a dict of images, labels and segmentation masks (see `BaseImagePreprocessingLayer`).
        training: distort only when True (the default when called directly).

    Output shape: the input's, in the compute dtype.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.full((2, 8, 8, 1), 100.0, "float32")
        >>> out = kerasx.ops.convert_to_numpy(kerasx.layers.RandomElasticTransform(seed=1)(images))
        >>> out.shape, round(float(out.max()), 3)
        ((2, 8, 8, 1), 100.0)
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        value_range=(0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs,
    ):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        check_modes(type(self).__name__, fill_mode, interpolation)
        # `scale` is parsed as `factor` is, with the same bounds.
        factor_pair = self.factor
        self._set_factor(scale)
        self.scale, self.factor = self.factor, factor_pair
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = check_value_range(type(self).__name__, value_range)
        self._init_random(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        images = data["images"] if isinstance(data, dict) else data
        seed = self._get_seed_generator() if seed is None else seed
        applied = self._applied(ops.shape(images)[0], seed)
        strength = random.uniform((), self.scale[0], self.scale[1], seed=seed)
        return {"apply_transform": applied, "distortion_factor": strength, "seed": seed}

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        height, width = self._images_size(images)
        strength = float(ops.convert_to_numpy(transformation["distortion_factor"]))
        warped = ops.image.elastic_transform(
            images,
            alpha=max(height, width) * 0.1 * strength,
            sigma=min(height, width) * 0.05 * strength,
            interpolation=interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            seed=transformation["seed"],
            data_format=self.data_format,
        )
        images = ops.where(transformation["apply_transform"][:, None, None, None], warped, images)
        return ops.cast(ops.clip(images, self.value_range[0], self.value_range[1]), self.compute_dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "factor": self.factor,
                "scale": self.scale,
                "interpolation": self.interpolation,
                "fill_mode": self.fill_mode,
                "fill_value": self.fill_value,
                "value_range": self.value_range,
                "seed": self.seed,
            }
        )
        return config
