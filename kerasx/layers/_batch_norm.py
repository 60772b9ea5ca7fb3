"""`BatchNormalization`: normalizes with the batch's statistics while training and moving averages at inference."""

from __future__ import annotations

from kerasx import constraints, initializers, ops, regularizers
from kerasx.backend import _dtypes
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

BAD_AXIS = "BatchNormalization: `axis` must be an int (the feature axis). Received: axis={axis!r}."
BAD_MOMENTUM = "BatchNormalization: `momentum` must be a number in [0, 1]. Received: momentum={momentum!r}."
AXIS_OUT_OF_RANGE = (
    "Layer '{name}' (BatchNormalization) normalizes along axis={axis}, which inputs of shape {shape} do not have."
)
BAD_RENORM_CLIPPING = (
    "BatchNormalization: `renorm_clipping` takes the keys 'rmax', 'rmin' and 'dmax' (bounds of the renormalization "
    "corrections r and d), with rmin <= rmax and dmax >= 0. Received: renorm_clipping={clipping!r}."
)
UNKNOWN_FEATURES = (
    "Layer '{name}' (BatchNormalization) needs the size of the feature axis {axis} to create its weights, but it "
    "is unknown. Received: input_shape={shape}."
)


def _checked_clipping(clipping) -> dict:
    if not isinstance(clipping, dict) or set(clipping) - {"rmax", "rmin", "dmax"}:
        raise ValueError(BAD_RENORM_CLIPPING.format(clipping=clipping))
    rmax, rmin, dmax = clipping.get("rmax"), clipping.get("rmin"), clipping.get("dmax")
    if (rmax is not None and rmin is not None and rmax < rmin) or (dmax is not None and dmax < 0):
        raise ValueError(BAD_RENORM_CLIPPING.format(clipping=clipping))
    return clipping


def _moving_average(old, new, momentum):
    return ops.add(ops.multiply(old, momentum), ops.multiply(new, 1.0 - momentum))


@_registry.builtin
class BatchNormalization(Layer):
    """Normalizes each feature to zero mean and unit variance, then scales by `gamma` and shifts by `beta`.

    While training (`training=True` and the layer trainable) the statistics are those of the batch, and the moving
    averages are updated: `moving = moving * momentum + batch_statistic * (1 - momentum)`, through
    `Variable.assign`, so a `StatelessScope` (a compiled training step) returns the update instead of applying it.
    At inference (or when the layer is frozen, `trainable=False`) the moving averages are used.

    Args:
        axis: the feature axis (-1 for channels_last, 1 for channels_first); statistics are taken over all
            other axes.
        momentum: weight of the old value in the moving averages.
        epsilon: added to the variance before the square root.
        center: learn an offset `beta`.
        scale: learn a factor `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer, moving_variance_initializer: initializers
            of the `(features,)` weights.
        beta_regularizer, gamma_regularizer: penalties added to `losses`.
        beta_constraint, gamma_constraint: projections applied by optimizers after updates.
        renorm: batch renormalization: while training, the batch-normalized values are corrected towards the
            moving statistics, `x_hat * r + d` with `r = batch_std / renorm_std` and
            `d = (batch_mean - renorm_mean) / renorm_std` (treated as constants by gradients), so that training
            and inference normalize alike even with small or non-i.i.d. batches. The layer then also keeps
            `moving_stddev`, `renorm_mean` and `renorm_stddev`.
        renorm_clipping: dict with optional keys 'rmax', 'rmin' (bounds of r) and 'dmax' (bound of |d|).
        renorm_momentum: momentum of the `renorm_mean`/`renorm_stddev` moving averages.
        synchronized: aggregate statistics across replicas; a single process has nothing to aggregate.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: tensor of any rank with a known feature axis.
        training: use (and update) the batch statistics.
        mask: optional boolean mask broadcastable to the leading axes of `inputs` (e.g. `(batch, steps)`); only
            the valid entries count in the batch statistics.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.BatchNormalization(momentum=0.5)
        >>> x = np.array([[1.0, 10.0], [3.0, 30.0]])
        >>> print(np.round(kerasx.ops.convert_to_numpy(layer(x, training=True)), 3))
        [[-1. -1.]
         [ 1.  1.]]
        >>> print(kerasx.ops.convert_to_numpy(layer.moving_mean))
        [ 1. 10.]
        >>> print(np.round(kerasx.ops.convert_to_numpy(layer(x)), 3))
        [[0.    0.   ]
         [1.999 2.814]]
    """

    supports_masking = True

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        synchronized=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(BAD_AXIS.format(axis=axis))
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError(BAD_MOMENTUM.format(momentum=momentum))
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = bool(synchronized)
        self.renorm = bool(renorm)
        if self.renorm:
            renorm_clipping = _checked_clipping(renorm_clipping or {})
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum

    def _feature_axis(self, shape) -> int:
        if not -len(shape) <= self.axis < len(shape):
            raise ValueError(AXIS_OUT_OF_RANGE.format(name=self.name, axis=self.axis, shape=tuple(shape)))
        return self.axis % len(shape)

    def build(self, input_shape):
        axis = self._feature_axis(input_shape)
        size = input_shape[axis]
        if size is None:
            raise ValueError(UNKNOWN_FEATURES.format(name=self.name, axis=self.axis, shape=tuple(input_shape)))
        self.gamma = None
        if self.scale:
            self.gamma = self.add_weight(
                shape=(size,), initializer=self.gamma_initializer, regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint, name="gamma",
            )
        self.beta = None
        if self.center:
            self.beta = self.add_weight(
                shape=(size,), initializer=self.beta_initializer, regularizer=self.beta_regularizer,
                constraint=self.beta_constraint, name="beta",
            )
        self.moving_mean = self.add_weight(
            shape=(size,), initializer=self.moving_mean_initializer, trainable=False, name="moving_mean"
        )
        self.moving_variance = self.add_weight(
            shape=(size,), initializer=self.moving_variance_initializer, trainable=False, name="moving_variance"
        )
        if self.renorm:
            self._build_renorm(size)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: size})

    def _stddev_initializer(self, shape, dtype=None):
        # The standard deviation the moving variance starts from (Keras 3 does the same).
        return ops.sqrt(self.moving_variance_initializer(shape, dtype=dtype))

    def _build_renorm(self, size):
        self.moving_stddev = self.add_weight(
            shape=(size,), initializer=self._stddev_initializer, trainable=False, name="moving_stddev"
        )
        self.renorm_mean = self.add_weight(
            shape=(size,), initializer=self.moving_mean_initializer, trainable=False, name="renorm_mean"
        )
        self.renorm_stddev = self.add_weight(
            shape=(size,), initializer=self._stddev_initializer, trainable=False, name="renorm_stddev"
        )

    def _batch_moments(self, inputs, axis, mask):
        reduction_axes = tuple(a for a in range(len(ops.shape(inputs))) if a != axis)
        if mask is None:
            return ops.moments(inputs, reduction_axes, synchronized=self.synchronized)
        weights = ops.cast(mask, ops.dtype(inputs))
        while len(ops.shape(weights)) < len(ops.shape(inputs)):
            weights = ops.expand_dims(weights, -1)
        weights = ops.multiply(weights, ops.ones_like(inputs))
        count = ops.sum(weights, axis=reduction_axes)
        mean = ops.divide(ops.sum(ops.multiply(inputs, weights), axis=reduction_axes), count)
        centered = ops.subtract(inputs, ops.reshape(mean, self._broadcast_shape(inputs, axis)))
        variance = ops.divide(ops.sum(ops.multiply(ops.square(centered), weights), axis=reduction_axes), count)
        return mean, variance

    @staticmethod
    def _broadcast_shape(inputs, axis) -> tuple:
        return tuple(-1 if a == axis else 1 for a in range(len(ops.shape(inputs))))

    def _update_moving(self, variable, value):
        value = ops.cast(ops.stop_gradient(value), variable.dtype)
        variable.assign(ops.add(ops.multiply(variable, self.momentum), ops.multiply(value, 1.0 - self.momentum)))

    def _renormalize(self, mean, variance):
        """`(scale, offset)` folding the corrections r and d into gamma and beta, and the renorm statistics'
        updates."""
        stddev = ops.sqrt(ops.add(variance, self.epsilon))
        renorm_mean = ops.cast(self.renorm_mean, ops.dtype(mean))
        renorm_stddev = ops.cast(self.renorm_stddev, ops.dtype(mean))
        floor = ops.maximum(renorm_stddev, ops.cast(self.epsilon**0.5, ops.dtype(mean)))
        r = ops.divide(stddev, floor)
        d = ops.divide(ops.subtract(mean, renorm_mean), floor)
        clipping = self.renorm_clipping
        assert clipping is not None, "__init__ sets renorm_clipping to a checked dict when renorm=True"
        if clipping.get("rmin") is not None:
            r = ops.maximum(r, clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = ops.minimum(r, clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = ops.clip(d, -clipping["dmax"], clipping["dmax"])
        r, d = ops.stop_gradient(r), ops.stop_gradient(d)
        scale = r if self.gamma is None else ops.multiply(r, self.gamma)
        offset = d if self.gamma is None else ops.multiply(d, self.gamma)
        if self.beta is not None:
            offset = ops.add(offset, self.beta)

        stddev = ops.stop_gradient(stddev)
        momentum, renorm_momentum = self.momentum, self.renorm_momentum
        self.renorm_mean.assign(_moving_average(renorm_mean, ops.stop_gradient(mean), renorm_momentum))
        self.renorm_stddev.assign(_moving_average(renorm_stddev, stddev, renorm_momentum))
        self._update_moving(self.moving_mean, mean)
        moving_stddev = _moving_average(ops.cast(self.moving_stddev, ops.dtype(mean)), stddev, momentum)
        self.moving_stddev.assign(moving_stddev)
        # The moving variance follows the moving standard deviation, so inference normalizes as training did.
        self.moving_variance.assign(ops.relu(ops.subtract(ops.square(moving_stddev), self.epsilon)))
        return scale, offset

    def call(self, inputs, training=None, mask=None):
        axis = self._feature_axis(ops.shape(inputs))
        scale, offset = self.gamma, self.beta
        if training and self.trainable:
            mean, variance = self._batch_moments(inputs, axis, mask)
            if self.renorm:
                scale, offset = self._renormalize(mean, variance)
            else:
                self._update_moving(self.moving_mean, mean)
                self._update_moving(self.moving_variance, variance)
        else:
            mean, variance = self.moving_mean, self.moving_variance
        return ops.batch_normalization(inputs, mean, variance, axis, offset=offset, scale=scale, epsilon=self.epsilon)

    def compute_output_spec(self, inputs, training=None, mask=None):
        # Symbolic calls must not assign KerasTensors to the moving statistics: only the shape and dtype.
        return KerasTensor(inputs.shape, _dtypes.float_result(inputs.dtype, self.dtype))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
                "synchronized": self.synchronized,
                "renorm": self.renorm,
                "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum,
            }
        )
        return config
