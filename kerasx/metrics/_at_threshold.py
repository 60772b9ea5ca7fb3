"""One rate at the best threshold that keeps another rate above a target: PrecisionAtRecall, RecallAtPrecision,
SensitivityAtSpecificity and SpecificityAtSensitivity.

The confusion counts are kept at `num_thresholds` thresholds evenly spread over [0, 1]; the result is the largest
value of the reported rate over the thresholds where the constrained rate reaches the target (0 if none does).
"""

from __future__ import annotations

from kerasx import ops
from kerasx.metrics._confusion import check_class_id, update_confusion_matrix_variables
from kerasx.metrics._metric import Metric

BAD_NUM_THRESHOLDS = (
    "Invalid value for argument `num_thresholds` of {name}: expected an int > 0. Received: num_thresholds={value!r}."
)
BAD_TARGET = (
    "Invalid value for argument `{argument}` of {name}: expected a number in [0, 1]. Received: {argument}={value!r}."
)


def _rate(numerator, other):
    return ops.divide_no_nan(numerator, ops.add(numerator, other))


class _RateAtRate(Metric):
    """Confusion counts at evenly spread thresholds; subclasses name the target (`TARGET`) and pick the rates."""

    TARGET = "recall"

    def __init__(self, target, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(dtype=dtype, name=name)
        cls = type(self).__name__
        if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) or num_thresholds <= 0:
            raise ValueError(BAD_NUM_THRESHOLDS.format(name=cls, value=num_thresholds))
        if isinstance(target, bool) or not isinstance(target, (int, float)) or not 0.0 <= target <= 1.0:
            raise ValueError(BAD_TARGET.format(argument=self.TARGET, name=cls, value=target))
        self._direction = "up"
        self.value = target
        setattr(self, self.TARGET, target)
        self.num_thresholds = num_thresholds
        self.class_id = check_class_id(class_id)
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            self.thresholds = [i / (num_thresholds - 1) for i in range(num_thresholds)]
        size = (len(self.thresholds),)
        self.true_positives = self.add_variable(size, "zeros", name="true_positives")
        self.false_positives = self.add_variable(size, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(size, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(size, "zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
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
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def _rates(self) -> dict:
        tp, fp = ops.convert_to_tensor(self.true_positives), ops.convert_to_tensor(self.false_positives)
        tn, fn = ops.convert_to_tensor(self.true_negatives), ops.convert_to_tensor(self.false_negatives)
        recall = _rate(tp, fn)
        return {"recall": recall, "sensitivity": recall, "precision": _rate(tp, fp), "specificity": _rate(tn, fp)}

    def _best(self, constrained, reported):
        feasible = ops.greater_equal(constrained, self.value)
        return ops.max(ops.where(feasible, reported, 0.0), initial=0.0)

    def get_config(self) -> dict:
        return {
            "num_thresholds": self.num_thresholds,
            self.TARGET: self.value,
            "class_id": self.class_id,
            **super().get_config(),
        }


class PrecisionAtRecall(_RateAtRate):
    """Best precision over the thresholds where recall is at least `recall`.

    Args:
        recall: the target recall, in [0, 1].
        num_thresholds: number of thresholds evenly spread over [0, 1] (1 gives the single threshold 0.5).
        class_id: if set, only that class (index of the last axis) is evaluated.

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> metric = metrics.PrecisionAtRecall(recall=0.5)
    >>> metric.update_state(np.array([0, 0, 0, 1, 1]), np.array([0.0, 0.3, 0.8, 0.3, 0.8]))
    >>> round(float(metric.result()), 6)
    0.5
    """

    TARGET = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["precision"])


class RecallAtPrecision(_RateAtRate):
    """Best recall over the thresholds where precision is at least `precision` (arguments as for
    `PrecisionAtRecall`).

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> metric = metrics.RecallAtPrecision(precision=0.8)
    >>> metric.update_state(np.array([0, 0, 1, 1]), np.array([0.0, 0.5, 0.3, 0.9]))
    >>> round(float(metric.result()), 6)
    0.5
    """

    TARGET = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["precision"], rates["recall"])


class SensitivityAtSpecificity(_RateAtRate):
    """Best sensitivity (recall) over the thresholds where specificity `tn / (tn + fp)` is at least
    `specificity` (arguments as for `PrecisionAtRecall`).

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> metric = metrics.SensitivityAtSpecificity(specificity=0.5)
    >>> metric.update_state(np.array([0, 0, 0, 1, 1]), np.array([0.0, 0.3, 0.8, 0.3, 0.8]))
    >>> round(float(metric.result()), 6)
    0.5
    """

    TARGET = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["specificity"], rates["sensitivity"])


class SpecificityAtSensitivity(_RateAtRate):
    """Best specificity over the thresholds where sensitivity (recall) is at least `sensitivity` (arguments as
    for `PrecisionAtRecall`).

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> metric = metrics.SpecificityAtSensitivity(sensitivity=0.5)
    >>> metric.update_state(np.array([0, 0, 0, 1, 1]), np.array([0.0, 0.3, 0.8, 0.3, 0.8]))
    >>> round(float(metric.result()), 6)
    0.666667
    """

    TARGET = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["sensitivity"], rates["specificity"])
