"""Zero-padding layers: `ZeroPadding1D`, `ZeroPadding2D`, `ZeroPadding3D` add zeros around the spatial axes."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers import _arguments
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.ops._types import DataFormat
from kerasx.serialization import _registry

BAD_PADDING = (
    "{cls}: `padding` must be a non-negative int, a tuple of {rank} non-negative ints (symmetric padding per "
    "spatial axis) or a tuple of {rank} pairs `(before, after)`{extra}. Received: padding={padding!r}."
)


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _pairs(cls_name: str, padding, rank: int) -> tuple:
    """`padding` as one `(before, after)` pair per spatial axis."""
    extra = " (or for 1D a single pair `(before, after)`)" if rank == 1 else ""
    error = ValueError(BAD_PADDING.format(cls=cls_name, rank=rank, extra=extra, padding=padding))
    if _is_count(padding):
        return ((padding, padding),) * rank
    try:
        values = tuple(padding)
    except TypeError:
        raise error from None
    if rank == 1 and len(values) == 2 and all(_is_count(v) for v in values):
        return (values,)
    if len(values) != rank:
        raise error
    pairs = []
    for value in values:
        if _is_count(value):
            pairs.append((value, value))
            continue
        try:
            pair = tuple(value)
        except TypeError:
            raise error from None
        if len(pair) != 2 or not all(_is_count(v) for v in pair):
            raise error
        pairs.append(pair)
    return tuple(pairs)


class BaseZeroPadding(Layer):
    """Pads the spatial axes of a `(batch, *spatial, channels)` (or channels first) input with zeros.

    Args:
        rank: number of spatial axes.
        padding: int (the same before and after every spatial axis), a tuple of `rank` ints (symmetric per
            axis), or a tuple of `rank` pairs `(before, after)`; ZeroPadding1D also takes one pair.
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
        **kwargs: base Layer arguments.
    """

    def __init__(self, rank, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.rank = rank
        self.padding = _pairs(cls, padding, rank)
        self.data_format = _arguments.data_format(cls, data_format)
        self.input_spec = InputSpec(ndim=rank + 2)

    def _pad_width(self) -> list:
        if self.data_format == "channels_last":
            return [(0, 0), *self.padding, (0, 0)]
        return [(0, 0), (0, 0), *self.padding]

    def call(self, inputs):
        return ops.pad(inputs, self._pad_width())

    def compute_output_shape(self, input_shape):
        return tuple(
            None if size is None else size + before + after
            for size, (before, after) in zip(input_shape, self._pad_width())
        )

    def compute_output_spec(self, inputs):
        return self.call(inputs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config


@_registry.builtin
class ZeroPadding1D(BaseZeroPadding):
    """Zeros before and after the steps of `(batch, steps, channels)` (or channels first).

    Args:
        padding: int (as many zeros before as after) or a pair `(before, after)`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, steps, channels)` (channels_last).
    Output shape: the same rank, each padded axis grown by its `before + after`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.array([1.0, 2.0]).reshape((1, 2, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.ZeroPadding1D(padding=(1, 2))(x))[0, :, 0])
        [0. 1. 2. 0. 0.]
    """

    def __init__(self, padding=1, data_format: DataFormat = None, **kwargs):
        super().__init__(1, padding, data_format, **kwargs)

    def get_config(self) -> dict:
        # Keras 3 writes the one spatial axis's pair `(before, after)` (and accepts nothing else on load).
        return {**super().get_config(), "padding": self.padding[0]}


@_registry.builtin
class ZeroPadding2D(BaseZeroPadding):
    """Zeros around the rows and columns of `(batch, height, width, channels)` (or channels first).

    Args:
        padding: int (the same on all four sides), a pair `(rows, columns)` of symmetric paddings, or
            `((top, bottom), (left, right))`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, height, width, channels)` (channels_last).
    Output shape: the same rank, each padded axis grown by its `before + after`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x = np.ones((1, 2, 2, 1))
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.ZeroPadding2D(padding=1)(x))[0, :, :, 0])
        [[0. 0. 0. 0.]
         [0. 1. 1. 0.]
         [0. 1. 1. 0.]
         [0. 0. 0. 0.]]
        >>> kerasx.layers.ZeroPadding2D(((0, 1), (2, 3)))(kerasx.Input(shape=(28, 28, 3))).shape
        (None, 29, 33, 3)
    """

    def __init__(self, padding=(1, 1), data_format: DataFormat = None, **kwargs):
        super().__init__(2, padding, data_format, **kwargs)


@_registry.builtin
class ZeroPadding3D(BaseZeroPadding):
    """Zeros around the three spatial axes of a 5-D input.

    Args:
        padding: int (the same everywhere), a tuple of 3 symmetric paddings, or 3 pairs
            `(before, after)`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        **kwargs: base Layer arguments.

    Input shape: `(batch, depth, height, width, channels)` (channels_last).
    Output shape: the same rank, each padded axis grown by its `before + after`.

    Example:
        >>> import kerasx
        >>> kerasx.layers.ZeroPadding3D(padding=(1, 2, 0))(kerasx.Input(shape=(4, 4, 4, 3))).shape
        (None, 6, 8, 4, 3)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format: DataFormat = None, **kwargs):
        super().__init__(3, padding, data_format, **kwargs)
