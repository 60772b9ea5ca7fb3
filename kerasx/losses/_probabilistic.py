"""Probabilistic losses: the cross-entropies (binary, focal, categorical, categorical focal, sparse, generalized).
KL divergence and Poisson are in `_divergence`."""

from __future__ import annotations

from kerasx import backend, ops
from kerasx.losses._loss import LossFunctionWrapper
from kerasx.losses._reduction import SHAPE_MISMATCH, static_shape
from kerasx.losses._regression import prepare
from kerasx.ops._masking import set_mask

BAD_LABEL_SMOOTHING = (
    "Invalid value for argument `label_smoothing`: expected a number in [0, 1]. "
    "Received: label_smoothing={value!r}."
)
BAD_AXIS = "Invalid value for argument `axis`: expected an int. Received: axis={value!r}."
BAD_Q = (
    "Invalid value for argument `q` of the generalized cross-entropy: expected a number in the open interval (0, 1) "
    "(q -> 0 approaches the categorical cross-entropy, q = 1 the mean absolute error). Received: q={value!r}."
)


def _label_smoothing(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ValueError(BAD_LABEL_SMOOTHING.format(value=value))
    return float(value)


def _axis(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(BAD_AXIS.format(value=value))
    return value


def _check_same_shape(name, y_true, y_pred) -> None:
    true_shape, pred_shape = static_shape(y_true), static_shape(y_pred)
    if len(true_shape) != len(pred_shape) or any(a != b and None not in (a, b) for a, b in zip(true_shape, pred_shape)):
        raise ValueError(SHAPE_MISMATCH.format(name=name, y_true=true_shape, y_pred=pred_shape))


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy averaged over `axis`; `label_smoothing` pulls targets towards 0.5.

    Args:
        y_true: 0/1 targets (or probabilities).
        y_pred: predicted probabilities of the same shape, or logits with `from_logits=True`.
        from_logits: whether `y_pred` holds logits instead of probabilities.
        label_smoothing: in [0, 1]; targets become `y_true * (1 - label_smoothing) + 0.5 * label_smoothing`.
        axis: the axis averaged over.

    Returns:
        `y_pred`'s shape without `axis`: one loss per sample.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[0.0, 1.0], [1.0, 1.0]], [[0.1, 0.8], [0.6, 0.9]]
        >>> print(np.round(ops.convert_to_numpy(losses.binary_crossentropy(y_true, y_pred)), 4))
        [0.1643 0.3081]
        >>> logits = [[-2.0, 2.0]]
        >>> print(np.round(ops.convert_to_numpy(losses.binary_crossentropy([[0.0, 1.0]], logits, from_logits=True)), 4))
        [0.1269]
    """
    label_smoothing = _label_smoothing(label_smoothing)
    y_true, y_pred = prepare("binary_crossentropy", y_true, y_pred)
    _check_same_shape("binary_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=_axis(axis))


def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Binary cross-entropy down-weighted by `(1 - p_t) ** gamma` for well-classified entries (focal loss).

    `p_t` is the probability given to the true label, so confident right predictions add little.

    Args:
        y_true: 0/1 targets.
        y_pred: predicted probabilities of the same shape, or logits with `from_logits=True`.
        apply_class_balancing: weigh positives by `alpha` and negatives by `1 - alpha`.
        alpha: the class-balancing weight of the positives.
        gamma: the focusing exponent; 0 gives the binary cross-entropy.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets are pulled towards 0.5.
        axis: the axis averaged over.

    Returns:
        `y_pred`'s shape without `axis`: one loss per sample.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[0.0, 1.0]], [[0.1, 0.6]]
        >>> print(np.round(ops.convert_to_numpy(losses.binary_focal_crossentropy(y_true, y_pred)), 4))
        [0.0414]
        >>> print(np.round(ops.convert_to_numpy(losses.binary_crossentropy(y_true, y_pred)), 4))
        [0.3081]
    """
    label_smoothing = _label_smoothing(label_smoothing)
    y_true, y_pred = prepare("binary_focal_crossentropy", y_true, y_pred)
    _check_same_shape("binary_focal_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    probabilities = ops.sigmoid(y_pred) if from_logits else y_pred
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits)
    negatives = ops.subtract(1.0, y_true)
    p_t = ops.add(ops.multiply(y_true, probabilities), ops.multiply(negatives, ops.subtract(1.0, probabilities)))
    focal = ops.multiply(ops.power(ops.subtract(1.0, p_t), gamma), bce)
    if apply_class_balancing:
        focal = ops.multiply(ops.add(ops.multiply(y_true, alpha), ops.multiply(negatives, 1.0 - alpha)), focal)
    return ops.mean(focal, axis=_axis(axis))


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Cross-entropy between one-hot (or soft) targets and class probabilities (or logits) along `axis`.

    `label_smoothing` mixes the targets with the uniform distribution: `y * (1 - s) + s / num_classes`.

    Args:
        y_true: one-hot (or soft) targets `(..., num_classes)`.
        y_pred: class probabilities of the same shape, or logits with `from_logits=True`.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; mixes the targets with the uniform distribution.
        axis: the class axis.

    Returns:
        `y_pred`'s shape without `axis`: one loss per sample.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.9, 0.05], [0.1, 0.8, 0.1]]
        >>> print(np.round(ops.convert_to_numpy(losses.categorical_crossentropy(y_true, y_pred)), 4))
        [0.1054 2.3026]
    """
    label_smoothing = _label_smoothing(label_smoothing)
    axis = _axis(axis)
    y_true, y_pred = prepare("categorical_crossentropy", y_true, y_pred)
    _check_same_shape("categorical_crossentropy", y_true, y_pred)
    if label_smoothing:
        num_classes = ops.shape(y_pred)[axis]
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), label_smoothing / num_classes)  # pyright: ignore[reportOperatorIssue] - a static size
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """Categorical cross-entropy with each class term scaled by `alpha * (1 - p) ** gamma` (focal loss).

    Confident right predictions (p near 1) add little, so training concentrates on the hard examples.
    `y_pred` is renormalized to sum to 1 along `axis` and clipped to [epsilon, 1 - epsilon].

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> loss = losses.categorical_focal_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.1, 0.9]]))
    >>> [round(float(v), 6) for v in loss]
    [0.000263]
    """
    label_smoothing = _label_smoothing(label_smoothing)
    axis = _axis(axis)
    y_true, y_pred = prepare("categorical_focal_crossentropy", y_true, y_pred)
    _check_same_shape("categorical_focal_crossentropy", y_true, y_pred)
    if label_smoothing:
        num_classes = ops.shape(y_pred)[-1]
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), label_smoothing / num_classes)  # pyright: ignore[reportOperatorIssue] - a static size
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    probabilities = ops.divide(y_pred, ops.sum(y_pred, axis=axis, keepdims=True))
    probabilities = ops.clip(probabilities, backend.epsilon(), 1.0 - backend.epsilon())
    cross_entropy = ops.negative(ops.multiply(y_true, ops.log(probabilities)))
    focal = ops.multiply(ops.multiply(ops.power(ops.subtract(1.0, probabilities), gamma), alpha), cross_entropy)
    return ops.sum(focal, axis=axis)


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross-entropy `(1 - p ** q) / q` of the probability `p` given to the integer label `y_true`.

    Robust to noisy labels: between the categorical cross-entropy (q -> 0) and the mean absolute error (q = 1).
    `y_true` holds class indices `(batch_size,)`; `y_pred` probabilities `(batch_size, num_classes)`.

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> loss = losses.categorical_generalized_cross_entropy(np.array([1]), np.array([[0.36, 0.64]]), q=0.5)
    >>> [round(float(v), 6) for v in loss]
    [0.4]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float(ops.dtype(y_pred)):
        y_pred = ops.cast(y_pred, backend.floatx())
    labels = ops.cast(y_true, "int32")
    one_hot = ops.one_hot(labels, ops.shape(y_pred)[-1], dtype=ops.dtype(y_pred))  # pyright: ignore[reportArgumentType] - a static size
    probability = ops.sum(ops.multiply(y_pred, one_hot), axis=-1)
    return ops.divide(ops.subtract(1.0, ops.power(probability, q)), q)


def _sparse_inputs(y_true, y_pred, axis):
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float(ops.dtype(y_pred)):
        y_pred = ops.cast(y_pred, backend.floatx())
    y_true = ops.convert_to_tensor(y_true)
    true_shape, pred_shape = ops.shape(y_true), ops.shape(y_pred)
    if len(true_shape) == len(pred_shape) and true_shape[axis] == 1:
        y_true = ops.squeeze(y_true, axis)
    return y_true, y_pred


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Cross-entropy between integer labels and class probabilities (or logits) along `axis`.

    Entries whose label equals `ignore_class` get loss 0 (the `SparseCategoricalCrossentropy` loss also
    leaves them out of its average).

    Args:
        y_true: integer class labels, `y_pred`'s shape without `axis` (a trailing axis of size 1 is allowed).
        y_pred: class probabilities, or logits with `from_logits=True`.
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label whose entries get loss 0 (e.g. padding); None for none.
        axis: the class axis of `y_pred`.

    Returns:
        One loss per label: `y_true`'s shape.

    Example:
        >>> import numpy as np
        >>> from kerasx import losses, ops
        >>> y_true, y_pred = [1, 2], [[0.05, 0.9, 0.05], [0.1, 0.8, 0.1]]
        >>> print(np.round(ops.convert_to_numpy(losses.sparse_categorical_crossentropy(y_true, y_pred)), 4))
        [0.1054 2.3026]
    """
    y_true, y_pred = _sparse_inputs(y_true, y_pred, _axis(axis))
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    valid = ops.not_equal(y_true, ignore_class)
    labels = ops.where(valid, y_true, ops.zeros_like(y_true))
    losses = ops.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits, axis=axis)
    losses = ops.where(valid, losses, ops.zeros_like(losses))
    # The mask travels with the values, so that a metric's mean leaves the ignored entries out too.
    set_mask(losses, valid)
    return losses


class BinaryCrossentropy(LossFunctionWrapper):
    """Cross-entropy for binary (0/1) targets against probabilities, or logits with `from_logits=True`.

    Args:
        from_logits: whether `y_pred` holds logits instead of probabilities.
        label_smoothing: in [0, 1]; targets are pulled towards 0.5 by this fraction.
        axis: the axis averaged over for each sample.
        reduction: how the per-sample losses are combined: "sum_over_batch_size" (the default, the mean), "sum",
            "mean_with_sample_weight" (the weighted sum over the sum of the weights) or None / "none".
        name: name of the loss (in logs and configs).
        dtype: dtype of the computation; defaults to `kerasx.backend.floatx()`.

    Call arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample or one per value.

    Example:
        >>> import kerasx
        >>> loss = kerasx.losses.BinaryCrossentropy()
        >>> round(float(loss([[0.0, 1.0], [1.0, 1.0]], [[0.1, 0.8], [0.6, 0.9]])), 4)
        0.2362
        >>> round(float(kerasx.losses.BinaryCrossentropy(from_logits=True)([[0.0, 1.0]], [[-2.0, 2.0]])), 4)
        0.1269
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=bool(from_logits),
            label_smoothing=_label_smoothing(label_smoothing),
            axis=_axis(axis),
        )


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Focal loss for binary targets (see `binary_focal_crossentropy`).

    Args:
        apply_class_balancing: weigh positives by `alpha` and negatives by `1 - alpha`.
        alpha: the class-balancing weight of the positives.
        gamma: the focusing exponent; 0 gives the binary cross-entropy.
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; targets are pulled towards 0.5.
        axis: the axis averaged over for each sample.
        reduction: how the per-sample losses are combined: "sum_over_batch_size" (the default, the mean), "sum",
            "mean_with_sample_weight" (the weighted sum over the sum of the weights) or None / "none".
        name: name of the loss (in logs and configs).
        dtype: dtype of the computation; defaults to `kerasx.backend.floatx()`.

    Call arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample or one per value.

    Example:
        >>> import kerasx
        >>> loss = kerasx.losses.BinaryFocalCrossentropy(gamma=2.0)
        >>> round(float(loss([[0.0, 1.0]], [[0.1, 0.6]])), 4)
        0.0414
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            binary_focal_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            apply_class_balancing=bool(apply_class_balancing),
            alpha=float(alpha),
            gamma=float(gamma),
            from_logits=bool(from_logits),
            label_smoothing=_label_smoothing(label_smoothing),
            axis=_axis(axis),
        )


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for one-hot (or soft) targets; use `SparseCategoricalCrossentropy` for integer labels.

    Args:
        from_logits: whether `y_pred` holds logits.
        label_smoothing: in [0, 1]; mixes the targets with the uniform distribution.
        axis: the class axis.
        reduction: how the per-sample losses are combined: "sum_over_batch_size" (the default, the mean), "sum",
            "mean_with_sample_weight" (the weighted sum over the sum of the weights) or None / "none".
        name: name of the loss (in logs and configs).
        dtype: dtype of the computation; defaults to `kerasx.backend.floatx()`.

    Call arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample or one per value.

    Example:
        >>> import kerasx
        >>> loss = kerasx.losses.CategoricalCrossentropy()
        >>> round(float(loss([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.9, 0.05], [0.1, 0.8, 0.1]])), 4)
        1.204
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=bool(from_logits),
            label_smoothing=_label_smoothing(label_smoothing),
            axis=_axis(axis),
        )


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for integer class labels; entries labelled `ignore_class` are left out of the average.

    Args:
        from_logits: whether `y_pred` holds logits.
        ignore_class: a label left out of the loss and its average (e.g. padding); None for none.
        axis: the class axis of `y_pred`.
        reduction: how the per-sample losses are combined: "sum_over_batch_size" (the default, the mean), "sum",
            "mean_with_sample_weight" (the weighted sum over the sum of the weights) or None / "none".
        name: name of the loss (in logs and configs).
        dtype: dtype of the computation; defaults to `kerasx.backend.floatx()`.

    Call arguments:
        y_true: targets.
        y_pred: predictions.
        sample_weight: optional weights, one per sample or one per value.

    Example:
        >>> import kerasx
        >>> y_true, y_pred = [1, 2], [[0.05, 0.9, 0.05], [0.1, 0.8, 0.1]]
        >>> round(float(kerasx.losses.SparseCategoricalCrossentropy()(y_true, y_pred)), 4)
        1.204
        >>> loss = kerasx.losses.SparseCategoricalCrossentropy(ignore_class=2)
        >>> round(float(loss(y_true, y_pred)), 4)
        0.1054
    """

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            sparse_categorical_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=bool(from_logits),
            ignore_class=ignore_class,
            axis=_axis(axis),
        )

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def call_with_mask(self, y_true, y_pred):
        losses = self.call(y_true, y_pred)
        ignore_class = self._fn_kwargs["ignore_class"]
        if ignore_class is None:
            return losses, None
        labels, _ = _sparse_inputs(y_true, y_pred, self._fn_kwargs["axis"])
        return losses, ops.not_equal(labels, ignore_class)


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Focal loss for one-hot (or soft) targets over several classes (see `categorical_focal_crossentropy`).

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> loss = losses.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0)
    >>> round(float(loss(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.1, 0.9], [0.5, 0.5]]))), 6)
    0.021793
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            categorical_focal_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            alpha=float(alpha),
            gamma=float(gamma),
            from_logits=bool(from_logits),
            label_smoothing=_label_smoothing(label_smoothing),
            axis=_axis(axis),
        )


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross-entropy for integer labels, robust to label noise (see
    `categorical_generalized_cross_entropy`).

    Args:
        q: in (0, 1); small values behave like the cross-entropy, values near 1 like the mean absolute error.

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> loss = losses.CategoricalGeneralizedCrossEntropy(q=0.5)
    >>> round(float(loss(np.array([1, 0]), np.array([[0.36, 0.64], [0.81, 0.19]]))), 6)
    0.3
    """

    def __init__(
        self,
        q=0.5,
        reduction="sum_over_batch_size",
        name="categorical_generalized_cross_entropy",
        dtype=None,
    ):
        if isinstance(q, bool) or not isinstance(q, (int, float)) or not 0.0 < q < 1.0:
            raise ValueError(BAD_Q.format(value=q))
        super().__init__(categorical_generalized_cross_entropy, reduction=reduction, name=name, dtype=dtype, q=float(q))
