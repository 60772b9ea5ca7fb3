"""Public image ops (Keras 3 `keras.ops.image`), reachable as `kerasx.ops.image` only, as in Keras.

The ops live in the private modules `_image_*`, which list them in `__all__`; this face re-exports every one of them
by name, in a literal `__all__` (so linters see the re-exports). `tests/test_ops_image.py` checks that it is the
union of the modules' lists and Keras 3's `keras.ops.image`, and that each op is written like the others.
"""

from __future__ import annotations

from kerasx import _missing
from kerasx.ops._image_color import hsv_to_rgb, rgb_to_grayscale, rgb_to_hsv
from kerasx.ops._image_crop import crop_images, pad_images
from kerasx.ops._image_filters import gaussian_blur, sobel_edges, ssim
from kerasx.ops._image_patches import extract_patches, extract_patches_3d
from kerasx.ops._image_resize import resize, scale_and_translate
from kerasx.ops._image_sample import map_coordinates
from kerasx.ops._image_warp import affine_transform, elastic_transform, perspective_transform

__all__ = [
    "affine_transform", "crop_images", "elastic_transform", "extract_patches", "extract_patches_3d", "gaussian_blur",
    "hsv_to_rgb", "map_coordinates", "pad_images", "perspective_transform", "resize", "rgb_to_grayscale",
    "rgb_to_hsv", "scale_and_translate", "sobel_edges", "ssim",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
