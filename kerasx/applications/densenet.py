"""DenseNet121, DenseNet169 and DenseNet201: the constructors, and their `preprocess_input` (scaled to [0, 1] and
standardized per channel) and `decode_predictions`."""

from kerasx import _missing
from kerasx.applications._densenet import DenseNet121, DenseNet169, DenseNet201
from kerasx.applications._imagenet_utils import decode_predictions
from kerasx.applications._imagenet_utils import torch_preprocess_input as preprocess_input

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "decode_predictions", "preprocess_input"]

__getattr__ = _missing.missing_name_hook(__name__)
