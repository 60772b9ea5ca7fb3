"""Upsampling layers: `UpSampling1D`, `UpSampling2D`, `UpSampling3D` enlarge the spatial axes by integer factors,
repeating elements (or, for `UpSampling2D`, interpolating)."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers import _arguments
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops import image
from kerasx.ops._types import DataFormat
from kerasx.serialization import _registry

BAD_SIZE_1D = "UpSampling1D: `size` must be a positive int (the repeat count of each step). Received: size={size!r}."
INTERPOLATIONS = ("bicubic", "bilinear", "lanczos3", "lanczos5", "nearest")
BAD_INTERPOLATION = (
    "UpSampling2D: unknown interpolation. Received: interpolation={interpolation!r}. Expected one of "
    + ", ".join(map(repr, INTERPOLATIONS))
    + ' ("nearest" repeats rows and columns; the others resample with `kerasx.ops.image.resize`).'
)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class BaseUpSampling(Layer):
    """Repeats each element of the spatial axes `size` times along that axis.

    Args:
        size: one positive repeat count per spatial axis.
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
        **kwargs: base Layer arguments.
    """

    def __init__(self, size: tuple, data_format: DataFormat = None, **kwargs):
        super().__init__(**kwargs)
        self.size = size
        self.data_format: _arguments.ImageDataFormat = _arguments.data_format(type(self).__name__, data_format)
        self.input_spec = InputSpec(ndim=len(size) + 2)

    def _first_axis(self) -> int:
        return 1 if self.data_format == "channels_last" else 2

    def call(self, inputs):
        for axis, factor in enumerate(self.size, start=self._first_axis()):
            if factor != 1:
                inputs = ops.repeat(inputs, factor, axis=axis)
        return inputs

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, factor in enumerate(self.size, start=self._first_axis()):
            if shape[axis] is not None:
                shape[axis] *= factor
        return tuple(shape)

    def compute_output_spec(self, inputs):
        return ops.KerasTensor(self.compute_output_shape(tuple(inputs.shape)), inputs.dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config


@_registry.builtin
class UpSampling1D(BaseUpSampling):
    """Repeats each step of `(batch, steps, features)` `size` times.

    Args:
        size: positive int, the repeat count of each step.
        **kwargs: base Layer arguments.

    Input shape: `(batch, steps, features)`. Output shape: `(batch, steps * size, features)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.array([1.0, 2.0, 3.0]).reshape((1, 3, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.UpSampling1D(size=2)(x))[0, :, 0])
        [1. 1. 2. 2. 3. 3.]
    """

    def __init__(self, size: int = 2, **kwargs):
        if not _is_int(size) or size < 1:
            raise ValueError(BAD_SIZE_1D.format(size=size))
        super().__init__((size,), "channels_last", **kwargs)

    def get_config(self) -> dict:
        # Keras 3's UpSampling1D has no data_format and writes its size as an int.
        config = super().get_config()
        del config["data_format"]
        return {**config, "size": self.size[0]}


@_registry.builtin
class UpSampling2D(BaseUpSampling):
    """Enlarges the rows and columns of `(batch, height, width, channels)` (or channels first) by integer factors.

    "nearest" repeats each row `size[0]` times and each column `size[1]` times; the other interpolations resample
    the image to `(height * size[0], width * size[1])` with `kerasx.ops.image.resize` (no antialiasing), whose
    engines differ where Keras 3's do (torch has no lanczos).

    Args:
        size: int (both axes) or `(rows, columns)`, positive upsampling factors.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        interpolation: "nearest", "bilinear", "bicubic", "lanczos3" or "lanczos5" (any letter case).
        **kwargs: base Layer arguments.

    Input shape: `(batch, height, width, channels)` (channels_last).
    Output shape: `(batch, height * size[0], width * size[1], channels)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape((1, 2, 2, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.UpSampling2D(size=(1, 2))(x))[0, :, :, 0])
        [[1. 1. 2. 2.]
         [3. 3. 4. 4.]]
        >>> y = kerasx.layers.UpSampling2D(size=2, interpolation="bilinear")(x)
        >>> print(kerasx.ops.convert_to_numpy(y)[0, 0, :, 0])
        [1.   1.25 1.75 2.  ]
    """

    def __init__(
        self,
        size: int | tuple[int, int] = (2, 2),
        data_format: DataFormat = None,
        interpolation: str = "nearest",
        **kwargs,
    ):
        mode = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if mode not in INTERPOLATIONS:
            raise ValueError(BAD_INTERPOLATION.format(interpolation=interpolation))
        super().__init__(_arguments.int_tuple("UpSampling2D", size, 2, "size"), data_format, **kwargs)
        self.interpolation = mode

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        shape = tuple(inputs.shape)
        first = self._first_axis()
        height, width = shape[first] * self.size[0], shape[first + 1] * self.size[1]
        return image.resize(
            inputs, (height, width), interpolation=self.interpolation, antialias=False, data_format=self.data_format
        )

    def get_config(self) -> dict:
        return {**super().get_config(), "interpolation": self.interpolation}


@_registry.builtin
class UpSampling3D(BaseUpSampling):
    """Repeats each element of the three spatial axes of a 5-D input by integer factors.

    Args:
        size: int (every axis) or `(dim1, dim2, dim3)`, positive repeat counts.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, dim1, dim2, dim3, channels)` (channels_last).
    Output shape: each spatial axis multiplied by its factor.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(2.0).reshape((1, 1, 1, 2, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.UpSampling3D(size=(1, 2, 2))(x))[0, 0, :, :, 0])
        [[0. 0. 1. 1.]
         [0. 0. 1. 1.]]
        >>> kerasx.layers.UpSampling3D()(kerasx.Input(shape=(4, 4, 4, 3))).shape
        (None, 8, 8, 8, 3)
    """

    def __init__(self, size: int | tuple[int, int, int] = (2, 2, 2), data_format: DataFormat = None, **kwargs):
        super().__init__(_arguments.int_tuple("UpSampling3D", size, 3, "size"), data_format, **kwargs)
