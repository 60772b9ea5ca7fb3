"""ResNet50, ResNet101 and ResNet152: the constructors, and their `preprocess_input` (BGR, ImageNet mean subtracted)
and `decode_predictions`."""

from kerasx import _missing
from kerasx.applications._imagenet_utils import caffe_preprocess_input as preprocess_input
from kerasx.applications._imagenet_utils import decode_predictions
from kerasx.applications._resnet import ResNet50, ResNet101, ResNet152

__all__ = ["ResNet101", "ResNet152", "ResNet50", "decode_predictions", "preprocess_input"]

__getattr__ = _missing.missing_name_hook(__name__)
