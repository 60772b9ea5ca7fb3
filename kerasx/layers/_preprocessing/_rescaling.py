"""`Rescaling`: `inputs * scale + offset`, in the compute dtype."""

from __future__ import annotations

import numpy as np

from kerasx import ops
from kerasx.backend import image_data_format
from kerasx.layers._layer import Layer
from kerasx.layers._preprocessing import _graph_host
from kerasx.serialization import _registry


@_registry.builtin
class Rescaling(_graph_host.HostInGraphMixin, Layer):
    """Multiplies its input by `scale` and adds `offset`, after a cast to the compute dtype.

    `Rescaling(1 / 255)` maps pixel values in [0, 255] to [0, 1]; `Rescaling(1 / 127.5, offset=-1)` to [-1, 1].
    A per-channel `scale` (a list) broadcasts against the last axis, or against the channel axis of 3-D images
    when `kerasx.config.image_data_format()` is "channels_first".

    Args:
        scale: a number, or a list/array of them (one per channel).
        offset: a number, or a list/array of them.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: tensor of any shape (typically images).

    Output shape: the input's, in the compute dtype.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Rescaling(1 / 127.5, offset=-1)
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[0, 127.5, 255]]))))
        [[-1.  0.  1.]]
    """

    supports_masking = True

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = ops.cast(self.scale, dtype)
        offset = ops.cast(self.offset, dtype)
        scale_rank = len(ops.shape(scale))
        if scale_rank and image_data_format() == "channels_first":
            # Per-channel scales of channels-first images run along axis -3: (channels, 1, 1).
            scale = ops.reshape(scale, tuple(ops.shape(scale)) + (1,) * (3 - scale_rank))
        return ops.cast(inputs, dtype) * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["scale"] = _plain(self.scale)
        config["offset"] = _plain(self.offset)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("scale", "offset"):
            value = config[key]
            # Keras 3 writes tuples and arrays as {"class_name": "__tuple__" / "__numpy__", "config": {"value": ...}}.
            if isinstance(value, dict) and "config" in value and "value" in value["config"]:
                config[key] = value["config"]["value"]
        return cls(**config)


def _plain(value):
    """A number or (nested) list for the config: arrays and tuples become lists."""
    if isinstance(value, (int, float, str)) or value is None:
        return value
    return np.asarray(ops.convert_to_numpy(value)).tolist()
