"""Public pooling ops: max_pool and average_pool over 1, 2 or 3 spatial axes."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _nn_shapes as shapes
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import DataFormat, Padding, Tensor, TensorLike

_nn = active.nn


def _check_pool(op_name, inputs, pool_size, strides, padding, data_format):
    """(pool_size, normalized arguments, output shape); strides default to the pool size."""
    shape = shape_of(inputs)
    num_spatial = shapes.spatial_rank(op_name, shape)
    window = shapes.int_tuple(pool_size, num_spatial, "pool_size")
    args = shapes.window_arguments(op_name, shape, window if strides is None else strides, padding, data_format, 1)
    batch, _, channels = shapes.split_layout(shape, args.data_format)
    sizes = shapes.window_output_sizes(op_name, shape, window, args)
    return window, args, shapes.join_layout(batch, sizes, channels, args.data_format)


def _max_pool_spec(inputs, pool_size, strides=None, padding="valid", data_format=None):
    _, _, out_shape = _check_pool("max_pool", inputs, pool_size, strides, padding, data_format)
    return KerasTensor(out_shape, dtype_of(inputs))


@op(_max_pool_spec)
def max_pool(
    inputs: TensorLike,
    pool_size: int | tuple[int, ...],
    strides: int | tuple[int, ...] | None = None,
    padding: Padding = "valid",
    data_format: DataFormat = None,
) -> Tensor:
    """Maximum over sliding windows of 1, 2 or 3 spatial axes; keeps the input dtype.

    Args:
        inputs: `(batch, *spatial, channels)` for "channels_last" or `(batch, channels, *spatial)`.
        pool_size: the window, an int or one per spatial axis.
        strides: the step of the window, an int or one per spatial axis; None means `pool_size`.
        padding: "valid" or "same" (padded cells never win the maximum).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.

    Returns:
        `(batch, *out_spatial, channels)` (or channels first), in the dtype of `inputs`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.array([1.0, 3.0, 2.0, 5.0, 4.0], dtype="float32").reshape(1, 5, 1)
        >>> ops.convert_to_numpy(ops.max_pool(x, 2))[0, :, 0]
        array([3., 5.], dtype=float32)
    """
    window, args, _ = _check_pool("max_pool", inputs, pool_size, strides, padding, data_format)
    return _nn.max_pool(tensor(inputs), window, args.strides, args.padding, args.data_format)


def _average_pool_spec(inputs, pool_size, strides=None, padding="valid", data_format=None):
    _, _, out_shape = _check_pool("average_pool", inputs, pool_size, strides, padding, data_format)
    return KerasTensor(out_shape, _dtypes.float_result(dtype_of(inputs)))


@op(_average_pool_spec)
def average_pool(
    inputs: TensorLike,
    pool_size: int | tuple[int, ...],
    strides: int | tuple[int, ...] | None = None,
    padding: Padding = "valid",
    data_format: DataFormat = None,
) -> Tensor:
    """Mean over sliding windows of 1, 2 or 3 spatial axes; integer inputs give floatx.

    With `padding="same"` the padded cells are left out of the mean (as Keras and TensorFlow do), so border
    windows average fewer cells.

    Args:
        inputs: `(batch, *spatial, channels)` for "channels_last" or `(batch, channels, *spatial)`.
        pool_size: the window, an int or one per spatial axis.
        strides: the step of the window, an int or one per spatial axis; None means `pool_size`.
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.

    Returns:
        `(batch, *out_spatial, channels)` (or channels first), a float tensor.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.array([1.0, 3.0, 2.0, 5.0, 4.0], dtype="float32").reshape(1, 5, 1)
        >>> ops.convert_to_numpy(ops.average_pool(x, 2, padding="same"))[0, :, 0]
        array([2. , 3.5, 4. ], dtype=float32)
    """
    window, args, _ = _check_pool("average_pool", inputs, pool_size, strides, padding, data_format)
    (inputs,) = promote_float(inputs)
    return _nn.average_pool(inputs, window, args.strides, args.padding, args.data_format)


__all__ = ["average_pool", "max_pool"]
