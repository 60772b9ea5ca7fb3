"""Losses: `Loss` classes and plain functions (Keras 3 names), and `get` / `serialize` / `deserialize`.

`get("mse")` returns the function `mean_squared_error`; `get("MeanSquaredError")` returns a new instance.
"""

from __future__ import annotations

import inspect

from kerasx.losses._hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from kerasx.losses._loss import Loss, LossFunctionWrapper
from kerasx.losses._probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from kerasx.losses._reduction import REDUCTIONS, reduce_weighted_values, squeeze_or_expand_to_same_rank
from kerasx.losses._regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from kerasx.serialization import _registry

ALL_CLASSES = {
    cls.__name__: cls
    for cls in (
        LossFunctionWrapper,
        BinaryCrossentropy,
        BinaryFocalCrossentropy,
        CategoricalCrossentropy,
        CategoricalHinge,
        CosineSimilarity,
        Hinge,
        Huber,
        KLDivergence,
        LogCosh,
        MeanAbsoluteError,
        MeanAbsolutePercentageError,
        MeanSquaredError,
        MeanSquaredLogarithmicError,
        Poisson,
        SparseCategoricalCrossentropy,
        SquaredHinge,
    )
}
ALL_FUNCTIONS = {
    fn.__name__: fn
    for fn in (
        binary_crossentropy,
        binary_focal_crossentropy,
        categorical_crossentropy,
        categorical_hinge,
        cosine_similarity,
        hinge,
        huber,
        kl_divergence,
        log_cosh,
        mean_absolute_error,
        mean_absolute_percentage_error,
        mean_squared_error,
        mean_squared_logarithmic_error,
        poisson,
        sparse_categorical_crossentropy,
        squared_hinge,
    )
}
ALIASES = {
    "bce": binary_crossentropy,
    "BCE": binary_crossentropy,
    "kld": kl_divergence,
    "KLD": kl_divergence,
    "kullback_leibler_divergence": kl_divergence,
    "logcosh": log_cosh,
    "mae": mean_absolute_error,
    "MAE": mean_absolute_error,
    "mape": mean_absolute_percentage_error,
    "MAPE": mean_absolute_percentage_error,
    "mse": mean_squared_error,
    "MSE": mean_squared_error,
    "msle": mean_squared_logarithmic_error,
    "MSLE": mean_squared_logarithmic_error,
}
ALL_OBJECTS = {**ALL_CLASSES, **ALL_FUNCTIONS, **ALIASES}

UNKNOWN_LOSS = (
    "Could not interpret loss identifier: {identifier!r}. Expected None, a `Loss` instance or class, a function "
    "`fn(y_true, y_pred)`, a dict from `kerasx.losses.serialize`, or one of: {known}."
)

# Aliases
MSE = mse = mean_squared_error
MAE = mae = mean_absolute_error
MAPE = mape = mean_absolute_percentage_error
MSLE = msle = mean_squared_logarithmic_error
KLD = kld = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


def serialize(loss):
    """A function's name, or `{"class_name": ..., "config": ...}` for a `Loss`."""
    if inspect.isfunction(loss):
        for name, fn in ALL_FUNCTIONS.items():
            if fn is loss:
                return name
    return _registry.serialize_keras_object(loss)


def _lookup(name, custom_objects=None):
    return _registry.get_registered_object(name, custom_objects, module_objects=ALL_OBJECTS)


def deserialize(config, custom_objects=None):
    """Inverse of `serialize`: a name gives the function (or class), a dict a new `Loss` instance."""
    inner = config.get("config") if isinstance(config, dict) else None
    if isinstance(inner, dict) and isinstance(inner.get("fn"), str):
        inner = dict(inner)
        fn = _lookup(inner["fn"], custom_objects)
        if fn is None:
            raise ValueError(UNKNOWN_LOSS.format(identifier=inner["fn"], known=", ".join(sorted(ALL_OBJECTS))))
        inner["fn"] = fn
        config = {**config, "config": inner}
    return _registry.deserialize_keras_object(config, custom_objects, module_objects=ALL_OBJECTS, kind="loss")


def get(identifier):
    """The loss for a name ("mse", "BinaryCrossentropy"), a serialized dict, a class, an instance or a callable.

    Names of functions give the function; class names and classes give a new instance with default arguments.
    None gives None.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _lookup(identifier)
    else:
        obj = identifier
    if inspect.isclass(obj) and issubclass(obj, Loss):
        obj = obj()
    if obj is not None and callable(obj) and not inspect.isclass(obj):
        return obj
    raise ValueError(UNKNOWN_LOSS.format(identifier=identifier, known=", ".join(sorted(ALL_OBJECTS))))


__all__ = [
    "KLD",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "REDUCTIONS",
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_hinge",
    "cosine_similarity",
    "deserialize",
    "get",
    "hinge",
    "huber",
    "kl_divergence",
    "kld",
    "kullback_leibler_divergence",
    "log_cosh",
    "logcosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "reduce_weighted_values",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "squeeze_or_expand_to_same_rank",
]
