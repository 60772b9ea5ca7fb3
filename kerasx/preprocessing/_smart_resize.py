"""`smart_resize`: images resized to a target size without distorting them (a centered crop of the target's aspect
ratio, then a resize)."""

from __future__ import annotations

import numpy as np

from kerasx import ops
from kerasx.backend import _config, is_float

BAD_SIZE = (
    "smart_resize expects `size` to be a tuple of two positive integers (height, width). Received: size={size!r}."
)
BAD_RANK = (
    "smart_resize expects an image of rank 3 (height, width, channels) or a batch of rank 4. "
    "Received: x with shape {shape}."
)
BAD_FORMAT = "data_format must be 'channels_last' or 'channels_first'. Received: data_format={data_format!r}."


def _crop_box(height: int, width: int, target_height: int, target_width: int) -> tuple[int, int, int, int]:
    """(top, left, crop height, crop width) of the largest centered box with the target's aspect ratio."""
    crop_height = min(height, int(width * target_height / target_width))
    crop_width = min(width, int(height * target_width / target_height))
    return (height - crop_height) // 2, (width - crop_width) // 2, crop_height, crop_width


def smart_resize(x, size, interpolation: str = "bilinear", data_format: str | None = "channels_last", **kwargs):
    """Resizes images to `size` without distorting them: the largest centered crop with the aspect ratio of `size`,
    resized to `size`.

    Args:
        x: one image (height, width, channels) or a batch of them, as a NumPy array or a tensor (channels first
            with `data_format="channels_first"`).
        size: the target `(height, width)`.
        interpolation: how to resample, as in `kerasx.ops.image.resize` ("bilinear", "nearest", "bicubic", ...).
        data_format: "channels_last" (default) or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: accepted for Keras's `backend_module` argument, which kerasx does not need (it resizes with the
            selected engine).

    Returns:
        The resized images: a NumPy array for NumPy input, a tensor of the selected engine otherwise; integer
        pixels give float32 on every engine (Keras 3 rounds them back to integers on torch and numpy only).

    Example:
        >>> import numpy as np
        >>> from kerasx.preprocessing.image import smart_resize
        >>> image = np.ones((40, 60, 3), "float32")
        >>> smart_resize(image, (20, 20)).shape
        (20, 20, 3)
    """
    kwargs.pop("backend_module", None)
    if kwargs:
        raise TypeError(f"smart_resize got unexpected keyword arguments. Received: {sorted(kwargs)}.")
    if not (isinstance(size, (tuple, list)) and len(size) == 2 and all(isinstance(s, int) and s > 0 for s in size)):
        raise ValueError(BAD_SIZE.format(size=size))
    data_format = data_format or _config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(BAD_FORMAT.format(data_format=data_format))
    numpy_input = isinstance(x, np.ndarray)
    images = ops.convert_to_tensor(x)
    if len(images.shape) not in (3, 4):
        raise ValueError(BAD_RANK.format(shape=tuple(images.shape)))
    spatial = (-3, -2) if data_format == "channels_last" else (-2, -1)
    height, width = (int(images.shape[axis]) for axis in spatial)
    top, left, crop_height, crop_width = _crop_box(height, width, size[0], size[1])
    index = [slice(None)] * len(images.shape)
    index[spatial[0]] = slice(top, top + crop_height)
    index[spatial[1]] = slice(left, left + crop_width)
    cropped = images[tuple(index)]
    if not is_float(ops.dtype(cropped)):
        cropped = ops.cast(cropped, "float32")  # integer pixels resample to floats, as in Keras
    resized = ops.image.resize(cropped, (size[0], size[1]), interpolation=interpolation, data_format=data_format)
    return np.asarray(ops.convert_to_numpy(resized)) if numpy_input else resized
