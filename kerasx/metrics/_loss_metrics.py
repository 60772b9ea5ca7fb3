"""Metrics that are streaming means of a loss function: regression errors, cross-entropies, hinge losses."""

from __future__ import annotations

from kerasx import losses, ops
from kerasx.losses._regression import l2_normalize, prepare
from kerasx.metrics._reduction_metrics import Mean, MeanMetricWrapper


def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine similarity along `axis`: 1 for vectors pointing the same way, -1 for opposite ones.

    Unlike `kerasx.losses.cosine_similarity`, which is its negative (a loss to minimize).

    Args:
        y_true: target vectors.
        y_pred: predicted vectors of the same shape.
        axis: the axis along which the vectors lie.

    Returns:
        One similarity per vector: `y_pred`'s shape without `axis`.

    Example:
        >>> import numpy as np
        >>> from kerasx import metrics, ops
        >>> y_true, y_pred = [[1.0, 0.0], [1.0, 1.0]], [[2.0, 0.0], [-1.0, 0.0]]
        >>> print(np.round(ops.convert_to_numpy(metrics.cosine_similarity(y_true, y_pred)), 4))
        [ 1.     -0.7071]
    """
    y_true, y_pred = prepare("cosine_similarity", y_true, y_pred)
    return ops.sum(ops.multiply(l2_normalize(y_true, axis), l2_normalize(y_pred, axis)), axis=axis)


class MeanSquaredError(MeanMetricWrapper):
    """Streaming mean of `losses.mean_squared_error`.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.MeanSquaredError()
        >>> metric.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 3.0]])
        >>> float(metric.result())
        1.25
        >>> metric.update_state([[0.0, 0.0]], [[0.0, 0.0]], sample_weight=[2.0])
        >>> float(metric.result())
        0.625
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """Square root of the streaming (weighted) mean of squared errors.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.RootMeanSquaredError()
        >>> metric.update_state([[0.0, 0.0]], [[3.0, 4.0]])
        >>> round(float(metric.result()), 4)
        3.5355
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = prepare("root_mean_squared_error", y_true, y_pred)
        super().update_state(ops.square(ops.subtract(y_pred, y_true)), sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())


class MeanAbsoluteError(MeanMetricWrapper):
    """Streaming mean of `losses.mean_absolute_error`.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.MeanAbsoluteError()
        >>> metric.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 3.0]])
        >>> float(metric.result())
        0.75
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Streaming mean of `losses.mean_absolute_percentage_error`.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.MeanAbsolutePercentageError()
        >>> metric.update_state([[2.0, 4.0]], [[1.0, 5.0]])
        >>> float(metric.result())
        37.5
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Streaming mean of `losses.mean_squared_logarithmic_error`.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.MeanSquaredLogarithmicError()
        >>> metric.update_state([[0.0, 1.0]], [[1.0, 3.0]])
        >>> round(float(metric.result()), 4)
        0.4805
    """

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """Streaming mean of the cosine similarity along `axis` (positive, unlike the loss).

    Args:
        axis: the axis along which the vectors lie.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.CosineSimilarity()
        >>> metric.update_state([[1.0, 0.0], [1.0, 1.0]], [[2.0, 0.0], [-1.0, 0.0]])
        >>> round(float(metric.result()), 4)
        0.1464
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class LogCoshError(MeanMetricWrapper):
    """Streaming mean of `losses.log_cosh`.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.LogCoshError()
        >>> metric.update_state([[0.0, 0.0]], [[1.0, -2.0]])
        >>> round(float(metric.result()), 4)
        0.8794
    """

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(losses.log_cosh, name=name, dtype=dtype)


class BinaryCrossentropy(MeanMetricWrapper):
    """Streaming mean of `losses.binary_crossentropy`.

    Args:
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets are pulled towards 0.5.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.BinaryCrossentropy()
        >>> metric.update_state([[0.0, 1.0], [1.0, 1.0]], [[0.1, 0.8], [0.6, 0.9]])
        >>> round(float(metric.result()), 4)
        0.2362
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0.0):
        super().__init__(
            losses.binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=bool(from_logits),
            label_smoothing=label_smoothing,
        )


class CategoricalCrossentropy(MeanMetricWrapper):
    """Streaming mean of `losses.categorical_crossentropy`.

    Args:
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; mixes the targets with the uniform distribution.
        axis: the class axis.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.CategoricalCrossentropy()
        >>> metric.update_state([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.9, 0.05], [0.1, 0.8, 0.1]])
        >>> round(float(metric.result()), 4)
        1.204
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0.0, axis=-1):
        super().__init__(
            losses.categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=bool(from_logits),
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Streaming mean of `losses.sparse_categorical_crossentropy`.

    Args:
        from_logits: whether `y_pred` holds logits.
        axis: the class axis of `y_pred`.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.SparseCategoricalCrossentropy()
        >>> metric.update_state([1, 2], [[0.05, 0.9, 0.05], [0.1, 0.8, 0.1]])
        >>> round(float(metric.result()), 4)
        1.204
    """

    def __init__(
        self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, ignore_class=None, axis=-1
    ):
        super().__init__(
            losses.sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=bool(from_logits),
            ignore_class=ignore_class,
            axis=axis,
        )


class KLDivergence(MeanMetricWrapper):
    """Streaming mean of `losses.kl_divergence`.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.KLDivergence()
        >>> metric.update_state([[0.5, 0.5], [1.0, 0.0]], [[0.5, 0.5], [0.5, 0.5]])
        >>> round(float(metric.result()), 4)
        0.3466
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(losses.kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """Streaming mean of `losses.poisson`.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.Poisson()
        >>> metric.update_state([[1.0, 3.0]], [[1.0, 2.0]])
        >>> round(float(metric.result()), 4)
        0.4603
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(losses.poisson, name=name, dtype=dtype)


class Hinge(MeanMetricWrapper):
    """Streaming mean of `losses.hinge`.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.Hinge()
        >>> metric.update_state([[1.0, -1.0, 1.0]], [[2.0, -0.5, -1.0]])
        >>> round(float(metric.result()), 4)
        0.8333
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(losses.hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """Streaming mean of `losses.squared_hinge`.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.SquaredHinge()
        >>> metric.update_state([[1.0, -1.0, 1.0]], [[2.0, -0.5, -1.0]])
        >>> round(float(metric.result()), 4)
        1.4167
    """

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(losses.squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """Streaming mean of `losses.categorical_hinge`.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.CategoricalHinge()
        >>> metric.update_state([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], [[0.5, 2.0, 0.0], [0.2, 0.6, 0.1]])
        >>> round(float(metric.result()), 4)
        0.7
    """

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(losses.categorical_hinge, name=name, dtype=dtype)
