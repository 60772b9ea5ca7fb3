"""Circle loss for metric learning: pulls same-label embeddings together and pushes the others apart."""

from __future__ import annotations

from kerasx import backend, ops
from kerasx.losses._loss import LossFunctionWrapper
from kerasx.ops._masking import set_mask


def _masked_logsumexp(values, mask):
    """`(logsumexp over the entries where mask, whether any entry counted)` per row; rows with no entry give 0
    (finite, so that no infinity reaches the gradients)."""
    lowest = ops.convert_to_tensor(-1e30, dtype=ops.dtype(values))
    row_max = ops.max(ops.where(mask, values, lowest), axis=1, keepdims=True)
    # Masked entries are shifted to `lowest` before exp, so no overflow (and no NaN gradient) comes from them.
    shifted = ops.where(mask, ops.subtract(values, row_max), lowest)
    total = ops.sum(ops.where(mask, ops.exp(shifted), 0.0), axis=1)
    present = ops.greater(total, 0.0)
    safe_total = ops.where(present, total, 1.0)
    return ops.add(ops.log(safe_total), ops.squeeze(row_max, 1)), present


def circle(
    y_true,
    y_pred,
    ref_labels=None,
    ref_embeddings=None,
    remove_diagonal: bool = True,
    gamma: float = 80.0,
    margin: float = 0.4,
):
    """Circle loss of each embedding in `y_pred` against the reference embeddings (by default the batch itself).

    Similarities are `1 - cosine distance` of unit-norm embeddings; each positive (same label) and negative pair
    gets its own weight, so the pairs far from their optimum are penalized most. A sample without a positive or a
    negative pair gets 0 (and is left out of a `Circle` loss's average).

    Args:
        y_true: integer labels `(batch_size,)`. y_pred: L2-normalized embeddings `(batch_size, dim)`.
        ref_labels, ref_embeddings: the references to compare with; default to `y_true` and `y_pred`.
        remove_diagonal: whether a sample is left out of its own positives.
        gamma: scale of the similarities. margin: relaxation of the optimum.

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> embeddings = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> [round(float(v), 4) for v in losses.circle(np.array([0, 0, 1]), embeddings, gamma=1.0)]
    [0.5629, 0.7339, 0.0]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float(ops.dtype(y_pred)):
        y_pred = ops.cast(y_pred, backend.floatx())
    labels = ops.reshape(ops.cast(y_true, "int32"), (-1, 1))
    ref_embeddings = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings, ops.dtype(y_pred))
    ref_labels = labels if ref_labels is None else ops.reshape(ops.cast(ref_labels, "int32"), (-1, 1))
    distances = ops.maximum(ops.subtract(1.0, ops.matmul(y_pred, ops.transpose(ref_embeddings))), 0.0)
    positive = ops.equal(labels, ops.transpose(ref_labels))
    negative = ops.logical_not(positive)
    if remove_diagonal:
        diagonal = ops.eye(ops.shape(labels)[0], ops.shape(ref_labels)[0], dtype="bool")  # pyright: ignore[reportArgumentType] - a static size
        positive = ops.logical_and(positive, ops.logical_not(diagonal))
    dtype = ops.dtype(distances)
    positive_weights = ops.maximum(ops.multiply(ops.add(margin, distances), ops.cast(positive, dtype)), 0.0)
    negative_weights = ops.maximum(ops.multiply(ops.subtract(1.0 + margin, distances), ops.cast(negative, dtype)), 0.0)
    positive_logits = ops.multiply(-gamma, ops.multiply(positive_weights, ops.subtract(margin, distances)))
    negative_logits = ops.multiply(gamma, ops.multiply(negative_weights, ops.subtract(1.0 - margin, distances)))
    positive_term, has_positive = _masked_logsumexp(positive_logits, positive)
    negative_term, has_negative = _masked_logsumexp(negative_logits, negative)
    valid = ops.logical_and(has_positive, has_negative)
    losses = ops.where(valid, ops.softplus(ops.add(positive_term, negative_term)), 0.0)
    set_mask(losses, ops.greater(losses, 0.0))
    return losses


class Circle(LossFunctionWrapper):
    """Circle loss between integer labels and L2-normalized embeddings (see `circle`); samples whose loss is 0
    are left out of the average.

    Args:
        gamma: scale of the similarities. margin: relaxation of the optimum.
        remove_diagonal: whether a sample is left out of its own positives.

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> embeddings = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> round(float(losses.Circle(gamma=1.0)(np.array([0, 0, 1]), embeddings)), 4)
    0.6484
    """

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction="sum_over_batch_size",
        name="circle",
        dtype=None,
    ):
        super().__init__(
            circle,
            reduction=reduction,
            name=name,
            dtype=dtype,
            gamma=float(gamma),
            margin=float(margin),
            remove_diagonal=bool(remove_diagonal),
        )

    def call_with_mask(self, y_true, y_pred):
        losses = self.call(y_true, y_pred)
        return losses, ops.greater(losses, 0.0)
