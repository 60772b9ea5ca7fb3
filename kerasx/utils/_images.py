"""Images as Pillow images and as arrays: `load_img`, `img_to_array`, `array_to_img` and `save_img`.

Arrays are NumPy arrays of shape (height, width, channels) or, with `data_format="channels_first"`, (channels,
height, width); the default layout is `kerasx.config.image_data_format()`. Pillow is imported on first use.
"""

from __future__ import annotations

import io
import pathlib
import warnings

import numpy as np

from kerasx.backend import floatx, standardize_data_format
from kerasx.utils import _optional

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")

NOT_ONE_IMAGE = "Expected image array to have rank 3 (single image). Got array with shape: {shape}"
BAD_CHANNELS = "Unsupported channel number: {channels}. Expected 1 (grayscale), 3 (RGB) or 4 (RGBA) channels."
BAD_IMAGE_SHAPE = "Unsupported image shape: {shape}. Expected (height, width) or (height, width, channels)."
BAD_PATH = "path should be path-like or io.BytesIO, not {type}"
BAD_COLOR_MODE = 'color_mode must be "grayscale", "rgb", or "rgba". Received: color_mode={value!r}.'
BAD_INTERPOLATION = "Invalid interpolation method {value} specified. Supported methods are {supported}"
JPEG_WITHOUT_ALPHA = "The JPEG format does not support RGBA images, converting to RGB."


def resampling(interpolation: str, feature: str):
    """Pillow's resampling filter for an interpolation name."""
    if interpolation not in INTERPOLATIONS:
        raise ValueError(BAD_INTERPOLATION.format(value=interpolation, supported=", ".join(INTERPOLATIONS)))
    image = _optional.pil_image(feature)
    filters = getattr(image, "Resampling", image)
    return getattr(filters, interpolation.upper())


def array_to_img(x, data_format: str | None = None, scale: bool = True, dtype=None):
    """A Pillow image from a (height, width, channels) array: 1 channel gives "L" (or "I" above 255), 3 "RGB",
    4 "RGBA".

    Args:
        x: the image array.
        data_format: "channels_last" or "channels_first"; default `image_data_format()`.
        scale: rescale the values to 0..255 (min to 0, max to 255) first.
        dtype: the dtype the array is read as; default `floatx()`.

    Returns:
        A `PIL.Image.Image`.

    Example:

    >>> import numpy as np
    >>> from kerasx import utils
    >>> image = utils.array_to_img(np.zeros((2, 3, 3)))
    >>> image.mode, image.size
    ('RGB', (3, 2))
    """
    data_format = standardize_data_format(data_format)
    image = _optional.pil_image("array_to_img")
    x = np.asarray(x, dtype=dtype or floatx())
    if x.ndim != 3:
        raise ValueError(NOT_ONE_IMAGE.format(shape=x.shape))
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x /= top
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(BAD_CHANNELS.format(channels=channels))


def img_to_array(img, data_format: str | None = None, dtype=None) -> np.ndarray:
    """A Pillow image (or anything NumPy reads as a 2D/3D array) as a 3D array with a channels axis.

    Args:
        img: the image.
        data_format: "channels_last" or "channels_first"; default `image_data_format()`.
        dtype: the array's dtype; default `floatx()`.

    Returns:
        A NumPy array of shape (height, width, channels), or (channels, height, width).

    Example:

    >>> import numpy as np
    >>> from kerasx import utils
    >>> utils.img_to_array(np.array([[0, 255]], dtype="uint8"), data_format="channels_first")
    array([[[  0., 255.]]], dtype=float32)
    """
    data_format = standardize_data_format(data_format)
    x = np.asarray(img, dtype=dtype or floatx())
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        shape = (1, *x.shape) if data_format == "channels_first" else (*x.shape, 1)
        return x.reshape(shape)
    raise ValueError(BAD_IMAGE_SHAPE.format(shape=x.shape))


def save_img(path, x, data_format: str | None = None, file_format: str | None = None, scale: bool = True,
             **kwargs) -> None:
    """Saves an image array to a file (the format from `file_format` or the path's suffix).

    Args:
        path: a path or a writable file object.
        x: the image array.
        data_format: "channels_last" or "channels_first"; default `image_data_format()`.
        file_format: e.g. "png" or "jpeg" ("jpg" is accepted); default from the suffix.
        scale: rescale the values to 0..255 first (see `array_to_img`).
        **kwargs: passed to Pillow's `Image.save` (e.g. `quality=90`).

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from kerasx import utils
    >>> path = os.path.join(tempfile.mkdtemp(), "image.png")
    >>> utils.save_img(path, np.arange(12.0).reshape(2, 2, 3))
    >>> utils.img_to_array(utils.load_img(path))[0, 1]
    array([ 69.,  92., 115.], dtype=float32)
    """
    data_format = standardize_data_format(data_format)
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn(JPEG_WITHOUT_ALPHA, stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def _center_crop_box(size: tuple, target: tuple) -> list:
    """The largest centred box of `size` (width, height) with the aspect ratio of `target` (width, height)."""
    width, height = size
    target_width, target_height = target
    crop_height = min(height, (width * target_height) // target_width)
    crop_width = min(width, (height * target_width) // target_height)
    left = (width - crop_width) // 2
    top = (height - crop_height) // 2
    return [left, top, left + crop_width, top + crop_height]


def load_img(path, color_mode: str = "rgb", target_size: tuple | None = None, interpolation: str = "nearest",
             keep_aspect_ratio: bool = False):
    """Loads an image file as a Pillow image, converted to `color_mode` and optionally resized.

    Args:
        path: a path (str, bytes, `pathlib.Path`) or an `io.BytesIO`.
        color_mode: "grayscale", "rgb" or "rgba".
        target_size: `(height, width)` to resize to, or None.
        interpolation: "nearest", "bilinear", "bicubic", "hamming", "box" or "lanczos".
        keep_aspect_ratio: resize the largest centred crop with the target's aspect ratio instead of the whole
            image.

    Returns:
        A `PIL.Image.Image`.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from kerasx import utils
    >>> path = os.path.join(tempfile.mkdtemp(), "image.png")
    >>> utils.save_img(path, np.ones((4, 6, 3)))
    >>> utils.load_img(path, color_mode="grayscale", target_size=(2, 3)).size
    (3, 2)
    """
    image = _optional.pil_image("load_img")
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        with open(path, "rb") as file:
            img = image.open(io.BytesIO(file.read()))
    else:
        raise TypeError(BAD_PATH.format(type=type(path)))
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode in ("rgb", "rgba"):
        mode = color_mode.upper()
        if img.mode != mode:
            img = img.convert(mode)
    else:
        raise ValueError(BAD_COLOR_MODE.format(value=color_mode))
    if target_size is None:
        return img
    size = (target_size[1], target_size[0])
    if img.size == size:
        return img
    resample = resampling(interpolation, "load_img")
    if keep_aspect_ratio:
        return img.resize(size, resample, box=_center_crop_box(img.size, size))
    return img.resize(size, resample)
