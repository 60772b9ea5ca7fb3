"""Global pooling layers: `GlobalAveragePooling1D/2D/3D` and `GlobalMaxPooling1D/2D/3D` reduce every spatial
axis to one value per channel."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers import _arguments
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops._types import DataFormat
from kerasx.serialization import _registry


class BaseGlobalPooling(Layer):
    """Max or mean over all spatial axes.

    Args:
        pool_dimensions: number of spatial axes (1, 2 or 3).
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
        keepdims: keep the spatial axes with size 1.
        pool_mode: "max" or "average" (keyword-only: Keras 3's base takes `pool_dimensions` first and has no mode).
        **kwargs: base Layer arguments.

    Output shape: `(batch, channels)`, or with `keepdims` `(batch, 1, ..., 1, channels)` (channels first:
    `(batch, channels, 1, ..., 1)`).
    """

    _built_at_construction = True

    def __init__(
        self,
        pool_dimensions: int,
        data_format: DataFormat = None,
        keepdims: bool = False,
        *,
        pool_mode: str = "max",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.pool_dimensions = pool_dimensions
        self.pool_mode = pool_mode
        self.data_format = _arguments.data_format(type(self).__name__, data_format)
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)

    @property
    def _spatial_axes(self) -> tuple:
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.pool_dimensions))

    def call(self, inputs):
        reduce = ops.max if self.pool_mode == "max" else ops.mean
        return reduce(inputs, axis=self._spatial_axes, keepdims=self.keepdims)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config


@_registry.builtin
class GlobalAveragePooling1D(BaseGlobalPooling):
    """Mean over the steps of `(batch, steps, channels)` (or channels first).

    Args:
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        keepdims: keep the steps axis with size 1.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, steps, channels)` tensor (channels_last).
        mask: optional `(batch, steps)` booleans; only True steps are averaged.

    Output shape: `(batch, channels)`, or `(batch, 1, channels)` with `keepdims`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.array([[[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.GlobalAveragePooling1D()(x)))
        [[ 3. 30.]]
        >>> mask = np.array([[True, True, False]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.GlobalAveragePooling1D()(x, mask=mask)))
        [[ 2. 15.]]
    """

    supports_masking = True

    def __init__(self, data_format: DataFormat = None, keepdims: bool = False, **kwargs):
        super().__init__(1, data_format, keepdims, pool_mode="average", **kwargs)

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        step_axis = self._spatial_axes[0]
        weights = ops.cast(mask, ops.dtype(inputs))
        weights = ops.expand_dims(weights, 2 if self.data_format == "channels_last" else 1)
        total = ops.sum(ops.multiply(inputs, weights), axis=step_axis, keepdims=self.keepdims)
        return ops.divide(total, ops.sum(weights, axis=step_axis, keepdims=self.keepdims))

    def compute_mask(self, inputs, mask=None):
        return None


@_registry.builtin
class GlobalAveragePooling2D(BaseGlobalPooling):
    """Mean over height and width of `(batch, height, width, channels)` (or channels first).

    Args:
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        keepdims: keep the pooled axes with size 1.
        **kwargs: base Layer arguments.

    Input shape: `(batch, height, width, channels)` (channels_last).
    Output shape: `(batch, channels)`, or with `keepdims` the input's rank with size 1 on the pooled axes.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(8.0).reshape((1, 2, 2, 2))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.GlobalAveragePooling2D()(x)))
        [[3. 4.]]
        >>> kerasx.layers.GlobalAveragePooling2D(keepdims=True)(kerasx.Input(shape=(7, 7, 64))).shape
        (None, 1, 1, 64)
    """

    def __init__(self, data_format: DataFormat = None, keepdims: bool = False, **kwargs):
        super().__init__(2, data_format, keepdims, pool_mode="average", **kwargs)


@_registry.builtin
class GlobalAveragePooling3D(BaseGlobalPooling):
    """Mean over the three spatial axes of a 5-D input.

    Args:
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        keepdims: keep the pooled axes with size 1.
        **kwargs: base Layer arguments.

    Input shape: `(batch, depth, height, width, channels)` (channels_last).
    Output shape: `(batch, channels)`, or with `keepdims` the input's rank with size 1 on the pooled axes.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(16.0).reshape((1, 2, 2, 2, 2))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.GlobalAveragePooling3D()(x)))
        [[7. 8.]]
    """

    def __init__(self, data_format: DataFormat = None, keepdims: bool = False, **kwargs):
        super().__init__(3, data_format, keepdims, pool_mode="average", **kwargs)


@_registry.builtin
class GlobalMaxPooling1D(BaseGlobalPooling):
    """Maximum over the steps of `(batch, steps, channels)` (or channels first).

    Args:
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        keepdims: keep the pooled axes with size 1.
        **kwargs: base Layer arguments.

    Input shape: `(batch, steps, channels)` (channels_last).
    Output shape: `(batch, channels)`, or with `keepdims` the input's rank with size 1 on the pooled axes.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.array([[[1.0, 10.0], [3.0, 20.0], [2.0, 60.0]]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.GlobalMaxPooling1D()(x)))
        [[ 3. 60.]]
    """

    def __init__(self, data_format: DataFormat = None, keepdims: bool = False, **kwargs):
        super().__init__(1, data_format, keepdims, pool_mode="max", **kwargs)


@_registry.builtin
class GlobalMaxPooling2D(BaseGlobalPooling):
    """Maximum over height and width of `(batch, height, width, channels)` (or channels first).

    Args:
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        keepdims: keep the pooled axes with size 1.
        **kwargs: base Layer arguments.

    Input shape: `(batch, height, width, channels)` (channels_last).
    Output shape: `(batch, channels)`, or with `keepdims` the input's rank with size 1 on the pooled axes.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(8.0).reshape((1, 2, 2, 2))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.GlobalMaxPooling2D()(x)))
        [[6. 7.]]
        >>> kerasx.layers.GlobalMaxPooling2D()(kerasx.Input(shape=(7, 7, 64))).shape
        (None, 64)
    """

    def __init__(self, data_format: DataFormat = None, keepdims: bool = False, **kwargs):
        super().__init__(2, data_format, keepdims, pool_mode="max", **kwargs)


@_registry.builtin
class GlobalMaxPooling3D(BaseGlobalPooling):
    """Maximum over the three spatial axes of a 5-D input.

    Args:
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        keepdims: keep the pooled axes with size 1.
        **kwargs: base Layer arguments.

    Input shape: `(batch, depth, height, width, channels)` (channels_last).
    Output shape: `(batch, channels)`, or with `keepdims` the input's rank with size 1 on the pooled axes.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(16.0).reshape((1, 2, 2, 2, 2))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.GlobalMaxPooling3D()(x)))
        [[14. 15.]]
    """

    def __init__(self, data_format: DataFormat = None, keepdims: bool = False, **kwargs):
        super().__init__(3, data_format, keepdims, pool_mode="max", **kwargs)


# Keras 3's short names are the same classes, so `isinstance` and serialization (by class name) agree.
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
