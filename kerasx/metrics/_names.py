"""Metric lookup by name: `get`, `serialize`, `deserialize`, and the tables behind them."""

from __future__ import annotations

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
from kerasx.metrics._at_threshold import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from kerasx.metrics._auc import AUC
from kerasx.metrics._confusion import FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives
from kerasx.metrics._correlation import (
    ConcordanceCorrelation,
    PearsonCorrelation,
    concordance_correlation,
    pearson_correlation,
)
from kerasx.metrics._fbeta import F1Score, FBetaScore
from kerasx.metrics._iou import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
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
from kerasx.metrics._r2 import R2Score
from kerasx.metrics._reduction_metrics import Mean, MeanMetricWrapper, Sum
from kerasx.serialization import Family

ALL_CLASSES = {
    cls.__name__: cls
    for cls in (
        AUC,
        Accuracy,
        BinaryAccuracy,
        BinaryCrossentropy,
        BinaryIoU,
        CategoricalAccuracy,
        CategoricalCrossentropy,
        CategoricalHinge,
        ConcordanceCorrelation,
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
        OneHotIoU,
        OneHotMeanIoU,
        PearsonCorrelation,
        Poisson,
        Precision,
        PrecisionAtRecall,
        R2Score,
        Recall,
        RecallAtPrecision,
        RootMeanSquaredError,
        SensitivityAtSpecificity,
        SparseCategoricalAccuracy,
        SparseCategoricalCrossentropy,
        SparseTopKCategoricalAccuracy,
        SpecificityAtSensitivity,
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
        concordance_correlation,
        cosine_similarity,
        pearson_correlation,
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

_FAMILY = Family(
    "metric",
    "kerasx.metrics",
    BY_NAME,
    functions=ALL_FUNCTIONS,
    base=Metric,
    expected=(
        "None, a `Metric` instance or class, a function `fn(y_true, y_pred)`, a dict from `kerasx.metrics.serialize`"
    ),
    function_keys=("fn",),
)


def serialize(metric):
    """`{"class_name": ..., "config": ...}` for a `Metric`; a metric function gives its name.

    Example:
        >>> import kerasx
        >>> kerasx.metrics.serialize(kerasx.metrics.Mean(name="loss"))
        {'class_name': 'Mean', 'config': {'name': 'loss', 'dtype': 'float32'}}
        >>> kerasx.metrics.serialize(kerasx.metrics.binary_accuracy)
        'binary_accuracy'
    """
    return _FAMILY.serialize(metric)


def deserialize(config, custom_objects=None):
    """Inverse of `serialize`: a new `Metric` from a dict or a class name, or the function with the given name.

    Example:
        >>> import kerasx
        >>> kerasx.metrics.deserialize({"class_name": "Mean", "config": {"name": "loss"}}).name
        'loss'
    """
    return _FAMILY.deserialize(config, custom_objects)


def get(identifier):
    """The metric for a name ("mse", "auc", "Precision"), a serialized dict, a class, an instance or a function.

    Names and classes give a new instance with default arguments; functions and instances are returned as they
    are; None gives None. ("accuracy" gives `Accuracy`; a model's compile resolves it per output instead, see
    `get_for_output`.)

    Example:
        >>> import kerasx
        >>> type(kerasx.metrics.get("mse")).__name__
        'MeanSquaredError'
        >>> kerasx.metrics.get(None) is None
        True
    """
    return _FAMILY.get(identifier)
