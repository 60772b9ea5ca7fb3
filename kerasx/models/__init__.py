"""Models: `Model` (functional or subclassed), `Sequential`, and the `Functional` class behind `Model(inputs, outputs)`."""

from kerasx.models._functional import Functional
from kerasx.models._model import Model
from kerasx.models._sequential import Sequential
from kerasx.saving._saving_lib import load_model

# Registers the Keras 1 spellings `Model(input=..., output=...)` and `fit(nb_epoch=...)` (kerasx.legacy).
from kerasx.legacy import _models as _legacy_models  # noqa: E402, F401

__all__ = ["Functional", "Model", "Sequential", "load_model"]
