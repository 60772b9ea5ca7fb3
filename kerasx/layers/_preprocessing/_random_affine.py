"""`RandomRotation`, `RandomZoom`, `RandomTranslation`, `RandomShear`: one random affine map per image, drawn from
the layer's SeedGenerator (the same draws on every engine), applied while training; the identity at inference."""

from __future__ import annotations

from kerasx import ops, random
from kerasx.layers._preprocessing._image_affine import AffineAugmentation, factor_range
from kerasx.layers._preprocessing._image_base import affine_matrix
from kerasx.serialization import _registry


def _stacked(*columns):
    """`(batch, 8)` matrix rows from eight `(batch,)` columns."""
    return ops.cast(ops.stack(columns, axis=1), "float32")


@_registry.builtin
class RandomRotation(AffineAugmentation):
    """Rotates each image by a random angle about its center while training.

    Args:
        factor: a fraction of a full turn: `f` draws angles in `[-f * 360, f * 360]` degrees, `(lower, upper)` in
            `[lower * 360, upper * 360]` (positive: counter-clockwise).
        fill_mode: how points outside the input are filled: "reflect" (d c b a | a b c d | d c b a), "wrap"
            (a b c d | a b c d | a b c d), "constant" (`fill_value`) or "nearest" (a a a a | a b c d | d d d d).
        interpolation: "bilinear" or "nearest".
        seed: int seed of the layer's SeedGenerator (None: a random one).
        fill_value: the value of "constant" fill.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: `bounding_box_format` and base Layer arguments.

    Call arguments:
        data: images `(batch, height, width, channels)` or `(height, width, channels)`, or a dict of images,
            labels, bounding boxes and segmentation masks (see `BaseImagePreprocessingLayer`).
        training: rotate only when True (the default when called directly).

    Output shape: the input's, in the compute dtype.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.arange(18, dtype="float32").reshape(2, 3, 3, 1)
        >>> layer = kerasx.layers.RandomRotation(0.25, fill_mode="constant", seed=1)
        >>> out = kerasx.ops.convert_to_numpy(layer(images))
        >>> out.shape, float(out[0, 1, 1, 0])
        ((2, 3, 3, 1), 4.0)
        >>> bool(np.array_equal(kerasx.ops.convert_to_numpy(layer(images, training=False)), images))
        True
    """

    _USE_BASE_FACTOR = True
    _CONFIG_KEYS = (*AffineAugmentation._CONFIG_KEYS, "factor")

    def __init__(
        self,
        factor,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, factor=factor, data_format=data_format, **kwargs)

    def _draw(self, batch, height, width, seed) -> tuple:
        lower, upper = self.factor
        angle = random.uniform((batch,), lower * 360.0, upper * 360.0, seed=seed)
        zeros, ones = ops.zeros_like(angle), ops.ones_like(angle)
        return {"angle": angle}, affine_matrix(0.5, 0.5, angle, zeros, zeros, ones, zeros, zeros, height, width)


@_registry.builtin
class RandomZoom(AffineAugmentation):
    """Zooms each image in or out by a random amount about its center while training.

    Args:
        height_factor: a number `f` or a pair, in (-1, 1]: the vertical zoom is drawn from `[1 - f, 1 + f]` (or
            `[1 + lower, 1 + upper]`); above 1 zooms out (the content shrinks), below 1 zooms in.
        width_factor: the same horizontally; None zooms both axes by the vertical amount (keeps the aspect ratio).
        fill_mode: how points outside the input are filled: "reflect" (d c b a | a b c d | d c b a), "wrap"
            (a b c d | a b c d | a b c d), "constant" (`fill_value`) or "nearest" (a a a a | a b c d | d d d d).
        interpolation: "bilinear" or "nearest".
        seed: int seed of the layer's SeedGenerator (None: a random one).
        fill_value: the value of "constant" fill.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: `bounding_box_format` and base Layer arguments.

    Call arguments:
        data: images or a dict (see `BaseImagePreprocessingLayer`).
        training: zoom only when True (the default when called directly).

    Output shape: the input's, in the compute dtype.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.ones((2, 4, 4, 3), "float32")
        >>> layer = kerasx.layers.RandomZoom((0.5, 0.5), fill_mode="constant", seed=1)
        >>> print(kerasx.ops.convert_to_numpy(layer(images))[0, :, :, 0])
        [[0.0625 0.25   0.25   0.0625]
         [0.25   1.     1.     0.25  ]
         [0.25   1.     1.     0.25  ]
         [0.0625 0.25   0.25   0.0625]]
    """

    _CONFIG_KEYS = (*AffineAugmentation._CONFIG_KEYS, "height_factor", "width_factor")

    def __init__(
        self,
        height_factor,
        width_factor=None,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format=data_format, **kwargs)
        cls = type(self).__name__
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range(cls, "height_factor", height_factor, -1, 1, True)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = factor_range(cls, "width_factor", width_factor, -1, 1, True)

    def _draw(self, batch, height, width, seed) -> tuple:
        height_zoom = random.uniform((batch,), 1.0 + self.height_lower, 1.0 + self.height_upper, seed=seed)
        width_zoom = height_zoom
        if self.width_factor is not None:
            width_zoom = random.uniform((batch,), 1.0 + self.width_lower, 1.0 + self.width_upper, seed=seed)
        zeros = ops.zeros_like(height_zoom)
        # Keeps the center fixed: output x reads input zx * x + (width - 1) / 2 * (1 - zx).
        x_offset = (ops.cast(width, "float32") - 1.0) / 2.0 * (1.0 - width_zoom)
        y_offset = (ops.cast(height, "float32") - 1.0) / 2.0 * (1.0 - height_zoom)
        matrix = _stacked(width_zoom, zeros, x_offset, zeros, height_zoom, y_offset, zeros, zeros)
        return {"height_zoom": height_zoom, "width_zoom": width_zoom}, matrix


@_registry.builtin
class RandomTranslation(AffineAugmentation):
    """Shifts each image by a random number of pixels while training.

    Args:
        height_factor: a fraction of the height, a number `f` (shifts in `[-f, f]` times the height) or a pair,
            in [-1, 1]; positive moves the content down.
        width_factor: the same for the width; positive moves the content right.
        fill_mode: how points outside the input are filled: "reflect" (d c b a | a b c d | d c b a), "wrap"
            (a b c d | a b c d | a b c d), "constant" (`fill_value`) or "nearest" (a a a a | a b c d | d d d d).
        interpolation: "bilinear" or "nearest".
        seed: int seed of the layer's SeedGenerator (None: a random one).
        fill_value: the value of "constant" fill.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: `bounding_box_format` and base Layer arguments.

    Call arguments:
        data: images or a dict (see `BaseImagePreprocessingLayer`).
        training: shift only when True (the default when called directly).

    Output shape: the input's, in the compute dtype.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.arange(4, dtype="float32").reshape(1, 1, 4, 1)
        >>> layer = kerasx.layers.RandomTranslation(0, (0.25, 0.25), fill_mode="constant", seed=1)
        >>> print(kerasx.ops.convert_to_numpy(layer(images))[0, 0, :, 0])
        [0. 0. 1. 2.]
    """

    _CONFIG_KEYS = (*AffineAugmentation._CONFIG_KEYS, "height_factor", "width_factor")

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode: str = "reflect",
        interpolation: str = "bilinear",
        seed: int | None = None,
        fill_value: float = 0.0,
        data_format: str | None = None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format=data_format, **kwargs)
        cls = type(self).__name__
        self.height_factor = height_factor
        self.height_lower, self.height_upper = factor_range(cls, "height_factor", height_factor, -1, 1)
        self.width_factor = width_factor
        self.width_lower, self.width_upper = factor_range(cls, "width_factor", width_factor, -1, 1)

    def _draw(self, batch, height, width, seed) -> tuple:
        shift_y = random.uniform((batch,), self.height_lower, self.height_upper, seed=seed)
        shift_x = random.uniform((batch,), self.width_lower, self.width_upper, seed=seed)
        shift_y, shift_x = shift_y * ops.cast(height, "float32"), shift_x * ops.cast(width, "float32")
        zeros, ones = ops.zeros_like(shift_x), ops.ones_like(shift_x)
        matrix = _stacked(ones, zeros, -shift_x, zeros, ones, -shift_y, zeros, zeros)
        return {"translations": ops.stack([shift_x, shift_y], axis=1)}, matrix


@_registry.builtin
class RandomShear(AffineAugmentation):
    """Shears each image by a random amount along x and y while training.

    Args:
        x_factor: the horizontal shear, a number `f` (drawn from `[-f, f]`) or a pair, in [0, 1]: an output pixel
            `(x, y)` reads the input at `(x + s * y, y)`; the sign is flipped at random per image.
        y_factor: the same vertically, `(x, y + s * x)`.
        interpolation: "bilinear" or "nearest".
        fill_mode: how points outside the input are filled: "reflect", "wrap", "constant" or "nearest".
        fill_value: the value of "constant" fill.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        seed: int seed of the layer's SeedGenerator (None: a random one).
        **kwargs: `bounding_box_format` and base Layer arguments.

    Call arguments:
        data: images or a dict (see `BaseImagePreprocessingLayer`).
        training: shear only when True (the default when called directly).

    Output shape: the input's, in the compute dtype.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.ones((2, 5, 5, 1), "float32")
        >>> out = kerasx.layers.RandomShear(x_factor=0.3, fill_mode="constant", seed=1)(images)
        >>> tuple(out.shape), float(kerasx.ops.convert_to_numpy(out).max())
        ((2, 5, 5, 1), 1.0)
    """

    _CONFIG_KEYS = (*AffineAugmentation._CONFIG_KEYS, "x_factor", "y_factor")

    def __init__(
        self,
        x_factor=0.0,
        y_factor=0.0,
        interpolation: str = "bilinear",
        fill_mode: str = "reflect",
        fill_value: float = 0.0,
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format=data_format, **kwargs)
        cls = type(self).__name__
        # Pairs may be negative: the configs hold `(-f, f)` (Keras 3 refuses those, so it cannot reload its own).
        self.x_factor = factor_range(cls, "x_factor", x_factor, 0, 1, pair_low=-1)
        self.y_factor = factor_range(cls, "y_factor", y_factor, 0, 1, pair_low=-1)

    def _draw(self, batch, height, width, seed) -> tuple:
        invert = ops.where(random.uniform((batch,), seed=seed) > 0.5, -1.0, 1.0)
        shear_y = random.uniform((batch,), self.y_factor[0], self.y_factor[1], seed=seed) * invert
        shear_x = random.uniform((batch,), self.x_factor[0], self.x_factor[1], seed=seed) * invert
        zeros, ones = ops.zeros_like(shear_x), ops.ones_like(shear_x)
        matrix = _stacked(ones, shear_x, zeros, shear_y, ones, zeros, zeros, zeros)
        return {"shear_factor": ops.stack([shear_x, shear_y], axis=1)}, matrix
