"""The ImageNet helpers every application shares: `preprocess_input` with a `mode` ("caffe", "tf", "torch") and
`decode_predictions`."""

from kerasx import _missing
from kerasx.applications._imagenet_utils import decode_predictions, preprocess_input

__all__ = ["decode_predictions", "preprocess_input"]

__getattr__ = _missing.missing_name_hook(__name__)
