"""Confusion-matrix counts at thresholds: TruePositives, FalsePositives, TrueNegatives, FalseNegatives,
Precision and Recall, and the shared update used by AUC.

A prediction is positive at threshold `t` when `y_pred > t` (strictly); labels are positive when non-zero.
"""

from __future__ import annotations

import numpy as np

from kerasx import ops
from kerasx.losses._reduction import align_weights, check_compatible, squeeze_or_expand_to_same_rank
from kerasx.metrics._metric import Metric

# Score given to entries outside the top k, so they are negative at every threshold in [0, 1].
NEG_INF = -1e10

BAD_THRESHOLDS = (
    "Threshold values must be numbers in [0, 1]. Received: thresholds={thresholds!r}. "
    "Pass one float (e.g. 0.5) or a list of floats."
)
BAD_TOP_K = "Invalid value for argument `top_k`: expected None or a positive int. Received: top_k={value!r}."
BAD_CLASS_ID = "Invalid value for argument `class_id`: expected None or an int >= 0. Received: class_id={value!r}."
CLASS_ID_OUT_OF_RANGE = (
    "`class_id`={class_id} is out of range for predictions with {num_classes} classes "
    "(y_pred.shape={shape}). Pick a class id in [0, {num_classes})."
)

def parse_thresholds(thresholds, default):
    """`(list of floats, single)`: `single` when one threshold was given as a number (or defaulted)."""
    if thresholds is None:
        return [float(default)], True
    single = isinstance(thresholds, (int, float)) and not isinstance(thresholds, bool)
    values = [thresholds] if single else list(np.asarray(thresholds, dtype="float64").reshape(-1))
    if not values or any(isinstance(t, bool) or not 0.0 <= float(t) <= 1.0 for t in values):
        raise ValueError(BAD_THRESHOLDS.format(thresholds=thresholds))
    return [float(t) for t in values], single or len(values) == 1


def check_top_k(top_k):
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise ValueError(BAD_TOP_K.format(value=top_k))
    return top_k


def check_class_id(class_id):
    if class_id is not None and (isinstance(class_id, bool) or not isinstance(class_id, int) or class_id < 0):
        raise ValueError(BAD_CLASS_ID.format(value=class_id))
    return class_id


def filter_top_k(x, k: int):
    """`x` with every entry outside the `k` largest of its last axis replaced by NEG_INF."""
    num_classes = ops.shape(x)[-1]
    _, indices = ops.top_k(x, k)
    in_top_k = ops.sum(ops.one_hot(indices, num_classes, dtype="int32"), axis=-2)  # pyright: ignore[reportArgumentType] - a static size
    return ops.where(ops.greater(in_top_k, 0), x, NEG_INF)


def update_confusion_matrix_variables(
    variables: dict,
    y_true,
    y_pred,
    thresholds,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
):
    """Adds this batch's weighted counts to the variables in `variables` (keys among "tp", "fp", "tn", "fn").

    Each variable has one entry per threshold, `(num_thresholds,)`, or with `multi_label` one per threshold and
    label, `(num_thresholds, num_labels)`, where the last axis of `y_pred` holds the labels.
    """
    dtype = next(iter(variables.values())).dtype
    y_pred = ops.cast(y_pred, dtype)
    y_true = ops.cast(y_true, dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    check_compatible("confusion matrix", y_true, y_pred)
    y_true = ops.multiply(y_true, ops.ones_like(y_pred))
    weights = None
    if sample_weight is not None:
        _, weights = align_weights(y_pred, ops.cast(sample_weight, dtype))
        weights = ops.multiply(weights, ops.ones_like(y_pred))
    if label_weights is not None and not multi_label:
        label_weights = ops.cast(label_weights, dtype)
        weights = ops.multiply(label_weights, ops.ones_like(y_pred) if weights is None else weights)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        num_classes = ops.shape(y_pred)[-1]
        if num_classes is not None and class_id >= num_classes:
            raise ValueError(
                CLASS_ID_OUT_OF_RANGE.format(class_id=class_id, num_classes=num_classes, shape=ops.shape(y_pred))
            )
        # Native basic slicing, the same on every engine; keeps the axis so weights still line up.
        y_true, y_pred = y_true[..., class_id : class_id + 1], y_pred[..., class_id : class_id + 1]
        weights = None if weights is None else weights[..., class_id : class_id + 1]
    if multi_label:
        flat_shape = (-1, ops.shape(y_pred)[-1])
    else:
        flat_shape = (-1,)
    y_pred = ops.reshape(y_pred, flat_shape)
    positive = ops.cast(ops.cast(ops.reshape(y_true, flat_shape), "bool"), dtype)
    if weights is None:
        negative = ops.subtract(1.0, positive)
    else:
        weights = ops.reshape(weights, flat_shape)
        positive = ops.multiply(positive, weights)
        negative = ops.subtract(weights, positive)
    threshold_shape = (len(thresholds),) + (1,) * len(flat_shape)
    thresholds = ops.convert_to_tensor(np.asarray(thresholds, dtype="float64").reshape(threshold_shape), dtype=dtype)
    predicted = ops.cast(ops.greater(ops.expand_dims(y_pred, 0), thresholds), dtype)
    # Only the positive-prediction counts need the (thresholds x entries) product; the negative-prediction counts
    # are the totals minus them.
    counts = {}
    if "tp" in variables or "fn" in variables:
        counts["tp"] = ops.sum(ops.multiply(predicted, positive), axis=1)
        counts["fn"] = ops.subtract(ops.sum(positive, axis=0), counts["tp"])
    if "fp" in variables or "tn" in variables:
        counts["fp"] = ops.sum(ops.multiply(predicted, negative), axis=1)
        counts["tn"] = ops.subtract(ops.sum(negative, axis=0), counts["fp"])
    for key, variable in variables.items():
        variable.assign_add(counts[key])


class _ConfusionCount(Metric):
    """Weighted count of one confusion-matrix condition at each threshold (default 0.5)."""

    condition = "tp"

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(dtype=dtype, name=name)
        self.init_thresholds = thresholds
        self.thresholds, self._single = parse_thresholds(thresholds, default=0.5)
        self.accumulator = self.add_variable((len(self.thresholds),), "zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {self.condition: self.accumulator}, y_true, y_pred, self.thresholds, sample_weight=sample_weight
        )

    def result(self):
        value = ops.convert_to_tensor(self.accumulator)
        return value[0] if self._single else value

    def get_config(self) -> dict:
        return {"thresholds": self.init_thresholds, **super().get_config()}


class TruePositives(_ConfusionCount):
    """Weighted number of true positives (`y_true` positive, `y_pred > threshold`) at each threshold.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5); a list gives one count per threshold.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: 0/1 labels.
        y_pred: predicted probabilities of the same shape.
        sample_weight: optional weights, one per entry or per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.TruePositives()
        >>> metric.update_state([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6])
        >>> float(metric.result())
        2.0
        >>> metric = kerasx.metrics.TruePositives(thresholds=[0.3, 0.8])
        >>> metric.update_state([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6])
        >>> kerasx.ops.convert_to_numpy(metric.result()).tolist()
        [3.0, 1.0]
    """

    condition = "tp"


class FalsePositives(_ConfusionCount):
    """Weighted number of false positives (`y_true` zero, `y_pred > threshold`) at each threshold.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5); a list gives one count per threshold.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: 0/1 labels.
        y_pred: predicted probabilities of the same shape.
        sample_weight: optional weights, one per entry or per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.FalsePositives()
        >>> metric.update_state([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6])
        >>> float(metric.result())
        1.0
        >>> metric = kerasx.metrics.FalsePositives(thresholds=[0.3, 0.8])
        >>> metric.update_state([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6])
        >>> kerasx.ops.convert_to_numpy(metric.result()).tolist()
        [1.0, 0.0]
    """

    condition = "fp"


class TrueNegatives(_ConfusionCount):
    """Weighted number of true negatives (`y_true` zero, `y_pred <= threshold`) at each threshold.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5); a list gives one count per threshold.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: 0/1 labels.
        y_pred: predicted probabilities of the same shape.
        sample_weight: optional weights, one per entry or per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.TrueNegatives()
        >>> metric.update_state([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6])
        >>> float(metric.result())
        1.0
        >>> metric = kerasx.metrics.TrueNegatives(thresholds=[0.3, 0.8])
        >>> metric.update_state([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6])
        >>> kerasx.ops.convert_to_numpy(metric.result()).tolist()
        [1.0, 2.0]
    """

    condition = "tn"


class FalseNegatives(_ConfusionCount):
    """Weighted number of false negatives (`y_true` positive, `y_pred <= threshold`) at each threshold.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5); a list gives one count per threshold.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: 0/1 labels.
        y_pred: predicted probabilities of the same shape.
        sample_weight: optional weights, one per entry or per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.FalseNegatives()
        >>> metric.update_state([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6])
        >>> float(metric.result())
        1.0
        >>> metric = kerasx.metrics.FalseNegatives(thresholds=[0.3, 0.8])
        >>> metric.update_state([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6])
        >>> kerasx.ops.convert_to_numpy(metric.result()).tolist()
        [0.0, 2.0]
    """

    condition = "fn"


class _PrecisionRecall(Metric):
    """`tp / (tp + other)` at each threshold, optionally over the top-k predictions or one class only."""

    other = "fp"

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(dtype=dtype, name=name)
        self.init_thresholds = thresholds
        self.top_k = check_top_k(top_k)
        self.class_id = check_class_id(class_id)
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds, self._single = parse_thresholds(thresholds, default=default)
        size = (len(self.thresholds),)
        self.true_positives = self.add_variable(size, "zeros", name="true_positives")
        other_name = "false_positives" if self.other == "fp" else "false_negatives"
        self.other_count = self.add_variable(size, "zeros", name=other_name)
        setattr(self, other_name, self.other_count)

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_matrix_variables(
            {"tp": self.true_positives, self.other: self.other_count},
            y_true,
            y_pred,
            self.thresholds,
            top_k=self.top_k,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def result(self):
        true_positives = ops.convert_to_tensor(self.true_positives)
        value = ops.divide_no_nan(true_positives, ops.add(true_positives, ops.convert_to_tensor(self.other_count)))
        return value[0] if self._single else value

    def get_config(self) -> dict:
        return {
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
            **super().get_config(),
        }


class Precision(_PrecisionRecall):
    """Precision `tp / (tp + fp)`: the fraction of positive predictions that are right.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5); the result has one value per threshold
            (a scalar for one threshold).
        top_k: if set, only the `top_k` highest predictions of each row can be positive.
        class_id: if set, only that class (index of the last axis) is evaluated.

        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: 0/1 labels.
        y_pred: predicted probabilities of the same shape.
        sample_weight: optional weights, one per entry or per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.Precision()
        >>> metric.update_state([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6])
        >>> round(float(metric.result()), 4)
        0.6667
        >>> top_1 = kerasx.metrics.Precision(top_k=1)
        >>> top_1.update_state([[0, 1, 1], [1, 0, 0]], [[0.2, 0.9, 0.4], [0.1, 0.7, 0.6]])
        >>> float(top_1.result())
        0.5
    """

    other = "fp"


class Recall(_PrecisionRecall):
    """Recall `tp / (tp + fn)`: the fraction of positive labels that are found.

    Args:
        thresholds: a float or list of floats in [0, 1] (default 0.5); the result has one value per threshold
            (a scalar for one threshold).
        top_k: if set, only the `top_k` highest predictions of each row can be positive.
        class_id: if set, only that class (index of the last axis) is evaluated.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: 0/1 labels.
        y_pred: predicted probabilities of the same shape.
        sample_weight: optional weights, one per entry or per sample.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.Recall()
        >>> metric.update_state([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.7, 0.6])
        >>> round(float(metric.result()), 4)
        0.6667
        >>> first_class = kerasx.metrics.Recall(class_id=0)
        >>> first_class.update_state([[1, 0], [1, 1]], [[0.8, 0.1], [0.3, 0.9]])
        >>> float(first_class.result())
        0.5
    """

    other = "fn"
