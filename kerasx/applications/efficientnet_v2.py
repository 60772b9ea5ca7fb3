"""EfficientNetV2B0 to B3, S, M and L: the constructors, and their `preprocess_input` (unchanged: the model rescales
its input itself) and `decode_predictions`."""

from kerasx import _missing
from kerasx.applications._efficientnet_v2 import (
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from kerasx.applications._imagenet_utils import decode_predictions
from kerasx.applications._imagenet_utils import identity_preprocess_input as preprocess_input

__all__ = [
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "decode_predictions",
    "preprocess_input",
]

__getattr__ = _missing.missing_name_hook(__name__)
