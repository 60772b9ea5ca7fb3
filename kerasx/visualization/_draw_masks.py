"""`draw_segmentation_masks`: class colors painted over images in NumPy and blended, as Keras 3 does."""

from __future__ import annotations

import numpy as np

from kerasx import ops
from kerasx.backend import standardize_data_format
from kerasx.visualization._batch import check_batched

NOT_INTEGER_MASKS = (
    "draw_segmentation_masks() takes masks of class indices, of an integer dtype. Received: "
    "segmentation_masks.dtype={dtype}. Round or cast them first (e.g. `ops.cast(masks, 'int32')`)."
)
MISSING_COLORS = (
    "draw_segmentation_masks() needs a color for every class 0..num_classes-1 in `color_mapping`. Received no "
    "color for the classes {missing} (num_classes={num_classes})."
)

# Default class colors: multiples of these three large odd numbers, taken modulo 255, as Keras 3's palette.
_PALETTE_STEP = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])


def default_colors(num_classes: int) -> list:
    """Keras 3's default palette: class `k` gets `(k * step) % 255` per channel (class 0 is black)."""
    return [((k * _PALETTE_STEP) % 255).tolist() for k in range(num_classes)]


def _class_colors(num_classes: int, color_mapping: dict | None) -> list:
    if color_mapping is None:
        return default_colors(num_classes)
    # A dict of colors by class, or a list of them.
    known = color_mapping.keys() if isinstance(color_mapping, dict) else range(len(color_mapping))
    missing = [k for k in range(num_classes) if k not in known]
    if missing:
        raise ValueError(MISSING_COLORS.format(missing=missing, num_classes=num_classes))
    return [color_mapping[k] for k in range(num_classes)]


def draw_segmentation_masks(
    images,
    segmentation_masks,
    num_classes: int | None = None,
    color_mapping: dict | None = None,
    alpha: float = 0.8,
    blend: bool = True,
    ignore_index: int = -1,
    data_format: str | None = None,
) -> np.ndarray:
    """Paints each pixel of the images with the color of its class in the segmentation masks.

    Pixels of classes 0 to `num_classes - 1` take their class color; with `blend`, the result is
    `images * (1 - alpha) + colored * alpha`, except where the mask holds `ignore_index` (the image is kept
    there), cast to uint8. Without `blend` the colored images are returned as float32. As in Keras 3, the default
    `num_classes` is the largest class index in the masks (so that class is not painted), and the result is
    channels-last whatever `data_format`.

    Args:
        images: images of shape `(batch, height, width, channels)` (or channels first, see `data_format`).
        segmentation_masks: integer class indices of shape `(batch, height, width, 1)` (channels first:
            `(batch, 1, height, width)`) or `(batch, height, width)`.
        num_classes: the number of classes painted; None uses the largest index in the masks.
        color_mapping: class index -> color (a sequence of one value per channel), for every class
            `0..num_classes - 1`; None uses a default palette (class 0 black).
        alpha: the opacity of the colors when blending.
        blend: whether to blend the colors with the images.
        ignore_index: the mask value left unpainted.
        data_format: `"channels_last"` or `"channels_first"`; None uses `kerasx.config.image_data_format()`.

    Returns:
        The channels-last NumPy images: uint8 with `blend`, float32 without.

    Example:

    >>> import numpy as np
    >>> from kerasx import visualization
    >>> images = np.full((1, 1, 2, 3), 100, "uint8")
    >>> masks = np.array([[[[1], [-1]]]])
    >>> colors = {0: (0, 0, 0), 1: (200, 0, 0)}
    >>> visualization.draw_segmentation_masks(images, masks, num_classes=2, color_mapping=colors, alpha=0.5)
    array([[[[150,  50,  50],
             [100, 100, 100]]]], dtype=uint8)
    """
    check_batched(images, "draw_segmentation_masks")
    pixels = np.asarray(ops.convert_to_numpy(images)).astype("float32")
    masks = np.asarray(ops.convert_to_numpy(segmentation_masks))
    if masks.dtype.kind not in "iu":
        raise TypeError(NOT_INTEGER_MASKS.format(dtype=masks.dtype.name))
    if standardize_data_format(data_format) == "channels_first":
        pixels = pixels.transpose(0, 2, 3, 1)
        masks = masks.transpose(0, 2, 3, 1) if masks.ndim == 4 else masks
    classes = masks[..., 0] if masks.ndim == 4 else masks
    if num_classes is None:
        num_classes = int(classes.max())
    painted = pixels.copy()
    num_channels = pixels.shape[-1]
    for class_index, color in enumerate(_class_colors(num_classes, color_mapping)):
        painted[classes == class_index] = np.asarray(color, dtype="float32")[:num_channels]
    if not blend:
        return painted
    # float32 factors, as Keras 3 computes on float32 tensors: the uint8 truncation then agrees pixel for pixel.
    blended = pixels * np.float32(1 - alpha) + painted * np.float32(alpha)
    return np.where((classes != ignore_index)[..., None], blended, pixels).astype("uint8")
