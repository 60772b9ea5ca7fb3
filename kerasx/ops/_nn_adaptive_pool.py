"""Adaptive pooling: average or max pools whose windows are chosen so that the output has a given spatial size.

Output position `i` of an axis of length `L` pooled to `n` covers inputs `floor(i * L / n)` up to (excluding)
`ceil((i + 1) * L / n)` (torch's and Keras 3's windows). Both pools are separable, so each spatial axis is pooled
in turn: averages as one product with a static averaging matrix, maxima as a gather of the windows and a max.
"""

from __future__ import annotations

import math

import numpy as np

from kerasx.backend import _config, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_shape import moveaxis
from kerasx.ops._types import DataFormat, Tensor, TensorLike

_np = active.numpy

BAD_ADAPTIVE_INPUT = (
    "`{name}` needs a 3-D, 4-D or 5-D input (batch, spatial..., channels) or (batch, channels, spatial...) with "
    "known spatial sizes, and `output_size` an int or one positive int per spatial axis. Received: "
    "inputs.shape={shape}, output_size={output_size!r}."
)


def _sizes(name, inputs, output_size, data_format):
    data_format = _config.standardize_data_format(data_format)
    shape = tuple(shape_of(inputs))
    spatial = tuple(range(1, len(shape) - 1)) if data_format == "channels_last" else tuple(range(2, len(shape)))
    sizes = (output_size,) * len(spatial) if isinstance(output_size, int) else tuple(output_size)
    if not 3 <= len(shape) <= 5 or len(sizes) != len(spatial) or any(
        not isinstance(s, int) or s < 1 for s in sizes
    ):
        raise ValueError(BAD_ADAPTIVE_INPUT.format(name=name, shape=shape, output_size=output_size))
    return shape, spatial, sizes


def _spec(name):
    def spec(inputs, output_size, data_format=None):
        shape, spatial, sizes = _sizes(name, inputs, output_size, data_format)
        out = list(shape)
        for axis, size in zip(spatial, sizes):
            out[axis] = size
        return KerasTensor(tuple(out), dtype_of(inputs))

    return spec


def _windows(length: int, size: int) -> list:
    starts = [math.floor(i * length / size) for i in range(size)]
    ends = [math.ceil((i + 1) * length / size) for i in range(size)]
    return list(zip(starts, ends))


def _pool(name, inputs, output_size, data_format, reduce_axis):
    shape, spatial, sizes = _sizes(name, inputs, output_size, data_format)
    x = tensor(inputs)
    if any(shape[axis] is None for axis in spatial):
        raise ValueError(BAD_ADAPTIVE_INPUT.format(name=name, shape=shape, output_size=output_size))
    last = len(shape) - 1
    for axis, size in zip(spatial, sizes):
        x = moveaxis(x, axis, last)
        x = reduce_axis(x, _windows(shape[axis], size), shape[axis])
        x = moveaxis(x, last, axis)
    return x


def _average_last(x, windows, length):
    weights = np.zeros((length, len(windows)))
    for i, (start, end) in enumerate(windows):
        weights[start:end, i] = 1.0 / (end - start)
    return _np.matmul(x, tensor(weights, dtype_of(x)))


def _max_last(x, windows, length):
    widest = max(end - start for start, end in windows)
    # Shorter windows repeat their last index, which does not change a maximum.
    index = np.array([[min(start + k, end - 1) for k in range(widest)] for start, end in windows], dtype="int32")
    gathered = _np.take(x, tensor(index), axis=len(shape_of(x)) - 1)
    return _np.max(gathered, axis=(len(shape_of(gathered)) - 1,))


@op(_spec("adaptive_average_pool"))
def adaptive_average_pool(inputs: TensorLike, output_size: int | tuple[int, ...],
                          data_format: DataFormat = None) -> Tensor:
    """Average pooling to a fixed spatial size, whatever the input size (1-D, 2-D or 3-D).

    Args:
        inputs: `(batch, spatial..., channels)` (channels_last) or `(batch, channels, spatial...)`, with 1 to 3
            spatial axes of known size.
        output_size: the output spatial size: an int for every axis, or one int per axis.
        data_format: "channels_last" or "channels_first"; None takes `kerasx.backend.image_data_format()`.

    Returns:
        A tensor with the spatial axes of size `output_size`, in the dtype of `inputs`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.arange(5, dtype="float32").reshape(1, 5, 1)
        >>> ops.convert_to_numpy(ops.adaptive_average_pool(x, 3)).ravel()
        array([0.5, 2. , 3.5], dtype=float32)
    """
    return _pool("adaptive_average_pool", inputs, output_size, data_format, _average_last)


@op(_spec("adaptive_max_pool"))
def adaptive_max_pool(inputs: TensorLike, output_size: int | tuple[int, ...],
                      data_format: DataFormat = None) -> Tensor:
    """Max pooling to a fixed spatial size, whatever the input size (1-D, 2-D or 3-D).

    Args:
        inputs: `(batch, spatial..., channels)` (channels_last) or `(batch, channels, spatial...)`, with 1 to 3
            spatial axes of known size.
        output_size: the output spatial size: an int for every axis, or one int per axis.
        data_format: "channels_last" or "channels_first"; None takes `kerasx.backend.image_data_format()`.

    Returns:
        A tensor with the spatial axes of size `output_size`, in the dtype of `inputs`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.array([1.0, 5.0, 2.0, 0.0, 3.0], "float32").reshape(1, 5, 1)
        >>> ops.convert_to_numpy(ops.adaptive_max_pool(x, 3)).ravel()
        array([5., 5., 3.], dtype=float32)
    """
    return _pool("adaptive_max_pool", inputs, output_size, data_format, _max_last)


__all__ = ["adaptive_average_pool", "adaptive_max_pool"]
