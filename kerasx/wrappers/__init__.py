"""Keras 3's `keras.wrappers`: kerasx models as scikit-learn estimators (SKLearnClassifier, SKLearnRegressor,
SKLearnTransformer), usable with `clone`, `cross_val_score`, `GridSearchCV` and Pipelines.

Loaded on first use of `kerasx.wrappers` (never by `import kerasx`), as scikit-learn is imported here.
"""

from kerasx import _missing
from kerasx.wrappers._sklearn import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]

# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`).
__getattr__ = _missing.missing_name_hook(__name__)
