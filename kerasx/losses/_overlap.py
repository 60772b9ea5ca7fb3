"""Overlap losses for segmentation masks: Dice and Tversky (1 minus a soft overlap score)."""

from __future__ import annotations

from kerasx import backend, ops
from kerasx.losses._loss import LossFunctionWrapper


def _float_inputs(y_true, y_pred):
    """Float `y_pred`, `y_true` in its dtype."""
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float(ops.dtype(y_pred)):
        y_pred = ops.cast(y_pred, backend.floatx())
    return ops.cast(y_true, ops.dtype(y_pred)), y_pred


def _axes(axis):
    # A config read back from JSON holds a list.
    return tuple(axis) if isinstance(axis, list) else axis


def dice(y_true, y_pred, axis=None):
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`, summed over `axis`.

    With `axis=None` the sums run over every entry, giving one score for the whole batch; pass the non-batch axes
    (e.g. `axis=(1, 2)` for masks of shape `(batch, height, width)`) for one score per sample.

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> y_true = np.array([[1.0, 1.0, 0.0, 0.0]])
    >>> y_pred = np.array([[1.0, 0.5, 0.5, 0.0]])
    >>> round(float(losses.dice(y_true, y_pred)), 6)
    0.25
    """
    y_true, y_pred = _float_inputs(y_true, y_pred)
    axis = _axes(axis)
    intersection = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    total = ops.add(ops.add(ops.sum(y_true, axis=axis), ops.sum(y_pred, axis=axis)), backend.epsilon())
    return ops.subtract(1.0, ops.divide(ops.multiply(2.0, intersection), total))


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """`1 - tp / (tp + alpha * fp + beta * fn + epsilon)` with soft counts summed over `axis`.

    `fp = sum((1 - y_pred) * y_true)` and `fn = sum(y_pred * (1 - y_true))`, as Keras 3 names them; with
    `alpha = beta = 0.5` this is the Dice loss.

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> y_true = np.array([[1.0, 1.0, 0.0, 0.0]])
    >>> y_pred = np.array([[1.0, 0.5, 0.5, 0.0]])
    >>> round(float(losses.tversky(y_true, y_pred, alpha=0.7, beta=0.3)), 6)
    0.25
    """
    y_true, y_pred = _float_inputs(y_true, y_pred)
    axis = _axes(axis)
    intersection = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    false_positives = ops.sum(ops.multiply(ops.subtract(1.0, y_pred), y_true), axis=axis)
    false_negatives = ops.sum(ops.multiply(y_pred, ops.subtract(1.0, y_true)), axis=axis)
    denominator = ops.add(
        ops.add(intersection, ops.multiply(false_positives, alpha)),
        ops.add(ops.multiply(false_negatives, beta), backend.epsilon()),
    )
    return ops.subtract(1.0, ops.divide(intersection, denominator))


class Dice(LossFunctionWrapper):
    """Dice loss: 1 minus the soft Dice coefficient between masks (see `dice`).

    Args:
        axis: axes to sum over; None (default) sums over everything.

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> loss = losses.Dice(axis=1, reduction="none")
    >>> [round(float(v), 6) for v in loss(np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]))]
    [0.0, 0.333333]
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=axis)


class Tversky(LossFunctionWrapper):
    """Tversky loss: a Dice loss weighing false positives by `alpha` and false negatives by `beta` (see
    `tversky`).

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> loss = losses.Tversky(alpha=0.7, beta=0.3)
    >>> round(float(loss(np.array([[1.0, 1.0, 0.0, 0.0]]), np.array([[1.0, 0.5, 0.5, 0.0]]))), 6)
    0.25
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky", axis=None, dtype=None):
        super().__init__(
            tversky,
            reduction=reduction,
            name=name,
            dtype=dtype,
            alpha=float(alpha),
            beta=float(beta),
            axis=axis,
        )
