"""`UnitNormalization`: scales each sample to unit L2 norm over the given axes."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry

BAD_AXIS = (
    "UnitNormalization: `axis` must be an int or a list/tuple of ints (the axes the norm runs over). "
    "Received: axis={axis!r}."
)
AXIS_OUT_OF_RANGE = "Layer '{name}' (UnitNormalization): axis={axis} is out of range for inputs of shape {shape}."
# Only guards the division of an all-zero input (which stays zero).
_EPSILON = 1e-12


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@_registry.builtin
class UnitNormalization(Layer):
    """Divides each sample by its L2 norm over `axis`: `x / sqrt(sum(x ** 2 over axis))`, so the result has norm 1
    along those axes. No weights.

    Args:
        axis: int or list of ints, the axes of the norm (usually -1, the features).
        **kwargs: base Layer arguments.

    Input shape: any. Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.UnitNormalization()
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[3.0, 4.0], [0.0, 2.0]]))))
        [[0.6 0.8]
         [0.  1. ]]
    """

    _built_at_construction = True

    supports_masking = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if _is_int(axis):
            self.axis: int | list[int] = axis
        elif isinstance(axis, (list, tuple)) and all(_is_int(a) for a in axis):
            self.axis = list(axis)
        else:
            raise ValueError(BAD_AXIS.format(axis=axis))

    def _axes(self, shape) -> tuple:
        # __init__ rejected bools, so isinstance tells an int axis from a list.
        axes = (self.axis,) if isinstance(self.axis, int) else tuple(self.axis)
        if not all(-len(shape) <= a < len(shape) for a in axes):
            raise ValueError(AXIS_OUT_OF_RANGE.format(name=self.name, axis=self.axis, shape=tuple(shape)))
        return axes

    def call(self, inputs):
        axes = self._axes(ops.shape(inputs))
        return ops.normalize(inputs, axis=axes[0] if len(axes) == 1 else axes, order=2, epsilon=_EPSILON)

    def compute_output_shape(self, input_shape):
        self._axes(input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config
