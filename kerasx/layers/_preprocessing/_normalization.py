"""`Normalization`: `(x - mean) / sqrt(variance)` per feature, with mean and variance given or learnt by `adapt`."""

from __future__ import annotations

import math

import numpy as np

from kerasx import ops
from kerasx.backend import epsilon
from kerasx.layers._layer import Layer
from kerasx.layers._preprocessing import _adapt_data, _graph_host
from kerasx.serialization import _registry

BAD_AXIS = (
    "Normalization takes axis as an int, a tuple of ints or None. Received: axis={axis!r}. "
    "Pass e.g. axis=-1 (one mean per feature) or axis=None (one mean for everything)."
)
MEAN_WITHOUT_VARIANCE = (
    "Normalization needs both mean and variance, or neither (then `adapt` learns them). "
    "Received: mean={mean!r}, variance={variance!r}."
)
AXIS_OUT_OF_RANGE = (
    "Layer '{name}' (Normalization) keeps axis {axis}, outside the inputs' {ndim} axes. "
    "Received: input_shape={shape}. Pick axes in [-{ndim}, {ndim})."
)
UNKNOWN_KEPT_AXIS = (
    "Layer '{name}' (Normalization) needs a known size on every kept axis {axis}. Received: input_shape={shape}. "
    "Give the input a known size there, e.g. `kerasx.Input(shape=(16,))`."
)
ADAPT_WITH_MEAN = (
    "Layer '{name}' (Normalization) was given its mean and variance, so it cannot adapt. "
    "Create it without mean and variance to learn them from data."
)
ADAPT_SHAPE_MISMATCH = (
    "Layer '{name}' (Normalization) was built for inputs of shape {built}, but adapt received a batch of shape "
    "{shape}. The kept axes {axis} must have the same sizes."
)


@_registry.builtin
class Normalization(_graph_host.HostInGraphMixin, Layer):
    """Shifts and scales inputs to zero mean and unit variance per feature: `(x - mean) / sqrt(variance)`.

    The mean and variance are given, or computed from data by `adapt` (stored as the non-trainable weights `mean`,
    `variance` and `count`, as Keras 3 stores them). The divisor is at least `kerasx.backend.epsilon()`.

    Args:
        axis: the axis or axes that keep their own mean and variance (default -1: one per feature); the others are
            averaged over. None gives one mean and variance for the whole input.
        mean: the mean to subtract (a number or an array broadcast along the kept axes); None to `adapt`.
        variance: the variance to divide by (square root); given with `mean`.
        invert: when True, the layer undoes the normalization: `mean + x * sqrt(variance)`.
        **kwargs: base Layer arguments (name, dtype, ...).

    Call arguments:
        inputs: a float tensor (NumPy arrays are converted).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Normalization()
        >>> layer.adapt(np.array([[0.0, 10.0], [2.0, 30.0]]))
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[1.0, 20.0], [3.0, 40.0]]))))
        [[0. 0.]
         [2. 2.]]
    """

    def __init__(self, axis: int | tuple[int, ...] | None = -1, mean=None, variance=None, invert: bool = False,
                 **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int) and not isinstance(axis, bool):
            axis = (axis,)
        elif isinstance(axis, (tuple, list)) and all(isinstance(a, int) and not isinstance(a, bool) for a in axis):
            axis = tuple(axis)
        else:
            raise ValueError(BAD_AXIS.format(axis=axis))
        self.axis = axis
        if (mean is None) != (variance is None):
            raise ValueError(MEAN_WITHOUT_VARIANCE.format(mean=mean, variance=variance))
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self.mean = None
        self.variance = None

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(AXIS_OUT_OF_RANGE.format(name=self.name, axis=self.axis, ndim=ndim, shape=input_shape))
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        if any(input_shape[a] is None for a in self._keep_axis):
            raise ValueError(UNKNOWN_KEPT_AXIS.format(name=self.name, axis=self.axis, shape=input_shape))
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[d] if d in self._keep_axis else 1 for d in range(ndim))
        self._kept_shape = tuple(input_shape[d] for d in self._keep_axis)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._kept_shape, initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(
                name="variance", shape=self._kept_shape, initializer="ones", trainable=False
            )
            # Keras 3 keeps a sample count too (never updated by adapt); kept so that weight lists and files match.
            self.count = self.add_weight(name="count", shape=(), dtype="int", initializer="zeros", trainable=False)
        else:
            self.mean = self._broadcast(self.input_mean)
            self.variance = self._broadcast(self.input_variance)
        self._build_input_shape = tuple(input_shape)

    def _broadcast(self, value) -> np.ndarray:
        """A given mean or variance as an array of the broadcast shape, its trailing axes on the kept axes."""
        value = np.asarray(value, dtype=self.compute_dtype)
        expanded = [1] * len(self._broadcast_shape)
        kept = self._keep_axis[len(self._keep_axis) - value.ndim:] if value.ndim else ()
        for axis, size in zip(kept, value.shape):
            expanded[axis] = size
        return np.broadcast_to(value.reshape(expanded), self._broadcast_shape).copy()

    def adapt(self, data) -> None:
        """Sets `mean` and `variance` from `data`: an array or tensor, a tf.data.Dataset, a PyDataset or an
        iterable of batches (each element a batch, or an `(x, y)` tuple of batches)."""
        if self.input_mean is not None:
            raise ValueError(ADAPT_WITH_MEAN.format(name=self.name))
        if isinstance(data, np.ndarray):
            self._build_for(data.shape)
            mean, variance = np.mean(data, axis=self._reduce_axis), np.var(data, axis=self._reduce_axis)
        elif _adapt_data.is_single_array(data):
            self._build_for(tuple(data.shape))
            mean, variance = ops.mean(data, axis=self._reduce_axis), ops.var(data, axis=self._reduce_axis)
            mean, variance = ops.convert_to_numpy(mean), ops.convert_to_numpy(variance)
        else:
            mean, variance = self._merged_moments(_adapt_data.batches(data, self, batch_rank_one=True))
        self.adapt_mean.assign(np.asarray(mean, dtype=self.adapt_mean.dtype))
        self.adapt_variance.assign(np.asarray(variance, dtype=self.adapt_variance.dtype))

    def _build_for(self, shape) -> None:
        if not self.built:
            self.build(tuple(shape))
            self.built = True
            return
        if any(shape[d] != self._build_input_shape[d] for d in self._keep_axis):
            raise ValueError(
                ADAPT_SHAPE_MISMATCH.format(name=self.name, built=self._build_input_shape, shape=shape, axis=self.axis)
            )

    def _merged_moments(self, batches):
        # Batch moments merged as they come (Chan et al.'s parallel update) with the engine's float ops, as Keras 3
        # computes them: the same rounding on every engine.
        mean = variance = None
        total = 0
        for batch in batches:
            self._build_for(batch.shape)
            batch = ops.convert_to_tensor(batch, dtype=self.compute_dtype)
            batch_mean, batch_variance = ops.mean(batch, axis=self._reduce_axis), ops.var(batch, axis=self._reduce_axis)
            if mean is None:
                mean = variance = ops.zeros(self._kept_shape, dtype=self.compute_dtype)
            count = math.prod(batch.shape[d] for d in self._reduce_axis)
            total += count
            weight = float(count) / total
            kept = 1.0 - weight
            merged = ops.add(ops.multiply(mean, kept), ops.multiply(batch_mean, weight))
            variance = ops.add(
                ops.multiply(ops.add(variance, ops.square(ops.subtract(mean, merged))), kept),
                ops.multiply(ops.add(batch_variance, ops.square(ops.subtract(batch_mean, merged))), weight),
            )
            mean = merged
        return ops.convert_to_numpy(mean), ops.convert_to_numpy(variance)

    def call(self, inputs):
        inputs = ops.convert_to_tensor(inputs, dtype=self.compute_dtype)
        if self.input_mean is None:
            mean = ops.cast(ops.reshape(self.adapt_mean, self._broadcast_shape), self.compute_dtype)
            variance = ops.cast(ops.reshape(self.adapt_variance, self._broadcast_shape), self.compute_dtype)
        else:
            mean, variance = self.mean, self.variance
        scale = ops.maximum(ops.sqrt(variance), epsilon())
        if self.invert:
            return ops.add(mean, ops.multiply(inputs, scale))
        return ops.divide(ops.subtract(inputs, mean), scale)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"axis": self.axis, "invert": self.invert, "mean": self.input_mean, "variance": self.input_variance}
        )
        return config
