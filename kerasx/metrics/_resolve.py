"""Compile-time metric resolution: "accuracy" and "crossentropy" become the binary, categorical or sparse variant
that fits an output, the way Keras picks them.
"""

from __future__ import annotations

from kerasx import losses
from kerasx.metrics._accuracy import binary_accuracy, categorical_accuracy, sparse_categorical_accuracy
from kerasx.metrics._metric import Metric
from kerasx.metrics._names import get
from kerasx.metrics._reduction_metrics import MeanMetricWrapper

ACCURACY_NAMES = ("accuracy", "acc")
CROSSENTROPY_NAMES = ("crossentropy", "ce")

_BINARY_LOSSES = (losses.BinaryCrossentropy, losses.BinaryFocalCrossentropy)
_BINARY_FUNCTIONS = (losses.binary_crossentropy, losses.binary_focal_crossentropy)


def _loss_kind(loss):
    """"binary", "sparse" or "categorical" when `loss` is a cross-entropy, else None."""
    if isinstance(loss, str):
        try:
            loss = losses.get(loss)
        except ValueError:
            return None
    if isinstance(loss, _BINARY_LOSSES) or any(loss is fn for fn in _BINARY_FUNCTIONS):
        return "binary"
    if isinstance(loss, losses.SparseCategoricalCrossentropy) or loss is losses.sparse_categorical_crossentropy:
        return "sparse"
    if isinstance(loss, losses.CategoricalCrossentropy) or loss is losses.categorical_crossentropy:
        return "categorical"
    return None


def output_kind(y_true_shape, y_pred_shape, loss=None) -> str:
    """"binary", "sparse" or "categorical": what kind of classification an output does.

    One score per sample (`y_pred` of rank <= 1 or last dimension 1) is binary; otherwise a cross-entropy loss
    decides; otherwise integer targets (lower rank than `y_pred`, or a last dimension of 1) are sparse and
    targets shaped like `y_pred` are one-hot.

    Args:
        y_true_shape: shape of the targets.
        y_pred_shape: shape of the predictions.
        loss: the output's loss (a name, function or `Loss`), or None.

    Returns:
        "binary", "sparse" or "categorical".

    Example:
        >>> import kerasx
        >>> kerasx.metrics.output_kind((None, 1), (None, 1))
        'binary'
        >>> kerasx.metrics.output_kind((None,), (None, 10))
        'sparse'
        >>> kerasx.metrics.output_kind((None, 10), (None, 10))
        'categorical'
        >>> kerasx.metrics.output_kind((None, 10), (None, 10), loss="sparse_categorical_crossentropy")
        'sparse'
    """
    y_true_shape, y_pred_shape = tuple(y_true_shape), tuple(y_pred_shape)
    if len(y_pred_shape) <= 1 or y_pred_shape[-1] == 1:
        return "binary"
    kind = _loss_kind(loss)
    if kind is not None:
        return kind
    if len(y_true_shape) < len(y_pred_shape) or (y_true_shape and y_true_shape[-1] == 1):
        return "sparse"
    return "categorical"


def get_accuracy_for(y_true_shape, y_pred_shape, loss=None):
    """The accuracy function ("accuracy"/"acc" in compile) for an output with these shapes and loss.

    Args:
        y_true_shape: shape of the targets.
        y_pred_shape: shape of the predictions.
        loss: the output's loss, or None.

    Returns:
        `binary_accuracy`, `sparse_categorical_accuracy` or `categorical_accuracy` (see `output_kind`).

    Example:
        >>> import kerasx
        >>> kerasx.metrics.get_accuracy_for((None,), (None, 10)).__name__
        'sparse_categorical_accuracy'
        >>> kerasx.metrics.get_accuracy_for((None, 1), (None, 1)).__name__
        'binary_accuracy'
    """
    kind = output_kind(y_true_shape, y_pred_shape, loss)
    return {"binary": binary_accuracy, "sparse": sparse_categorical_accuracy, "categorical": categorical_accuracy}[kind]


def get_crossentropy_for(y_true_shape, y_pred_shape, loss=None):
    """The cross-entropy function ("crossentropy"/"ce" in compile) for an output with these shapes and loss.

    Args:
        y_true_shape: shape of the targets.
        y_pred_shape: shape of the predictions.
        loss: the output's loss, or None.

    Returns:
        `binary_crossentropy`, `sparse_categorical_crossentropy` or `categorical_crossentropy` from
        `kerasx.losses` (see `output_kind`).

    Example:
        >>> import kerasx
        >>> kerasx.metrics.get_crossentropy_for((None, 10), (None, 10)).__name__
        'categorical_crossentropy'
    """
    kind = output_kind(y_true_shape, y_pred_shape, loss)
    return {
        "binary": losses.binary_crossentropy,
        "sparse": losses.sparse_categorical_crossentropy,
        "categorical": losses.categorical_crossentropy,
    }[kind]


def get_for_output(identifier, y_true_shape, y_pred_shape, loss=None):
    """A `Metric` for one model output, from what a user passes in `compile(metrics=...)`.

    "accuracy"/"acc" and "crossentropy"/"ce" are resolved with `get_accuracy_for` / `get_crossentropy_for`;
    other identifiers go through `get`. Functions are wrapped in `MeanMetricWrapper`. A string identifier also
    becomes the metric's name (so `"acc"` is logged as "acc"). None gives None.

    Args:
        identifier: what `compile(metrics=...)` received for this output: a name, a function, a `Metric`, or None.
        y_true_shape: shape of the targets.
        y_pred_shape: shape of the predictions.
        loss: the output's loss, or None.

    Returns:
        A `Metric` instance, or None.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.get_for_output("acc", (None,), (None, 10))
        >>> metric.name
        'acc'
        >>> metric.update_state([2, 0], [[0.1, 0.2, 0.7], [0.3, 0.6, 0.1]])
        >>> float(metric.result())
        0.5
        >>> type(kerasx.metrics.get_for_output("mae", (None, 1), (None, 1))).__name__
        'MeanAbsoluteError'
    """
    if identifier is None:
        return None
    lowered = identifier.lower() if isinstance(identifier, str) else None
    if lowered in ACCURACY_NAMES:
        metric = get_accuracy_for(y_true_shape, y_pred_shape, loss)
    elif lowered in CROSSENTROPY_NAMES:
        metric = get_crossentropy_for(y_true_shape, y_pred_shape, loss)
    else:
        metric = get(identifier)
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric)
    if isinstance(identifier, str):
        metric.name = identifier
    # State sized by the data is made now, outside any compiled step (which could not add variables).
    metric._build_from_shapes(tuple(y_true_shape), tuple(y_pred_shape))
    return metric
