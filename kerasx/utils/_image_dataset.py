"""`image_dataset_from_directory`: batches of images read from class sub-folders, without TensorFlow.

Images are decoded with Pillow and resized with `tf.image.resize`'s arithmetic (`_resize.py`), so the pixels are
those Keras 3 gives for lossless formats (PNG, BMP, GIF); JPEG decoders may differ by a level here and there.
"""

from __future__ import annotations

import numpy as np

from kerasx.backend import standardize_data_format
from kerasx.utils import _directory_dataset, _directory_index, _optional, _resize

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}
_PIL_MODES = {3: "RGB", 4: "RGBA", 1: "L"}
_PNG_RED, _PNG_GREEN = 9797, 19234  # floor(0.299 * 2**15), floor(0.587 * 2**15)
_PNG_BLUE = (1 << 15) - _PNG_RED - _PNG_GREEN

BAD_COLOR_MODE = '`color_mode` must be one of {{"rgb", "rgba", "grayscale"}}. Received: color_mode={value}'
BAD_IMAGE_SIZE = "Invalid `image_size` value. Expected a tuple of 2 integers. Received: image_size={value}"
BAD_INTERPOLATION = "Argument `interpolation` should be one of {supported}. Received: interpolation={value}"
CROP_AND_PAD = "Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`."
NO_IMAGES = "No {which}images found in directory {directory}. Allowed formats: " + str(ALLOWLIST_FORMATS)


def _png_gray(image) -> np.ndarray:
    """A colour PNG as one grey channel, as libpng converts it for TensorFlow's decoder (0.299 R + 0.587 G +
    0.114 B in 15-bit fixed point, truncated), which differs from Pillow's rounding by one level in some pixels."""
    rgb = np.asarray(image.convert("RGB"), dtype=np.int64)
    gray = (_PNG_RED * rgb[..., 0] + _PNG_GREEN * rgb[..., 1] + _PNG_BLUE * rgb[..., 2]) >> 15
    return gray.astype(np.uint8)


def _read_image(path: str, channels: int) -> np.ndarray:
    image_module = _optional.pil_image("image_dataset_from_directory")
    with image_module.open(path) as image:
        image.seek(0)  # the first frame of an animated GIF, as tf.io.decode_image(expand_animations=False)
        mode = _PIL_MODES[channels]
        if image.mode == mode:
            pixels = np.asarray(image)
        elif channels == 1 and image.format == "PNG" and image.mode not in ("I", "I;16"):
            pixels = _png_gray(image)
        else:
            pixels = np.asarray(image.convert(mode))
    return pixels[:, :, None] if pixels.ndim == 2 else pixels


def load_image(path: str, image_size: tuple, channels: int, interpolation: str, data_format: str,
               crop_to_aspect_ratio: bool, pad_to_aspect_ratio: bool) -> np.ndarray:
    """One image file as Keras 3's builder gives it: float32 of `image_size` (uint8 with "nearest", which keeps
    the decoded dtype as `tf.image.resize` does), in `data_format`."""
    pixels = _read_image(path, channels)
    if crop_to_aspect_ratio:
        image = _resize.resize(_resize.crop_to_aspect_ratio(pixels, image_size), image_size, interpolation)
    elif pad_to_aspect_ratio:
        image = _resize.resize_with_pad(pixels, image_size, interpolation)
    else:
        image = _resize.resize(pixels, image_size, interpolation)
    return image.transpose(2, 0, 1) if data_format == "channels_first" else image


def image_dataset_from_directory(directory, labels="inferred", label_mode: str | None = "int", class_names=None,
                                 color_mode: str = "rgb", batch_size: int | None = 32,
                                 image_size: tuple = (256, 256), shuffle: bool = True, seed=None,
                                 validation_split: float | None = None, subset: str | None = None,
                                 interpolation: str = "bilinear", follow_links: bool = False,
                                 crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False,
                                 data_format: str | None = None, format: str = "tf", verbose: bool = True):
    """Batches of `(images, labels)` from a folder with one sub-folder of images per class.

    Class names are the sorted sub-folder names (or `class_names`, in that order); labels are their indices.
    With `shuffle` the files are permuted with `seed` (Keras 3's permutation, so a validation split holds the same
    files as in Keras) and the order changes every epoch. On TensorFlow the result is a `tf.data.Dataset`, as in
    Keras 3; on JAX, PyTorch and NumPy a `PyDataset` that needs no TensorFlow. Both carry `class_names` and
    `file_paths`.

    Args:
        directory: the folder.
        labels: "inferred" (from the sub-folders), a list of int labels in the sorted order of all image paths,
            or None (images only).
        label_mode: "int" (int32), "categorical" (one-hot float32), "binary" (float32 of shape (n, 1), two
            classes) or None.
        class_names: the sub-folders to use and their order, with inferred labels.
        color_mode: "rgb", "rgba" or "grayscale".
        batch_size: images per batch (None: single images).
        image_size: `(height, width)` every image is resized to.
        shuffle: whether to shuffle.
        seed: the shuffling seed (required with `validation_split` and `shuffle`).
        validation_split: the fraction of the files kept for validation.
        subset: "training", "validation" or "both" (a pair of datasets).
        interpolation: "bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian" or
            "mitchellcubic".
        follow_links: whether to follow symbolic links to folders.
        crop_to_aspect_ratio: resize the largest centred crop with `image_size`'s aspect ratio.
        pad_to_aspect_ratio: resize the whole image into `image_size`, padded with zeros.
        data_format: "channels_last" or "channels_first"; default `image_data_format()`.
        format: "tf" (the default: native datasets as described above).
        verbose: print the number of files and classes found.

    Returns:
        A dataset, or `(training, validation)` with `subset="both"`.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from kerasx import utils
    >>> root = tempfile.mkdtemp()
    >>> for name in ("cat", "dog"):
    ...     os.mkdir(os.path.join(root, name))
    ...     utils.save_img(os.path.join(root, name, "0.png"), np.ones((4, 6, 3)))
    >>> dataset = utils.image_dataset_from_directory(root, image_size=(2, 3), shuffle=False)
    Found 2 files belonging to 2 classes.
    >>> images, labels = next(iter(dataset))
    >>> dataset.class_names, tuple(images.shape), np.asarray(labels).tolist()
    (['cat', 'dog'], (2, 2, 3, 3), [0, 1])
    """
    labels, label_mode = _directory_index.check_arguments(labels, label_mode, class_names, "image")
    if color_mode not in _CHANNELS:
        raise ValueError(BAD_COLOR_MODE.format(value=color_mode))
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(BAD_IMAGE_SIZE.format(value=image_size))
    image_size = tuple(image_size)
    interpolation = interpolation.lower()
    if interpolation not in _resize.INTERPOLATIONS:
        raise ValueError(BAD_INTERPOLATION.format(supported=_resize.INTERPOLATIONS, value=interpolation))
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(CROP_AND_PAD)
    _directory_index.check_format(format)
    _directory_index.check_validation_split(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1_000_000)
    arguments = (image_size, _CHANNELS[color_mode], interpolation, standardize_data_format(data_format),
                 crop_to_aspect_ratio, pad_to_aspect_ratio)

    def load_samples(paths):
        return np.stack([load_image(path, *arguments) for path in paths])

    return _directory_dataset.datasets_from_directory(
        directory, labels, label_mode, class_names, batch_size, shuffle, seed, validation_split, subset,
        follow_links, verbose, ALLOWLIST_FORMATS, NO_IMAGES, load_samples,
    )
