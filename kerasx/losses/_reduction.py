"""From per-entry losses to one number: rank alignment, sample weights, masks and the reduction modes.

Shared by the losses and by the mean-style metrics, so that a weighted loss and the matching metric agree.
"""

from __future__ import annotations

from kerasx import backend, ops

REDUCTIONS = ("sum", "sum_over_batch_size", "mean", "mean_with_sample_weight", "none", None)

BAD_REDUCTION = (
    "Invalid value for argument `reduction`. Received: reduction={reduction!r}. Expected one of {allowed}. "
    "Use 'none' (or None) to get one loss per sample."
)
SHAPE_MISMATCH = (
    "`{name}`: `y_true` and `y_pred` have incompatible shapes. Received: y_true.shape={y_true}, "
    "y_pred.shape={y_pred}. They must match (or broadcast), e.g. both (batch_size, d0, ..., dN); "
    "for integer class labels use the sparse variant of the loss or metric."
)
WEIGHT_MISMATCH = (
    "`sample_weight` cannot be broadcast to the values it weights. Received: sample_weight.shape={weight}, "
    "values.shape={values}. Pass one weight per sample, shape (batch_size,), or one weight per value."
)


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(BAD_REDUCTION.format(reduction=reduction, allowed=list(REDUCTIONS)))
    return reduction


def _dims_compatible(a, b) -> bool:
    return a is None or b is None or a == b or a == 1 or b == 1


def broadcastable(shape1, shape2) -> bool:
    """Whether two shapes broadcast (NumPy rules, unknown dimensions match anything)."""
    return all(_dims_compatible(a, b) for a, b in zip(reversed(tuple(shape1)), reversed(tuple(shape2))))


def static_shape(x) -> tuple:
    """Shape with Python ints, None where a dimension is known only at run time (under tf.function)."""
    shape = getattr(x, "shape", None)
    if shape is None:
        return tuple(ops.shape(x))
    return tuple(None if d is None else int(d) for d in shape)


def check_compatible(name: str, y_true, y_pred) -> None:
    """Raises a ValueError naming both shapes when `y_true` and `y_pred` cannot be compared entry by entry."""
    # Static shapes: under tf.function a batch dimension unknown while tracing is None here (ops.shape would give a
    # tensor, which cannot be compared in Python).
    true_shape, pred_shape = static_shape(y_true), static_shape(y_pred)
    if not broadcastable(true_shape, pred_shape):
        raise ValueError(SHAPE_MISMATCH.format(name=name, y_true=true_shape, y_pred=pred_shape))


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    """Aligns ranks that differ by a trailing axis of size 1: `(batch, 1)` against `(batch,)`.

    The rank-1 side is expanded when `expand_rank_1`, otherwise the trailing 1 is squeezed away.

    Args:
        x1, x2: tensors, e.g. targets and predictions.
        expand_rank_1: whether a rank-1 tensor facing a `(batch, 1)` one is expanded (True) or the other is squeezed.

    Returns:
        The pair `(x1, x2)` with equal ranks where they differed by a trailing size-1 axis; unchanged otherwise.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> a, b = kerasx.losses.squeeze_or_expand_to_same_rank(np.zeros((4, 1)), np.zeros((4,)))
        >>> kerasx.ops.shape(a), kerasx.ops.shape(b)
        ((4, 1), (4, 1))
        >>> a, b = kerasx.losses.squeeze_or_expand_to_same_rank(np.zeros((4, 3, 1)), np.zeros((4, 3)))
        >>> kerasx.ops.shape(a), kerasx.ops.shape(b)
        ((4, 3), (4, 3))
    """
    rank1, rank2 = len(ops.shape(x1)), len(ops.shape(x2))
    if rank1 == rank2 + 1 and ops.shape(x1)[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, -1)
        else:
            x1 = ops.squeeze(x1, -1)
    elif rank2 == rank1 + 1 and ops.shape(x2)[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, -1)
        else:
            x2 = ops.squeeze(x2, -1)
    return x1, x2


def align_weights(values, sample_weight):
    """`values` and `sample_weight` with the weight broadcastable to the values.

    Ranks are first aligned like `squeeze_or_expand_to_same_rank`. A lower-rank weight whose shape matches the
    leading dimensions of the values (one weight per sample for per-timestep losses) gets trailing axes; otherwise
    it broadcasts from the right, as NumPy does.
    """
    values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
    value_shape, weight_shape = static_shape(values), static_shape(sample_weight)
    leading = value_shape[: len(weight_shape)]
    if 0 < len(weight_shape) < len(value_shape) and all(
        a is None or b is None or a == b or a == 1 for a, b in zip(weight_shape, leading)
    ):
        for _ in range(len(value_shape) - len(weight_shape)):
            sample_weight = ops.expand_dims(sample_weight, -1)
    elif not broadcastable(weight_shape, value_shape) or len(weight_shape) > len(value_shape):
        raise ValueError(WEIGHT_MISMATCH.format(weight=weight_shape, values=value_shape))
    return values, sample_weight


def num_elements(x, dtype):
    """Number of entries of `x` as a scalar of `dtype` (a tensor op when a dimension is unknown)."""
    size = _static_size(ops.shape(x))
    if size is not None:
        return ops.convert_to_tensor(size, dtype=dtype)
    return ops.sum(ops.ones_like(x, dtype=dtype))


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean mask into the sample weights.

    For the averaging reductions the kept entries are scaled by `total / kept`, so that dividing by the number of
    entries averages over the kept ones only.
    """
    if mask is None:
        return sample_weight
    mask = ops.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        total = num_elements(mask, dtype)
        kept = ops.sum(mask)
        mask = ops.multiply(mask, ops.divide(total, ops.add(kept, backend.epsilon())))
    if sample_weight is None:
        return mask
    sample_weight = ops.cast(sample_weight, dtype)
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    mask, sample_weight = align_weights(mask, sample_weight)
    return ops.multiply(sample_weight, mask)


def reduce_values(values, sample_weight=None, reduction: str | None = "sum_over_batch_size"):
    if reduction in (None, "none") or len(ops.shape(values)) == 0:
        return values
    total = ops.sum(values)
    if reduction == "sum":
        return total
    dtype = ops.dtype(values)
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = ops.sum(ops.multiply(ops.ones_like(values), sample_weight))
    else:
        size = _static_size(ops.shape(values))
        if size:  # known and non-zero: a plain division by a weak scalar (the same float in `dtype`)
            return ops.divide(total, size)
        divisor = num_elements(values, dtype)
    return ops.divide_no_nan(total, ops.cast(divisor, dtype))


def _static_size(shape):
    """Number of entries of a shape, or None when a dimension is unknown."""
    size = 1
    for dim in shape:
        if not isinstance(dim, int):
            return None
        size *= dim
    return size


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction: str | None = "sum_over_batch_size", dtype: str | None = None
):
    """Weights (and masks) per-entry `values`, then reduces them with `reduction`.

    This is the last step of every `Loss.__call__`; custom training code can use it to reduce its own losses the
    way the built-in losses do.

    Args:
        values: unreduced losses, e.g. one per sample.
        sample_weight: optional weights broadcastable to `values` (one per sample, or one per value).
        mask: optional booleans like `sample_weight`; False entries count as weight 0 (and, for
            "sum_over_batch_size", are left out of the count).
        reduction: "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", or None / "none".
        dtype: dtype of the result; defaults to `kerasx.backend.floatx()`.

    Returns:
        A scalar, or the weighted `values` when `reduction` is None / "none".

    Example:
        >>> import kerasx
        >>> values = [1.0, 2.0, 3.0, 6.0]
        >>> float(kerasx.losses.reduce_weighted_values(values))
        3.0
        >>> float(kerasx.losses.reduce_weighted_values(values, sample_weight=[1.0, 1.0, 0.0, 0.0], reduction="sum"))
        3.0
        >>> float(kerasx.losses.reduce_weighted_values(values, mask=[True, True, True, False]))
        2.0
    """
    reduction = standardize_reduction(reduction)
    dtype = dtype or backend.floatx()
    values = ops.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = align_weights(values, sample_weight)
        values = ops.multiply(values, sample_weight)
    return reduce_values(values, sample_weight, reduction)
