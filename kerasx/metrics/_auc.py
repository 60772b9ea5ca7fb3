"""`AUC`: area under the ROC or precision-recall curve, from confusion counts at a fixed set of thresholds."""

from __future__ import annotations

import numpy as np

from kerasx import backend, ops
from kerasx.metrics._confusion import parse_thresholds, update_confusion_matrix_variables
from kerasx.metrics._metric import Metric

CURVES = ("ROC", "PR")
SUMMATION_METHODS = ("interpolation", "minoring", "majoring")

BAD_NUM_THRESHOLDS = "Argument `num_thresholds` must be an int > 1. Received: num_thresholds={value!r}."
BAD_CURVE = "Invalid value for argument `curve`. Expected one of {allowed}. Received: curve={value!r}."
BAD_SUMMATION = (
    "Invalid value for argument `summation_method`. Expected one of {allowed}. Received: summation_method={value!r}."
)
BAD_NUM_LABELS = (
    "AUC(multi_label=True, num_labels={expected}) received predictions with {received} labels "
    "(y_pred.shape={shape}). The last axis of y_pred must hold the labels."
)
NOT_MULTI_LABEL_RANK = (
    "AUC(multi_label=True) expects y_pred of rank 2, (batch_size, num_labels). Received: y_pred.shape={shape}."
)


def _standardize_choice(value, allowed, message):
    if isinstance(value, str):
        for option in allowed:
            if value.lower() == option.lower():
                return option
    raise ValueError(message.format(allowed=list(allowed), value=value))


class AUC(Metric):
    """Approximate area under the ROC curve (`curve="ROC"`) or the precision-recall curve (`curve="PR"`).

    Predictions are compared with `num_thresholds` thresholds spread evenly over [0, 1] (the first just below 0,
    the last just above 1); the curve through the resulting (false positive rate, recall) or (recall, precision)
    points is integrated with the trapezoid rule ("interpolation"; for PR the interpolation of Davis & Goadrich
    2006), or with the lower ("minoring") or upper ("majoring") Riemann sum.

    Args:
        num_thresholds: number of thresholds (> 1) when `thresholds` is not given.
        curve: "ROC" or "PR".
        summation_method: "interpolation", "minoring" or "majoring".
        thresholds: optional explicit thresholds in [0, 1]; the end points are added.
        multi_label: treat the last axis of `y_pred` as independent labels: one curve per label, averaged (with
            `label_weights` if given). Otherwise all entries are pooled into one curve.
        num_labels: number of labels with `multi_label` (otherwise taken from the first batch).
        label_weights: per-label weights: of the counts (single curve) or of the per-label AUCs (multi-label).
        from_logits: apply a sigmoid to `y_pred` first.

        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: 0/1 labels.
        y_pred: predicted probabilities (or logits with `from_logits=True`) of the same shape.
        sample_weight: optional weights, one per entry or per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.AUC(num_thresholds=11)
        >>> metric.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> round(float(metric.result()), 4)
        0.875
        >>> pr = kerasx.metrics.AUC(curve="PR", num_thresholds=11)
        >>> pr.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> round(float(pr.result()), 4)
        0.8873
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        super().__init__(dtype=dtype, name=name)
        self.curve = _standardize_choice(curve, CURVES, BAD_CURVE)
        self.summation_method = _standardize_choice(summation_method, SUMMATION_METHODS, BAD_SUMMATION)
        if thresholds is not None:
            inner, _ = parse_thresholds(thresholds, default=0.5)
            inner = sorted(inner)
            self._init_from_thresholds = True
        else:
            if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) or num_thresholds <= 1:
                raise ValueError(BAD_NUM_THRESHOLDS.format(value=num_thresholds))
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._init_from_thresholds = False
        epsilon = backend.epsilon()
        self.thresholds = [0.0 - epsilon] + inner + [1.0 + epsilon]
        self.num_thresholds = len(self.thresholds)
        self.multi_label = bool(multi_label)
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else [float(w) for w in np.asarray(label_weights).ravel()]
        self.from_logits = bool(from_logits)
        self._built = False
        if not self.multi_label or num_labels is not None:
            self._build(num_labels)

    def _build(self, num_labels):
        shape = (self.num_thresholds, num_labels) if self.multi_label else (self.num_thresholds,)
        self.num_labels = num_labels
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")
        self._built = True

    def _build_from_shapes(self, y_true_shape, y_pred_shape) -> None:
        if self.multi_label and not self._built and len(y_pred_shape) == 2 and y_pred_shape[-1] is not None:
            self._build(y_pred_shape[-1])

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates the counts of a batch. y_pred: probabilities in [0, 1] (or logits with `from_logits`)."""
        if self.multi_label:
            shape = tuple(ops.shape(y_pred))
            if len(shape) != 2:
                raise ValueError(NOT_MULTI_LABEL_RANK.format(shape=shape))
            if not self._built:
                self._build(shape[-1])
            elif shape[-1] is not None and shape[-1] != self.num_labels:
                raise ValueError(BAD_NUM_LABELS.format(expected=self.num_labels, received=shape[-1], shape=shape))
        if self.from_logits:
            y_pred = ops.sigmoid(y_pred)
        update_confusion_matrix_variables(
            {
                "tp": self.true_positives,
                "fp": self.false_positives,
                "tn": self.true_negatives,
                "fn": self.false_negatives,
            },
            y_true,
            y_pred,
            self.thresholds,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=self.label_weights,
        )

    def _average_labels(self, by_label):
        if not self.multi_label:
            return by_label
        if self.label_weights is None:
            return ops.mean(by_label)
        weights = ops.convert_to_tensor(self.label_weights, dtype=self.dtype)
        return ops.divide_no_nan(ops.sum(ops.multiply(by_label, weights)), ops.sum(weights))

    def _interpolate_pr_auc(self, tp, fp, fn):
        # Between two thresholds precision is interpolated as a function of the number of positive predictions
        # p = tp + fp, with tp linear in p; integrating precision d(recall) then has the closed form below.
        n = self.num_thresholds
        positives = ops.add(tp, fp)
        d_tp = ops.subtract(tp[: n - 1], tp[1:])
        d_positives = ops.subtract(positives[: n - 1], positives[1:])
        slope = ops.divide_no_nan(d_tp, ops.maximum(d_positives, 0.0))
        intercept = ops.subtract(tp[1:], ops.multiply(slope, positives[1:]))
        both_positive = ops.logical_and(ops.greater(positives[: n - 1], 0.0), ops.greater(positives[1:], 0.0))
        ratio = ops.where(
            both_positive,
            ops.divide_no_nan(positives[: n - 1], ops.maximum(positives[1:], 0.0)),
            ops.ones_like(positives[1:]),
        )
        increment = ops.divide_no_nan(
            ops.multiply(slope, ops.add(d_tp, ops.multiply(intercept, ops.log(ratio)))),
            ops.maximum(ops.add(tp[1:], fn[1:]), 0.0),
        )
        return ops.sum(increment, axis=0)

    def result(self):
        if not self._built:
            return ops.convert_to_tensor(0.0, dtype=self.dtype)
        tp, fp, tn, fn = (
            ops.convert_to_tensor(v)
            for v in (self.true_positives, self.false_positives, self.true_negatives, self.false_negatives)
        )
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._average_labels(self._interpolate_pr_auc(tp, fp, fn))
        recall = ops.divide_no_nan(tp, ops.add(tp, fn))
        if self.curve == "ROC":
            x, y = ops.divide_no_nan(fp, ops.add(fp, tn)), recall
        else:
            x, y = recall, ops.divide_no_nan(tp, ops.add(tp, fp))
        n = self.num_thresholds
        if self.summation_method == "interpolation":
            heights = ops.multiply(ops.add(y[: n - 1], y[1:]), 0.5)
        elif self.summation_method == "minoring":
            heights = ops.minimum(y[: n - 1], y[1:])
        else:
            heights = ops.maximum(y[: n - 1], y[1:])
        by_label = ops.sum(ops.multiply(ops.subtract(x[: n - 1], x[1:]), heights), axis=0)
        return self._average_labels(by_label)

    def get_config(self) -> dict:
        config = {
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": self.label_weights,
            "from_logits": self.from_logits,
            **super().get_config(),
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
