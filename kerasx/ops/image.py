"""Public image ops (Keras 3 `keras.ops.image`), reachable as `kerasx.ops.image` only, as in Keras.

The ops live in the private modules `_image_*`, which list them in `__all__`; this face re-exports every one of them
by name. `tests/test_ops_image.py` checks that the lists agree and that each op is written like the others.
"""

from __future__ import annotations

from kerasx import _missing
from kerasx.ops import (
    _image_color, _image_crop, _image_filters, _image_patches, _image_resize, _image_sample,
    _image_warp,
)
from kerasx.ops._image_color import hsv_to_rgb, rgb_to_grayscale, rgb_to_hsv
from kerasx.ops._image_crop import crop_images, pad_images
from kerasx.ops._image_filters import gaussian_blur, sobel_edges, ssim
from kerasx.ops._image_patches import extract_patches, extract_patches_3d
from kerasx.ops._image_resize import resize, scale_and_translate
from kerasx.ops._image_sample import map_coordinates
from kerasx.ops._image_warp import affine_transform, elastic_transform, perspective_transform

__all__ = sorted(
    _image_color.__all__
    + _image_crop.__all__
    + _image_filters.__all__
    + _image_patches.__all__
    + _image_resize.__all__
    + _image_sample.__all__
    + _image_warp.__all__
)


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
