"""ResNet50V2, ResNet101V2 and ResNet152V2: the constructors, and their `preprocess_input` (scaled to [-1, 1]) and
`decode_predictions`."""

from kerasx import _missing
from kerasx.applications._imagenet_utils import decode_predictions
from kerasx.applications._imagenet_utils import tf_preprocess_input as preprocess_input
from kerasx.applications._resnet import ResNet50V2, ResNet101V2, ResNet152V2

__all__ = ["ResNet101V2", "ResNet152V2", "ResNet50V2", "decode_predictions", "preprocess_input"]

__getattr__ = _missing.missing_name_hook(__name__)
