"""Keras 3's `keras.preprocessing.image`: image files to arrays and back (`kerasx.utils`'s functions) and
`smart_resize`."""

from kerasx import _missing
from kerasx.preprocessing._smart_resize import smart_resize
from kerasx.utils import array_to_img, img_to_array, load_img, save_img

__all__ = ["array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"]

__getattr__ = _missing.missing_name_hook(__name__)
