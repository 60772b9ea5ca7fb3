"""Regression losses: squared, absolute, percentage and logarithmic errors, Huber, log-cosh, cosine similarity.

Each function returns one loss per sample: the mean (or sum) over the last axis of `y_pred`.
"""

from __future__ import annotations

import math

from kerasx import backend, ops
from kerasx.losses._loss import LossFunctionWrapper
from kerasx.losses._reduction import check_compatible, squeeze_or_expand_to_same_rank


def prepare(name: str, y_true, y_pred):
    """Float `y_pred`, `y_true` in its dtype, ranks aligned, shapes checked."""
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float(ops.dtype(y_pred)):
        y_pred = ops.cast(y_pred, backend.floatx())
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    check_compatible(name, y_true, y_pred)
    return y_true, y_pred


def mean_squared_error(y_true, y_pred):
    """`mean(square(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = prepare("mean_squared_error", y_true, y_pred)
    return ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = prepare("mean_absolute_error", y_true, y_pred)
    return ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`."""
    y_true, y_pred = prepare("mean_absolute_percentage_error", y_true, y_pred)
    scale = ops.maximum(ops.abs(y_true), backend.epsilon())
    return ops.multiply(100.0, ops.mean(ops.abs(ops.divide(ops.subtract(y_true, y_pred), scale)), axis=-1))


def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`."""
    y_true, y_pred = prepare("mean_squared_logarithmic_error", y_true, y_pred)
    log_pred = ops.log1p(ops.maximum(y_pred, backend.epsilon()))
    log_true = ops.log1p(ops.maximum(y_true, backend.epsilon()))
    return ops.mean(ops.square(ops.subtract(log_pred, log_true)), axis=-1)


def l2_normalize(x, axis=-1):
    """`x / sqrt(max(sum(x ** 2, axis), epsilon))`."""
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.divide(x, ops.sqrt(ops.maximum(square_sum, backend.epsilon())))


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity along `axis`: -1 for vectors pointing the same way, 1 for opposite ones."""
    y_true, y_pred = prepare("cosine_similarity", y_true, y_pred)
    return ops.negative(ops.sum(ops.multiply(l2_normalize(y_true, axis), l2_normalize(y_pred, axis)), axis=axis))


def huber(y_true, y_pred, delta=1.0):
    """`0.5 * e**2` where `|e| <= delta`, else `delta * |e| - 0.5 * delta**2`, with `e = y_pred - y_true`; mean
    over the last axis."""
    y_true, y_pred = prepare("huber", y_true, y_pred)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = ops.multiply(0.5, ops.square(error))
    linear = ops.subtract(ops.multiply(delta, abs_error), 0.5 * delta * delta)
    return ops.mean(ops.where(ops.less_equal(abs_error, delta), quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed as `e + softplus(-2e) - log(2)` to stay finite."""
    y_true, y_pred = prepare("log_cosh", y_true, y_pred)
    error = ops.subtract(y_pred, y_true)
    value = ops.add(error, ops.softplus(ops.multiply(-2.0, error)))
    return ops.mean(ops.subtract(value, math.log(2.0)), axis=-1)


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors between targets and predictions (see `mean_squared_error`)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors (see `mean_absolute_error`)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error (see `mean_absolute_percentage_error`)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error (see `mean_squared_logarithmic_error`)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity along `axis` (see `cosine_similarity`)."""

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)


class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for errors up to `delta`, linear beyond (see `huber`)."""

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=float(delta))


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the error (see `log_cosh`)."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)
