"""VGG19: the constructor, and its `preprocess_input` (BGR, ImageNet mean subtracted) and `decode_predictions`."""

from kerasx import _missing
from kerasx.applications._imagenet_utils import caffe_preprocess_input as preprocess_input
from kerasx.applications._imagenet_utils import decode_predictions
from kerasx.applications._vgg import VGG19

__all__ = ["VGG19", "decode_predictions", "preprocess_input"]

__getattr__ = _missing.missing_name_hook(__name__)
