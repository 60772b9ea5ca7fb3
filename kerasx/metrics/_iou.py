"""Intersection-over-union metrics for segmentation-style class labels: `IoU`, `MeanIoU`, `BinaryIoU`, and the
one-hot `OneHotIoU` and `OneHotMeanIoU`."""

from __future__ import annotations

import numpy as np

from kerasx import backend, ops
from kerasx.metrics._metric import Metric

BAD_NUM_CLASSES = "Invalid value for argument `num_classes`. Expected an int >= 2. Received: num_classes={value!r}."
BAD_TARGET_IDS = (
    "Invalid value for argument `target_class_ids`: expected a non-empty list of class ids in [0, {num_classes}). "
    "Received: target_class_ids={value!r}."
)


def confusion_matrix(labels, predictions, num_classes: int, weights, dtype):
    """`(num_classes, num_classes)` weighted counts: rows are true classes, columns predicted classes.

    Labels or predictions outside `[0, num_classes)` are not counted.

    Example:

    >>> import numpy as np
    >>> from kerasx import ops
    >>> matrix = confusion_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), 2, np.ones(3), "float32")
    >>> ops.convert_to_numpy(matrix).tolist()
    [[1.0, 0.0], [1.0, 1.0]]
    """
    true_one_hot = ops.one_hot(ops.cast(labels, "int32"), num_classes, dtype=dtype)
    pred_one_hot = ops.one_hot(ops.cast(predictions, "int32"), num_classes, dtype=dtype)
    weighted = ops.multiply(pred_one_hot, ops.expand_dims(weights, -1))
    return ops.matmul(ops.transpose(true_one_hot), weighted)


class IoU(Metric):
    """Intersection over union `tp / (tp + fp + fn)` averaged over the classes in `target_class_ids`.

    Classes that appear neither in the labels nor in the predictions are left out of the average.

    As in Keras 3, the state (a confusion matrix) is of `dtype`, "int32" by default: sample weights are then
    truncated to integers, and the result is float32.

    Args:
        num_classes: number of classes (>= 2); the state is a `(num_classes, num_classes)` confusion matrix.
        target_class_ids: the classes whose IoU is averaged.
        ignore_class: a label whose entries are not counted (e.g. a "void" class).
        sparse_y_true, sparse_y_pred: whether labels / predictions are class ids (True) or scores over `axis`
            (False: the arg-max is taken).
        axis: class axis of non-sparse inputs.

        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: class ids (or scores with `sparse_y_true=False`).
        y_pred: predicted class ids (or scores with `sparse_y_pred=False`).
        sample_weight: optional weights, one per entry.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.IoU(num_classes=2, target_class_ids=[1])
        >>> metric.update_state([0, 1, 1, 0], [0, 1, 0, 1])
        >>> round(float(metric.result()), 4)
        0.3333
        >>> scores = kerasx.metrics.IoU(num_classes=2, target_class_ids=[0, 1], sparse_y_pred=False)
        >>> scores.update_state([0, 1, 1, 0], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
        >>> round(float(scores.result()), 4)
        0.3333
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(dtype=dtype or "int32", name=name)
        self._direction = "up"
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(BAD_NUM_CLASSES.format(value=num_classes))
        ids = list(target_class_ids) if isinstance(target_class_ids, (list, tuple)) else [target_class_ids]
        valid = all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) and 0 <= i < num_classes for i in ids)
        if not ids or not valid:
            raise ValueError(BAD_TARGET_IDS.format(num_classes=num_classes, value=target_class_ids))
        self.num_classes = num_classes
        self.target_class_ids = [int(i) for i in ids]
        self.ignore_class = ignore_class
        self.sparse_y_true = bool(sparse_y_true)
        self.sparse_y_pred = bool(sparse_y_pred)
        self.axis = axis
        self.total_cm = self.add_variable((num_classes, num_classes), "zeros", name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        # Labels and weights go through the state dtype first, as in Keras (an int state truncates them).
        y_true = ops.reshape(ops.convert_to_tensor(y_true, dtype=self.dtype), (-1,))
        y_pred = ops.reshape(ops.convert_to_tensor(y_pred, dtype=self.dtype), (-1,))
        compute_dtype = self.dtype if backend.is_float(self.dtype) else "float32"
        if sample_weight is None:
            weights = ops.ones_like(y_true, dtype=compute_dtype)
        else:
            weights = ops.reshape(ops.convert_to_tensor(sample_weight, dtype=self.dtype), (-1,))
            weights = ops.multiply(ops.cast(weights, compute_dtype), ops.ones_like(y_true, dtype=compute_dtype))
        if self.ignore_class is not None:
            weights = ops.multiply(weights, ops.cast(ops.not_equal(y_true, self.ignore_class), compute_dtype))
        matrix = confusion_matrix(y_true, y_pred, self.num_classes, weights, compute_dtype)
        self.total_cm.assign_add(ops.cast(matrix, self.dtype))

    def result(self):
        compute_dtype = self.dtype if backend.is_float(self.dtype) else "float32"
        matrix = ops.cast(self.total_cm, compute_dtype)
        eye = ops.convert_to_tensor(np.eye(self.num_classes), dtype=compute_dtype)
        true_positives = ops.sum(ops.multiply(matrix, eye), axis=1)
        denominator = ops.subtract(ops.add(ops.sum(matrix, axis=0), ops.sum(matrix, axis=1)), true_positives)
        # A fixed 0/1 selection matrix picks the target classes without a gather.
        selection = ops.convert_to_tensor(np.eye(self.num_classes)[self.target_class_ids], dtype=compute_dtype)
        true_positives = ops.cast(ops.sum(ops.multiply(selection, true_positives), axis=1), "float32")
        denominator = ops.cast(ops.sum(ops.multiply(selection, denominator), axis=1), "float32")
        num_valid = ops.sum(ops.cast(ops.greater(denominator, 1e-9), "float32"))
        iou = ops.divide(true_positives, ops.add(denominator, backend.epsilon()))
        return ops.divide(ops.sum(iou), ops.add(num_valid, backend.epsilon()))

    def get_config(self) -> dict:
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
            **super().get_config(),
        }


class MeanIoU(IoU):
    """Mean intersection over union over all `num_classes` classes (see `IoU`).

    A common metric for semantic segmentation: for each class `tp / (tp + fp + fn)`, averaged over the classes
    present in the labels or the predictions.

    Args:
        num_classes: number of classes (>= 2).
        ignore_class: a label whose entries are not counted (e.g. a "void" class).
        sparse_y_true, sparse_y_pred: whether labels / predictions are class ids (True) or scores over `axis`.
        axis: class axis of non-sparse inputs.
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        y_true: class ids (or scores with `sparse_y_true=False`).
        y_pred: predicted class ids (or scores with `sparse_y_pred=False`).
        sample_weight: optional weights, one per entry.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.MeanIoU(num_classes=2)
        >>> metric.update_state([0, 1, 1, 0], [0, 1, 0, 0])
        >>> round(float(metric.result()), 4)
        0.5833
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            list(range(num_classes)) if isinstance(num_classes, int) and not isinstance(num_classes, bool) else [],
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["target_class_ids"]
        return config


class BinaryIoU(IoU):
    """IoU of binary labels, predictions being positive when `y_pred >= threshold`, averaged over
    `target_class_ids` (0: the negatives, 1: the positives).

    Args:
        target_class_ids: which of the two classes are averaged; (0, 1) by default.
        threshold: predictions at or above it count as class 1.

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> metric = metrics.BinaryIoU(target_class_ids=[1], threshold=0.5)
    >>> metric.update_state(np.array([0, 1, 1, 0]), np.array([0.2, 0.7, 0.4, 0.6]))
    >>> round(float(metric.result()), 6)
    0.333333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = float(threshold)

    def update_state(self, y_true, y_pred, sample_weight=None):
        predicted = ops.greater_equal(ops.convert_to_tensor(y_pred, dtype="float32"), self.threshold)
        super().update_state(y_true, ops.cast(predicted, self.dtype), sample_weight)

    def get_config(self) -> dict:
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


class OneHotIoU(IoU):
    """`IoU` for one-hot labels: the class of each entry is the arg-max of `y_true` (and of `y_pred` unless
    `sparse_y_pred`) over `axis`.

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> metric = metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    >>> y_true = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
    >>> y_pred = np.array([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
    >>> metric.update_state(y_true, y_pred)
    >>> round(float(metric.result()), 6)
    0.166667
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """`MeanIoU` for one-hot labels (see `OneHotIoU`).

    Example:

    >>> import numpy as np
    >>> from kerasx import metrics
    >>> metric = metrics.OneHotMeanIoU(num_classes=3)
    >>> y_true = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
    >>> y_pred = np.array([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
    >>> metric.update_state(y_true, y_pred)
    >>> round(float(metric.result()), 6)
    0.111111
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["sparse_y_true"]
        return config
