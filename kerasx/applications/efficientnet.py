"""EfficientNetB0 to EfficientNetB7: the constructors, and their `preprocess_input` (unchanged: the model rescales its
input itself) and `decode_predictions`."""

from kerasx import _missing
from kerasx.applications._efficientnet import (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from kerasx.applications._imagenet_utils import decode_predictions
from kerasx.applications._imagenet_utils import identity_preprocess_input as preprocess_input

__all__ = [
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "decode_predictions",
    "preprocess_input",
]

__getattr__ = _missing.missing_name_hook(__name__)
