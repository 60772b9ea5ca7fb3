"""Accuracy metrics: exact match, thresholded binary, arg-max categorical (one-hot or sparse), and top-k."""

from __future__ import annotations

from kerasx import backend, ops
from kerasx.losses._reduction import check_compatible, squeeze_or_expand_to_same_rank
from kerasx.metrics._reduction_metrics import MeanMetricWrapper

BAD_THRESHOLD = "Invalid value for argument `threshold`. Expected a value in (0, 1). Received: threshold={value!r}."
BAD_K = "Invalid value for argument `k`. Expected a positive int. Received: k={value!r}."


def _check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(BAD_K.format(value=k))
    return k


def _matches(a, b):
    return ops.cast(ops.equal(a, b), backend.floatx())


def accuracy(y_true, y_pred):
    """1.0 where `y_pred` equals `y_true` exactly, else 0.0.

    Args:
        y_true: labels.
        y_pred: predictions of the same shape.

    Returns:
        A float tensor of 0.0 and 1.0, one per entry.

    Example:
        >>> import numpy as np
        >>> from kerasx import metrics, ops
        >>> print(ops.convert_to_numpy(metrics.accuracy([1, 2, 3, 4], [1, 2, 0, 4])))
        [1. 1. 0. 1.]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    check_compatible("accuracy", y_true, y_pred)
    return _matches(y_true, y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where `y_pred > threshold` agrees with the 0/1 label `y_true`, else 0.0.

    Args:
        y_true: 0/1 labels.
        y_pred: predicted probabilities (or scores) of the same shape.
        threshold: predictions above it count as 1.

    Returns:
        A float tensor of 0.0 and 1.0, one per entry.

    Example:
        >>> from kerasx import metrics, ops
        >>> print(ops.convert_to_numpy(metrics.binary_accuracy([1.0, 0.0, 1.0], [0.9, 0.6, 0.3])))
        [1. 0. 0.]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    check_compatible("binary_accuracy", y_true, y_pred)
    predicted = ops.cast(ops.greater(y_pred, threshold), ops.dtype(y_true))
    return _matches(y_true, predicted)


def categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of `y_pred` is the arg-max of the one-hot `y_true` (last axis), else 0.0.

    Args:
        y_true: one-hot labels `(..., num_classes)`.
        y_pred: class scores of the same shape.

    Returns:
        A float tensor of 0.0 and 1.0: `y_pred`'s shape without the last axis.

    Example:
        >>> from kerasx import metrics, ops
        >>> y_true, y_pred = [[0, 0, 1], [0, 1, 0]], [[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]]
        >>> print(ops.convert_to_numpy(metrics.categorical_accuracy(y_true, y_pred)))
        [1. 0.]
    """
    check_compatible("categorical_accuracy", y_true, y_pred)
    return _matches(ops.argmax(y_true, axis=-1), ops.argmax(y_pred, axis=-1))


def _sparse_labels(y_true, y_pred):
    y_true = ops.convert_to_tensor(y_true)
    true_shape, pred_shape = ops.shape(y_true), ops.shape(y_pred)
    if len(true_shape) == len(pred_shape) and true_shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    return y_true


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of `y_pred` (last axis) equals the integer label `y_true`, else 0.0.

    Args:
        y_true: integer labels, `y_pred.shape[:-1]` (optionally with a trailing axis of size 1).
        y_pred: class scores `(..., num_classes)`.

    Returns:
        A float tensor of 0.0 and 1.0: `y_pred`'s shape without the last axis.

    Example:
        >>> from kerasx import metrics, ops
        >>> print(ops.convert_to_numpy(metrics.sparse_categorical_accuracy([2, 1], [[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])))
        [1. 0.]
    """
    y_true = _sparse_labels(y_true, y_pred)
    predicted = ops.cast(ops.argmax(y_pred, axis=-1), ops.dtype(y_true))
    return _matches(y_true, predicted)


def in_top_k(targets, predictions, k):
    """Whether each integer target is among the `k` highest predictions of its row (ties count as inside).

    Args:
        targets: integer class ids `(batch,)`.
        predictions: scores `(batch, num_classes)`.
        k: how many of the highest scores count.

    Returns:
        A boolean tensor `(batch,)`; out-of-range targets give False.

    Example:
        >>> from kerasx import metrics, ops
        >>> predictions = [[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]]
        >>> print(ops.convert_to_numpy(metrics.in_top_k([2, 2], predictions, k=2)))
        [ True False]
    """
    predictions = ops.convert_to_tensor(predictions)
    num_classes = ops.shape(predictions)[-1]
    targets = ops.cast(targets, "int32")
    is_target = ops.cast(ops.one_hot(targets, num_classes, dtype="int32"), "bool")  # pyright: ignore[reportArgumentType] - a static size
    target_score = ops.max(ops.where(is_target, predictions, float("-inf")), axis=-1, keepdims=True)
    num_higher = ops.sum(ops.cast(ops.greater(predictions, target_score), "int32"), axis=-1)
    in_range = ops.logical_and(ops.greater_equal(targets, 0), ops.less(targets, num_classes))
    return ops.logical_and(ops.less(num_higher, k), in_range)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the class of the one-hot `y_true` is among the `k` highest scores of `y_pred`, else 0.0.

    Args:
        y_true: one-hot labels `(batch, num_classes)`.
        y_pred: class scores of the same shape.
        k: how many of the highest scores count.

    Returns:
        A float tensor `(batch,)` of 0.0 and 1.0.

    Example:
        >>> from kerasx import metrics, ops
        >>> y_true, y_pred = [[0, 0, 1], [0, 0, 1]], [[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]]
        >>> print(ops.convert_to_numpy(metrics.top_k_categorical_accuracy(y_true, y_pred, k=2)))
        [1. 0.]
    """
    check_compatible("top_k_categorical_accuracy", y_true, y_pred)
    return ops.cast(in_top_k(ops.argmax(y_true, axis=-1), y_pred, _check_k(k)), backend.floatx())


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label `y_true` is among the `k` highest scores of `y_pred`, else 0.0.

    Args:
        y_true: integer labels `(batch,)` (or `(batch, 1)`).
        y_pred: class scores `(batch, num_classes)`, or with
            `from_sorted_ids` class ids sorted by decreasing score (at least `k` per row).
        k: how many of the highest scores count.
        from_sorted_ids: whether `y_pred` holds sorted class ids.

    Returns:
        A float tensor `(batch,)` of 0.0 and 1.0.

    Example:
        >>> from kerasx import metrics, ops
        >>> y_pred = [[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]]
        >>> print(ops.convert_to_numpy(metrics.sparse_top_k_categorical_accuracy([2, 2], y_pred, k=2)))
        [1. 0.]
        >>> sorted_ids = [[1, 2], [0, 1]]
        >>> accuracy = metrics.sparse_top_k_categorical_accuracy([2, 2], sorted_ids, from_sorted_ids=True)
        >>> print(ops.convert_to_numpy(accuracy))
        [1. 0.]
    """
    k = _check_k(k)
    y_true = _sparse_labels(y_true, y_pred)
    if from_sorted_ids:
        top_ids = ops.cast(ops.convert_to_tensor(y_pred)[..., :k], "int32")
        found = ops.any(ops.equal(ops.expand_dims(ops.cast(y_true, "int32"), -1), top_ids), axis=-1)
        return ops.cast(found, backend.floatx())
    return ops.cast(in_top_k(y_true, y_pred, k), backend.floatx())


def _check_threshold(threshold) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0.0 < threshold < 1.0:
        raise ValueError(BAD_THRESHOLD.format(value=threshold))
    return float(threshold)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly (see `accuracy`).

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.Accuracy()
        >>> metric.update_state([1, 2, 3, 4], [1, 2, 0, 4])
        >>> float(metric.result())
        0.75
        >>> metric.update_state([1, 1], [0, 0])
        >>> float(metric.result())
        0.5
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often `y_pred > threshold` matches the binary label (see `binary_accuracy`).

    Args:
        threshold: predictions above it count as 1 (in (0, 1)).
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.BinaryAccuracy()
        >>> metric.update_state([[1.0], [0.0], [1.0], [0.0]], [[0.9], [0.6], [0.3], [0.2]])
        >>> float(metric.result())
        0.5
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=_check_threshold(threshold))


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max prediction matches the one-hot label (see `categorical_accuracy`).

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.CategoricalAccuracy()
        >>> metric.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
        >>> float(metric.result())
        0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max prediction matches the integer label (see `sparse_categorical_accuracy`).

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.SparseCategoricalAccuracy()
        >>> metric.update_state([2, 1], [[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
        >>> float(metric.result())
        0.5
        >>> metric.reset_state()
        >>> float(metric.result())
        0.0
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label is among the top `k` predictions (see `top_k_categorical_accuracy`).

    Args:
        k: how many of the highest scores count.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.TopKCategoricalAccuracy(k=2)
        >>> metric.update_state([[0, 0, 1], [0, 0, 1]], [[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]])
        >>> float(metric.result())
        0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=_check_k(k))


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the top `k` predictions (see `sparse_top_k_categorical_accuracy`).

    Args:
        k: how many of the highest scores count.
        from_sorted_ids: `y_pred` holds class ids sorted by decreasing score.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.SparseTopKCategoricalAccuracy(k=2)
        >>> metric.update_state([2, 2], [[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]])
        >>> float(metric.result())
        0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False):
        super().__init__(
            sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=_check_k(k),
            from_sorted_ids=bool(from_sorted_ids),
        )
