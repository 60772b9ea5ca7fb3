"""What the image ops share: data formats, rank checks, the batched channels-last working layout, Gaussian
kernels and the per-channel ("depthwise") 2-D filtering that blur, Sobel and SSIM are made of."""

from __future__ import annotations

import numpy as np

from kerasx.backend import _dtypes, active, standardize_data_format
from kerasx.backend._config import ImageDataFormat
from kerasx.ops._dispatch import dtype_of, shape_of, tensor

_np = active.numpy
_nn = active.nn

BAD_IMAGES_RANK = (
    "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). Received input with shape: "
    "{name}.shape={shape}"
)
BAD_BATCH_RANK = "Invalid images rank: expected rank 4 (batch of images). Received: images.shape={shape}"
BAD_CHOICE = "Invalid value for argument `{name}`. Expected one of {choices}. Received: {name}={value!r}"
BAD_FLOAT_IMAGES = "`{name}` needs float images. Cast them first. Received: images.dtype={dtype}"


def data_format_of(data_format: str | None) -> ImageDataFormat:
    return standardize_data_format(data_format)


def check_choice(name: str, value, choices) -> None:
    if value not in choices:
        raise ValueError(BAD_CHOICE.format(name=name, choices=tuple(choices), value=value))


def check_image_rank(shape, name: str = "images", ranks=(3, 4)) -> None:
    if len(shape) not in ranks:
        raise ValueError(BAD_IMAGES_RANK.format(name=name, shape=tuple(shape)))


def spatial_axes(ndim: int, data_format: str) -> tuple:
    """(height axis, width axis) of a rank-`ndim` image tensor, counted from the start."""
    return (ndim - 3, ndim - 2) if data_format == "channels_last" else (ndim - 2, ndim - 1)


def channel_axis(ndim: int, data_format: str) -> int:
    return ndim - 1 if data_format == "channels_last" else ndim - 3


def to_working_layout(x, data_format: str):
    """`x` as a batched channels-last native tensor, and whether it had no batch axis."""
    unbatched = len(shape_of(x)) == 3
    if unbatched:
        x = _np.expand_dims(x, 0)
    if data_format == "channels_first":
        x = _np.transpose(x, (0, 2, 3, 1))
    return x, unbatched


def from_working_layout(x, data_format: str, unbatched: bool):
    """Inverse of `to_working_layout`."""
    if data_format == "channels_first":
        x = _np.transpose(x, (0, 3, 1, 2))
    if unbatched:
        x = _np.squeeze(x, 0)
    return x


def compute_dtype(x) -> str:
    """The float dtype image arithmetic runs in: the input's own float dtype, else floatx."""
    return _dtypes.float_result(dtype_of(x))


def gaussian_1d(size: int, sigma, dtype: str):
    """A normalised Gaussian window of `size` taps centred between its ends; `sigma` may be a tensor."""
    positions = tensor(np.arange(size) - (size - 1) / 2.0, dtype)
    sigma = tensor(sigma, dtype)
    window = _np.exp(-0.5 * _np.square(positions / sigma))
    return window / _np.sum(window)


def filter_channels(x, kernel_2d, padding: str):
    """Each channel of batched channels-last `x` cross-correlated with the same (kh, kw) kernel."""
    channels = shape_of(x)[-1]
    kernel = _np.tile(_np.reshape(kernel_2d, tuple(shape_of(kernel_2d)) + (1, 1)), (1, 1, channels, 1))
    return _nn.depthwise_conv(x, kernel, (1, 1), padding, "channels_last", (1, 1))
