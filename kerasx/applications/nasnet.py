"""NASNetMobile and NASNetLarge: the constructors, and their `preprocess_input` (scaled to [-1, 1]) and
`decode_predictions`."""

from kerasx import _missing
from kerasx.applications._imagenet_utils import decode_predictions
from kerasx.applications._imagenet_utils import tf_preprocess_input as preprocess_input
from kerasx.applications._nasnet import NASNetLarge, NASNetMobile

__all__ = ["NASNetLarge", "NASNetMobile", "decode_predictions", "preprocess_input"]

__getattr__ = _missing.missing_name_hook(__name__)
