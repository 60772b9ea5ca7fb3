"""Which losses read their targets as integer class indices, and along which axis of the prediction."""

from __future__ import annotations

from kerasx.losses._loss import LossFunctionWrapper
from kerasx.losses._probabilistic import sparse_categorical_crossentropy


def class_label_spec(loss) -> dict | None:
    """`{"axis": int, "ignore_class": int | None}` when `loss` reads integer labels as class indices along `axis`
    of the prediction (the sparse categorical cross-entropy, as a function or a `Loss`); None for any other loss.

    Example:

    >>> from kerasx import losses
    >>> class_label_spec(losses.SparseCategoricalCrossentropy(ignore_class=-1))
    {'axis': -1, 'ignore_class': -1}
    >>> class_label_spec(losses.MeanSquaredError()) is None
    True
    """
    if loss is sparse_categorical_crossentropy:
        return {"axis": -1, "ignore_class": None}
    if isinstance(loss, LossFunctionWrapper) and loss.fn is sparse_categorical_crossentropy:
        kwargs = loss._fn_kwargs
        return {"axis": kwargs.get("axis", -1), "ignore_class": kwargs.get("ignore_class")}
    return None
