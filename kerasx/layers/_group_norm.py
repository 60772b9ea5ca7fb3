"""`GroupNormalization`: per sample, the channels split into groups, each group normalized over its channels and
the other non-batch axes."""

from __future__ import annotations

from kerasx import constraints, initializers, ops, regularizers
from kerasx.backend import active
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

BAD_GROUPS = (
    "GroupNormalization: `groups` must be a positive integer, or -1 for one group per channel (instance "
    "normalization). Received: groups={groups!r}."
)
BAD_AXIS = "GroupNormalization: `axis` must be an int (the channels axis). Received: axis={axis!r}."
AXIS_OUT_OF_RANGE = (
    "Layer '{name}' (GroupNormalization) groups the channels of axis={axis}, which inputs of shape {shape} do not "
    "have (axis 0 is the batch)."
)
UNKNOWN_CHANNELS = (
    "Layer '{name}' (GroupNormalization) needs the number of channels on axis {axis} to create its weights, but it "
    "is unknown. Received: input_shape={shape}."
)
GROUPS_DO_NOT_DIVIDE = (
    "Layer '{name}' (GroupNormalization) splits {channels} channels into groups={groups}: the number of groups "
    "must divide the number of channels (and be at most that number). Received: input_shape={shape}."
)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@_registry.builtin
class GroupNormalization(Layer):
    """Group normalization: the `axis` channels of each sample are split into `groups` groups of consecutive
    channels; each group is normalized to zero mean and unit variance over its channels and every other non-batch
    axis, then each channel is scaled by `gamma` and shifted by `beta`.

    `groups=1` normalizes each sample as a whole (like LayerNormalization over all axes, with per-channel weights);
    `groups=-1` (one group per channel) is instance normalization. No batch statistics: the same at training and
    inference.

    Args:
        groups: number of groups; it must divide the number of channels. -1 means one group per channel.
        axis: the channels axis (-1 for channels_last, 1 for channels_first).
        epsilon: added to the variance before the square root.
        center: learn an offset `beta` per channel.
        scale: learn a factor `gamma` per channel.
        beta_initializer, gamma_initializer: initializers of the `(channels,)` weights.
        beta_regularizer, gamma_regularizer: penalties added to `losses`.
        beta_constraint, gamma_constraint: projections applied by optimizers after updates.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: tensor of rank >= 2 with a known number of channels.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.GroupNormalization(groups=2, epsilon=0.0)
        >>> x = np.array([[1.0, 3.0, 10.0, 30.0]])
        >>> print(np.round(kerasx.ops.convert_to_numpy(layer(x)), 4))
        [[-1.  1. -1.  1.]]
    """

    supports_masking = True

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        if not _is_int(groups) or (groups <= 0 and groups != -1):
            raise ValueError(BAD_GROUPS.format(groups=groups))
        if not _is_int(axis):
            raise ValueError(BAD_AXIS.format(axis=axis))
        super().__init__(**kwargs)
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def _channels_axis(self, shape) -> int:
        rank = len(shape)
        if not -rank <= self.axis < rank or self.axis % rank == 0:
            raise ValueError(AXIS_OUT_OF_RANGE.format(name=self.name, axis=self.axis, shape=tuple(shape)))
        return self.axis % rank

    def build(self, input_shape):
        axis = self._channels_axis(input_shape)
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(UNKNOWN_CHANNELS.format(name=self.name, axis=self.axis, shape=tuple(input_shape)))
        if self.groups == -1:
            # As in Keras 3: the config then says how many groups that was.
            self.groups = channels
        if self.groups > channels or channels % self.groups:
            raise ValueError(GROUPS_DO_NOT_DIVIDE.format(
                name=self.name, channels=channels, groups=self.groups, shape=tuple(input_shape)
            ))
        self.gamma = None
        if self.scale:
            self.gamma = self.add_weight(
                shape=(channels,), initializer=self.gamma_initializer, regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint, name="gamma",
            )
        self.beta = None
        if self.center:
            self.beta = self.add_weight(
                shape=(channels,), initializer=self.beta_initializer, regularizer=self.beta_regularizer,
                constraint=self.beta_constraint, name="beta",
            )
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})

    def _fused(self, inputs, axis):
        """The engine's group-normalization kernel (channels on axis 1, float32/64 statistics), or None."""
        if axis != 1 or isinstance(inputs, KerasTensor) or ops.dtype(inputs) not in ("float32", "float64"):
            return None
        gamma = None if self.gamma is None else ops.cast(self.gamma, ops.dtype(inputs))
        beta = None if self.beta is None else ops.cast(self.beta, ops.dtype(inputs))
        return active.nn.group_norm(inputs, self.groups, gamma, beta, float(self.epsilon))

    def call(self, inputs):
        shape = ops.shape(inputs)
        axis = self._channels_axis(shape)
        fused = self._fused(inputs, axis)
        if fused is not None:
            return fused
        original = ops.dtype(inputs)
        x = ops.cast(inputs, "float64" if original == "float64" else "float32")
        channels = shape[axis]
        assert channels is not None, "build() checked that the channels are known"
        per_group = channels // self.groups
        # The channels axis becomes (groups, channels per group); statistics over all but batch and groups.
        grouped_shape = (-1,) + tuple(shape[1:axis]) + (self.groups, per_group) + tuple(shape[axis + 1:])
        grouped = ops.reshape(x, grouped_shape)
        reduction_axes = tuple(a for a in range(1, len(grouped_shape)) if a != axis)
        mean, variance = ops.moments(grouped, reduction_axes, keepdims=True)
        inverse = ops.rsqrt(ops.add(variance, self.epsilon))
        parameter_shape = tuple(1 for _ in range(axis)) + (self.groups, per_group) + (1,) * (len(shape) - axis - 1)
        if self.gamma is not None:
            inverse = ops.multiply(inverse, ops.reshape(ops.cast(self.gamma, ops.dtype(x)), parameter_shape))
        offset = ops.negative(ops.multiply(mean, inverse))
        if self.beta is not None:
            offset = ops.add(offset, ops.reshape(ops.cast(self.beta, ops.dtype(x)), parameter_shape))
        outputs = ops.add(ops.multiply(grouped, inverse), offset)
        return ops.cast(ops.reshape(outputs, (-1,) + tuple(shape[1:])), original)

    def compute_output_shape(self, input_shape):
        self._channels_axis(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "groups": self.groups,
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
            }
        )
        return config
