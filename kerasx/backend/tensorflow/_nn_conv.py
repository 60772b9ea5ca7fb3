"""TensorFlow backend: convolutions.

TF on CPU only runs channels-last convolutions, so channels_first inputs are transposed there and back (two extra
copies per call). Two more CPU gaps are worked around here: grouped convolutions have no CPU gradient (each group
runs as its own convolution), and strides > 1 cannot be combined with dilation > 1 (the kernel is dilated
explicitly with zeros instead, which costs (dilated / plain kernel size) more multiplications).
"""

# The signatures repeat the public ops' defaults (`strides=1`, `dilation_rate=1`, `data_format=None`), which
# tests/test_contract.py compares; kerasx.ops always passes a tuple per spatial dimension and a resolved data
# format, which a type checker cannot tell from those defaults: hence the `pyright: ignore` comments below.
from __future__ import annotations

import tensorflow as tf

from kerasx.backend import _conv_geometry as geometry


def to_channels_last(x, data_format):
    if data_format == "channels_last":
        return x
    rank = x.shape.rank
    return tf.transpose(x, [0, *range(2, rank), 1])


def from_channels_last(x, data_format):
    if data_format == "channels_last":
        return x
    rank = x.shape.rank
    return tf.transpose(x, [0, rank - 1, *range(1, rank - 1)])


def dilate_kernel(kernel, dilation_rate):
    """Kernel with `d - 1` zero taps between its taps along each spatial axis."""
    for axis, rate in enumerate(dilation_rate):
        if rate == 1:
            continue
        size = kernel.shape[axis]
        spread = tf.expand_dims(kernel, axis + 1)
        zeros = [[0, 0]] * (kernel.shape.rank + 1)
        zeros[axis + 1] = [0, rate - 1]
        spread = tf.pad(spread, zeros)
        merged = spread.shape.as_list()
        merged[axis : axis + 2] = [size * rate]
        kernel = tf.reshape(spread, merged)
        kernel = tf.gather(kernel, tf.range(geometry.dilated_size(size, rate)), axis=axis)
    return kernel


def fold_dilation(kernel, strides, dilation_rate):
    if max(strides) > 1 and max(dilation_rate) > 1:
        return dilate_kernel(kernel, dilation_rate), (1,) * len(strides)
    return kernel, dilation_rate


# Named explicitly: TF's 3D conv and pool gradients read the data_format attribute and fails when it was left implicit.
CHANNELS_LAST = {1: "NWC", 2: "NHWC", 3: "NDHWC"}


def _channels_last_conv(x, kernel, strides, padding, dilation_rate):
    kernel, dilation_rate = fold_dilation(kernel, strides, dilation_rate)
    groups = x.shape[-1] // kernel.shape[-2]
    layout = CHANNELS_LAST[len(strides)]

    def convolve(inputs, filters):
        return tf.nn.convolution(inputs, filters, strides, padding.upper(), layout, dilations=dilation_rate)  # pyright: ignore[reportArgumentType] - TensorFlow's stubs want a literal

    if groups == 1:
        return convolve(x, kernel)
    pieces = zip(tf.split(x, groups, axis=-1), tf.split(kernel, groups, axis=-1))
    return tf.concat([convolve(a, k) for a, k in pieces], axis=-1)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x = to_channels_last(inputs, data_format)
    return from_channels_last(_channels_last_conv(x, kernel, strides, padding, dilation_rate), data_format)


def _depthwise_channels_last(x, kernel, strides, padding, dilation_rate):
    one_dimensional = len(strides) == 1
    if one_dimensional:
        # A height-1 image; its height stride is irrelevant and set equal, which tf.nn.depthwise_conv2d requires.
        x, kernel = tf.expand_dims(x, 1), tf.expand_dims(kernel, 0)
        strides, dilation_rate = (strides[0], strides[0]), (1, dilation_rate[0])
    if strides[0] != strides[1]:
        grouped = tf.reshape(kernel, [*kernel.shape[:-2], 1, kernel.shape[-2] * kernel.shape[-1]])
        out = _channels_last_conv(x, grouped, strides, padding, dilation_rate)
    else:
        kernel, dilation_rate = fold_dilation(kernel, strides, dilation_rate)
        out = tf.nn.depthwise_conv2d(x, kernel, (1, *strides, 1), padding.upper(), dilations=dilation_rate)
    return tf.squeeze(out, 1) if one_dimensional else out


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x = to_channels_last(inputs, data_format)
    return from_channels_last(_depthwise_channels_last(x, kernel, strides, padding, dilation_rate), data_format)


def separable_conv(
    inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    x = to_channels_last(inputs, data_format)
    depthwise = _depthwise_channels_last(x, depthwise_kernel, strides, padding, dilation_rate)
    ones = (1,) * len(strides)  # pyright: ignore[reportArgumentType]
    return from_channels_last(_channels_last_conv(depthwise, pointwise_kernel, ones, "valid", ones), data_format)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1):
    # The full transposed output ("valid", no cropping) is computed natively, then cropped/extended to the Keras
    # size. TF's CPU kernel has no dilation, so the kernel is dilated with zeros first.
    x = to_channels_last(inputs, data_format)
    num_spatial = len(strides)  # pyright: ignore[reportArgumentType]
    in_sizes = x.shape[1:-1]
    if output_padding is None and all(d == 1 for d in dilation_rate) and None not in in_sizes:  # pyright: ignore[reportGeneralTypeIssues]
        # TensorFlow's own "SAME"/"VALID" windows are Keras's when there is no output padding or dilation: one
        # kernel call, without the full output, its crop and its pad (and their gradients).
        lengths = [
            geometry.transpose_output_length(n, k, s, padding, None, 1)
            for n, k, s in zip(in_sizes, kernel.shape[:-2], strides)  # pyright: ignore[reportArgumentType]
        ]
        output_shape = tf.stack([tf.shape(x)[0], *lengths, kernel.shape[-2]])
        tf_padding = "SAME" if padding == "same" else "VALID"
        out = tf.nn.conv_transpose(x, kernel, output_shape, strides, tf_padding, CHANNELS_LAST[num_spatial])
        return from_channels_last(out, data_format)
    dilated = dilate_kernel(kernel, dilation_rate)
    full_sizes = [geometry.transpose_full_length(n, k, s) for n, k, s in zip(in_sizes, dilated.shape[:-2], strides)]  # pyright: ignore[reportArgumentType]
    output_shape = tf.stack([tf.shape(x)[0], *full_sizes, kernel.shape[-2]])
    full = tf.nn.conv_transpose(x, dilated, output_shape, strides, "VALID", CHANNELS_LAST[num_spatial])
    extra = output_padding if output_padding is not None else (None,) * num_spatial
    starts, lengths = [], []
    for n, k, s, p, d in zip(in_sizes, kernel.shape[:-2], strides, extra, dilation_rate):  # pyright: ignore[reportArgumentType]
        starts.append(geometry.transpose_crop_start(k, s, padding, p, d))
        lengths.append(geometry.transpose_output_length(n, k, s, padding, p, d))
    kept = full[(slice(None), *(slice(a, a + n) for a, n in zip(starts, lengths)), slice(None))]
    missing = [[0, 0]] + [[0, n - int(m)] for n, m in zip(lengths, kept.shape[1:-1])] + [[0, 0]]  # pyright: ignore[reportArgumentType]
    return from_channels_last(tf.pad(kept, missing), data_format)
