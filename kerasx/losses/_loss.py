"""`Loss`: per-sample losses from `call`, then sample weights, masks and a reduction; and `LossFunctionWrapper`."""

from __future__ import annotations

import abc
import re

from kerasx import backend, ops
from kerasx.losses import _reduction
from kerasx.ops._masking import get_mask
from kerasx.serialization import _registry


def snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


class Loss(abc.ABC):
    """Base class of losses: `loss(y_true, y_pred, sample_weight=None)` is a scalar (or per-sample values).

    Subclasses implement `call(y_true, y_pred)` returning the unreduced losses, usually one per sample.

    Args:
        name: name of the loss; defaults to the snake-case class name.
        reduction: "sum_over_batch_size" (default; the weighted sum divided by the number of values), "sum",
            "mean" (same as "sum_over_batch_size"), "mean_with_sample_weight" (the weighted sum divided by the sum
            of the weights), or "none" / None (no reduction).
        dtype: dtype of the computation and the result; defaults to `kerasx.backend.floatx()`.

    Call arguments:
        y_true: targets. y_pred: predictions; a mask attached by a masking layer (`_keras_mask`) acts as a 0/1
            sample weight. sample_weight: optional weights, one per sample `(batch_size,)` or one per value.

    Example:
        >>> import kerasx
        >>> class Quartic(kerasx.losses.Loss):
        ...     def call(self, y_true, y_pred):
        ...         return kerasx.ops.mean((y_true - y_pred) ** 4, axis=-1)
        >>> loss = Quartic()
        >>> loss.name
        'quartic'
        >>> float(loss([[0.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 3.0]]))
        4.5
        >>> float(Quartic(reduction="sum")([[0.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 3.0]]))
        9.0
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or snake_case(type(self).__name__)
        self.reduction = _reduction.standardize_reduction(reduction)
        self.dtype = backend.standardize_dtype(dtype) if dtype is not None else backend.floatx()

    def __call__(self, y_true, y_pred, sample_weight=None):
        input_mask = get_mask(y_pred)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        losses, output_mask = self.call_with_mask(y_true, y_pred)
        if input_mask is None:
            mask = output_mask
        elif output_mask is None:
            mask = input_mask
        else:
            mask = ops.logical_and(ops.cast(input_mask, "bool"), ops.cast(output_mask, "bool"))
        return _reduction.reduce_weighted_values(losses, sample_weight, mask, self.reduction, self.dtype)

    @abc.abstractmethod
    def call(self, y_true, y_pred):
        """Unreduced losses for `y_true` and `y_pred` (already converted to `self.dtype`)."""

    def call_with_mask(self, y_true, y_pred):
        """`(losses, mask)`: losses that should not count (e.g. an ignored class) are masked out of the reduction."""
        return self.call(y_true, y_pred), None

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, reduction={self.reduction}>"


class LossFunctionWrapper(Loss):
    """A `Loss` computing `fn(y_true, y_pred, **kwargs)` per sample.

    Args:
        fn: loss function `fn(y_true, y_pred, **kwargs)` returning per-sample losses.
        reduction, name, dtype: as for `Loss`; `name` defaults to `fn.__name__`.
        **kwargs: keyword arguments passed to `fn` (and returned by `get_config`).

    Example:
        >>> import kerasx
        >>> def scaled_error(y_true, y_pred, scale=1.0):
        ...     return kerasx.ops.mean(kerasx.ops.abs(y_true - y_pred), axis=-1) * scale
        >>> loss = kerasx.losses.LossFunctionWrapper(scaled_error, scale=10.0)
        >>> loss.name, float(loss([[0.0, 1.0]], [[1.0, 1.0]]))
        ('scaled_error', 5.0)
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = _reduction.squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._fn_kwargs)
        if type(self) is LossFunctionWrapper:
            config["fn"] = _registry.get_registered_name(self.fn)
        return config
