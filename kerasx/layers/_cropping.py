"""Cropping layers: `Cropping1D`, `Cropping2D`, `Cropping3D` remove elements from both ends of the spatial axes."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers import _arguments
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops._types import DataFormat
from kerasx.serialization import _registry

BAD_CROPPING = "{cls}: `cropping` must be a non-negative int, {forms}. Received: cropping={cropping!r}."
_FORMS = {
    1: "or a pair `(begin, end)` of non-negative ints",
    2: "a pair of symmetric croppings `(rows, columns)`, or a pair of pairs `((top, bottom), (left, right))`",
    3: "a tuple of 3 symmetric croppings, or a tuple of 3 pairs `(begin, end)`, one per spatial axis",
}
NOTHING_LEFT = (
    "Layer '{name}' ({cls}) would crop all of axis {axis} of its input: `cropping` must leave at least one element "
    "on every cropped axis. Received: cropping={cropping}, input shape {shape}. Crop less, or give a larger input."
)


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _pair(value, error) -> tuple:
    if _is_count(value):
        return (value, value)
    if not isinstance(value, (tuple, list)) or len(value) != 2 or not all(_is_count(v) for v in value):
        raise error
    return tuple(value)


def _crop_pairs(cls_name: str, cropping, rank: int) -> tuple:
    """`cropping` as one `(begin, end)` pair per spatial axis."""
    error = ValueError(BAD_CROPPING.format(cls=cls_name, forms=_FORMS[rank], cropping=cropping))
    if rank == 1:
        return (_pair(cropping, error),)
    if _is_count(cropping):
        return ((cropping, cropping),) * rank
    if not isinstance(cropping, (tuple, list)) or len(cropping) != rank:
        raise error
    return tuple(_pair(value, error) for value in cropping)


class BaseCropping(Layer):
    """Crops the spatial axes of a `(batch, *spatial, channels)` (or channels first) input.

    Args:
        cropping: one `(begin, end)` pair per spatial axis (normalized by `_crop_pairs`).
        rank: number of spatial axes.
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
        **kwargs: base Layer arguments.
    """

    def __init__(self, cropping, rank: int, data_format: DataFormat = None, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.cropping = _crop_pairs(cls, cropping, rank)
        self.data_format: _arguments.ImageDataFormat = _arguments.data_format(cls, data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def _first_axis(self) -> int:
        return 1 if self.data_format == "channels_last" else 2

    def _check_sizes(self, shape) -> None:
        for axis, (begin, end) in enumerate(self.cropping, start=self._first_axis()):
            size = shape[axis]
            if isinstance(size, int) and begin + end >= size:
                raise ValueError(
                    NOTHING_LEFT.format(
                        name=self.name, cls=type(self).__name__, axis=axis, cropping=self.cropping, shape=tuple(shape)
                    )
                )

    def call(self, inputs):
        self._check_sizes(tuple(inputs.shape))
        index = [slice(None)] * len(inputs.shape)
        for axis, (begin, end) in enumerate(self.cropping, start=self._first_axis()):
            index[axis] = slice(begin, -end if end else None)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        self._check_sizes(input_shape)
        shape = list(input_shape)
        for axis, (begin, end) in enumerate(self.cropping, start=self._first_axis()):
            if shape[axis] is not None:
                shape[axis] -= begin + end
        return tuple(shape)

    def compute_output_spec(self, inputs):
        return ops.KerasTensor(self.compute_output_shape(tuple(inputs.shape)), inputs.dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"cropping": self.cropping, "data_format": self.data_format})
        return config


@_registry.builtin
class Cropping1D(BaseCropping):
    """Removes steps from the beginning and the end of `(batch, steps, features)`.

    Args:
        cropping: int (as many steps from both ends) or a pair `(begin, end)`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, steps, features)`.
    Output shape: `(batch, steps - begin - end, features)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(5.0).reshape((1, 5, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Cropping1D(cropping=(1, 2))(x))[0, :, 0])
        [1. 2.]
    """

    def __init__(self, cropping: int | tuple[int, int] = (1, 1), **kwargs):
        super().__init__(cropping, 1, "channels_last", **kwargs)

    def get_config(self) -> dict:
        # Keras 3's Cropping1D has no data_format and writes its one pair.
        config = super().get_config()
        del config["data_format"]
        return {**config, "cropping": self.cropping[0]}


@_registry.builtin
class Cropping2D(BaseCropping):
    """Removes rows and columns from the borders of `(batch, height, width, channels)` (or channels first).

    Args:
        cropping: int (the same on all four sides), a pair `(rows, columns)` of symmetric croppings, or
            `((top, bottom), (left, right))`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, height, width, channels)` (channels_last).
    Output shape: `(batch, height - top - bottom, width - left - right, channels)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.arange(16.0).reshape((1, 4, 4, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Cropping2D(cropping=((1, 0), (1, 2)))(x))[0, :, :, 0])
        [[ 5.]
         [ 9.]
         [13.]]
        >>> kerasx.layers.Cropping2D(cropping=2)(kerasx.Input(shape=(28, 28, 3))).shape
        (None, 24, 24, 3)
    """

    def __init__(self, cropping: int | tuple = ((0, 0), (0, 0)), data_format: DataFormat = None, **kwargs):
        super().__init__(cropping, 2, data_format, **kwargs)


@_registry.builtin
class Cropping3D(BaseCropping):
    """Removes elements from both ends of the three spatial axes of a 5-D input.

    Args:
        cropping: int (the same everywhere), a tuple of 3 symmetric croppings, or 3 pairs `(begin, end)`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, depth, height, width, channels)` (channels_last).
    Output shape: each spatial axis shortened by its `begin + end`.

    Example:
        >>> import kerasx
        >>> kerasx.layers.Cropping3D(cropping=(1, 2, (0, 1)))(kerasx.Input(shape=(6, 6, 6, 3))).shape
        (None, 4, 2, 5, 3)
    """

    def __init__(
        self, cropping: int | tuple = ((1, 1), (1, 1), (1, 1)), data_format: DataFormat = None, **kwargs
    ):
        super().__init__(cropping, 3, data_format, **kwargs)
