"""Which metrics read their targets as integer class indices, and along which axis of the prediction."""

from __future__ import annotations

from kerasx import losses
from kerasx.metrics._accuracy import sparse_categorical_accuracy, sparse_top_k_categorical_accuracy
from kerasx.metrics._reduction_metrics import MeanMetricWrapper

_CLASS_INDEX_FUNCTIONS = (
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    losses.sparse_categorical_crossentropy,
)


def class_label_spec(metric) -> dict | None:
    """`{"axis": int, "ignore_class": int | None}` when `metric` reads integer labels as class indices along `axis`
    of the prediction (sparse accuracy, sparse top-k accuracy on scores, sparse cross-entropy); else None.

    Example:

    >>> from kerasx import metrics
    >>> class_label_spec(metrics.SparseCategoricalAccuracy())
    {'axis': -1, 'ignore_class': None}
    >>> class_label_spec(metrics.Mean()) is None
    True
    """
    if not isinstance(metric, MeanMetricWrapper) or not any(metric._fn is fn for fn in _CLASS_INDEX_FUNCTIONS):
        return None
    kwargs = metric._fn_kwargs
    if kwargs.get("from_sorted_ids"):
        return None  # the prediction holds class ids, not one score per class
    return {"axis": kwargs.get("axis", -1), "ignore_class": kwargs.get("ignore_class")}
