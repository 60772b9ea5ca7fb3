"""SKLearnClassifier, SKLearnRegressor, SKLearnTransformer: a kerasx model as a scikit-learn estimator."""

from __future__ import annotations

import numpy as np

from kerasx.wrappers._sklearn_base import (
    ClassifierMixin,
    RegressorMixin,
    SKLBase,
    TransformerMixin,
    _validate,
    check_is_fitted,
    type_of_target,
)

CLASSIFIER_TARGET = (
    "SKLearnClassifier supports binary and multiclass targets only; scikit-learn's type_of_target calls this one "
    "'{target_type}'. Use SKLearnRegressor for continuous or multi-output targets."
)
ONE_CLASS = "SKLearnClassifier cannot train on a single class: y holds only {label!r}. Pass at least two classes."


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A scikit-learn classifier around a kerasx model: labels in, labels out.

    `fit` one-hot encodes the labels (sorted classes, float64 columns) and builds the model with that `y`, so the
    building function can size the output layer from `y.shape[1]`; `predict` returns the class of the largest
    output, `decision_function` the raw outputs, `score` the accuracy.

    Args:
        model: a compiled Model (cloned at each `fit` unless `warm_start`), or a function returning one; it is
            called as `model(X=X, y=y, **model_kwargs)`.
        warm_start: True keeps training the model of the previous `fit` (and a Model instance is used as is).
        model_kwargs: more keyword arguments for the building function.
        fit_kwargs: keyword arguments for `model.fit` (`epochs`, `batch_size`, ...); those given to `fit` win.

    Attributes:
        model_: the fitted model. history_: its `History`. classes_: the class labels.

    Example:
        >>> import kerasx
        >>> def build(X, y):
        ...     model = kerasx.Sequential([kerasx.Input((X.shape[1],)),
        ...                                kerasx.layers.Dense(y.shape[1], activation="softmax")])
        ...     model.compile(loss="categorical_crossentropy", optimizer="adam")
        ...     return model
        >>> estimator = kerasx.wrappers.SKLearnClassifier(model=build, fit_kwargs={"epochs": 10, "verbose": 0})
        >>> sorted(estimator.get_params())
        ['fit_kwargs', 'model', 'model_kwargs', 'warm_start']
    """

    def decision_function(self, X):
        """The model's raw outputs for `X` (one column per class)."""
        check_is_fitted(self)
        X = _validate(self, X, reset=False)
        return self.model_.predict(X)

    def _process_target(self, y, reset: bool = False):
        target_type = type_of_target(y)
        if target_type not in ("binary", "multiclass"):
            raise ValueError(CLASSIFIER_TARGET.format(target_type=target_type))
        if reset:
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError(ONE_CLASS.format(label=self.classes_[0]))
        return (np.reshape(y, (-1, 1)) == self.classes_[None, :]).astype("float64")

    def _reverse_process_target(self, y):
        return self.classes_[np.argmax(y, axis=1)]

    def _more_tags(self) -> dict:  # scikit-learn < 1.6
        return {**super()._more_tags(), "poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A scikit-learn regressor around a kerasx model: `score` is R².

    A 1-D `y` reaches the building function and `model.fit` as one column, and `predict` returns 1-D values.

    Args:
        model: a compiled Model (cloned at each `fit` unless `warm_start`), or a function returning one; it is
            called as `model(X=X, y=y, **model_kwargs)`.
        warm_start: True keeps training the model of the previous `fit` (and a Model instance is used as is).
        model_kwargs: more keyword arguments for the building function.
        fit_kwargs: keyword arguments for `model.fit`; those given to `fit` win.

    Attributes:
        model_: the fitted model. history_: its `History`.

    Example:
        >>> import kerasx
        >>> def build(X, y, units=8):
        ...     model = kerasx.Sequential([kerasx.Input((X.shape[1],)), kerasx.layers.Dense(units, activation="relu"),
        ...                                kerasx.layers.Dense(y.shape[1])])
        ...     model.compile(loss="mse", optimizer="adam")
        ...     return model
        >>> estimator = kerasx.wrappers.SKLearnRegressor(model=build, model_kwargs={"units": 16})
        >>> estimator.set_params(warm_start=True).get_params()["warm_start"]
        True
    """

    def _more_tags(self) -> dict:  # scikit-learn < 1.6
        return {**super()._more_tags(), "poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A scikit-learn transformer around a kerasx model: `transform(X)` is the model's output (an embedding, a
    projection), for use as a step of a Pipeline.

    Args:
        model: a compiled Model (cloned at each `fit` unless `warm_start`), or a function returning one; it is
            called as `model(X=X, y=y, **model_kwargs)`.
        warm_start: True keeps training the model of the previous `fit` (and a Model instance is used as is).
        model_kwargs: more keyword arguments for the building function.
        fit_kwargs: keyword arguments for `model.fit`; those given to `fit` win.

    Attributes:
        model_: the fitted model. history_: its `History`.

    Example:
        >>> import kerasx
        >>> def build(X, y):
        ...     model = kerasx.Sequential([kerasx.Input((X.shape[1],)), kerasx.layers.Dense(2)])
        ...     model.compile(loss="mse", optimizer="adam")
        ...     return model
        >>> transformer = kerasx.wrappers.SKLearnTransformer(model=build)
        >>> transformer.get_params()["model"] is build
        True
    """

    def transform(self, X):
        """The fitted model's output for `X`, shape (n_samples, model outputs)."""
        check_is_fitted(self)
        X = _validate(self, X, reset=False)
        return self.model_.predict(X)

    def _more_tags(self) -> dict:  # scikit-learn < 1.6
        return {**super()._more_tags(), "preserves_dtype": []}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
