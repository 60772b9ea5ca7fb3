"""Models: `Model` (functional or subclassed), `Sequential`, and the `Functional` class behind `Model(inputs, outputs)`."""

from kerasx.models._functional import Functional
from kerasx.models._model import Model
from kerasx.models._sequential import Sequential
from kerasx.saving._saving_lib import load_model

__all__ = ["Functional", "Model", "Sequential", "load_model"]
