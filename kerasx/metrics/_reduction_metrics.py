"""Streaming reductions: `Sum`, `Mean`, and `MeanMetricWrapper` (the weighted mean of a per-sample function)."""

from __future__ import annotations

from kerasx import ops
from kerasx.losses._reduction import align_weights, apply_mask, squeeze_or_expand_to_same_rank
from kerasx.metrics._metric import Metric
from kerasx.ops._masking import get_mask
from kerasx.serialization import _registry


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """`(values, sample_weight)` reduced to one value (and one weight) per sample.

    Values are first reduced with `reduce_fn` over the axes the weight does not cover, then weighted; what remains
    beyond the batch axis is reduced too. A mask on `values` (`_keras_mask`) multiplies the weights when there are
    weights; without weights it is not read, as in Keras 3 (masked entries count with their value).
    """
    mask = get_mask(values)
    values = ops.cast(values, dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype, reduction="sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = len(ops.shape(sample_weight))
        values_ndim = len(ops.shape(values))
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values_ndim)))
        values, sample_weight = align_weights(values, sample_weight)
        # Broadcasting the weights does not change the product, but it makes the count of samples right.
        sample_weight = ops.multiply(sample_weight, ops.ones_like(values))
        values = ops.multiply(values, sample_weight)
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    values_ndim = len(ops.shape(values))
    if values_ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values_ndim)))
    return values, sample_weight


def _is_plain_scalar_update(values, sample_weight) -> bool:
    return (
        (sample_weight is None or type(sample_weight) in (int, float))
        and ops.is_tensor(values)
        and not ops.shape(values)
        and get_mask(values) is None
    )


class Sum(Metric):
    """Streaming (weighted) sum of the given values.

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        values: any shape.
        sample_weight: optional weights broadcastable to `values`.

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.Sum()
        >>> metric.update_state([1.0, 2.0, 3.0])
        >>> metric.update_state([4.0], sample_weight=[0.5])
        >>> float(metric.result())
        8.0
    """

    def __init__(self, name: str | None = "sum", dtype: str | None = None):
        super().__init__(dtype=dtype, name=name)
        self.total = self.add_variable((), "zeros", name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, ops.sum, self.dtype)
        self.total.assign_add(ops.sum(values))

    def result(self):
        return ops.convert_to_tensor(self.total)


class Mean(Metric):
    """Streaming (weighted) mean of the given values: `sum(values * weights) / sum(weights)`.

    Values beyond the batch axis are first averaged per sample, so each sample counts once (with its weight).

    Args:
        name: name of the metric (the key in the training logs).
        dtype: dtype of the state and the result; defaults to `kerasx.backend.floatx()`.

    update_state arguments:
        values: a scalar, or values whose first axis is the batch.
        sample_weight: optional weights, one per sample (or broadcastable to `values`).

    Example:
        >>> import kerasx
        >>> metric = kerasx.metrics.Mean()
        >>> metric.update_state([1.0, 2.0, 3.0])
        >>> float(metric.result())
        2.0
        >>> metric.update_state([10.0], sample_weight=[3.0])
        >>> float(metric.result())
        6.0
    """

    def __init__(self, name: str | None = "mean", dtype: str | None = None):
        super().__init__(dtype=dtype, name=name)
        self.total = self.add_variable((), "zeros", name="total")
        self.count = self.add_variable((), "zeros", name="count")

    def update_state(self, values, sample_weight=None):
        if _is_plain_scalar_update(values, sample_weight):
            # A step's loss weighted by its batch size (every training step): two assignments, not a dozen ops.
            values = ops.cast(values, self.dtype)
            if sample_weight is None:
                self.total.assign_add(values)
                self.count.assign_add(1.0)
            else:
                self.total.assign_add(ops.multiply(values, sample_weight))
                self.count.assign_add(sample_weight)
            return
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, ops.mean, self.dtype)
        self.total.assign_add(ops.sum(values))
        if sample_weight is not None:
            count = ops.sum(sample_weight)
        elif ops.shape(values):
            count = ops.cast(ops.shape(values)[0], self.dtype)
        else:
            count = 1.0
        self.count.assign_add(count)

    def result(self):
        return ops.divide_no_nan(ops.convert_to_tensor(self.total), ops.convert_to_tensor(self.count))


class MeanMetricWrapper(Mean):
    """Streaming weighted mean of `fn(y_true, y_pred, **kwargs)` (one value per sample).

    Args:
        fn: metric function `fn(y_true, y_pred, **kwargs)`.
        name, dtype: as for `Metric`; `name` defaults to `fn.__name__`.
        **kwargs: keyword arguments passed to `fn` (and returned by `get_config`).

    update_state arguments:
        y_true: targets.
        y_pred: predictions (a mask attached by a masking layer acts as a 0/1 sample weight).
        sample_weight: optional weights, one per sample.

    Example:
        >>> import kerasx
        >>> def within(y_true, y_pred, tolerance=0.5):
        ...     return kerasx.ops.less_equal(kerasx.ops.abs(kerasx.ops.subtract(y_true, y_pred)), tolerance)
        >>> metric = kerasx.metrics.MeanMetricWrapper(within, name="within", tolerance=1.0)
        >>> metric.update_state([1.0, 2.0, 3.0, 4.0], [1.5, 3.5, 3.0, 0.0])
        >>> metric.name, float(metric.result())
        ('within', 0.5)
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = get_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            mask = ops.cast(mask, self.dtype)
            values, mask = squeeze_or_expand_to_same_rank(values, mask)
            sample_weight = apply_mask(sample_weight, mask, self.dtype, reduction="sum")
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._fn_kwargs)
        if type(self) is MeanMetricWrapper:
            config["fn"] = _registry.get_registered_name(self._fn)
        return config
