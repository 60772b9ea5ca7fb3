"""Public pooling ops: max_pool and average_pool over 1, 2 or 3 spatial axes."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _nn_shapes as shapes
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor

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
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Maximum over sliding windows; keeps the input dtype.

    Args:
        inputs: `(batch, *spatial, channels)` (channels_last) or `(batch, channels, *spatial)`, 1 to 3 spatial axes.
        pool_size: int or tuple of ints, the window.
        strides: int or tuple of ints; None means `pool_size`.
        padding: "valid" or "same" (padded cells never win the maximum).
        data_format: "channels_last" or "channels_first"; None means `image_data_format()`.
    """
    window, args, _ = _check_pool("max_pool", inputs, pool_size, strides, padding, data_format)
    return _nn.max_pool(tensor(inputs), window, args.strides, args.padding, args.data_format)


def _average_pool_spec(inputs, pool_size, strides=None, padding="valid", data_format=None):
    _, _, out_shape = _check_pool("average_pool", inputs, pool_size, strides, padding, data_format)
    return KerasTensor(out_shape, _dtypes.float_result(dtype_of(inputs)))


@op(_average_pool_spec)
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Mean over sliding windows; integer inputs give floatx.

    With padding="same" the padded cells are left out of the mean (Keras/TF semantics), so border windows average
    fewer cells. Arguments as in `max_pool`.
    """
    window, args, _ = _check_pool("average_pool", inputs, pool_size, strides, padding, data_format)
    (inputs,) = promote_float(inputs)
    return _nn.average_pool(inputs, window, args.strides, args.padding, args.data_format)


__all__ = ["average_pool", "max_pool"]
