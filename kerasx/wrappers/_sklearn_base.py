"""What the three scikit-learn wrappers share: building the model per fit, fitting it, predicting, and scikit-learn's
estimator protocol (parameters, clone, tags, metadata requests).

scikit-learn is imported here, and this module only when `kerasx.wrappers` is first used, so `import kerasx` never
imports it. Without scikit-learn the classes still exist (as in Keras 3) and building one raises an ImportError that
says how to install it.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from kerasx.models import Model, clone_model


def _import(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


# Read through importlib so that a missing scikit-learn gives None here, not an import error; the bases are then
# empty classes of their own (distinct, so that the wrappers' method resolution order still exists).
sklearn = _import("sklearn")
_base = _import("sklearn.base")
_multiclass = _import("sklearn.utils.multiclass")
_routing = _import("sklearn.utils.metadata_routing")
_validation = _import("sklearn.utils.validation")
SKLEARN_AVAILABLE = sklearn is not None
BaseEstimator: Any = _base.BaseEstimator if _base else type("BaseEstimator", (), {})
ClassifierMixin: Any = _base.ClassifierMixin if _base else type("ClassifierMixin", (), {})
RegressorMixin: Any = _base.RegressorMixin if _base else type("RegressorMixin", (), {})
TransformerMixin: Any = _base.TransformerMixin if _base else type("TransformerMixin", (), {})

NEEDS_SKLEARN = (
    "{name} needs scikit-learn, which is not installed. Install it with `pip install scikit-learn` (kerasx's "
    "scikit-learn wrappers follow its estimator API)."
)
NOT_COMPILED = (
    "{name}: the model to fit must be compiled with a loss and an optimizer; got compiled={compiled}, "
    "loss={loss!r}, optimizer={optimizer!r}. Call `model.compile(loss=..., optimizer=...)` in the function that "
    "builds it (or before passing a Model instance)."
)
ROUTING_DISABLED = (
    "set_fit_request is only available when scikit-learn's metadata routing is enabled. Enable it with "
    "`sklearn.set_config(enable_metadata_routing=True)`."
)
UNKNOWN_TARGET = "{name} cannot read the target y: scikit-learn's type_of_target calls it 'unknown'. Received: y={y!r}"


def _validate(estimator, *args, **kwargs):
    # scikit-learn >= 1.6 validates through a function; older versions through an estimator method.
    if hasattr(_validation, "validate_data"):
        return _validation.validate_data(estimator, *args, **kwargs)
    return estimator._validate_data(*args, **kwargs)


def check_is_fitted(estimator) -> None:
    _validation.check_is_fitted(estimator)


def type_of_target(y) -> str:
    return _multiclass.type_of_target(y)


def _routing_enabled() -> bool:
    return bool(sklearn is not None and sklearn.get_config().get("enable_metadata_routing", False))


class SKLBase(BaseEstimator):
    """The estimator protocol around a kerasx model; the three public wrappers add their targets and outputs."""

    def __init__(
        self,
        model: Any,
        warm_start: bool = False,
        model_kwargs: dict | None = None,
        fit_kwargs: dict | None = None,
    ):
        if not SKLEARN_AVAILABLE:
            raise ImportError(NEEDS_SKLEARN.format(name=type(self).__name__))
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _more_tags(self) -> dict:  # scikit-learn < 1.6
        return {"non_deterministic": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self):
        # The model (a function, or a Model instance) is shared, not deep-copied: each fit builds or clones its own.
        return type(self)(**self.get_params(deep=False))

    @property
    def epoch_(self) -> int:
        """How many epochs the last `fit` ran (0 before any)."""
        history = getattr(self, "history_", None)
        return len(history.epoch) if history is not None else 0

    def set_fit_request(self, **kwargs):
        """Which metadata (`sample_weight=True`, ...) scikit-learn's routing passes on to `fit` (and so to
        `model.fit`); needs `sklearn.set_config(enable_metadata_routing=True)`. Returns the estimator."""
        if not _routing_enabled():
            raise RuntimeError(ROUTING_DISABLED)
        request = _routing.MetadataRequest(owner=type(self).__name__)
        for param, alias in kwargs.items():
            request.fit.add_request(param=param, alias=alias)
        self._metadata_request = request
        return self

    def _get_model(self, X, y):
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if isinstance(self.model, Model):
            return self.model if self.warm_start else clone_model(self.model)
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        """Builds the model (calls `model(X=X, y=y, **model_kwargs)`, or clones a Model instance) and trains it.

        Args:
            X: array-like of shape (n_samples, n_features).
            y: array-like of shape (n_samples,): labels for a classifier, values for a regressor.
            **kwargs: passed to `model.fit`, over `fit_kwargs`.

        Returns:
            The estimator, fitted: `model_` is the trained model and `history_` its `History`.
        """
        X, y = _validate(self, X, y)
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        if not model.compiled or not model.loss or not model.optimizer:
            raise RuntimeError(
                NOT_COMPILED.format(
                    name=type(self).__name__, compiled=model.compiled, loss=model.loss, optimizer=model.optimizer
                )
            )
        self.history_ = model.fit(X, y, **{**(self.fit_kwargs or {}), **kwargs})
        self.model_ = model
        return self

    def predict(self, X):
        """The model's predictions for `X`, in the form of the `y` it was fitted on."""
        check_is_fitted(self)
        X = _validate(self, X, reset=False)
        return self._reverse_process_target(self.model_.predict(X))

    def _process_target(self, y, reset: bool = False):
        # Regressors and transformers: a 1-D target becomes one column, and predictions go back to 1-D.
        if type_of_target(y) == "unknown":
            raise ValueError(UNKNOWN_TARGET.format(name=type(self).__name__, y=y))
        if reset:
            self._target_ndim = np.ndim(y)
        return np.reshape(y, (-1, 1)) if np.ndim(y) == 1 else y

    def _reverse_process_target(self, y):
        if self._target_ndim == 1 and np.ndim(y) == 2:
            return np.squeeze(y, axis=1)
        return y
