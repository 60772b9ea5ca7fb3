"""Window pooling layers: `MaxPooling1D/2D/3D`, `AveragePooling1D/2D/3D` and their base `BasePooling`."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers import _arguments
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry


class BasePooling(Layer):
    """Max or average over sliding windows of the spatial axes; the channels are pooled separately.

    Args:
        rank: number of spatial axes.
        pool_mode: "max" or "average".
        pool_size: int or tuple of `rank` ints, the window.
        strides: int or tuple of `rank` ints; None means `pool_size` (non-overlapping windows).
        padding: "valid" (windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of an average).
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
        **kwargs: base Layer arguments.
    """

    def __init__(self, rank, pool_mode, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.rank = rank
        self.pool_mode = pool_mode
        self.pool_size = _arguments.int_tuple(cls, pool_size, rank, "pool_size")
        self.strides = self.pool_size if strides is None else _arguments.int_tuple(cls, strides, rank, "strides")
        self.padding = _arguments.padding_mode(cls, padding)
        self.data_format = _arguments.data_format(cls, data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def call(self, inputs):
        pool = ops.max_pool if self.pool_mode == "max" else ops.average_pool
        return pool(inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "pool_size": self.pool_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
            }
        )
        return config


@_registry.builtin
class MaxPooling1D(BasePooling):
    """Max over windows of `(batch, steps, channels)` (or channels first); see `BasePooling`."""

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(1, "max", pool_size, strides, padding, data_format, **kwargs)


@_registry.builtin
class MaxPooling2D(BasePooling):
    """Max over windows of `(batch, height, width, channels)` (or channels first); see `BasePooling`."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(2, "max", pool_size, strides, padding, data_format, **kwargs)


@_registry.builtin
class MaxPooling3D(BasePooling):
    """Max over windows of `(batch, depth, height, width, channels)` (or channels first); see `BasePooling`."""

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(3, "max", pool_size, strides, padding, data_format, **kwargs)


@_registry.builtin
class AveragePooling1D(BasePooling):
    """Mean over windows of `(batch, steps, channels)` (or channels first); see `BasePooling`."""

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(1, "average", pool_size, strides, padding, data_format, **kwargs)


@_registry.builtin
class AveragePooling2D(BasePooling):
    """Mean over windows of `(batch, height, width, channels)` (or channels first); see `BasePooling`."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(2, "average", pool_size, strides, padding, data_format, **kwargs)


@_registry.builtin
class AveragePooling3D(BasePooling):
    """Mean over windows of `(batch, depth, height, width, channels)` (or channels first); see `BasePooling`."""

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(3, "average", pool_size, strides, padding, data_format, **kwargs)
