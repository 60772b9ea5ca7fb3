"""`LayerNormalization`: normalizes each sample over its feature axes (no batch statistics, no moving state)."""

from __future__ import annotations

from kerasx import constraints, initializers, ops, regularizers
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry

BAD_AXIS = (
    "LayerNormalization: `axis` must be an int or a list/tuple of ints (the axes to normalize over). "
    "Received: axis={axis!r}."
)
AXIS_OUT_OF_RANGE = (
    "Layer '{name}' (LayerNormalization) normalizes over axis={axis}, but its inputs have shape {shape}. The batch "
    "axis 0 cannot be one of them."
)
UNKNOWN_SIZE = (
    "Layer '{name}' (LayerNormalization) needs the sizes of the normalized axes {axes} to create its weights, but "
    "one is unknown. Received: input_shape={shape}."
)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@_registry.builtin
class LayerNormalization(Layer):
    """`(x - mean) / sqrt(variance + epsilon) * gamma + beta`, the statistics taken per sample over `axis`.

    Args:
        axis: int or list of ints, the axes to normalize over (usually -1, the features).
        epsilon: added to the variance before the square root.
        center: learn an offset `beta`.
        scale: learn a factor `gamma`.
        rms_scaling: RMS normalization instead: `x / sqrt(mean(x**2) + epsilon) * gamma` (no centering, no
            `beta`; `center` and `scale` are ignored).
        beta_initializer, gamma_initializer: initializers of the weights, shaped like the normalized axes.
        beta_regularizer, gamma_regularizer: penalties added to `losses`.
        beta_constraint, gamma_constraint: projections applied by optimizers after updates.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: tensor whose `axis` sizes are known.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.LayerNormalization(epsilon=0.0)
        >>> print(np.round(kerasx.ops.convert_to_numpy(layer(np.array([[1.0, 2.0, 3.0], [10.0, 10.0, 40.0]]))), 4))
        [[-1.2247  0.      1.2247]
         [-0.7071 -0.7071  1.4142]]
    """

    supports_masking = True

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        rms_scaling=False,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if _is_int(axis):
            self.axis = axis
        elif isinstance(axis, (list, tuple)) and axis and all(_is_int(a) for a in axis):
            self.axis = list(axis)
        else:
            raise ValueError(BAD_AXIS.format(axis=axis))
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = bool(rms_scaling)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def _axes(self, rank) -> tuple:
        axes = [self.axis] if _is_int(self.axis) else self.axis
        if not all(-rank <= a < rank for a in axes) or any(a % rank == 0 for a in axes):  # pyright: ignore[reportGeneralTypeIssues] - a list when not an int
            raise ValueError(AXIS_OUT_OF_RANGE.format(name=self.name, axis=self.axis, shape=f"of rank {rank}"))
        return tuple(sorted({a % rank for a in axes}))  # pyright: ignore[reportGeneralTypeIssues]

    def build(self, input_shape):
        axes = self._axes(len(input_shape))
        shape = tuple(input_shape[a] for a in axes)
        if None in shape:
            raise ValueError(UNKNOWN_SIZE.format(name=self.name, axes=axes, shape=tuple(input_shape)))
        self.gamma = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                shape=shape, initializer=self.gamma_initializer, regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint, name="gamma",
            )
        self.beta = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                shape=shape, initializer=self.beta_initializer, regularizer=self.beta_regularizer,
                constraint=self.beta_constraint, name="beta",
            )

    def call(self, inputs):
        rank = len(ops.shape(inputs))
        axes = self._axes(rank)
        # Weights are laid out over the normalized axes only; size-1 axes elsewhere make them broadcast.
        broadcast = tuple(ops.shape(inputs)[a] if a in axes else 1 for a in range(rank))
        if self.rms_scaling:
            mean_square = ops.mean(ops.square(inputs), axis=axes, keepdims=True)
            outputs = ops.multiply(inputs, ops.reciprocal(ops.sqrt(ops.add(mean_square, self.epsilon))))
        else:
            mean, variance = ops.moments(inputs, axes, keepdims=True)
            inverse = ops.reciprocal(ops.sqrt(ops.add(variance, self.epsilon)))
            outputs = ops.multiply(ops.subtract(inputs, mean), inverse)
        if self.gamma is not None:
            outputs = ops.multiply(outputs, ops.reshape(self.gamma, broadcast))
        if self.beta is not None:
            outputs = ops.add(outputs, ops.reshape(self.beta, broadcast))
        return outputs

    def compute_output_shape(self, input_shape):
        self._axes(len(input_shape))
        return tuple(input_shape)

    def compute_output_spec(self, inputs):
        return self.call(inputs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "rms_scaling": self.rms_scaling,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint),
            }
        )
        return config
