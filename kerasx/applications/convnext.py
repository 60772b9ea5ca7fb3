"""ConvNeXtTiny, Small, Base, Large and XLarge: the constructors, and their `preprocess_input` (unchanged: the model
rescales its input itself) and `decode_predictions`."""

from kerasx import _missing
from kerasx.applications._convnext import ConvNeXtBase, ConvNeXtLarge, ConvNeXtSmall, ConvNeXtTiny, ConvNeXtXLarge
from kerasx.applications._imagenet_utils import decode_predictions
from kerasx.applications._imagenet_utils import identity_preprocess_input as preprocess_input

__all__ = [
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
    "decode_predictions",
    "preprocess_input",
]

__getattr__ = _missing.missing_name_hook(__name__)
