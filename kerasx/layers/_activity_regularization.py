"""`ActivityRegularization`: the identity, adding an L1/L2 penalty on what passes through to the losses."""

from __future__ import annotations

from kerasx import regularizers
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry

BAD_FACTOR = (
    "ActivityRegularization: `{name}` must be a non-negative number (None means 0). Received: {name}={value!r}."
)


def _factor(name: str, value) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(BAD_FACTOR.format(name=name, value=value))
    return value


@_registry.builtin
class ActivityRegularization(Layer):
    """Passes its input through unchanged and adds `(l1 * sum(|x|) + l2 * sum(x**2)) / batch_size` to the layer's
    `losses` at each eager call (the model adds it to the training loss).

    Args:
        l1: L1 factor (None: 0).
        l2: L2 factor (None: 0).
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: tensor of any shape; its first axis is the batch.

    Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.ActivityRegularization(l1=0.1, l2=0.01)
        >>> y = layer(np.array([[1.0, -2.0], [3.0, 0.0]]))
        >>> print(kerasx.ops.convert_to_numpy(y))
        [[ 1. -2.]
         [ 3.  0.]]
        >>> round(float(kerasx.ops.convert_to_numpy(layer.losses[0])), 4)
        0.37
    """

    _built_at_construction = True

    supports_masking = True

    def __init__(self, l1: float | None = 0.0, l2: float | None = 0.0, **kwargs):
        l1, l2 = _factor("l1", l1), _factor("l2", l2)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1 or 0.0, l2=l2 or 0.0), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"l1": self.l1, "l2": self.l2})
        return config
