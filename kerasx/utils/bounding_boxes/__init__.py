"""Bounding-box utilities, as Keras 3's `keras.utils.bounding_boxes`: format conversion, clipping, cropping,
padding and affine transforms of boxes, IoU and CIoU, and anchor-delta encoding.

Written with `kerasx.ops`: they take NumPy arrays or the engine's tensors, return the engine's tensors, and run on
every backend, symbolically and inside traced functions (`jax.jit`, `tf.function`). The image preprocessing layers
move their boxes with these same functions, so they are defined beside those layers
(`kerasx.layers._preprocessing._bounding_boxes`) and re-exported here.
"""

from kerasx import _missing
from kerasx.layers._preprocessing._bounding_boxes._deltas import decode_deltas_to_boxes, encode_box_to_deltas
from kerasx.layers._preprocessing._bounding_boxes._formats import convert_format
from kerasx.layers._preprocessing._bounding_boxes._geometry import affine_transform, clip_to_image_size, crop, pad
from kerasx.layers._preprocessing._bounding_boxes._iou import compute_ciou, compute_iou

__all__ = [
    "affine_transform",
    "clip_to_image_size",
    "compute_ciou",
    "compute_iou",
    "convert_format",
    "crop",
    "decode_deltas_to_boxes",
    "encode_box_to_deltas",
    "pad",
]

__getattr__ = _missing.missing_name_hook(__name__)
