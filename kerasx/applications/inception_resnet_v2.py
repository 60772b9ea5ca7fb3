"""InceptionResNetV2: the constructors, and their `preprocess_input` (scaled to [-1, 1]) and `decode_predictions`."""

from kerasx import _missing
from kerasx.applications._imagenet_utils import decode_predictions
from kerasx.applications._imagenet_utils import tf_preprocess_input as preprocess_input
from kerasx.applications._inception_resnet_v2 import InceptionResNetV2

__all__ = ["InceptionResNetV2", "decode_predictions", "preprocess_input"]

__getattr__ = _missing.missing_name_hook(__name__)
