"""Correlation metrics between targets and predictions along an axis: Pearson's and the concordance (Lin's)
correlation coefficients, as functions and as streaming means."""

from __future__ import annotations

from kerasx import backend, ops
from kerasx.losses._reduction import squeeze_or_expand_to_same_rank
from kerasx.metrics._reduction_metrics import MeanMetricWrapper


def _inputs(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float(ops.dtype(y_pred)):
        y_pred = ops.cast(y_pred, backend.floatx())
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true, y_pred, axis: int = -1):
    """Pearson's correlation coefficient of `y_true` and `y_pred` along `axis` (one value per sample).

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> y_true = np.array([[1.0, 2.0, 3.0, 4.0]])
    >>> [round(float(v), 6) for v in metrics.pearson_correlation(y_true, 2.0 * y_true + 1.0)]
    [1.0]
    """
    y_true, y_pred = _inputs(y_true, y_pred)
    true_centered = ops.subtract(y_true, ops.mean(y_true, axis=axis, keepdims=True))
    pred_centered = ops.subtract(y_pred, ops.mean(y_pred, axis=axis, keepdims=True))
    true_scaled = ops.divide(true_centered, ops.std(true_centered, axis=axis, keepdims=True))
    pred_scaled = ops.divide(pred_centered, ops.std(pred_centered, axis=axis, keepdims=True))
    return ops.mean(ops.multiply(true_scaled, pred_scaled), axis=axis)


def concordance_correlation(y_true, y_pred, axis: int = -1):
    """Lin's concordance correlation coefficient of `y_true` and `y_pred` along `axis` (one value per sample).

    It is `2 cov / (var_true + var_pred + (mean_true - mean_pred)^2)`: 1 only when the predictions equal the
    targets, lower when they are shifted or scaled. As in Keras 3, the covariance term centres both sides on
    the mean of `y_pred`.

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> y_true = np.array([[1.0, 2.0, 3.0, 4.0]])
    >>> [round(float(v), 4) for v in metrics.concordance_correlation(y_true, y_true)]
    [1.0]
    """
    y_true, y_pred = _inputs(y_true, y_pred)
    true_mean = ops.mean(y_true, axis=axis, keepdims=True)
    pred_mean = ops.mean(y_pred, axis=axis, keepdims=True)
    true_var = ops.var(ops.subtract(y_true, true_mean), axis=axis, keepdims=True)
    pred_var = ops.var(ops.subtract(y_pred, pred_mean), axis=axis, keepdims=True)
    covariance = ops.multiply(ops.subtract(y_true, pred_mean), ops.subtract(y_pred, pred_mean))
    norm = ops.add(ops.add(true_var, pred_var), ops.square(ops.subtract(true_mean, pred_mean)))
    return ops.mean(ops.divide(ops.multiply(2.0, covariance), ops.add(norm, backend.epsilon())), axis=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """Streaming mean of the per-sample Pearson correlation (see `pearson_correlation`); higher is better.

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> metric = metrics.PearsonCorrelation()
    >>> metric.update_state(np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]), np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]))
    >>> round(float(metric.result()), 6)
    0.0
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self._direction = "up"


class ConcordanceCorrelation(MeanMetricWrapper):
    """Streaming mean of the per-sample concordance correlation (see `concordance_correlation`); higher is
    better.

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> metric = metrics.ConcordanceCorrelation()
    >>> metric.update_state(np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, 2.0, 3.0]]))
    >>> round(float(metric.result()), 4)
    1.0
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self._direction = "up"
