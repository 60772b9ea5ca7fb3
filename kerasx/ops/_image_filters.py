"""Per-channel filters of images: Gaussian blur, Sobel gradients and the structural similarity index (SSIM)."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._image_common import (
    BAD_BATCH_RANK,
    check_image_rank,
    compute_dtype,
    data_format_of,
    filter_channels,
    from_working_layout,
    gaussian_1d,
    to_working_layout,
)
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import DataFormat, Tensor, TensorLike

_np = active.numpy
_cast = active.core.cast

_SOBEL_ROWS = ((-1.0, -2.0, -1.0), (0.0, 0.0, 0.0), (1.0, 2.0, 1.0))
_SOBEL_COLUMNS = ((-1.0, 0.0, 1.0), (-2.0, 0.0, 2.0), (-1.0, 0.0, 1.0))


def _same_shape_spec(images, *args, **kwargs) -> KerasTensor:
    check_image_rank(shape_of(images))
    return KerasTensor(tuple(shape_of(images)), dtype_of(images))


def blur(x, kernel_size, sigma, dtype):
    """Batched channels-last `x` blurred by a separable Gaussian; kernel_size and sigma are (x, y) pairs."""
    sigma = (sigma, sigma) if not isinstance(sigma, (tuple, list)) else sigma
    columns = gaussian_1d(int(kernel_size[0]), sigma[0], dtype)
    rows = gaussian_1d(int(kernel_size[1]), sigma[1], dtype)
    return filter_channels(x, rows[:, None] * columns[None, :], "same")


@op(_same_shape_spec)
def gaussian_blur(images: TensorLike, kernel_size: tuple[int, int] = (3, 3),
                  sigma: tuple[float, float] = (1.0, 1.0), data_format: DataFormat = None) -> Tensor:
    """Images smoothed by a Gaussian kernel, each channel on its own, zero-padded to keep their size.

    Args:
        images: a 3-D image or a 4-D batch.
        kernel_size: the kernel's `(width, height)` in pixels (Keras 3's order: the first entry spans columns).
        sigma: the standard deviations `(along columns, along rows)`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        The blurred images, in the input's dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.zeros((3, 3, 1), "float32")
        >>> x[1, 1] = 1.0
        >>> print(np.round(ops.convert_to_numpy(ops.image.gaussian_blur(x))[:, :, 0], 3))
        [[0.075 0.124 0.075]
         [0.124 0.204 0.124]
         [0.075 0.124 0.075]]
    """
    check_image_rank(shape_of(images))
    data_format = data_format_of(data_format)
    images = tensor(images)
    dtype = dtype_of(images)
    x, unbatched = to_working_layout(images, data_format)
    blurred = blur(x, kernel_size, sigma, dtype)
    return from_working_layout(blurred, data_format, unbatched)


def _sobel_spec(images, data_format=None) -> KerasTensor:
    shape = tuple(shape_of(images))
    if len(shape) != 4:
        raise ValueError(BAD_BATCH_RANK.format(shape=shape))
    return KerasTensor(shape + (2,), dtype_of(images))


@op(_sobel_spec)
def sobel_edges(images: TensorLike, data_format: DataFormat = None) -> Tensor:
    """Sobel gradients of each channel: the vertical (`dy`) and horizontal (`dx`) 3x3 filters, zero-padded.

    Args:
        images: a 4-D batch of images.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        The input's shape plus a last axis of 2 holding `[dy, dx]`, in the input's dtype.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.tile(np.arange(3.0, dtype="float32"), (3, 1)).reshape(1, 3, 3, 1)
        >>> ops.convert_to_numpy(ops.image.sobel_edges(x))[0, 1, 1, 0]
        array([0., 8.], dtype=float32)
    """
    _sobel_spec(images, data_format)
    data_format = data_format_of(data_format)
    images = tensor(images)
    dtype = dtype_of(images)
    x, _ = to_working_layout(images, data_format)
    edges = [
        from_working_layout(filter_channels(x, tensor(kernel, dtype), "same"), data_format, False)
        for kernel in (_SOBEL_ROWS, _SOBEL_COLUMNS)
    ]
    return _np.stack(edges, len(shape_of(images)))


def _ssim_spec(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
               data_format=None) -> KerasTensor:
    check_image_rank(shape_of(image1), "image1")
    check_image_rank(shape_of(image2), "image2")
    shape = tuple(shape_of(image1))
    return KerasTensor(() if len(shape) == 3 else (shape[0],), dtype_of(image1))


@op(_ssim_spec)
def ssim(image1: TensorLike, image2: TensorLike, max_val: float = 1.0, filter_size: int = 11,
         filter_sigma: float = 1.5, k1: float = 0.01, k2: float = 0.03, data_format: DataFormat = None) -> Tensor:
    """Structural similarity of two images (1 for identical ones), averaged over pixels and channels.

    Local means, variances and the covariance are Gaussian-weighted over `filter_size` windows that fit inside
    the image (no padding); `c1 = (k1 * max_val) ** 2` and `c2 = (k2 * max_val) ** 2` keep the ratio stable.

    Args:
        image1: a 3-D image or a 4-D batch.
        image2: images of the same shape.
        max_val: the dynamic range of the pixel values (1.0 for [0, 1], 255 for 8-bit).
        filter_size: the side of the Gaussian window.
        filter_sigma: the window's standard deviation.
        k1: stabilises the luminance term.
        k2: stabilises the contrast-structure term.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.

    Returns:
        One value per image (a scalar for a single image), in the dtype of `image1`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.random.default_rng(0).random((16, 16, 3)).astype("float32")
        >>> round(float(ops.image.ssim(x, x)), 4)
        1.0
    """
    spec = _ssim_spec(image1, image2, max_val, filter_size, filter_sigma, k1, k2, data_format)
    data_format = data_format_of(data_format)
    image1, image2 = tensor(image1), tensor(image2)
    dtype = compute_dtype(image1)
    first, unbatched = to_working_layout(_cast(image1, dtype), data_format)
    second, _ = to_working_layout(_cast(image2, dtype), data_format)
    window = gaussian_1d(int(filter_size), filter_sigma, dtype)
    kernel = window[:, None] * window[None, :]

    def local_mean(x):
        return filter_channels(x, kernel, "valid")

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mean1, mean2 = local_mean(first), local_mean(second)
    var1 = local_mean(first * first) - mean1 * mean1
    var2 = local_mean(second * second) - mean2 * mean2
    covariance = local_mean(first * second) - mean1 * mean2
    numerator = (2.0 * mean1 * mean2 + c1) * (2.0 * covariance + c2)
    denominator = (mean1 * mean1 + mean2 * mean2 + c1) * (var1 + var2 + c2)
    per_image = _np.mean(numerator / denominator, axis=(1, 2, 3))
    if unbatched:
        per_image = _np.squeeze(per_image, 0)
    return _cast(per_image, spec.dtype)


__all__ = ["gaussian_blur", "sobel_edges", "ssim"]
