"""Hinge losses for maximum-margin classifiers: hinge, squared hinge, categorical hinge."""

from __future__ import annotations

from kerasx import ops
from kerasx.losses._loss import LossFunctionWrapper
from kerasx.losses._regression import prepare


def signed_labels(y_true):
    """Labels in {-1, 1}: 0/1 labels are mapped to -1/1; anything else is returned unchanged."""
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(is_binary, ops.subtract(ops.multiply(2.0, y_true), 1.0), y_true)


def _margin(y_true, y_pred):
    return ops.maximum(ops.subtract(1.0, ops.multiply(signed_labels(y_true), y_pred)), 0.0)


def hinge(y_true, y_pred):
    """`mean(max(1 - y_true * y_pred, 0), axis=-1)`; labels -1/1 (0/1 labels are converted).

    Args:
        y_true: labels in {-1, 1} (labels in {0, 1} are mapped to -1 and 1).
        y_pred: scores, of the same shape.

    Returns:
        One loss per sample: a tensor of `y_pred`'s shape without its last axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[1.0, -1.0, 1.0]], [[2.0, -0.5, -1.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.hinge(y_true, y_pred)), 4))
        [0.8333]
    """
    y_true, y_pred = prepare("hinge", y_true, y_pred)
    return ops.mean(_margin(y_true, y_pred), axis=-1)


def squared_hinge(y_true, y_pred):
    """`mean(square(max(1 - y_true * y_pred, 0)), axis=-1)`; labels -1/1 (0/1 labels are converted).

    Args:
        y_true: labels in {-1, 1} (labels in {0, 1} are mapped to -1 and 1).
        y_pred: scores, of the same shape.

    Returns:
        One loss per sample: a tensor of `y_pred`'s shape without its last axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[1.0, -1.0, 1.0]], [[2.0, -0.5, -1.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.squared_hinge(y_true, y_pred)), 4))
        [1.4167]
    """
    y_true, y_pred = prepare("squared_hinge", y_true, y_pred)
    return ops.mean(ops.square(_margin(y_true, y_pred)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """Multi-class hinge loss `max(neg - pos + 1, 0)` for one-hot targets.

    `pos = sum(y_true * y_pred)` is the score of the true class and `neg = max((1 - y_true) * y_pred)` the
    best score of another class, along the last axis.

    Args:
        y_true: one-hot targets `(batch, num_classes)`.
        y_pred: scores of the same shape.

    Returns:
        One loss per sample: a tensor of `y_pred`'s shape without its last axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], [[0.5, 2.0, 0.0], [0.2, 0.6, 0.1]]
        >>> print(np.round(ops.convert_to_numpy(losses.categorical_hinge(y_true, y_pred)), 4))
        [0.  1.4]
    """
    y_true, y_pred = prepare("categorical_hinge", y_true, y_pred)
    positive = ops.sum(ops.multiply(y_true, y_pred), axis=-1)
    negative = ops.max(ops.multiply(ops.subtract(1.0, y_true), y_pred), axis=-1)
    return ops.maximum(ops.add(ops.subtract(negative, positive), 1.0), 0.0)


class Hinge(LossFunctionWrapper):
    """Hinge loss (see `hinge`).

    Args:
        reduction: how the per-sample losses are combined: "sum_over_batch_size" (the default, the mean), "sum",
            "mean_with_sample_weight" (the weighted sum over the sum of the weights) or None / "none".
        name: name of the loss (in logs and configs).
        dtype: dtype of the computation; defaults to `kerasx.backend.floatx()`.

    Call arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample or one per value.

    Example:
        >>> import kerasx
        >>> loss = kerasx.losses.Hinge()
        >>> round(float(loss([[1.0, -1.0, 1.0]], [[2.0, -0.5, -1.0]])), 4)
        0.8333
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss (see `squared_hinge`).

    Args:
        reduction: how the per-sample losses are combined: "sum_over_batch_size" (the default, the mean), "sum",
            "mean_with_sample_weight" (the weighted sum over the sum of the weights) or None / "none".
        name: name of the loss (in logs and configs).
        dtype: dtype of the computation; defaults to `kerasx.backend.floatx()`.

    Call arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample or one per value.

    Example:
        >>> import kerasx
        >>> loss = kerasx.losses.SquaredHinge()
        >>> round(float(loss([[1.0, -1.0, 1.0]], [[2.0, -0.5, -1.0]])), 4)
        1.4167
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss for one-hot targets (see `categorical_hinge`).

    Args:
        reduction: how the per-sample losses are combined: "sum_over_batch_size" (the default, the mean), "sum",
            "mean_with_sample_weight" (the weighted sum over the sum of the weights) or None / "none".
        name: name of the loss (in logs and configs).
        dtype: dtype of the computation; defaults to `kerasx.backend.floatx()`.

    Call arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample or one per value.

    Example:
        >>> import kerasx
        >>> loss = kerasx.losses.CategoricalHinge()
        >>> round(float(loss([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], [[0.5, 2.0, 0.0], [0.2, 0.6, 0.1]])), 4)
        0.7
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)
