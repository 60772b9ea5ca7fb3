"""Public convolution ops: conv, depthwise_conv, separable_conv, conv_transpose (1D, 2D and 3D).

Kernels use the Keras layout `(*spatial, in_channels // groups, out_channels)` (conv_transpose:
`(*spatial, out_channels, in_channels)`). Integer inputs are computed in floatx.
"""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _nn_shapes as shapes
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import DataFormat, Padding, Tensor, TensorLike

_nn = active.nn

CONV_KERNEL_LAYOUT = "(*spatial, in_channels // groups, out_channels)"
DEPTHWISE_KERNEL_LAYOUT = "(*spatial, in_channels, channel_multiplier)"
POINTWISE_KERNEL_LAYOUT = "(1, ..., 1, in_channels * channel_multiplier, out_channels)"
TRANSPOSE_KERNEL_LAYOUT = "(*spatial, out_channels, in_channels)"
DEPTHWISE_HINT = "kernel.shape[-2] must equal the input channels; check data_format and the kernel layout."
POINTWISE_HINT = (
    "pointwise_kernel.shape[-2] must equal in_channels * channel_multiplier of the depthwise kernel; "
    "its spatial sizes must all be 1."
)
TRANSPOSE_HINT = "kernel.shape[-1] must equal the input channels; the layout is (*spatial, out_channels, in_channels)."
NOT_POINTWISE = (
    "`separable_conv`: `pointwise_kernel` must be 1 x ... x 1 over the spatial axes. "
    "Received: pointwise_kernel.shape={shape}."
)


def _window_arguments(op_name, inputs, strides, padding, data_format, dilation_rate, ranks=(3, 4, 5)):
    return shapes.window_arguments(op_name, shape_of(inputs), strides, padding, data_format, dilation_rate, ranks)


def _check_conv(inputs, kernel, strides, padding, data_format, dilation_rate):
    """(normalized arguments, output shape) of `conv`; raises on bad arguments."""
    shape, kernel_shape = shape_of(inputs), shape_of(kernel)
    args = _window_arguments("conv", inputs, strides, padding, data_format, dilation_rate)
    shapes.check_kernel_rank("conv", "kernel", shape, kernel_shape, CONV_KERNEL_LAYOUT)
    return args, shapes.conv_output_shape("conv", shape, kernel_shape, args)


def _conv_spec(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    _, out_shape = _check_conv(inputs, kernel, strides, padding, data_format, dilation_rate)
    return KerasTensor(out_shape, _dtypes.float_result(dtype_of(inputs), dtype_of(kernel)))


@op(_conv_spec)
def conv(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: int | tuple[int, ...] = 1,
    padding: Padding = "valid",
    data_format: DataFormat = None,
    dilation_rate: int | tuple[int, ...] = 1,
) -> Tensor:
    """N-D convolution (N = 1, 2 or 3) of a batch of inputs with a kernel.

    Grouped when the kernel has fewer input channels than `inputs`: the channels split into
    `channels // kernel.shape[-2]` groups, each convolved with its share of the output channels. Integer inputs
    are computed in floatx.

    Args:
        inputs: `(batch, *spatial, channels)` for "channels_last" or `(batch, channels, *spatial)`.
        kernel: `(*kernel_spatial, channels // groups, out_channels)`.
        strides: the step of the window, an int or one per spatial axis.
        padding: "valid" (no padding) or "same" (output size `ceil(input / stride)`; an odd total padding puts
            the extra cell at the end, as Keras and TensorFlow do).
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: the spacing of the kernel taps, an int or one per spatial axis.

    Returns:
        `(batch, *out_spatial, out_channels)` (or channels first), a float tensor.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.arange(5, dtype="float32").reshape(1, 5, 1)
        >>> kernel = np.ones((2, 1, 1), dtype="float32")
        >>> ops.convert_to_numpy(ops.conv(x, kernel))[0, :, 0]
        array([1., 3., 5., 7.], dtype=float32)
        >>> ops.convert_to_numpy(ops.conv(x, kernel, padding="same"))[0, :, 0]
        array([1., 3., 5., 7., 4.], dtype=float32)
    """
    args, _ = _check_conv(inputs, kernel, strides, padding, data_format, dilation_rate)
    inputs, kernel = promote_float(inputs, kernel)
    return _nn.conv(inputs, kernel, *args)


def _check_depthwise(inputs, kernel, strides, padding, data_format, dilation_rate, op_name="depthwise_conv"):
    shape, kernel_shape = shape_of(inputs), shape_of(kernel)
    args = _window_arguments(op_name, inputs, strides, padding, data_format, dilation_rate, ranks=(3, 4))
    shapes.check_kernel_rank(op_name, "kernel", shape, kernel_shape, DEPTHWISE_KERNEL_LAYOUT)
    shapes.check_channels(op_name, shape, kernel_shape, kernel_shape[-2], args.data_format, DEPTHWISE_HINT)
    batch = shapes.split_layout(shape, args.data_format)[0]
    sizes = shapes.window_output_sizes(op_name, shape, kernel_shape[:-2], args)
    channels, multiplier = kernel_shape[-2:]
    out_channels = None if channels is None or multiplier is None else channels * multiplier
    return args, shapes.join_layout(batch, sizes, out_channels, args.data_format)


def _depthwise_spec(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    _, out_shape = _check_depthwise(inputs, kernel, strides, padding, data_format, dilation_rate)
    return KerasTensor(out_shape, _dtypes.float_result(dtype_of(inputs), dtype_of(kernel)))


@op(_depthwise_spec)
def depthwise_conv(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: int | tuple[int, ...] = 1,
    padding: Padding = "valid",
    data_format: DataFormat = None,
    dilation_rate: int | tuple[int, ...] = 1,
) -> Tensor:
    """Depthwise 1D or 2D convolution: each input channel is convolved with its own `channel_multiplier` filters.

    Output channel `c * channel_multiplier + m` comes from input channel `c` and filter `m`; channels never mix.

    Args:
        inputs: `(batch, *spatial, channels)` or channels first, with 1 or 2 spatial axes.
        kernel: `(*kernel_spatial, channels, channel_multiplier)`.
        strides: the step of the window, an int or one per spatial axis.
        padding: "valid" or "same", as in `conv`.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: the spacing of the kernel taps, an int or one per spatial axis.

    Returns:
        `(batch, *out_spatial, channels * channel_multiplier)` (or channels first), a float tensor.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> images = np.ones((1, 4, 4, 3), dtype="float32")
        >>> ops.shape(ops.depthwise_conv(images, np.ones((3, 3, 3, 2), dtype="float32")))
        (1, 2, 2, 6)
    """
    args, _ = _check_depthwise(inputs, kernel, strides, padding, data_format, dilation_rate)
    inputs, kernel = promote_float(inputs, kernel)
    return _nn.depthwise_conv(inputs, kernel, *args)


def _check_separable(inputs, depthwise_kernel, pointwise_kernel, strides, padding, data_format, dilation_rate):
    op_name = "separable_conv"
    args, depthwise_shape = _check_depthwise(
        inputs, depthwise_kernel, strides, padding, data_format, dilation_rate, op_name
    )
    shape, pointwise_shape = shape_of(inputs), shape_of(pointwise_kernel)
    shapes.check_kernel_rank(op_name, "pointwise_kernel", shape, pointwise_shape, POINTWISE_KERNEL_LAYOUT)
    if any(size != 1 for size in pointwise_shape[:-2]):
        raise ValueError(NOT_POINTWISE.format(shape=tuple(pointwise_shape)))
    shapes.check_channels(
        op_name, depthwise_shape, pointwise_shape, pointwise_shape[-2], args.data_format, POINTWISE_HINT
    )
    batch, spatial, _ = shapes.split_layout(depthwise_shape, args.data_format)
    return args, shapes.join_layout(batch, spatial, pointwise_shape[-1], args.data_format)


def _separable_spec(
    inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    _, out_shape = _check_separable(
        inputs, depthwise_kernel, pointwise_kernel, strides, padding, data_format, dilation_rate
    )
    dtype = _dtypes.float_result(dtype_of(inputs), dtype_of(depthwise_kernel), dtype_of(pointwise_kernel))
    return KerasTensor(out_shape, dtype)


@op(_separable_spec)
def separable_conv(
    inputs: TensorLike,
    depthwise_kernel: TensorLike,
    pointwise_kernel: TensorLike,
    strides: int | tuple[int, ...] = 1,
    padding: Padding = "valid",
    data_format: DataFormat = None,
    dilation_rate: int | tuple[int, ...] = 1,
) -> Tensor:
    """Depthwise convolution followed by a pointwise (1 x ... x 1) convolution that mixes the channels.

    Cheaper than a full `conv` with the same window: the spatial filtering happens per channel.

    Args:
        inputs: `(batch, *spatial, channels)` or channels first, with 1 or 2 spatial axes.
        depthwise_kernel: `(*kernel_spatial, channels, channel_multiplier)`.
        pointwise_kernel: `(1, ..., 1, channels * channel_multiplier, out_channels)`.
        strides: the step of the depthwise window, an int or one per spatial axis.
        padding: "valid" or "same", for the depthwise step.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: the spacing of the depthwise kernel taps.

    Returns:
        `(batch, *out_spatial, out_channels)` (or channels first), a float tensor.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> images = np.ones((1, 4, 4, 3), dtype="float32")
        >>> depthwise, pointwise = np.ones((3, 3, 3, 2), "float32"), np.ones((1, 1, 6, 4), "float32")
        >>> ops.shape(ops.separable_conv(images, depthwise, pointwise))
        (1, 2, 2, 4)
    """
    args, _ = _check_separable(inputs, depthwise_kernel, pointwise_kernel, strides, padding, data_format, dilation_rate)
    inputs, depthwise_kernel, pointwise_kernel = promote_float(inputs, depthwise_kernel, pointwise_kernel)
    return _nn.separable_conv(inputs, depthwise_kernel, pointwise_kernel, *args)


def _check_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate):
    """(normalized arguments, normalized output_padding, output shape) of `conv_transpose`."""
    op_name = "conv_transpose"
    shape, kernel_shape = shape_of(inputs), shape_of(kernel)
    args = _window_arguments(op_name, inputs, strides, padding, data_format, dilation_rate)
    shapes.check_kernel_rank(op_name, "kernel", shape, kernel_shape, TRANSPOSE_KERNEL_LAYOUT)
    shapes.check_channels(op_name, shape, kernel_shape, kernel_shape[-1], args.data_format, TRANSPOSE_HINT)
    extra = shapes.output_padding_tuple(output_padding, args.strides)
    return args, extra, shapes.conv_transpose_output_shape(shape, kernel_shape, args, extra)


def _transpose_spec(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1):
    _, _, out_shape = _check_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate)
    return KerasTensor(out_shape, _dtypes.float_result(dtype_of(inputs), dtype_of(kernel)))


@op(_transpose_spec)
def conv_transpose(
    inputs: TensorLike,
    kernel: TensorLike,
    strides: int | tuple[int, ...] = 1,
    padding: Padding = "valid",
    output_padding: int | tuple[int, ...] | None = None,
    data_format: DataFormat = None,
    dilation_rate: int | tuple[int, ...] = 1,
) -> Tensor:
    """Transposed N-D convolution (N = 1, 2 or 3): the gradient of `conv` with respect to its input.

    Each input cell spreads the kernel over the output, `strides` apart; used to upsample learned features.

    Args:
        inputs: `(batch, *spatial, in_channels)` or channels first.
        kernel: `(*kernel_spatial, out_channels, in_channels)`.
        strides: the step between spread kernels, an int or one per spatial axis.
        padding: "valid" or "same" ("same" gives `input * stride` cells).
        output_padding: None (the size follows from `padding`), or extra cells at the end of each spatial axis, an
            int or one per axis, each smaller than its stride.
        data_format: "channels_last" or "channels_first"; None means `kerasx.backend.image_data_format()`.
        dilation_rate: the spacing of the kernel taps, an int or one per spatial axis.

    Returns:
        `(batch, *out_spatial, out_channels)` (or channels first), a float tensor.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> x = np.ones((1, 2, 1), dtype="float32")
        >>> ops.convert_to_numpy(ops.conv_transpose(x, np.ones((2, 1, 1), "float32"), strides=2))[0, :, 0]
        array([1., 1., 1., 1.], dtype=float32)
    """
    args, extra, _ = _check_transpose(inputs, kernel, strides, padding, output_padding, data_format, dilation_rate)
    inputs, kernel = promote_float(inputs, kernel)
    return _nn.conv_transpose(inputs, kernel, args.strides, args.padding, extra, args.data_format, args.dilation_rate)


__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]
