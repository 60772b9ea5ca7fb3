"""`RandomPerspective` and `RandomElasticTransform`: non-affine random warps of images (and of their masks and
bounding boxes) while training."""

from __future__ import annotations

import numpy as np

from kerasx import ops, random
from kerasx.layers._preprocessing._bounding_boxes import clip_to_image_size, convert_format
from kerasx.layers._preprocessing._image_affine import check_modes
from kerasx.layers._preprocessing._image_base import BaseImagePreprocessingLayer, check_value_range
from kerasx.ops._image_warp import elastic_displacements, homography_coefficients
from kerasx.serialization import _registry

BAD_SCALE = "RandomPerspective: `scale` must be a number in [0, 1]. Received: scale={scale!r}."


def _corner_extent(x1, y1, x2, y2, coefficients):
    """The "xyxy" box around the four corners of `(batch, num_boxes)` boxes moved by projective `coefficients`
    `(batch, 8)` (see `ops.image.affine_transform`): straight edges stay straight, so the corners bound the box."""
    c = [ops.expand_dims(coefficients[:, i], -1) for i in range(8)]
    xs, ys = [], []
    for x, y in ((x1, y1), (x2, y1), (x1, y2), (x2, y2)):
        k = c[6] * x + c[7] * y + 1.0
        xs.append((c[0] * x + c[1] * y + c[2]) / k)
        ys.append((c[3] * x + c[4] * y + c[5]) / k)
    xs, ys = ops.stack(xs, axis=-1), ops.stack(ys, axis=-1)
    return ops.stack([ops.min(xs, -1), ops.min(ys, -1), ops.max(xs, -1), ops.max(ys, -1)], axis=-1)


def _source_extent(boxes, row_shifts, column_shifts, height: int, width: int):
    """The "xyxy" extent of the output pixels that show a point of each box, for `(batch, num_boxes, 4)` boxes and
    the `(batch, height, width)` displacements of an elastic warp; `[0, 0, 0, 0]` for a box that no pixel shows.

    Output pixel `(r, c)` covers `[c, c + 1] x [r, r + 1]` in box coordinates, and its centre shows the input at
    its centre's source point `(c + 0.5 + column_shifts, r + 0.5 + row_shifts)` (the image warp samples pixel
    centres), so a zero field leaves integer boxes as they are. Works on `batch x num_boxes x height x width`
    booleans."""
    dtype = ops.dtype(boxes)
    columns, rows = ops.arange(width, dtype=dtype), ops.arange(height, dtype=dtype)
    source_x = ops.expand_dims(ops.cast(column_shifts, dtype) + columns + 0.5, 1)  # (batch, 1, height, width)
    source_y = ops.expand_dims(ops.cast(row_shifts, dtype) + ops.expand_dims(rows, -1) + 0.5, 1)
    x1, y1, x2, y2 = (ops.expand_dims(boxes[..., i : i + 1], -1) for i in range(4))  # (batch, num_boxes, 1, 1)
    inside = ops.logical_and(
        ops.logical_and(source_x >= x1, source_x <= x2), ops.logical_and(source_y >= y1, source_y <= y2)
    )
    in_column, in_row = ops.any(inside, axis=2), ops.any(inside, axis=3)  # (batch, num_boxes, width / height)
    extent = ops.stack(
        [
            ops.min(ops.where(in_column, columns, float(width)), axis=-1),
            ops.min(ops.where(in_row, rows, float(height)), axis=-1),
            ops.max(ops.where(in_column, columns + 1.0, 0.0), axis=-1),
            ops.max(ops.where(in_row, rows + 1.0, 0.0), axis=-1),
        ],
        axis=-1,
    )
    shown = ops.expand_dims(ops.any(in_column, axis=-1), -1)
    return ops.where(shown, extent, ops.zeros_like(extent))


class _Warp(BaseImagePreprocessingLayer):
    """Shared by the warps: a probability range `factor` in [0, 1], the seed generator, labels passing through, and
    boxes read as "xyxy", moved by the subclass's `_move_xyxy(boxes, transformation, height, width)` in the images
    that the transformation's `_APPLIED` entry selects, and clipped to the image."""

    _FACTOR_BOUNDS = (0, 1)
    _HOST_IN_TF_GRAPH = "unknown_batch"  # draws corners or fields per image: a graph needs the batch size
    _APPLIED: str

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
        if not training or transformation is None:
            return bounding_boxes
        box_format = self._box_format()
        shape = transformation["input_shape"]
        height, width = (shape[-3], shape[-2]) if self.data_format == "channels_last" else (shape[-2], shape[-1])
        boxes = convert_format(bounding_boxes["boxes"], box_format, "xyxy", height=height, width=width)
        applied = ops.reshape(transformation[self._APPLIED], (-1, 1, 1))
        moved = ops.where(applied, self._move_xyxy(boxes, transformation, height, width), boxes)
        result = clip_to_image_size({**bounding_boxes, "boxes": moved}, height=height, width=width)
        result["boxes"] = convert_format(result["boxes"], "xyxy", box_format, height=height, width=width)
        return result

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


@_registry.builtin
class RandomPerspective(_Warp):
    """Moves the four corners of each image by random amounts (a projective warp) while training.

    Each corner moves by up to `scale / 2` times its own coordinates; each image is warped with a probability drawn
    from `factor`. Bounding boxes become the boxes around their four moved corners, clipped to the image (boxes left
    without area get label -1), as in Keras 3; unlike Keras 3.15, they come back in the layer's
    `bounding_box_format` (Keras returns them as "xyxy" whatever the format).

    Args:
        factor: the probability of warping an image: a number `f` in [0, 1] (drawn from `[0, f]`) or a pair.
        scale: the strength of the corner moves, in [0, 1].
        interpolation: "bilinear" or "nearest".
        fill_value: the value of pixels that come from outside the image.
        seed: int seed of the layer's SeedGenerator (None: a random one).
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base Layer arguments (and `bounding_box_format`, needed for box inputs).

    Call arguments:
        data: images or a dict of images, labels, bounding boxes and segmentation masks (see
            `BaseImagePreprocessingLayer`).
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

    _APPLIED = "apply_perspective"

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
        return {
            "apply_perspective": applied,
            "start_points": start_points,
            "end_points": end_points,
            "input_shape": tuple(ops.shape(images)),
        }

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

    def _move_xyxy(self, boxes, transformation, height, width):
        # The image samples each output point at the input point that the end-to-start homography gives; boxes
        # travel the other way, through the start-to-end one.
        start, end = (ops.cast(transformation[key], "float32") for key in ("start_points", "end_points"))
        coefficients = ops.cast(homography_coefficients(end, start), ops.dtype(boxes))
        return _corner_extent(boxes[..., 0], boxes[..., 1], boxes[..., 2], boxes[..., 3], coefficients)

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
    eagerly (direct calls, eager training steps), not inside a traced function. Images, masks and boxes of one call
    move along the same field.

    Bounding boxes (Keras 3 has none for this layer) follow the pixels: a box becomes the extent of the output
    pixels whose centre shows a point of the box (the centre's source point, as the image warp samples it, lies
    inside the box), clipped to the image. A box that no pixel shows collapses to `[0, 0, 0, 0]` with label -1, as
    boxes that leave the image do in the other layers. This compares `batch x num_boxes x height x width` points.

    Args:
        factor: the probability of distorting an image: a number `f` in [0, 1] (drawn from `[0, f]`) or a pair.
        scale: the strength range: a number or a pair in [0, 1].
        interpolation: "bilinear" or "nearest".
        fill_mode: how points outside the image are filled: "reflect", "wrap", "constant" or "nearest".
        fill_value: the value of "constant" fill.
        value_range: `(low, high)` of the pixel values; outputs are clipped to it.
        seed: int seed of the layer's SeedGenerator (None: a random one).
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base Layer arguments (and `bounding_box_format`, needed for box inputs).

    Call arguments:
        data: images or a dict of images, labels, bounding boxes and segmentation masks (see
            `BaseImagePreprocessingLayer`).
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

    _APPLIED = "apply_transform"
    _HOST_IN_TF_GRAPH = "always"  # sizes its smoothing kernel from a drawn value

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
        # One key for the call: images, masks and boxes are displaced along the same field.
        key = seed.next() if isinstance(seed, random.SeedGenerator) else seed
        return {
            "apply_transform": applied,
            "distortion_factor": strength,
            "seed": key,
            "input_shape": tuple(ops.shape(images)),
        }

    @staticmethod
    def _field_size(transformation, height: int, width: int) -> tuple:
        """`(alpha, sigma)` of the field for images of `height x width`, from the drawn strength."""
        strength = float(ops.convert_to_numpy(transformation["distortion_factor"]))
        return max(height, width) * 0.1 * strength, min(height, width) * 0.05 * strength

    def _transform_images(self, images, transformation, interpolation):
        if transformation is None:
            return images
        alpha, sigma = self._field_size(transformation, *self._images_size(images))
        warped = ops.image.elastic_transform(
            images,
            alpha=alpha,
            sigma=sigma,
            interpolation=interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            seed=transformation["seed"],
            data_format=self.data_format,
        )
        images = ops.where(transformation["apply_transform"][:, None, None, None], warped, images)
        return ops.cast(ops.clip(images, self.value_range[0], self.value_range[1]), self.compute_dtype)

    def _displacements(self, transformation, height: int, width: int) -> tuple:
        """The field that `transformation` displaces `height x width` images along, as `ops.image.elastic_transform`
        draws it: `(row_shifts, column_shifts)`, each `(batch, height, width)` in the compute dtype."""
        alpha, sigma = self._field_size(transformation, height, width)
        batch = transformation["input_shape"][0]
        return elastic_displacements(batch, height, width, alpha, sigma, transformation["seed"], self.compute_dtype)

    def _move_xyxy(self, boxes, transformation, height, width):
        row_shifts, column_shifts = self._displacements(transformation, height, width)
        return _source_extent(boxes, row_shifts, column_shifts, height, width)

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
