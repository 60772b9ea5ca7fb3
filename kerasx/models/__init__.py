"""Models: `Model` (functional or subclassed), `Sequential`, and the `Functional` class behind
`Model(inputs, outputs)`."""

from kerasx import _missing
from kerasx.models._cloning import clone_model
from kerasx.models._functional import Functional
from kerasx.models._model import Model
from kerasx.models._sequential import Sequential
from kerasx.saving._model_json import model_from_json
from kerasx.saving._saving_lib import load_model, save_model

# isort: split
# Registers the Keras 1 spellings `Model(input=..., output=...)` and `fit(nb_epoch=...)` (kerasx.legacy).
from kerasx.legacy import _models as _legacy_models  # noqa: F401

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json", "save_model"]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
