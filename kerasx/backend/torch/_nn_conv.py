"""PyTorch backend: convolutions. torch is channels-first (NCHW), so channels_last inputs are moved there and
back: two extra copies per call, which a channels_last model pays on every conv layer."""

# The signatures repeat the public ops' defaults (`strides=1`, `dilation_rate=1`, `data_format=None`), which
# tests/test_contract.py compares; kerasx.ops always passes a tuple per spatial dimension and a resolved data
# format, which a type checker cannot tell from those defaults: hence the `pyright: ignore` comments below.
from __future__ import annotations

import torch.nn.functional as F

from kerasx.backend import _conv_geometry as geometry

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def to_channels_first(x, data_format):
    return x if data_format == "channels_first" else x.movedim(-1, 1)


def from_channels_first(x, data_format):
    return x if data_format == "channels_first" else x.movedim(1, -1)


def torch_kernel(kernel):
    """Keras `(*spatial, a, b)` -> torch `(b, a, *spatial)`; the layout both F.conv and F.conv_transpose want."""
    num_spatial = kernel.ndim - 2
    return kernel.permute(num_spatial + 1, num_spatial, *range(num_spatial))


def pad_spatial(x, pads, value=0.0):
    """Pads (before, after) per spatial axis of a channels-first tensor; negative amounts crop."""
    flat = [amount for pair in reversed(pads) for amount in pair]
    return F.pad(x, flat, value=value) if any(flat) else x


def same_pads(x, window, strides, padding, dilation):
    return [geometry.padding_amounts(n, k, s, padding, d) for n, k, s, d in zip(x.shape[2:], window, strides, dilation)]


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    return conv_bias(inputs, kernel, None, strides, padding, data_format, dilation_rate)


def conv_bias(inputs, kernel, bias, strides, padding, data_format, dilation_rate):
    # torch adds the bias inside the convolution kernel: no separate add forward, no sum over the batch backward.
    x = to_channels_first(inputs, data_format)
    num_spatial = len(strides)
    pads = same_pads(x, kernel.shape[:num_spatial], strides, padding, dilation_rate)
    if all(before == after for before, after in pads):
        torch_padding = tuple(before for before, _ in pads)
    else:
        # torch pads symmetrically; Keras "same" may need one more cell at the end.
        x, torch_padding = pad_spatial(x, pads), 0
    groups = x.shape[1] // kernel.shape[-2]
    out = _CONV[num_spatial](x, torch_kernel(kernel), bias, strides, torch_padding, dilation_rate, groups)
    return from_channels_first(out, data_format)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    grouped = kernel.reshape(kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate)


def separable_conv(
    inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    ones = (1,) * len(strides)  # pyright: ignore[reportArgumentType]
    return conv(depthwise, pointwise_kernel, ones, "valid", data_format, ones)  # pyright: ignore[reportArgumentType]


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1):
    return conv_transpose_bias(inputs, kernel, None, strides, padding, output_padding, data_format, dilation_rate)


def conv_transpose_bias(inputs, kernel, bias, strides, padding, output_padding, data_format, dilation_rate):
    x = to_channels_first(inputs, data_format)
    num_spatial = len(strides)  # pyright: ignore[reportArgumentType]
    extra = output_padding if output_padding is not None else (None,) * num_spatial
    # Keras's output is a window of torch's full transposed convolution: `crops` (start, end) per axis.
    crops = []
    for n, k, s, p, d in zip(
        x.shape[2:], kernel.shape[:-2], strides, extra, dilation_rate  # pyright: ignore[reportArgumentType]
    ):
        full_length = (n - 1) * s + d * (k - 1) + 1
        start = geometry.transpose_crop_start(k, s, padding, p, d)
        crops.append((start, full_length - start - geometry.transpose_output_length(n, k, s, padding, p, d)))
    # torch crops `padding` from both ends and gives back `output_padding` (< stride or dilation) at the end: one
    # kernel call, without the full output and its crop, whenever Keras's window has that form ("same" at stride 2).
    limits = [max(s, d) for s, d in zip(strides, dilation_rate)]  # pyright: ignore[reportArgumentType]
    fits = all(0 <= start - end < limit and end >= 0 for (start, end), limit in zip(crops, limits))
    if fits:
        torch_padding = tuple(start for start, _ in crops)
        torch_output_padding = tuple(start - end for start, end in crops)
        out = _CONV_TRANSPOSE[num_spatial](
            x, torch_kernel(kernel), bias, strides, torch_padding, torch_output_padding, 1, dilation_rate
        )
        return from_channels_first(out, data_format)
    full = _CONV_TRANSPOSE[num_spatial](x, torch_kernel(kernel), None, strides, 0, 0, 1, dilation_rate)
    out = pad_spatial(full, [(-start, -end) for start, end in crops])
    if bias is not None:
        # Added after the window is cut: a window longer than the full output ends in zeros that get the bias too.
        out = out + bias.reshape((-1,) + (1,) * num_spatial)
    return from_channels_first(out, data_format)
