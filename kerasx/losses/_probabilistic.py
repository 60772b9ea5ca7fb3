"""Probabilistic losses: the cross-entropies (binary, focal, categorical, sparse), KL divergence and Poisson."""

from __future__ import annotations

from kerasx import backend, ops
from kerasx.losses._loss import LossFunctionWrapper
from kerasx.losses._reduction import SHAPE_MISMATCH, static_shape
from kerasx.losses._regression import prepare

BAD_LABEL_SMOOTHING = (
    "Invalid value for argument `label_smoothing`: expected a number in [0, 1]. "
    "Received: label_smoothing={value!r}."
)
BAD_AXIS = "Invalid value for argument `axis`: expected an int. Received: axis={value!r}."


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
    """Binary cross-entropy averaged over `axis`; `label_smoothing` pulls targets towards 0.5."""
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

    With `apply_class_balancing`, positives are weighted by `alpha` and negatives by `1 - alpha`.
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
    """
    label_smoothing = _label_smoothing(label_smoothing)
    axis = _axis(axis)
    y_true, y_pred = prepare("categorical_crossentropy", y_true, y_pred)
    _check_same_shape("categorical_crossentropy", y_true, y_pred)
    if label_smoothing:
        num_classes = ops.shape(y_pred)[axis]
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), label_smoothing / num_classes)
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def _sparse_inputs(y_true, y_pred, axis):
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float(ops.dtype(y_pred)):
        y_pred = ops.cast(y_pred, backend.floatx())
    y_true = ops.convert_to_tensor(y_true)
    true_shape, pred_shape = ops.shape(y_true), ops.shape(y_pred)
    if axis in (-1, len(pred_shape) - 1) and len(true_shape) == len(pred_shape) and true_shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    return y_true, y_pred


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Cross-entropy between integer labels and class probabilities (or logits) along `axis`.

    Shapes: `y_true` is `y_pred.shape` without `axis` (a trailing 1 is allowed). Entries whose label equals
    `ignore_class` get loss 0 (the `SparseCategoricalCrossentropy` loss also leaves them out of its average).
    """
    y_true, y_pred = _sparse_inputs(y_true, y_pred, _axis(axis))
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    valid = ops.not_equal(y_true, ignore_class)
    labels = ops.where(valid, y_true, ops.zeros_like(y_true))
    losses = ops.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits, axis=axis)
    return ops.where(valid, losses, ops.zeros_like(losses))


def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to [eps, 1]."""
    y_true, y_pred = prepare("kl_divergence", y_true, y_pred)
    y_true = ops.clip(y_true, backend.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, backend.epsilon(), 1.0)
    return ops.sum(ops.multiply(y_true, ops.log(ops.divide(y_true, y_pred))), axis=-1)


def poisson(y_true, y_pred):
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`."""
    y_true, y_pred = prepare("poisson", y_true, y_pred)
    log_pred = ops.log(ops.add(y_pred, backend.epsilon()))
    return ops.mean(ops.subtract(y_pred, ops.multiply(y_true, log_pred)), axis=-1)


class BinaryCrossentropy(LossFunctionWrapper):
    """Cross-entropy for binary (0/1) targets against probabilities, or logits with `from_logits=True`."""

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
    """Focal loss for binary targets (see `binary_focal_crossentropy`)."""

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
    """Cross-entropy for one-hot (or soft) targets; use `SparseCategoricalCrossentropy` for integer labels."""

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
    """Cross-entropy for integer class labels; entries labelled `ignore_class` are left out of the average."""

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
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
        )

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def call_with_mask(self, y_true, y_pred):
        losses = self.call(y_true, y_pred)
        ignore_class = self._fn_kwargs["ignore_class"]
        if ignore_class is None:
            return losses, None
        labels, _ = _sparse_inputs(y_true, y_pred, -1)
        return losses, ops.not_equal(labels, ignore_class)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence between target and predicted distributions (see `kl_divergence`)."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Poisson negative log-likelihood up to a constant (see `poisson`)."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)

