"""Adaptive pooling layers: `AdaptiveAveragePooling1D/2D/3D` and `AdaptiveMaxPooling1D/2D/3D` pool each spatial
axis to a fixed size, whatever the input's size (windows of torch's and Keras 3's rule, see
`kerasx.ops.adaptive_average_pool`)."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers import _arguments
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops._types import DataFormat
from kerasx.serialization import _registry

BAD_OUTPUT_SIZE = (
    "{cls}: `output_size` must be an int or a tuple of {count} ints (the output's size along each spatial axis). "
    "Received: output_size={output_size!r}."
)
NON_POSITIVE_OUTPUT_SIZE = (
    "{cls}: every `output_size` must be at least 1 (the pooled axes cannot be empty). "
    "Received: output_size={output_size!r}."
)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _output_size(cls_name: str, output_size, count: int) -> tuple:
    sizes = (output_size,) * count if _is_int(output_size) else output_size
    if not isinstance(sizes, (tuple, list)) or len(sizes) != count or not all(_is_int(s) for s in sizes):
        raise TypeError(BAD_OUTPUT_SIZE.format(cls=cls_name, count=count, output_size=output_size))
    if any(s < 1 for s in sizes):
        raise ValueError(NON_POSITIVE_OUTPUT_SIZE.format(cls=cls_name, output_size=output_size))
    return tuple(sizes)


class BaseAdaptivePooling(Layer):
    """Average or max pooling of every spatial axis to `output_size`.

    Args:
        output_size: int (every spatial axis) or one int per spatial axis.
        pool_dimensions: number of spatial axes (1, 2 or 3).
        pool_mode: "average" or "max".
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
        **kwargs: base Layer arguments.
    """

    def __init__(
        self,
        output_size: int | tuple[int, ...],
        pool_dimensions: int,
        pool_mode: str = "average",
        data_format: DataFormat = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.output_size = _output_size(cls, output_size, pool_dimensions)
        self.pool_dimensions = pool_dimensions
        self.pool_mode = pool_mode
        self.data_format: _arguments.ImageDataFormat = _arguments.data_format(cls, data_format)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)

    def call(self, inputs):
        pool = ops.adaptive_max_pool if self.pool_mode == "max" else ops.adaptive_average_pool
        return pool(inputs, self.output_size, self.data_format)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        first = 1 if self.data_format == "channels_last" else 2
        shape[first : first + self.pool_dimensions] = self.output_size
        return tuple(shape)

    def compute_output_spec(self, inputs):
        return ops.KerasTensor(self.compute_output_shape(tuple(inputs.shape)), inputs.dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config


@_registry.builtin
class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Mean over windows of the steps chosen so that the output has `output_size` steps.

    Output step `i` of `n` averages input steps `floor(i * L / n)` to `ceil((i + 1) * L / n) - 1` of `L`: windows
    may overlap, and `n > L` repeats steps.

    Args:
        output_size: int (or a tuple of one int), the number of output steps.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, steps, channels)` (channels_last) or `(batch, channels, steps)`.
    Output shape: `(batch, output_size, channels)` (channels_last) or `(batch, channels, output_size)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.array([1.0, 3.0, 2.0, 6.0, 4.0]).reshape((1, 5, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.AdaptiveAveragePooling1D(2)(x))[0, :, 0])
        [2. 4.]
    """

    def __init__(self, output_size: int | tuple[int], data_format: DataFormat = None, **kwargs):
        super().__init__(output_size, 1, "average", data_format, **kwargs)


@_registry.builtin
class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Mean over windows of height and width chosen so that the output is `output_size` (height, width).

    Args:
        output_size: int (both axes) or `(height, width)`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, height, width, channels)` (channels_last) or `(batch, channels, height, width)`.
    Output shape: the spatial axes replaced by `output_size`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(16.0).reshape((1, 4, 4, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.AdaptiveAveragePooling2D(2)(x))[0, :, :, 0])
        [[ 2.5  4.5]
         [10.5 12.5]]
        >>> kerasx.layers.AdaptiveAveragePooling2D((3, 5))(kerasx.Input(shape=(32, 32, 8))).shape
        (None, 3, 5, 8)
    """

    def __init__(self, output_size: int | tuple[int, int], data_format: DataFormat = None, **kwargs):
        super().__init__(output_size, 2, "average", data_format, **kwargs)


@_registry.builtin
class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Mean over windows of the three spatial axes chosen so that the output is `output_size`.

    Args:
        output_size: int (every axis) or `(depth, height, width)`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, depth, height, width, channels)` (channels_last) or channels first.
    Output shape: the spatial axes replaced by `output_size`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(8.0).reshape((1, 2, 2, 2, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.AdaptiveAveragePooling3D(1)(x)).reshape(-1))
        [3.5]
    """

    def __init__(self, output_size: int | tuple[int, int, int], data_format: DataFormat = None, **kwargs):
        super().__init__(output_size, 3, "average", data_format, **kwargs)


@_registry.builtin
class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Maximum over windows of the steps chosen so that the output has `output_size` steps.

    Output step `i` of `n` takes the maximum of input steps `floor(i * L / n)` to `ceil((i + 1) * L / n) - 1`.

    Args:
        output_size: int (or a tuple of one int), the number of output steps.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, steps, channels)` (channels_last) or `(batch, channels, steps)`.
    Output shape: `(batch, output_size, channels)` (channels_last) or `(batch, channels, output_size)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.array([1.0, 3.0, 2.0, 6.0, 4.0]).reshape((1, 5, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.AdaptiveMaxPooling1D(2)(x))[0, :, 0])
        [3. 6.]
    """

    def __init__(self, output_size: int | tuple[int], data_format: DataFormat = None, **kwargs):
        super().__init__(output_size, 1, "max", data_format, **kwargs)


@_registry.builtin
class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Maximum over windows of height and width chosen so that the output is `output_size` (height, width).

    Args:
        output_size: int (both axes) or `(height, width)`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, height, width, channels)` (channels_last) or `(batch, channels, height, width)`.
    Output shape: the spatial axes replaced by `output_size`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(16.0).reshape((1, 4, 4, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.AdaptiveMaxPooling2D(2)(x))[0, :, :, 0])
        [[ 5.  7.]
         [13. 15.]]
    """

    def __init__(self, output_size: int | tuple[int, int], data_format: DataFormat = None, **kwargs):
        super().__init__(output_size, 2, "max", data_format, **kwargs)


@_registry.builtin
class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Maximum over windows of the three spatial axes chosen so that the output is `output_size`.

    Args:
        output_size: int (every axis) or `(depth, height, width)`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, depth, height, width, channels)` (channels_last) or channels first.
    Output shape: the spatial axes replaced by `output_size`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(8.0).reshape((1, 2, 2, 2, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.AdaptiveMaxPooling3D(1)(x)).reshape(-1))
        [7.]
    """

    def __init__(self, output_size: int | tuple[int, int, int], data_format: DataFormat = None, **kwargs):
        super().__init__(output_size, 3, "max", data_format, **kwargs)
