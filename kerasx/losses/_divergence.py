"""Losses between distributions and rates: Kullback-Leibler divergence and the Poisson negative log-likelihood."""

from __future__ import annotations

from kerasx import backend, ops
from kerasx.losses._loss import LossFunctionWrapper
from kerasx.losses._regression import prepare


def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to [eps, 1].

    Args:
        y_true: target distributions along the last axis.
        y_pred: predicted distributions of the same shape.

    Returns:
        One divergence per sample: `y_pred`'s shape without its last axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[0.5, 0.5], [1.0, 0.0]], [[0.5, 0.5], [0.5, 0.5]]
        >>> print(np.round(ops.convert_to_numpy(losses.kl_divergence(y_true, y_pred)), 4))
        [0.     0.6931]
    """
    y_true, y_pred = prepare("kl_divergence", y_true, y_pred)
    y_true = ops.clip(y_true, backend.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, backend.epsilon(), 1.0)
    return ops.sum(ops.multiply(y_true, ops.log(ops.divide(y_true, y_pred))), axis=-1)


def poisson(y_true, y_pred):
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`.

    The negative log-likelihood of counts `y_true` under Poisson rates `y_pred`, up to a constant.

    Args:
        y_true: observed counts.
        y_pred: predicted rates (positive), of the same shape.

    Returns:
        One loss per sample: a tensor of `y_pred`'s shape without its last axis.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[1.0, 3.0]], [[1.0, 2.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.poisson(y_true, y_pred)), 4))
        [0.4603]
    """
    y_true, y_pred = prepare("poisson", y_true, y_pred)
    log_pred = ops.log(ops.add(y_pred, backend.epsilon()))
    return ops.mean(ops.subtract(y_pred, ops.multiply(y_true, log_pred)), axis=-1)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence between target and predicted distributions (see `kl_divergence`).

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
        >>> loss = kerasx.losses.KLDivergence()
        >>> round(float(loss([[0.5, 0.5], [1.0, 0.0]], [[0.5, 0.5], [0.5, 0.5]])), 4)
        0.3466
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Poisson negative log-likelihood up to a constant (see `poisson`).

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
        >>> loss = kerasx.losses.Poisson()
        >>> round(float(loss([[1.0, 3.0]], [[1.0, 2.0]])), 4)
        0.4603
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)
