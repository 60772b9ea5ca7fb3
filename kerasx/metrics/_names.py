"""Metric lookup by name: `get`, `serialize`, `deserialize`, and the tables behind them."""

from __future__ import annotations

import inspect

from kerasx.losses._loss import snake_case
from kerasx.metrics._accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from kerasx.metrics._auc import AUC
from kerasx.metrics._confusion import FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives
from kerasx.metrics._fbeta import F1Score, FBetaScore
from kerasx.metrics._iou import IoU, MeanIoU
from kerasx.metrics._loss_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    KLDivergence,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    RootMeanSquaredError,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    cosine_similarity,
)
from kerasx.metrics._metric import Metric
from kerasx.metrics._reduction_metrics import Mean, MeanMetricWrapper, Sum
from kerasx.serialization import _registry

ALL_CLASSES = {
    cls.__name__: cls
    for cls in (
        AUC,
        Accuracy,
        BinaryAccuracy,
        BinaryCrossentropy,
        CategoricalAccuracy,
        CategoricalCrossentropy,
        CategoricalHinge,
        CosineSimilarity,
        F1Score,
        FBetaScore,
        FalseNegatives,
        FalsePositives,
        Hinge,
        IoU,
        KLDivergence,
        LogCoshError,
        Mean,
        MeanAbsoluteError,
        MeanAbsolutePercentageError,
        MeanIoU,
        MeanMetricWrapper,
        MeanSquaredError,
        MeanSquaredLogarithmicError,
        Poisson,
        Precision,
        Recall,
        RootMeanSquaredError,
        SparseCategoricalAccuracy,
        SparseCategoricalCrossentropy,
        SparseTopKCategoricalAccuracy,
        SquaredHinge,
        Sum,
        TopKCategoricalAccuracy,
        TrueNegatives,
        TruePositives,
    )
}
# Metric functions (one value per sample); used by `MeanMetricWrapper` configs and by compile-time resolution.
ALL_FUNCTIONS = {
    fn.__name__: fn
    for fn in (
        accuracy,
        binary_accuracy,
        categorical_accuracy,
        cosine_similarity,
        sparse_categorical_accuracy,
        sparse_top_k_categorical_accuracy,
        top_k_categorical_accuracy,
    )
}
# Names `get` accepts: class names, their snake-case forms, and Keras's short aliases; each gives a new instance.
BY_NAME = {**ALL_CLASSES, **{snake_case(name): cls for name, cls in ALL_CLASSES.items()}}
BY_NAME.update(
    {
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
        "rmse": RootMeanSquaredError,
        "mean_iou": MeanIoU,
        "iou": IoU,
        "logcosh": LogCoshError,
    }
)

UNKNOWN_METRIC = (
    "Could not interpret metric identifier: {identifier!r}. Expected None, a `Metric` instance or class, a function "
    "`fn(y_true, y_pred)`, a dict from `kerasx.metrics.serialize`, or one of: {known}."
)
NEEDS_ARGUMENTS = (
    "Metric {identifier!r} cannot be created from its name alone: {cls} requires the arguments {required}. "
    "Pass an instance instead, e.g. `kerasx.metrics.{cls}({example})`."
)


def _instantiate(cls, identifier):
    required = [
        p.name
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.name != "self" and p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    if required:
        example = ", ".join(f"{name}=..." for name in required)
        message = NEEDS_ARGUMENTS.format(identifier=identifier, cls=cls.__name__, required=required, example=example)
        raise ValueError(message)
    return cls()


def serialize(metric):
    """`{"class_name": ..., "config": ...}` for a `Metric`; a function gives its name."""
    return _registry.serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """Inverse of `serialize`: a new `Metric` from a dict, or the function or class with the given name."""
    module_objects = {**ALL_FUNCTIONS, **BY_NAME}
    inner = config.get("config") if isinstance(config, dict) else None
    if isinstance(inner, dict) and isinstance(inner.get("fn"), str):
        inner = dict(inner)
        fn = _registry.get_registered_object(inner["fn"], custom_objects, module_objects)
        if fn is None:
            raise ValueError(UNKNOWN_METRIC.format(identifier=inner["fn"], known=", ".join(sorted(module_objects))))
        inner["fn"] = fn
        config = {**config, "config": inner}
    return _registry.deserialize_keras_object(config, custom_objects, module_objects=module_objects, kind="metric")


def get(identifier):
    """The metric for a name ("mse", "auc", "Precision"), a serialized dict, a class, an instance or a function.

    Names and classes give a new instance with default arguments; functions and instances are returned as they
    are; None gives None. ("accuracy" gives `Accuracy`; a model's compile resolves it per output instead, see
    `get_for_output`.)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _registry.get_registered_object(identifier, module_objects=BY_NAME)
    else:
        obj = identifier
    if inspect.isclass(obj) and issubclass(obj, Metric):
        obj = _instantiate(obj, identifier)
    if obj is not None and callable(obj) and not inspect.isclass(obj):
        return obj
    raise ValueError(UNKNOWN_METRIC.format(identifier=identifier, known=", ".join(sorted(BY_NAME))))
