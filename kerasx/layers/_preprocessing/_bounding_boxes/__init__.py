"""The bounding-box arithmetic of kerasx, in one place: the image layers move boxes with it, and
`kerasx.utils.bounding_boxes` offers it to users. It lives on the floor of the layers (it needs only `kerasx.ops`)
because `utils` sits floors above them."""

from kerasx.layers._preprocessing._bounding_boxes._deltas import decode_deltas_to_boxes, encode_box_to_deltas
from kerasx.layers._preprocessing._bounding_boxes._formats import SUPPORTED_FORMATS, convert_format
from kerasx.layers._preprocessing._bounding_boxes._geometry import affine_transform, clip_to_image_size, crop, pad
from kerasx.layers._preprocessing._bounding_boxes._iou import compute_ciou, compute_iou

__all__ = [
    "SUPPORTED_FORMATS",
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
