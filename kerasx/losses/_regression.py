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
    """`mean(square(y_true - y_pred), axis=-1)`.

    Args:
        y_true: targets.
        y_pred: predictions, of the same shape (a trailing axis of size 1 may differ).

    Returns:
        One loss per sample: a tensor of `y_pred`'s shape without its last axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[0.0, 1.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 3.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.mean_squared_error(y_true, y_pred)), 4))
        [0.5 2. ]
    """
    y_true, y_pred = prepare("mean_squared_error", y_true, y_pred)
    return ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """`mean(abs(y_true - y_pred), axis=-1)`.

    Args:
        y_true: targets.
        y_pred: predictions, of the same shape (a trailing axis of size 1 may differ).

    Returns:
        One loss per sample: a tensor of `y_pred`'s shape without its last axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[0.0, 1.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 3.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.mean_absolute_error(y_true, y_pred)), 4))
        [0.5 1. ]
    """
    y_true, y_pred = prepare("mean_absolute_error", y_true, y_pred)
    return ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`.

    Args:
        y_true: targets.
        y_pred: predictions, of the same shape (a trailing axis of size 1 may differ).

    Returns:
        One loss per sample: a tensor of `y_pred`'s shape without its last axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[2.0, 4.0]], [[1.0, 5.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.mean_absolute_percentage_error(y_true, y_pred)), 4))
        [37.5]
    """
    y_true, y_pred = prepare("mean_absolute_percentage_error", y_true, y_pred)
    scale = ops.maximum(ops.abs(y_true), backend.epsilon())
    return ops.multiply(100.0, ops.mean(ops.abs(ops.divide(ops.subtract(y_true, y_pred), scale)), axis=-1))


def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`.

    Args:
        y_true: targets.
        y_pred: predictions, of the same shape (a trailing axis of size 1 may differ).

    Returns:
        One loss per sample: a tensor of `y_pred`'s shape without its last axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[0.0, 1.0]], [[1.0, 3.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.mean_squared_logarithmic_error(y_true, y_pred)), 4))
        [0.4805]
    """
    y_true, y_pred = prepare("mean_squared_logarithmic_error", y_true, y_pred)
    log_pred = ops.log1p(ops.maximum(y_pred, backend.epsilon()))
    log_true = ops.log1p(ops.maximum(y_true, backend.epsilon()))
    return ops.mean(ops.square(ops.subtract(log_pred, log_true)), axis=-1)


def l2_normalize(x, axis=-1):
    """`x / sqrt(max(sum(x ** 2, axis), epsilon))`."""
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.divide(x, ops.sqrt(ops.maximum(square_sum, backend.epsilon())))


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity along `axis`: -1 for vectors pointing the same way, 1 for opposite ones.

    Args:
        y_true: targets.
        y_pred: predictions, of the same shape (a trailing axis of size 1 may differ).
        axis: the axis along which the vectors lie.

    Returns:
        One value per vector: `y_pred`'s shape without `axis`.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[1.0, 0.0], [1.0, 1.0]], [[2.0, 0.0], [-1.0, 0.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.cosine_similarity(y_true, y_pred)), 4))
        [-1.      0.7071]
    """
    y_true, y_pred = prepare("cosine_similarity", y_true, y_pred)
    return ops.negative(ops.sum(ops.multiply(l2_normalize(y_true, axis), l2_normalize(y_pred, axis)), axis=axis))


def huber(y_true, y_pred, delta=1.0):
    """Huber loss: `0.5 * e**2` where `|e| <= delta`, else `delta * |e| - 0.5 * delta**2`, with `e = y_pred - y_true`.

    Less sensitive to outliers than the squared error: large errors count linearly.

    Args:
        y_true: targets.
        y_pred: predictions, of the same shape (a trailing axis of size 1 may differ).
        delta: the error size where the loss turns from quadratic to linear.

    Returns:
        The mean over the last axis: one loss per sample.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[0.0, 0.0]], [[0.5, 3.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.huber(y_true, y_pred)), 4))
        [1.3125]
    """
    y_true, y_pred = prepare("huber", y_true, y_pred)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = ops.multiply(0.5, ops.square(error))
    linear = ops.subtract(ops.multiply(delta, abs_error), 0.5 * delta * delta)
    return ops.mean(ops.where(ops.less_equal(abs_error, delta), quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed as `e + softplus(-2e) - log(2)` to stay finite.

    About `e**2 / 2` for small errors and `|e| - log(2)` for large ones.

    Args:
        y_true: targets.
        y_pred: predictions, of the same shape (a trailing axis of size 1 may differ).

    Returns:
        One loss per sample: a tensor of `y_pred`'s shape without its last axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[0.0, 0.0]], [[1.0, -2.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.log_cosh(y_true, y_pred)), 4))
        [0.8794]
    """
    y_true, y_pred = prepare("log_cosh", y_true, y_pred)
    error = ops.subtract(y_pred, y_true)
    value = ops.add(error, ops.softplus(ops.multiply(-2.0, error)))
    return ops.mean(ops.subtract(value, math.log(2.0)), axis=-1)


class MeanSquaredError(LossFunctionWrapper):
    """Mean of squares of errors between targets and predictions (see `mean_squared_error`).

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
        >>> loss = kerasx.losses.MeanSquaredError()
        >>> y_true, y_pred = [[0.0, 1.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 3.0]]
        >>> float(loss(y_true, y_pred))
        1.25
        >>> float(loss(y_true, y_pred, sample_weight=[1.0, 0.0]))
        0.25
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors (see `mean_absolute_error`).

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
        >>> loss = kerasx.losses.MeanAbsoluteError()
        >>> float(loss([[0.0, 1.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 3.0]]))
        0.75
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error (see `mean_absolute_percentage_error`).

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
        >>> loss = kerasx.losses.MeanAbsolutePercentageError()
        >>> float(loss([[2.0, 4.0]], [[1.0, 5.0]]))
        37.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error (see `mean_squared_logarithmic_error`).

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
        >>> loss = kerasx.losses.MeanSquaredLogarithmicError()
        >>> round(float(loss([[0.0, 1.0]], [[1.0, 3.0]])), 4)
        0.4805
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity along `axis` (see `cosine_similarity`).

    Args:
        axis: the axis along which the vectors lie.
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
        >>> loss = kerasx.losses.CosineSimilarity()
        >>> round(float(loss([[1.0, 0.0], [1.0, 1.0]], [[2.0, 0.0], [-1.0, 0.0]])), 4)
        -0.1464
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)


class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for errors up to `delta`, linear beyond (see `huber`).

    Args:
        delta: the error size where the loss turns from quadratic to linear.
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
        >>> loss = kerasx.losses.Huber(delta=1.0)
        >>> float(loss([[0.0, 0.0]], [[0.5, 3.0]]))
        1.3125
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=float(delta))


class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the error (see `log_cosh`).

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
        >>> loss = kerasx.losses.LogCosh()
        >>> round(float(loss([[0.0, 0.0]], [[1.0, -2.0]])), 4)
        0.8794
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)
