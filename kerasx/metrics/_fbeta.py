"""`FBetaScore` and `F1Score`: the weighted harmonic mean of precision and recall, per class or averaged."""

from __future__ import annotations

from kerasx import backend, ops
from kerasx.metrics._metric import Metric

AVERAGES = (None, "micro", "macro", "weighted")

BAD_AVERAGE = "Invalid value for argument `average`. Expected one of {allowed}. Received: average={value!r}."
BAD_BETA = "Invalid value for argument `beta`. Expected a number > 0. Received: beta={value!r}."
BAD_THRESHOLD = (
    "Invalid value for argument `threshold`. Expected None or a number in (0, 1]. Received: threshold={value!r}."
)
NOT_2D = (
    "`{name}` expects 2D inputs of shape (batch_size, num_classes). "
    "Received: y_true.shape={y_true}, y_pred.shape={y_pred}."
)
UNKNOWN_CLASSES = (
    "`{name}` needs the number of classes (the last dimension of y_pred) to be known. "
    "Received: y_pred.shape={y_pred}."
)
WRONG_NUM_CLASSES = (
    "`{name}` was built for {expected} classes by its first update, but received y_pred.shape={y_pred}. "
    "A metric keeps its number of classes (also across `reset_state()`): use one metric per output."
)


class FBetaScore(Metric):
    """F-beta score `(1 + beta^2) * precision * recall / (beta^2 * precision + recall)` for multi-label or
    one-hot multi-class predictions.

    Args:
        average: None (one score per class), "micro" (counts pooled over classes), "macro" (mean of the class
            scores), or "weighted" (class scores weighted by the number of true instances of each class).
        beta: weight of recall relative to precision (> 0).
        threshold: predictions above it are positive; None marks the highest prediction of each row as positive.

    Shapes: `y_true` and `y_pred` are `(batch_size, num_classes)`; the state is created on the first update.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> y_true = [[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]]
        >>> y_pred = [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7]]
        >>> metric = kerasx.metrics.FBetaScore(beta=2.0, threshold=0.5)
        >>> metric.update_state(y_true, y_pred)
        >>> print(np.round(kerasx.ops.convert_to_numpy(metric.result()), 4))
        [0.8333 0.5556 1.    ]
        >>> metric = kerasx.metrics.FBetaScore(average="micro", beta=2.0, threshold=0.5)
        >>> metric.update_state(y_true, y_pred)
        >>> round(float(metric.result()), 4)
        0.75
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(dtype=dtype, name=name)
        if average not in AVERAGES:
            raise ValueError(BAD_AVERAGE.format(allowed=list(AVERAGES), value=average))
        if isinstance(beta, bool) or not isinstance(beta, (int, float)) or beta <= 0:
            raise ValueError(BAD_BETA.format(value=beta))
        if threshold is not None and (
            isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1
        ):
            raise ValueError(BAD_THRESHOLD.format(value=threshold))
        self.average = average
        self.beta = float(beta)
        self.threshold = None if threshold is None else float(threshold)
        self.axis = None if average == "micro" else 0
        self.num_classes = None

    def _build(self, true_shape, pred_shape):
        if len(pred_shape) != 2 or len(true_shape) != 2:
            raise ValueError(NOT_2D.format(name=self.name, y_true=true_shape, y_pred=pred_shape))
        if pred_shape[-1] is None:
            raise ValueError(UNKNOWN_CLASSES.format(name=self.name, y_pred=pred_shape))
        self.num_classes = int(pred_shape[-1])
        shape = () if self.average == "micro" else (self.num_classes,)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")
        self.intermediate_weights = self.add_variable(shape, "zeros", name="intermediate_weights")

    def _build_from_shapes(self, y_true_shape, y_pred_shape) -> None:
        if self.num_classes is None and len(y_pred_shape) == 2 and y_pred_shape[-1] is not None:
            self._build(tuple(y_pred_shape), tuple(y_pred_shape))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        pred_shape = tuple(ops.shape(y_pred))
        if self.num_classes is None:
            self._build(tuple(ops.shape(y_true)), pred_shape)
        elif len(pred_shape) != 2 or pred_shape[-1] != self.num_classes:
            raise ValueError(WRONG_NUM_CLASSES.format(name=self.name, expected=self.num_classes, y_pred=pred_shape))
        if self.threshold is None:
            # The row maximum is positive, unless the whole row is zero.
            row_max = ops.max(y_pred, axis=-1, keepdims=True)
            positive = ops.logical_and(ops.greater_equal(y_pred, row_max), ops.greater(ops.abs(y_pred), 1e-9))
        else:
            positive = ops.greater(y_pred, self.threshold)
        y_pred = ops.cast(positive, self.dtype)
        if sample_weight is not None:
            sample_weight = ops.expand_dims(ops.convert_to_tensor(sample_weight, dtype=self.dtype), 1)

        def weighted_sum(values):
            if sample_weight is not None:
                values = ops.multiply(values, sample_weight)
            return ops.sum(values, axis=self.axis)

        not_pred, not_true = ops.subtract(1.0, y_pred), ops.subtract(1.0, y_true)
        self.true_positives.assign_add(weighted_sum(ops.multiply(y_pred, y_true)))
        self.false_positives.assign_add(weighted_sum(ops.multiply(y_pred, not_true)))
        self.false_negatives.assign_add(weighted_sum(ops.multiply(not_pred, y_true)))
        self.intermediate_weights.assign_add(weighted_sum(y_true))

    def result(self):
        if self.num_classes is None:
            return ops.convert_to_tensor(0.0, dtype=self.dtype)
        epsilon = backend.epsilon()
        tp = ops.convert_to_tensor(self.true_positives)
        precision = ops.divide(tp, ops.add(ops.add(tp, ops.convert_to_tensor(self.false_positives)), epsilon))
        recall = ops.divide(tp, ops.add(ops.add(tp, ops.convert_to_tensor(self.false_negatives)), epsilon))
        beta_squared = self.beta * self.beta
        harmonic = ops.divide(
            ops.multiply(precision, recall), ops.add(ops.add(ops.multiply(beta_squared, precision), recall), epsilon)
        )
        score = ops.multiply(harmonic, 1.0 + beta_squared)
        if self.average == "weighted":
            support = ops.convert_to_tensor(self.intermediate_weights)
            return ops.sum(ops.multiply(score, ops.divide(support, ops.add(ops.sum(support), epsilon))))
        if self.average is not None:
            return ops.mean(score)
        return score

    def get_config(self) -> dict:
        return {"average": self.average, "beta": self.beta, "threshold": self.threshold, **super().get_config()}


class F1Score(FBetaScore):
    """F1 score, the harmonic mean of precision and recall (`FBetaScore` with `beta=1`).

    Args:
        average: None (one score per class), "micro", "macro" or "weighted" (see `FBetaScore`).
        threshold: predictions above it are positive; None marks the highest prediction of each row as positive.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: one-hot or multi-hot labels `(batch, num_classes)`.
        y_pred: scores of the same shape.
        sample_weight: optional weights, one per sample.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> y_true = [[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]]
        >>> y_pred = [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7]]
        >>> metric = kerasx.metrics.F1Score()
        >>> metric.update_state(y_true, y_pred)
        >>> print(np.round(kerasx.ops.convert_to_numpy(metric.result()), 4))
        [0.6667 0.6667 1.    ]
        >>> macro = kerasx.metrics.F1Score(average="macro")
        >>> macro.update_state(y_true, y_pred)
        >>> round(float(macro.result()), 4)
        0.7778
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config
