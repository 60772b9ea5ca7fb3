"""`RMSNormalization`: divides each sample by its root mean square over the feature axes, then scales."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry

BAD_AXIS = (
    "RMSNormalization: `axis` must be an int or a list/tuple of ints (the axes to normalize over). "
    "Received: axis={axis!r}."
)
AXIS_OUT_OF_RANGE = (
    "Layer '{name}' (RMSNormalization) normalizes over axis={axis}, which inputs of shape {shape} do not have."
)
UNKNOWN_SIZE = (
    "Layer '{name}' (RMSNormalization) needs the sizes of the normalized axes {axis} to create its `scale`, but "
    "one is unknown. Received: input_shape={shape}."
)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@_registry.builtin
class RMSNormalization(Layer):
    """Root-mean-square normalization: `x / sqrt(mean(x ** 2 over axis) + epsilon) * scale`, per sample.

    Unlike LayerNormalization there is no centring and no offset. The learned `scale` (ones at first) has the
    shape of the normalized axes. Once built, `axis` is the sorted list of those axes (as in Keras 3's config).

    Args:
        axis: int or list of ints, the axes to normalize over (usually -1, the features).
        epsilon: added to the mean square before the square root.
        **kwargs: base Layer arguments.

    Call arguments:
        x: tensor whose `axis` sizes are known.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.RMSNormalization(epsilon=0.0)
        >>> print(np.round(kerasx.ops.convert_to_numpy(layer(np.array([[3.0, 4.0], [1.0, -1.0]]))), 4))
        [[ 0.8485  1.1314]
         [ 1.     -1.    ]]
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        if _is_int(axis):
            self.axis: int | list[int] = axis
        elif isinstance(axis, (list, tuple)) and all(_is_int(a) for a in axis):
            self.axis = list(axis)
        else:
            raise ValueError(BAD_AXIS.format(axis=axis))
        self.epsilon = epsilon

    def _axes(self, shape) -> list:
        # __init__ rejected bools, so isinstance tells an int axis from a list.
        axes = [self.axis] if isinstance(self.axis, int) else list(self.axis)
        if not all(-len(shape) <= a < len(shape) for a in axes):
            raise ValueError(AXIS_OUT_OF_RANGE.format(name=self.name, axis=self.axis, shape=tuple(shape)))
        return axes

    def build(self, input_shape):
        self.axis = sorted(self._axes(input_shape))
        shape = tuple(input_shape[a] for a in self.axis)
        if None in shape:
            raise ValueError(UNKNOWN_SIZE.format(name=self.name, axis=self.axis, shape=tuple(input_shape)))
        self.scale = self.add_weight(shape=shape, initializer="ones", name="scale")

    def call(self, x):
        axes = self._axes(ops.shape(x))
        return ops.rms_normalization(x, scale=self.scale, axis=tuple(axes), epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        self._axes(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
