"""Geometric warps of images: affine/projective transforms, four-point perspective transforms and elastic
distortion. Each computes, for every output pixel, the input position it reads, and samples there with
`sample_2d` (jax.scipy.ndimage's rules, on every engine)."""

from __future__ import annotations

import random as python_random

import numpy as np

from kerasx.backend import _dtypes, _threefry, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._image_common import (
    check_choice,
    check_image_rank,
    data_format_of,
    from_working_layout,
    to_working_layout,
)
from kerasx.ops._image_filters import blur
from kerasx.ops._image_sample import FILL_MODES, sample_2d
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import DataFormat, Tensor, TensorLike

_np = active.numpy
_cast = active.core.cast

INTERPOLATIONS = {"nearest": 0, "bilinear": 1}
BAD_TRANSFORM_RANK = (
    "Invalid transform rank: expected rank 1 (single transform) or rank 2 (batch of transforms). Received input "
    "with shape: transform.shape={shape}"
)
BAD_POINTS = (
    "Invalid {name} shape: expected (4,2) for a single image or (N,4,2) for a batch. Received shape: {shape}"
)
POINTS_DIFFER = (
    "start_points and end_points must have the same shape. Received start_points.shape={start}, "
    "end_points.shape={end}"
)


def _pixel_grid(batch, height, width, dtype):
    """Row and column index of every output pixel, (batch, height, width) each."""
    rows, columns = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    return (tensor(np.broadcast_to(rows, (batch, height, width)), dtype),
            tensor(np.broadcast_to(columns, (batch, height, width)), dtype))


def _float_working(images, data_format):
    images = tensor(images)
    dtype = dtype_of(images)
    compute = dtype if _dtypes.is_float(dtype) else "float32"
    x, unbatched = to_working_layout(_cast(images, compute), data_format)
    return x, unbatched, dtype, compute


def _finish(warped, data_format, unbatched, dtype):
    warped = from_working_layout(warped, data_format, unbatched)
    if not _dtypes.is_float(dtype):
        warped = _np.round(warped)
    return _cast(warped, dtype)


def _affine_spec(images, transform, interpolation="bilinear", fill_mode="constant", fill_value: float = 0,
                 data_format=None) -> KerasTensor:
    check_choice("interpolation", interpolation, tuple(INTERPOLATIONS))
    check_choice("fill_mode", fill_mode, FILL_MODES)
    check_image_rank(shape_of(images))
    if len(shape_of(transform)) not in (1, 2):
        raise ValueError(BAD_TRANSFORM_RANK.format(shape=tuple(shape_of(transform))))
    return KerasTensor(tuple(shape_of(images)), dtype_of(images))


@op(_affine_spec)
def affine_transform(images: TensorLike, transform: TensorLike, interpolation: str = "bilinear",
                     fill_mode: str = "constant", fill_value: float = 0, data_format: DataFormat = None) -> Tensor:
    """Images warped by projective transforms `[a0, a1, a2, b0, b1, b2, c0, c1]`.

    Output pixel `(x, y)` reads the input at `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with
    `k = c0 x + c1 y + 1` (the transform maps output points to input points, as in Keras 3 and TensorFlow).
    Keras 3's jax, torch and numpy backends leave out `k`; they agree with this for affine transforms
    (`c0 = c1 = 0`).

    Args:
        images: a 3-D image or a 4-D batch.
        transform: 8 numbers, or one row of 8 per image of the batch.
        interpolation: "nearest" or "bilinear".
        fill_mode: how positions outside the image read: "constant", "nearest", "wrap", "mirror" or "reflect"
            (see `map_coordinates`).
        fill_value: the value read outside the image with "constant".
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        The warped images, in the input's dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.arange(9.0, dtype="float32").reshape(3, 3, 1)
        >>> shift_left = np.array([1, 0, 1, 0, 1, 0, 0, 0], "float32")
        >>> ops.convert_to_numpy(ops.image.affine_transform(x, shift_left))[:, :, 0]
        array([[1., 2., 0.],
               [4., 5., 0.],
               [7., 8., 0.]], dtype=float32)
    """
    _affine_spec(images, transform, interpolation, fill_mode, fill_value, data_format)
    data_format = data_format_of(data_format)
    x, unbatched, dtype, compute = _float_working(images, data_format)
    batch, height, width, _ = shape_of(x)
    transform = _cast(tensor(transform), compute)
    if len(shape_of(transform)) == 1:
        transform = _np.expand_dims(transform, 0)
    rows, columns = _pixel_grid(batch, height, width, compute)

    def coefficient(i):
        return _np.reshape(transform[:, i], (-1, 1, 1))

    k = coefficient(6) * columns + coefficient(7) * rows + 1.0
    source_columns = (coefficient(0) * columns + coefficient(1) * rows + coefficient(2)) / k
    source_rows = (coefficient(3) * columns + coefficient(4) * rows + coefficient(5)) / k
    warped = sample_2d(x, source_rows, source_columns, INTERPOLATIONS[interpolation], fill_mode, fill_value)
    return _finish(warped, data_format, unbatched, dtype)


def _perspective_spec(images, start_points, end_points, interpolation="bilinear", fill_value: float = 0,
                      data_format=None) -> KerasTensor:
    check_choice("interpolation", interpolation, tuple(INTERPOLATIONS))
    check_image_rank(shape_of(images))
    for name, points in (("start_points", start_points), ("end_points", end_points)):
        shape = tuple(shape_of(points))
        if shape[-2:] != (4, 2) or len(shape) not in (2, 3):
            raise ValueError(BAD_POINTS.format(name=name, shape=shape))
    if tuple(shape_of(start_points)) != tuple(shape_of(end_points)):
        raise ValueError(POINTS_DIFFER.format(start=tuple(shape_of(start_points)), end=tuple(shape_of(end_points))))
    return KerasTensor(tuple(shape_of(images)), dtype_of(images))


def homography_coefficients(start, end):
    """The 8 projective coefficients (see `affine_transform`) mapping each `end` corner onto its `start` corner:
    `(batch, 8)` from float32 `(batch, 4, 2)` corners. `perspective_transform` samples with them; swapping the
    arguments gives the map that moves input points (bounding boxes) to where the image shows them."""
    start_x, start_y, end_x, end_y = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zeros, ones = end_x * 0.0, end_x * 0.0 + 1.0
    x_rows = _np.stack([end_x, end_y, ones, zeros, zeros, zeros, -start_x * end_x, -start_x * end_y], 2)
    y_rows = _np.stack([zeros, zeros, zeros, end_x, end_y, ones, -start_y * end_x, -start_y * end_y], 2)
    system = _np.concatenate([x_rows, y_rows], 1)
    target = _np.expand_dims(_np.concatenate([start_x, start_y], 1), 2)
    return _np.squeeze(active.linalg.solve(system, target), 2)


@op(_perspective_spec)
def perspective_transform(images: TensorLike, start_points: TensorLike, end_points: TensorLike,
                          interpolation: str = "bilinear", fill_value: float = 0,
                          data_format: DataFormat = None) -> Tensor:
    """Images warped so that the four `start_points` land on the four `end_points`.

    Args:
        images: a 3-D image or a 4-D batch.
        start_points: `(4, 2)` or `(batch, 4, 2)` corner positions `(x, y)` in the input.
        end_points: where those corners go in the output, the same shape.
        interpolation: "nearest" or "bilinear".
        fill_value: the value of output pixels that come from outside the input.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        The warped images, in the input's dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.arange(9.0, dtype="float32").reshape(3, 3, 1)
        >>> corners = np.array([[0, 0], [2, 0], [0, 2], [2, 2]], "float32")
        >>> ops.convert_to_numpy(ops.image.perspective_transform(x, corners, corners))[:, :, 0]
        array([[0., 1., 2.],
               [3., 4., 5.],
               [6., 7., 8.]], dtype=float32)
    """
    _perspective_spec(images, start_points, end_points, interpolation, fill_value, data_format)
    data_format = data_format_of(data_format)
    x, unbatched, dtype, compute = _float_working(images, data_format)
    batch, height, width, _ = shape_of(x)
    start, end = tensor(start_points, "float32"), tensor(end_points, "float32")
    if len(shape_of(start)) == 2:
        start, end = _np.expand_dims(start, 0), _np.expand_dims(end, 0)
    coefficients = _cast(homography_coefficients(start, end), compute)
    rows, columns = _pixel_grid(batch, height, width, compute)

    def coefficient(i):
        return _np.reshape(coefficients[:, i], (-1, 1, 1))

    denominator = coefficient(6) * columns + coefficient(7) * rows + 1.0
    source_columns = (coefficient(0) * columns + coefficient(1) * rows + coefficient(2)) / denominator
    source_rows = (coefficient(3) * columns + coefficient(4) * rows + coefficient(5)) / denominator
    warped = sample_2d(x, source_rows, source_columns, INTERPOLATIONS[interpolation], "constant", fill_value)
    return _finish(warped, data_format, unbatched, dtype)


def _elastic_spec(images, alpha=20.0, sigma=5.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                  seed=None, data_format=None) -> KerasTensor:
    check_choice("interpolation", interpolation, tuple(INTERPOLATIONS))
    check_choice("fill_mode", fill_mode, FILL_MODES)
    check_image_rank(shape_of(images))
    return KerasTensor(tuple(shape_of(images)), dtype_of(images))


def _key(seed):
    """A uint32 (2,) key from an int seed, a seed generator (anything with `next()`), a key tensor or None."""
    if seed is None:
        seed = python_random.randint(1, int(1e9))
    if isinstance(seed, (int, np.integer)):
        return tensor(np.array(_threefry.seed_to_key(int(seed)), np.uint32), "uint32")
    if hasattr(seed, "next"):
        return seed.next()
    return tensor(seed, "uint32")


def _standard_normal(shape, key, dtype):
    """Box-Muller normals from the engine-independent random bits (the same numbers on every engine)."""
    half = (int(np.prod(shape)) + 1) // 2
    bits = active.random.uniform_bits((2, half), key, 24)
    uniform = (_cast(bits, "float32") + 0.5) / float(2**24)
    radius = _np.sqrt(-2.0 * _np.log(uniform[0]))
    angle = 2.0 * np.pi * uniform[1]
    normals = _np.concatenate([radius * _np.cos(angle), radius * _np.sin(angle)], 0)
    return _cast(_np.reshape(normals[: int(np.prod(shape))], shape), dtype)


def elastic_displacements(batch: int, height: int, width: int, alpha: float, sigma: float, seed, dtype: str):
    """The displacement field of `elastic_transform`: `(row_shifts, column_shifts)`, each `(batch, height, width)`
    in `dtype`: output pixel `(r, c)` reads the input at `(r + row_shifts, c + column_shifts)`. A seed (an int or a
    key tensor) gives the field that `elastic_transform` uses with it, so boxes can follow the pixels."""
    size = int(6 * float(sigma)) | 1
    noise = _standard_normal((2 * batch, height, width, 1), _key(seed), dtype) * float(sigma)
    fields = _np.reshape(blur(noise, (size, size), (float(sigma), float(sigma)), dtype), (2, batch, height, width))
    return float(alpha) * fields[0], float(alpha) * fields[1]


@op(_elastic_spec)
def elastic_transform(images: TensorLike, alpha: float = 20.0, sigma: float = 5.0, interpolation: str = "bilinear",
                      fill_mode: str = "reflect", fill_value: float = 0.0, seed: int | None = None,
                      data_format: DataFormat = None) -> Tensor:
    """Images distorted by a smooth random displacement field (elastic deformation).

    Each pixel reads the input `alpha` times a displacement away, where the displacements are Gaussian noise of
    standard deviation `sigma`, blurred by a Gaussian of the same `sigma` (kernel side `int(6 sigma) | 1`).
    Keras 3 draws one field for both axes (it reuses the seed); kerasx draws one per axis. The noise comes from
    kerasx's counter-based generator, so a seed gives the same field on every engine, not Keras's numbers.

    Args:
        images: a 3-D image or a 4-D batch.
        alpha: the displacement scale, in pixels.
        sigma: the smoothness of the field.
        interpolation: "nearest" or "bilinear".
        fill_mode: how positions outside the image read (see `map_coordinates`).
        fill_value: the value read outside the image with "constant".
        seed: an int, a `kerasx.random.SeedGenerator`, or None for a fresh random seed.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        The distorted images, in the input's dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.random.default_rng(0).random((8, 8, 1)).astype("float32")
        >>> bool(np.allclose(ops.convert_to_numpy(ops.image.elastic_transform(x, alpha=0.0, seed=1)), x))
        True
    """
    _elastic_spec(images, alpha, sigma, interpolation, fill_mode, fill_value, seed, data_format)
    data_format = data_format_of(data_format)
    x, unbatched, dtype, compute = _float_working(images, data_format)
    batch, height, width, _ = shape_of(x)
    row_shifts, column_shifts = elastic_displacements(batch, height, width, alpha, sigma, seed, compute)
    rows, columns = _pixel_grid(batch, height, width, compute)
    source_rows, source_columns = rows + row_shifts, columns + column_shifts
    warped = sample_2d(x, source_rows, source_columns, INTERPOLATIONS[interpolation], fill_mode, fill_value)
    return _finish(warped, data_format, unbatched, dtype)


__all__ = ["affine_transform", "elastic_transform", "perspective_transform"]
