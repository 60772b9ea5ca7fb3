"""`LayerNormalization`: normalizes each sample over its feature axes (no batch statistics, no moving state)."""

from __future__ import annotations

import warnings

from kerasx import constraints, initializers, ops, regularizers
from kerasx.backend import _dtypes, active
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

BAD_AXIS = (
    "LayerNormalization: `axis` must be an int or a list/tuple of ints (the axes to normalize over). "
    "Received: axis={axis!r}."
)
AXIS_OUT_OF_RANGE = (
    "Layer '{name}' (LayerNormalization) normalizes over axis={axis}, but its inputs have shape {shape}. The batch "
    "axis 0 cannot be one of them."
)
RMS_SCALING_DEPRECATED = (
    "LayerNormalization: `rms_scaling=True` is deprecated (as in Keras 3): it divides by the standard deviation "
    "without centring, not by the root mean square. Use `kerasx.layers.RMSNormalization` for RMS normalization."
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
        rms_scaling: deprecated, as in Keras 3 (warns): `x / sqrt(variance + epsilon) * gamma`, the standard
            deviation without centring and no `beta` (`center` and `scale` are ignored). RMSNormalization divides
            by the root mean square.
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
            self.axis: int | list[int] = axis
        elif isinstance(axis, (list, tuple)) and axis and all(_is_int(a) for a in axis):
            self.axis = list(axis)
        else:
            raise ValueError(BAD_AXIS.format(axis=axis))
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = bool(rms_scaling)
        if self.rms_scaling:
            warnings.warn(RMS_SCALING_DEPRECATED, stacklevel=2)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def _axes(self, rank) -> tuple:
        # __init__ rejected bools, so isinstance tells an int axis from a list.
        axes = [self.axis] if isinstance(self.axis, int) else self.axis
        if not all(-rank <= a < rank for a in axes) or any(a % rank == 0 for a in axes):
            raise ValueError(AXIS_OUT_OF_RANGE.format(name=self.name, axis=self.axis, shape=f"of rank {rank}"))
        return tuple(sorted({a % rank for a in axes}))

    def build(self, input_shape):
        axes = self._axes(len(input_shape))
        # As Keras 3: once built, `axis` is the sorted list of the axes as given (its config says so).
        self.axis = sorted([self.axis] if isinstance(self.axis, int) else self.axis)
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

    def _fused(self, inputs, axes):
        """The engine's layer-normalization kernel (float32/64 inputs normalized over their last axes), or None."""
        rank = len(inputs.shape)
        trailing = axes == tuple(range(rank - len(axes), rank))
        if self.rms_scaling or not trailing or isinstance(inputs, KerasTensor):
            return None
        dtype = ops.dtype(inputs)
        if dtype not in ("float32", "float64"):
            return None
        gamma = None if self.gamma is None else ops.cast(self.gamma, dtype)
        beta = None if self.beta is None else ops.cast(self.beta, dtype)
        return active.nn.layer_norm(inputs, gamma, beta, axes, self.epsilon)

    def call(self, inputs):
        axes = self._axes(len(ops.shape(inputs)))
        # Integer inputs normalize to floats (the op keeps the input's dtype).
        inputs = ops.cast(inputs, _dtypes.float_result(ops.dtype(inputs), self.compute_dtype))
        fused = self._fused(inputs, axes)
        if fused is not None:
            return fused
        return ops.layer_normalization(
            inputs, self.gamma, self.beta, axes, self.epsilon, rms_scaling=self.rms_scaling
        )

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
