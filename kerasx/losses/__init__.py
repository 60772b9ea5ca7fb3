"""Losses: `Loss` classes and plain functions (Keras 3 names), and `get` / `serialize` / `deserialize`.

`get("mse")` returns the function `mean_squared_error`; `get("MeanSquaredError")` returns a new instance.
"""

from __future__ import annotations

from kerasx import _missing
from kerasx.losses._circle import Circle, circle
from kerasx.losses._ctc import CTC, ctc
from kerasx.losses._divergence import KLDivergence, Poisson, kl_divergence, poisson
from kerasx.losses._hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from kerasx.losses._loss import Loss, LossFunctionWrapper
from kerasx.losses._overlap import Dice, Tversky, dice, tversky
from kerasx.losses._probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
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
from kerasx.serialization import Family

ALL_CLASSES = {
    cls.__name__: cls
    for cls in (
        LossFunctionWrapper,
        BinaryCrossentropy,
        BinaryFocalCrossentropy,
        CategoricalCrossentropy,
        CategoricalFocalCrossentropy,
        CategoricalGeneralizedCrossEntropy,
        CategoricalHinge,
        Circle,
        CosineSimilarity,
        CTC,
        Dice,
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
        Tversky,
    )
}
ALL_FUNCTIONS = {
    fn.__name__: fn
    for fn in (
        binary_crossentropy,
        binary_focal_crossentropy,
        categorical_crossentropy,
        categorical_focal_crossentropy,
        categorical_generalized_cross_entropy,
        categorical_hinge,
        circle,
        cosine_similarity,
        ctc,
        dice,
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
        tversky,
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

_FAMILY = Family(
    "loss",
    "kerasx.losses",
    ALL_OBJECTS,
    functions=ALL_FUNCTIONS,
    base=Loss,
    expected="None, a `Loss` instance or class, a function `fn(y_true, y_pred)`, a dict from `kerasx.losses.serialize`",
    function_keys=("fn",),
)

# Aliases
MSE = mse = mean_squared_error
MAE = mae = mean_absolute_error
MAPE = mape = mean_absolute_percentage_error
MSLE = msle = mean_squared_logarithmic_error
KLD = kld = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh


def serialize(loss):
    """A loss function's name, or `{"class_name": ..., "config": ...}` for a `Loss`.

    Example:
        >>> import kerasx
        >>> kerasx.losses.serialize(kerasx.losses.mean_squared_error)
        'mean_squared_error'
        >>> kerasx.losses.serialize(kerasx.losses.Huber(delta=2.0))["config"]["delta"]
        2.0
    """
    return _FAMILY.serialize(loss)


def deserialize(name, custom_objects=None):
    """Inverse of `serialize`: a function name gives the function, a class name or a dict a new `Loss`.

    The argument is called `name` as in Keras 3, though it takes a config dict too; `custom_objects` maps names to
    your own classes and functions.

    Args:
        name: a function name ("mean_squared_error", "mse") or a dict from `serialize`.
        custom_objects: optional dict mapping names to your own loss classes or functions.

    Returns:
        A loss function or a new `Loss` instance.

    Example:
        >>> import kerasx
        >>> kerasx.losses.deserialize("mean_absolute_error") is kerasx.losses.mean_absolute_error
        True
        >>> kerasx.losses.deserialize({"class_name": "Huber", "config": {"delta": 2.0}}).get_config()["delta"]
        2.0
    """
    return _FAMILY.deserialize(name, custom_objects)


def get(identifier):
    """The loss for a name ("mse", "BinaryCrossentropy"), a serialized dict, a class, an instance or a callable.

    Names of functions give the function; class names and classes give a new instance with default arguments.
    None gives None.

    Args:
        identifier: None, a name, a dict from `serialize`, a `Loss` class or instance, or a callable.

    Returns:
        A loss function or a `Loss` instance (None for None).

    Example:
        >>> import kerasx
        >>> kerasx.losses.get("mse") is kerasx.losses.mean_squared_error
        True
        >>> type(kerasx.losses.get("MeanSquaredError")).__name__
        'MeanSquaredError'
    """
    return _FAMILY.get(identifier)


__all__ = [
    "KLD",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "REDUCTIONS",
    "CTC",
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalGeneralizedCrossEntropy",
    "CategoricalHinge",
    "Circle",
    "CosineSimilarity",
    "Dice",
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
    "Tversky",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "circle",
    "cosine_similarity",
    "ctc",
    "deserialize",
    "dice",
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
    "tversky",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
