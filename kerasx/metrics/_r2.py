"""`R2Score`: the coefficient of determination, streamed over batches through per-output sums."""

from __future__ import annotations

from kerasx import ops
from kerasx.losses._reduction import squeeze_or_expand_to_same_rank
from kerasx.metrics._metric import Metric

CLASS_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")

BAD_CLASS_AGGREGATION = (
    "Invalid value for argument `class_aggregation` of R2Score. Expected one of {allowed}. "
    "Received: class_aggregation={value!r}."
)
BAD_NUM_REGRESSORS = (
    "Invalid value for argument `num_regressors` of R2Score: expected an int >= 0 (the number of explanatory "
    "variables, for the adjusted score). Received: num_regressors={value!r}."
)
R2_NOT_2D = (
    "R2Score expects 2D inputs of shape (batch_size, num_outputs) with a known number of outputs. "
    "Received: y_true.shape={y_true}, y_pred.shape={y_pred}."
)
R2_WRONG_OUTPUTS = (
    "R2Score was built for {expected} outputs by its first update, but received y_pred.shape={y_pred}. "
    "Use one metric per output shape."
)


class R2Score(Metric):
    """Coefficient of determination `1 - sum((y - y_pred)^2) / sum((y - mean(y))^2)` per output, aggregated.

    Args:
        class_aggregation: "uniform_average" (mean over outputs, default), "variance_weighted_average" (outputs
            weighted by the variance of their targets), or None (one score per output).
        num_regressors: number of explanatory variables; above 0 the adjusted score
            `1 - (1 - r2) (n - 1) / (n - p - 1)` is returned, n being the number of target values seen, unless
            `p >= n - 1` (then the plain score).

    Shapes: `y_true` and `y_pred` are `(batch_size, num_outputs)`; the state is created on the first update.

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> metric = metrics.R2Score()
    >>> metric.update_state(np.array([[1.0], [4.0], [3.0]]), np.array([[2.0], [4.0], [4.0]]))
    >>> round(float(metric.result()), 6)
    0.571429
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(dtype=dtype, name=name)
        if class_aggregation not in CLASS_AGGREGATIONS:
            raise ValueError(BAD_CLASS_AGGREGATION.format(allowed=list(CLASS_AGGREGATIONS), value=class_aggregation))
        if isinstance(num_regressors, bool) or not isinstance(num_regressors, int) or num_regressors < 0:
            raise ValueError(BAD_NUM_REGRESSORS.format(value=num_regressors))
        self._direction = "up"
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), "zeros", name="num_samples")
        self.num_outputs = None

    def _build(self, true_shape, pred_shape):
        if len(pred_shape) != 2 or len(true_shape) != 2 or pred_shape[-1] is None or true_shape[-1] is None:
            raise ValueError(R2_NOT_2D.format(y_true=true_shape, y_pred=pred_shape))
        self.num_outputs = int(pred_shape[-1])
        shape = (self.num_outputs,)
        self.squared_sum = self.add_variable(shape, "zeros", name="squared_sum")
        self.sum = self.add_variable(shape, "zeros", name="sum")
        self.total_mse = self.add_variable(shape, "zeros", name="residual")
        self.count = self.add_variable(shape, "zeros", name="count")

    def _build_from_shapes(self, y_true_shape, y_pred_shape) -> None:
        if self.num_outputs is None and len(y_pred_shape) == 2 and y_pred_shape[-1] is not None:
            self._build(tuple(y_pred_shape), tuple(y_pred_shape))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        pred_shape = tuple(ops.shape(y_pred))
        if self.num_outputs is None:
            self._build(tuple(ops.shape(y_true)), pred_shape)
        elif len(pred_shape) != 2 or pred_shape[-1] != self.num_outputs:
            raise ValueError(R2_WRONG_OUTPUTS.format(expected=self.num_outputs, y_pred=pred_shape))
        if sample_weight is None:
            weights = ops.ones_like(y_true)
        else:
            weights = ops.convert_to_tensor(sample_weight, dtype=self.dtype)
            if len(ops.shape(weights)) == 1:
                weights = ops.expand_dims(weights, 1)
            weights = ops.broadcast_to(weights, ops.shape(y_true))
        weighted_true = ops.multiply(y_true, weights)
        self.sum.assign_add(ops.sum(weighted_true, axis=0))
        self.squared_sum.assign_add(ops.sum(ops.multiply(y_true, weighted_true), axis=0))
        self.total_mse.assign_add(ops.sum(ops.multiply(ops.square(ops.subtract(y_true, y_pred)), weights), axis=0))
        self.count.assign_add(ops.sum(weights, axis=0))
        # Keras 3 counts target values (not rows) as the n of the adjusted score.
        self.num_samples.assign_add(ops.cast(ops.size(y_true), self.dtype))

    def result(self):
        if self.num_outputs is None:
            return ops.convert_to_tensor(0.0, dtype=self.dtype)
        total_sum = ops.convert_to_tensor(self.sum)
        mean = ops.divide(total_sum, ops.convert_to_tensor(self.count))
        total = ops.subtract(ops.convert_to_tensor(self.squared_sum), ops.multiply(total_sum, mean))
        scores = ops.subtract(1.0, ops.divide(ops.convert_to_tensor(self.total_mse), total))
        # A constant target has no variance: its score counts as 0, as in Keras.
        scores = ops.where(ops.isinf(scores), 0.0, scores)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.divide(ops.sum(ops.multiply(total, scores)), ops.sum(total))
        else:
            score = scores
        if self.num_regressors == 0:
            return score
        n = ops.convert_to_tensor(self.num_samples)
        p = float(self.num_regressors)
        adjusted = ops.subtract(
            1.0, ops.divide(ops.multiply(ops.subtract(1.0, score), ops.subtract(n, 1.0)), ops.subtract(n, p + 1.0))
        )
        return ops.where(ops.less(p, ops.subtract(n, 1.0)), adjusted, score)

    def get_config(self) -> dict:
        return {
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
            **super().get_config(),
        }
