"""Window pooling layers: `MaxPooling1D/2D/3D`, `AveragePooling1D/2D/3D` and their base `BasePooling`."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers import _arguments
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops._types import DataFormat, Padding
from kerasx.serialization import _registry

BAD_POOL_MODE = '{cls}: `pool_mode` must be "max" or "average". Received: pool_mode={pool_mode!r}.'


class BasePooling(Layer):
    """Max or average over sliding windows of the spatial axes; the channels are pooled separately.

    The arguments come in Keras 3's order, so that subclasses written for Keras's base call this one unchanged.

    Args:
        pool_size: int or tuple of `pool_dimensions` ints, the window.
        strides: int or tuple of `pool_dimensions` ints; None means `pool_size` (non-overlapping windows).
        pool_dimensions: number of spatial axes (1, 2 or 3).
        pool_mode: "max" or "average".
        padding: "valid" (windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of an average).
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
        name: the layer's name.
        **kwargs: base Layer arguments.
    """

    _built_at_construction = True

    def __init__(
        self,
        pool_size,
        strides,
        pool_dimensions: int,
        pool_mode: str = "max",
        padding: Padding = "valid",
        data_format: DataFormat = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        cls = type(self).__name__
        if pool_mode not in ("max", "average"):
            raise ValueError(BAD_POOL_MODE.format(cls=cls, pool_mode=pool_mode))
        self.pool_dimensions = pool_dimensions
        self.pool_mode = pool_mode
        self.pool_size = _arguments.int_tuple(cls, pool_size, pool_dimensions, "pool_size")
        self.strides = (
            self.pool_size if strides is None else _arguments.int_tuple(cls, strides, pool_dimensions, "strides")
        )
        self.padding: _arguments.Padding = _arguments.padding_mode(cls, padding)
        self.data_format: _arguments.ImageDataFormat = _arguments.data_format(cls, data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)

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
        name: the layer's name; None makes a unique one from the class name.
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
        self,
        pool_size: int | tuple[int, ...] = 2,
        strides: int | tuple[int, ...] | None = None,
        padding: Padding = "valid",
        data_format: DataFormat = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, 1, "max", padding, data_format, name, **kwargs)


@_registry.builtin
class MaxPooling2D(BasePooling):
    """Maximum over sliding windows of `(batch, height, width, channels)` (or channels first).

    Args:
        pool_size: int or tuple of 2 ints; the window size.
        strides: int or tuple of 2 ints; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        name: the layer's name; None makes a unique one from the class name.
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
        self,
        pool_size: int | tuple[int, ...] = (2, 2),
        strides: int | tuple[int, ...] | None = None,
        padding: Padding = "valid",
        data_format: DataFormat = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, 2, "max", padding, data_format, name, **kwargs)


@_registry.builtin
class MaxPooling3D(BasePooling):
    """Maximum over sliding windows of `(batch, depth, height, width, channels)` (or channels first).

    Args:
        pool_size: int or tuple of 3 ints; the window size.
        strides: int or tuple of 3 ints; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        name: the layer's name; None makes a unique one from the class name.
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
        self,
        pool_size: int | tuple[int, ...] = (2, 2, 2),
        strides: int | tuple[int, ...] | None = None,
        padding: Padding = "valid",
        data_format: DataFormat = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, 3, "max", padding, data_format, name, **kwargs)


@_registry.builtin
class AveragePooling1D(BasePooling):
    """Mean over sliding windows of the steps of `(batch, steps, channels)` (or channels first).

    Args:
        pool_size: int; the window size (required: Keras 3 gives only the max-pooling layers a default).
        strides: int; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        name: the layer's name; None makes a unique one from the class name.
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
        self,
        pool_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] | None = None,
        padding: Padding = "valid",
        data_format: DataFormat = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, 1, "average", padding, data_format, name, **kwargs)


@_registry.builtin
class AveragePooling2D(BasePooling):
    """Mean over sliding windows of `(batch, height, width, channels)` (or channels first).

    Args:
        pool_size: int or tuple of 2 ints; the window size (required, as in Keras 3).
        strides: int or tuple of 2 ints; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        name: the layer's name; None makes a unique one from the class name.
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
        self,
        pool_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] | None = None,
        padding: Padding = "valid",
        data_format: DataFormat = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, 2, "average", padding, data_format, name, **kwargs)


@_registry.builtin
class AveragePooling3D(BasePooling):
    """Mean over sliding windows of `(batch, depth, height, width, channels)` (or channels first).

    Args:
        pool_size: int or tuple of 3 ints; the window size (required, as in Keras 3).
        strides: int or tuple of 3 ints; None means `pool_size` (windows side by side).
        padding: "valid" (only windows inside the input) or "same" (output size `ceil(input / stride)`; padded cells
            never win a max and are left out of a mean).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        name: the layer's name; None makes a unique one from the class name.
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
        self,
        pool_size: int | tuple[int, ...],
        strides: int | tuple[int, ...] | None = None,
        padding: Padding = "valid",
        data_format: DataFormat = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(pool_size, strides, 3, "average", padding, data_format, name, **kwargs)


# Keras 3's short names are the same classes, so `isinstance` and serialization (by class name) agree.
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
MaxPool3D = MaxPooling3D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D
