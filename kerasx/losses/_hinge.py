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
    """`mean(max(1 - y_true * y_pred, 0), axis=-1)`; labels -1/1 (0/1 labels are converted)."""
    y_true, y_pred = prepare("hinge", y_true, y_pred)
    return ops.mean(_margin(y_true, y_pred), axis=-1)


def squared_hinge(y_true, y_pred):
    """`mean(square(max(1 - y_true * y_pred, 0)), axis=-1)`; labels -1/1 (0/1 labels are converted)."""
    y_true, y_pred = prepare("squared_hinge", y_true, y_pred)
    return ops.mean(ops.square(_margin(y_true, y_pred)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """`max(neg - pos + 1, 0)` with `pos = sum(y_true * y_pred)` and `neg = max((1 - y_true) * y_pred)` over the
    last axis; `y_true` is one-hot."""
    y_true, y_pred = prepare("categorical_hinge", y_true, y_pred)
    positive = ops.sum(ops.multiply(y_true, y_pred), axis=-1)
    negative = ops.max(ops.multiply(ops.subtract(1.0, y_true), y_pred), axis=-1)
    return ops.maximum(ops.add(ops.subtract(negative, positive), 1.0), 0.0)


class Hinge(LossFunctionWrapper):
    """Hinge loss (see `hinge`)."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss (see `squared_hinge`)."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss for one-hot targets (see `categorical_hinge`)."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)
