"""Window pooling layers: `MaxPooling1D/2D/3D`, `AveragePooling1D/2D/3D` and their base `BasePooling`."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers import _arguments
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops._types import DataFormat, Padding
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
        self.padding: _arguments.Padding = _arguments.padding_mode(cls, padding)
        self.data_format: _arguments.ImageDataFormat = _arguments.data_format(cls, data_format)
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
    """Maximum over sliding windows of the steps of `(batch, steps, channels)` (or channels first).

    Args:
        pool_size: int; the window size.
        strides: int; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, steps, channels)` (channels_last).
    Output shape: the same rank, each spatial size pooled: `(size - pool_size) // strides + 1` with "valid".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.array([1.0, 3.0, 2.0, 5.0, 4.0]).reshape((1, 5, 1))
        >>> y = kerasx.layers.MaxPooling1D(pool_size=2)(x)
        >>> print(kerasx.ops.convert_to_numpy(y)[0, :, 0])
        [3. 5.]
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.MaxPooling1D(2, strides=1, padding="same")(x))[0, :, 0])
        [3. 3. 5. 5. 4.]
    """

    def __init__(
        self, pool_size=2, strides=None, padding: Padding = "valid", data_format: DataFormat = None, **kwargs
    ):
        super().__init__(1, "max", pool_size, strides, padding, data_format, **kwargs)


@_registry.builtin
class MaxPooling2D(BasePooling):
    """Maximum over sliding windows of `(batch, height, width, channels)` (or channels first).

    Args:
        pool_size: int or tuple of 2 ints; the window size.
        strides: int or tuple of 2 ints; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, height, width, channels)` (channels_last).
    Output shape: the same rank, each spatial size pooled: `(size - pool_size) // strides + 1` with "valid".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(16.0).reshape((1, 4, 4, 1))
        >>> y = kerasx.layers.MaxPooling2D(pool_size=(2, 2))(x)
        >>> print(kerasx.ops.convert_to_numpy(y)[0, :, :, 0])
        [[ 5.  7.]
         [13. 15.]]
        >>> kerasx.layers.MaxPooling2D()(kerasx.Input(shape=(28, 28, 8))).shape
        (None, 14, 14, 8)
    """

    def __init__(
        self, pool_size=(2, 2), strides=None, padding: Padding = "valid", data_format: DataFormat = None, **kwargs
    ):
        super().__init__(2, "max", pool_size, strides, padding, data_format, **kwargs)


@_registry.builtin
class MaxPooling3D(BasePooling):
    """Maximum over sliding windows of `(batch, depth, height, width, channels)` (or channels first).

    Args:
        pool_size: int or tuple of 3 ints; the window size.
        strides: int or tuple of 3 ints; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, depth, height, width, channels)` (channels_last).
    Output shape: the same rank, each spatial size pooled: `(size - pool_size) // strides + 1` with "valid".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(8.0).reshape((1, 2, 2, 2, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.MaxPooling3D()(x)).reshape(-1))
        [7.]
        >>> kerasx.layers.MaxPooling3D(pool_size=2)(kerasx.Input(shape=(8, 8, 8, 3))).shape
        (None, 4, 4, 4, 3)
    """

    def __init__(
        self, pool_size=(2, 2, 2), strides=None, padding: Padding = "valid", data_format: DataFormat = None, **kwargs
    ):
        super().__init__(3, "max", pool_size, strides, padding, data_format, **kwargs)


@_registry.builtin
class AveragePooling1D(BasePooling):
    """Mean over sliding windows of the steps of `(batch, steps, channels)` (or channels first).

    Args:
        pool_size: int; the window size.
        strides: int; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, steps, channels)` (channels_last).
    Output shape: the same rank, each spatial size pooled: `(size - pool_size) // strides + 1` with "valid".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.array([1.0, 3.0, 2.0, 6.0, 4.0]).reshape((1, 5, 1))
        >>> y = kerasx.layers.AveragePooling1D(pool_size=2)(x)
        >>> print(kerasx.ops.convert_to_numpy(y)[0, :, 0])
        [2. 4.]
    """

    def __init__(
        self, pool_size=2, strides=None, padding: Padding = "valid", data_format: DataFormat = None, **kwargs
    ):
        super().__init__(1, "average", pool_size, strides, padding, data_format, **kwargs)


@_registry.builtin
class AveragePooling2D(BasePooling):
    """Mean over sliding windows of `(batch, height, width, channels)` (or channels first).

    Args:
        pool_size: int or tuple of 2 ints; the window size.
        strides: int or tuple of 2 ints; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, height, width, channels)` (channels_last).
    Output shape: the same rank, each spatial size pooled: `(size - pool_size) // strides + 1` with "valid".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(16.0).reshape((1, 4, 4, 1))
        >>> y = kerasx.layers.AveragePooling2D(pool_size=(2, 2))(x)
        >>> print(kerasx.ops.convert_to_numpy(y)[0, :, :, 0])
        [[ 2.5  4.5]
         [10.5 12.5]]
    """

    def __init__(
        self, pool_size=(2, 2), strides=None, padding: Padding = "valid", data_format: DataFormat = None, **kwargs
    ):
        super().__init__(2, "average", pool_size, strides, padding, data_format, **kwargs)


@_registry.builtin
class AveragePooling3D(BasePooling):
    """Mean over sliding windows of `(batch, depth, height, width, channels)` (or channels first).

    Args:
        pool_size: int or tuple of 3 ints; the window size.
        strides: int or tuple of 3 ints; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, depth, height, width, channels)` (channels_last).
    Output shape: the same rank, each spatial size pooled: `(size - pool_size) // strides + 1` with "valid".

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(8.0).reshape((1, 2, 2, 2, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.AveragePooling3D(pool_size=2)(x)).reshape(-1))
        [3.5]
        >>> kerasx.layers.AveragePooling3D(pool_size=2)(kerasx.Input(shape=(8, 8, 8, 3))).shape
        (None, 4, 4, 4, 3)
    """

    def __init__(
        self, pool_size=(2, 2, 2), strides=None, padding: Padding = "valid", data_format: DataFormat = None, **kwargs
    ):
        super().__init__(3, "average", pool_size, strides, padding, data_format, **kwargs)
