"""NumPy backend: convolutions as a sum over kernel taps of strided views times the tap's weight matrix."""

# The signatures repeat the public ops' defaults (`strides=1`, `dilation_rate=1`, `data_format=None`), which
# tests/test_contract.py compares; kerasx.ops always passes a tuple per spatial dimension and a resolved data
# format, which a type checker cannot tell from those defaults: hence the `pyright: ignore` comments below.
from __future__ import annotations

import numpy as np

from kerasx.backend import _conv_geometry as geometry


def to_channels_last(x, data_format):
    return x if data_format == "channels_last" else np.moveaxis(x, 1, -1)


def from_channels_last(x, data_format):
    return x if data_format == "channels_last" else np.moveaxis(x, -1, 1)


def compute_dtype(dtype):
    """NumPy cannot multiply bfloat16 matrices; those convolutions accumulate in float32 and are cast back."""
    return np.dtype(np.float32) if dtype.name == "bfloat16" else dtype


def tap_window(start, count, step):
    """Slice picking `count` cells `step` apart from `start`."""
    return slice(start, start + (count - 1) * step + 1, step)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    dtype = inputs.dtype
    x = to_channels_last(inputs, data_format).astype(compute_dtype(dtype))
    kernel = kernel.astype(x.dtype)
    kernel_size = kernel.shape[:-2]
    pads = [
        geometry.padding_amounts(length, k, s, padding, d)
        for length, k, s, d in zip(x.shape[1:-1], kernel_size, strides, dilation_rate)  # pyright: ignore[reportArgumentType]
    ]
    x = np.pad(x, [(0, 0), *pads, (0, 0)])
    out_sizes = [
        geometry.output_length(length, k, s, "valid", d)
        for length, k, s, d in zip(x.shape[1:-1], kernel_size, strides, dilation_rate)  # pyright: ignore[reportArgumentType]
    ]
    in_per_group, out_channels = kernel.shape[-2:]
    groups = x.shape[-1] // in_per_group
    grouped_x = x.reshape(x.shape[:-1] + (groups, in_per_group))
    grouped_kernel = kernel.reshape(kernel_size + (in_per_group, groups, out_channels // groups))
    out = np.zeros((x.shape[0], *out_sizes, groups, out_channels // groups), dtype=x.dtype)  # pyright: ignore[reportArgumentType,reportCallIssue]
    for tap in np.ndindex(*kernel_size):
        window = (slice(None),) + tuple(
            tap_window(t * d, n, s) for t, d, n, s in zip(tap, dilation_rate, out_sizes, strides)  # pyright: ignore[reportArgumentType]
        )
        out += np.einsum("...gc,cgo->...go", grouped_x[window], grouped_kernel[tap])
    out = out.reshape(out.shape[:-2] + (out_channels,)).astype(dtype)
    return from_channels_last(out, data_format)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    # A depthwise kernel is a grouped kernel with one input channel per group, flattened channel-major.
    spatial = kernel.shape[:-2]
    grouped = kernel.reshape(spatial + (1, kernel.shape[-2] * kernel.shape[-1]))
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate)


def separable_conv(
    inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    ones = (1,) * len(strides)  # pyright: ignore[reportArgumentType]
    return conv(depthwise, pointwise_kernel, ones, "valid", data_format, ones)  # pyright: ignore[reportArgumentType]


def crop_or_pad(full, starts, lengths):
    """`full[start:start + length]` on each spatial axis of a channels-last tensor, zero-filled past the end."""
    out = np.zeros((full.shape[0], *lengths, full.shape[-1]), dtype=full.dtype)
    source = (slice(None),) + tuple(slice(s, s + n) for s, n in zip(starts, lengths))
    kept = full[source]
    out[(slice(None),) + tuple(slice(0, n) for n in kept.shape[1:-1])] = kept
    return out


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1):
    dtype = inputs.dtype
    x = to_channels_last(inputs, data_format).astype(compute_dtype(dtype))
    kernel = kernel.astype(x.dtype)
    kernel_size = kernel.shape[:-2]
    in_sizes = x.shape[1:-1]
    extra = output_padding if output_padding is not None else (None,) * len(kernel_size)
    full_sizes = [
        geometry.transpose_full_length(n, k, s, d) for n, k, s, d in zip(in_sizes, kernel_size, strides, dilation_rate)  # pyright: ignore[reportArgumentType]
    ]
    full = np.zeros((x.shape[0], *full_sizes, kernel.shape[-2]), dtype=x.dtype)
    for tap in np.ndindex(*kernel_size):
        window = (slice(None),) + tuple(
            tap_window(t * d, n, s) for t, d, n, s in zip(tap, dilation_rate, in_sizes, strides)  # pyright: ignore[reportArgumentType]
        )
        full[window] += np.einsum("...c,oc->...o", x, kernel[tap])
    starts = [
        geometry.transpose_crop_start(k, s, padding, p, d)
        for k, s, p, d in zip(kernel_size, strides, extra, dilation_rate)  # pyright: ignore[reportArgumentType]
    ]
    lengths = [
        geometry.transpose_output_length(n, k, s, padding, p, d)
        for n, k, s, p, d in zip(in_sizes, kernel_size, strides, extra, dilation_rate)  # pyright: ignore[reportArgumentType]
    ]
    return from_channels_last(crop_or_pad(full, starts, lengths).astype(dtype), data_format)
