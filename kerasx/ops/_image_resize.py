"""Resampling images to a new size: `resize` (each engine's own primitive, as Keras 3 uses it, behind an optional
crop or pad to the target aspect ratio) and `scale_and_translate` (jax.image's separable resampling, written once)."""

from __future__ import annotations

import numpy as np

from kerasx.backend import _dtypes, active
from kerasx.ops._core_convert import saturate_cast
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._image_common import (
    check_choice,
    check_image_rank,
    data_format_of,
    from_working_layout,
    spatial_axes,
    to_working_layout,
)
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import DataFormat, Tensor, TensorLike

_np = active.numpy

BAD_SIZE = "Expected `size` to be a tuple of 2 integers. Received: size={size}"
BAD_SIZE_VALUE = "`size` must have positive height and width. Received: size={size}"
BAD_ASPECT = "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`."
BAD_FILL_MODE = "Invalid value for argument `fill_mode`. Only `'constant'` is supported. Received: fill_mode={mode!r}"
UNSUPPORTED_METHOD = (
    "Invalid value for argument `interpolation`: the {backend} backend resizes with one of {methods} (Keras 3 "
    "offers the same there). Received: interpolation={interpolation!r}"
)
BAD_SPATIAL_DIMS = (
    "`scale`, `translation` and `spatial_dims` need one entry per resized axis. Received: spatial_dims="
    "{spatial_dims}, scale.shape={scale_shape}, translation.shape={translation_shape}"
)
SCALE_AND_TRANSLATE_METHODS = (
    "linear", "bilinear", "trilinear", "cubic", "bicubic", "tricubic", "lanczos3", "lanczos5",
)


def _check_resize(images, size, crop_to_aspect_ratio, pad_to_aspect_ratio, fill_mode, interpolation):
    if len(size) != 2:
        raise ValueError(BAD_SIZE.format(size=size))
    if size[0] <= 0 or size[1] <= 0:
        raise ValueError(BAD_SIZE_VALUE.format(size=size))
    check_image_rank(shape_of(images))
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError(BAD_ASPECT)
    if fill_mode != "constant":
        raise ValueError(BAD_FILL_MODE.format(mode=fill_mode))
    methods = active.image.resize_methods()
    if interpolation not in methods:
        raise ValueError(UNSUPPORTED_METHOD.format(backend=active.NAME, methods=methods,
                                                   interpolation=interpolation))


def _resize_spec(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None) -> KerasTensor:
    _check_resize(images, size, crop_to_aspect_ratio, pad_to_aspect_ratio, fill_mode, interpolation)
    shape = list(shape_of(images))
    height_axis, width_axis = spatial_axes(len(shape), data_format_of(data_format))
    shape[height_axis], shape[width_axis] = int(size[0]), int(size[1])
    return KerasTensor(tuple(shape), dtype_of(images))


def _crop_to_aspect(x, size):
    height, width = shape_of(x)[1:3]
    crop_height = max(min(height, int(float(width * size[0]) / size[1])), 1)
    crop_width = max(min(width, int(float(height * size[1]) / size[0])), 1)
    top, left = int(float(height - crop_height) / 2), int(float(width - crop_width) / 2)
    return x[:, top:top + crop_height, left:left + crop_width, :]


def _pad_to_aspect(x, size, fill_value):
    height, width = shape_of(x)[1:3]
    padded_height = max(height, int(float(width * size[0]) / size[1]))
    padded_width = max(width, int(float(height * size[1]) / size[0]))
    # The same margin on both sides (Keras 3 does this too), so an odd difference loses one row or column.
    top, left = int(float(padded_height - height) / 2), int(float(padded_width - width) / 2)
    if not top and not left:
        return x
    fill = tensor(fill_value, dtype_of(x))
    return _np.pad(x, ((0, 0), (top, top), (left, left), (0, 0)), "constant", fill)


@op(_resize_spec)
def resize(images: TensorLike, size: tuple[int, int], interpolation: str = "bilinear", antialias: bool = False,
           crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False, fill_mode: str = "constant",
           fill_value: float = 0.0, data_format: DataFormat = None) -> Tensor:
    """Images resampled to `size` (height, width) with the selected engine's resize, as Keras 3 does.

    The engines differ where Keras 3's do: jax and numpy resample as `jax.image.resize` (Keys cubic with a=-0.5,
    antialiasing by widening the kernel), tensorflow as `tf.image.resize` (also "area"), torch as
    `torch.nn.functional.interpolate` (cubic a=-0.75, "nearest" as "nearest-exact", no lanczos).

    Args:
        images: a 3-D image or a 4-D batch.
        size: `(height, width)` of the output, both positive.
        interpolation: "bilinear", "nearest", "bicubic", "lanczos3", "lanczos5" (or "area" on tensorflow).
        antialias: filter before downsampling, so that no detail aliases.
        crop_to_aspect_ratio: crop the largest centred window of the target aspect ratio first.
        pad_to_aspect_ratio: pad the short side evenly with `fill_value` to the target aspect ratio first.
        fill_mode: how padded areas are filled; only "constant".
        fill_value: the value of padded pixels.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        The resized images, in the input's dtype (integers are rounded and saturated).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.arange(4.0, dtype="float32").reshape(1, 2, 2, 1)
        >>> ops.convert_to_numpy(ops.image.resize(x, (1, 1), interpolation="bilinear"))[0, :, :, 0]
        array([[1.5]], dtype=float32)
    """
    spec = _resize_spec(images, size, interpolation, antialias, crop_to_aspect_ratio, pad_to_aspect_ratio,
                        fill_mode, fill_value, data_format)
    data_format = data_format_of(data_format)
    images = tensor(images)
    original = dtype_of(images)
    x, unbatched = to_working_layout(images, data_format)
    if not _dtypes.is_float(original):
        x = active.core.cast(x, "float32")
    if crop_to_aspect_ratio:
        x = _crop_to_aspect(x, size)
    elif pad_to_aspect_ratio:
        x = _pad_to_aspect(x, size, fill_value)
    resized = active.image.resize(x, (int(size[0]), int(size[1])), interpolation, bool(antialias))
    resized = from_working_layout(resized, data_format, unbatched)
    if _dtypes.is_float(original):
        return resized
    return saturate_cast(_np.round(resized), spec.dtype)


def _linear_kernel(x):
    return _np.maximum(x * 0.0, 1.0 - x)


def _cubic_kernel(x):
    # Keys' cubic convolution with a = -0.5, as jax.image's "cubic".
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    zero = x * 0.0
    return _np.where(x >= 2.0, zero, _np.where(x >= 1.0, far, near))


def _lanczos_kernel(radius):
    def kernel(x):
        safe = _np.where(x > 1e-3, x, x * 0.0 + 1.0)
        y = radius * _np.sin(np.pi * safe) * _np.sin(np.pi * safe / radius) / (np.pi**2 * safe * safe)
        return _np.where(x > radius, x * 0.0, _np.where(x > 1e-3, y, x * 0.0 + 1.0))

    return kernel


_KERNELS = {
    "linear": _linear_kernel, "bilinear": _linear_kernel, "trilinear": _linear_kernel,
    "cubic": _cubic_kernel, "bicubic": _cubic_kernel, "tricubic": _cubic_kernel,
    "lanczos3": _lanczos_kernel(3.0), "lanczos5": _lanczos_kernel(5.0),
}


def _weight_matrix(in_size, out_size, scale, translation, kernel, antialias, dtype):
    """(in_size, out_size) weights: column `j` mixes the input samples around output `j`'s source position."""
    inv_scale = 1.0 / scale
    kernel_scale = _np.maximum(inv_scale, inv_scale * 0.0 + 1.0) if antialias else 1.0
    outputs = tensor(np.arange(out_size), dtype)
    inputs = tensor(np.arange(in_size)[:, None], dtype)
    sample = (outputs + 0.5) * inv_scale - translation * inv_scale - 0.5
    weights = kernel(_np.abs(sample[None, :] - inputs) / kernel_scale)
    total = _np.sum(weights, axis=0, keepdims=True)
    zero = weights * 0.0
    normalised = weights / _np.where(total != 0.0, total, total * 0.0 + 1.0)
    weights = _np.where(_np.abs(total) > 1000.0 * float(np.finfo(np.float32).eps), normalised, zero)
    inside = _np.logical_and(sample >= -0.5, sample <= in_size - 0.5)
    return _np.where(inside[None, :], weights, zero)


def _scale_and_translate_spec(images, output_shape, scale, translation, spatial_dims, method,
                              antialias=True) -> KerasTensor:
    check_choice("method", method, SCALE_AND_TRANSLATE_METHODS)
    return KerasTensor(tuple(output_shape), dtype_of(images))


@op(_scale_and_translate_spec)
def scale_and_translate(images: TensorLike, output_shape: tuple[int, ...], scale: TensorLike,
                        translation: TensorLike, spatial_dims: tuple[int, ...], method: str,
                        antialias: bool = True) -> Tensor:
    """Images resampled along `spatial_dims` to `output_shape` under a scale and a translation, as
    `jax.image.scale_and_translate` computes it, on every engine.

    Output sample `j` of a resized axis reads input position `(j + 0.5 - translation) / scale - 0.5`; samples
    that fall outside the input are 0.

    Args:
        images: a tensor of any rank.
        output_shape: the output's full shape; axes outside `spatial_dims` keep their size.
        scale: one scale factor per spatial axis (output size over input size for a plain resize).
        translation: one translation per spatial axis, in output pixels.
        spatial_dims: the axes to resample.
        method: "linear" ("bilinear", "trilinear"), "cubic" ("bicubic", "tricubic"), "lanczos3" or "lanczos5".
        antialias: widen the kernel when downsampling, so that no detail aliases.

    Returns:
        A tensor of `output_shape`, in the input's dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.array([0.0, 1.0, 2.0, 3.0], "float32")
        >>> y = ops.image.scale_and_translate(x, (2,), np.array([0.5]), np.array([0.0]), (0,), "linear", False)
        >>> ops.convert_to_numpy(y)
        array([0.5, 2.5], dtype=float32)
    """
    spec = _scale_and_translate_spec(images, output_shape, scale, translation, spatial_dims, method, antialias)
    x = tensor(images)
    dtype = dtype_of(x)
    compute = dtype if _dtypes.is_float(dtype) else "float32"
    x = active.core.cast(x, compute)
    scale, translation = tensor(scale, compute), tensor(translation, compute)
    if len(shape_of(scale)) != 1 or shape_of(scale)[0] != len(spatial_dims) or tuple(shape_of(translation)) != (
        len(spatial_dims),
    ):
        raise ValueError(BAD_SPATIAL_DIMS.format(spatial_dims=spatial_dims, scale_shape=shape_of(scale),
                                                 translation_shape=shape_of(translation)))
    ndim = len(shape_of(x))
    for index, axis in enumerate(spatial_dims):
        axis = axis % ndim
        weights = _weight_matrix(shape_of(x)[axis], int(output_shape[axis]), scale[index], translation[index],
                                 _KERNELS[method], antialias, compute)
        moved = _np.moveaxis(x, axis, ndim - 1)
        x = _np.moveaxis(_np.matmul(moved, weights), ndim - 1, axis)
    return active.core.cast(x, spec.dtype)


__all__ = ["resize", "scale_and_translate"]
