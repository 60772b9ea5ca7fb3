"""JAX backend: convolutions through lax.conv_general_dilated (both data formats are native to XLA)."""

# The signatures repeat the public ops' defaults (`strides=1`, `dilation_rate=1`, `data_format=None`), which
# tests/test_contract.py compares; kerasx.ops always passes a tuple per spatial dimension and a resolved data
# format, which a type checker cannot tell from those defaults: hence the `pyright: ignore` comments below.
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
from jax import lax

from kerasx.backend import _conv_geometry as geometry

_SPATIAL_LETTERS = "DHW"
# Each op is jitted with its non-array arguments static: one fused program per shape instead of one compile per
# primitive when running eagerly (an outer jit inlines it).
_jit_conv = functools.partial(jax.jit, static_argnames=("strides", "padding", "data_format", "dilation_rate"))
_jit_transpose = functools.partial(
    jax.jit, static_argnames=("strides", "padding", "output_padding", "data_format", "dilation_rate")
)


def dimension_numbers(num_spatial: int, data_format: str, kernel_channels: str = "IO") -> tuple:
    spatial = _SPATIAL_LETTERS[-num_spatial:]
    layout = f"N{spatial}C" if data_format == "channels_last" else f"NC{spatial}"
    return layout, spatial + kernel_channels, layout


def channel_axis(data_format: str) -> int:
    return -1 if data_format == "channels_last" else 1


@_jit_conv
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    groups = inputs.shape[channel_axis(data_format)] // kernel.shape[-2]  # pyright: ignore[reportArgumentType]
    return lax.conv_general_dilated(
        inputs,
        kernel,
        window_strides=strides,  # pyright: ignore[reportArgumentType]
        padding=padding.upper(),  # XLA's "SAME" puts the odd cell at the end, like Keras/TF.
        rhs_dilation=dilation_rate,  # pyright: ignore[reportArgumentType]
        dimension_numbers=dimension_numbers(len(strides), data_format),  # pyright: ignore[reportArgumentType]
        feature_group_count=groups,
    )


@_jit_conv
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    grouped = kernel.reshape(kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))
    return conv(inputs, grouped, strides, padding, data_format, dilation_rate)


@_jit_conv
def separable_conv(
    inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    ones = (1,) * len(strides)  # pyright: ignore[reportArgumentType]
    return conv(depthwise, pointwise_kernel, ones, "valid", data_format, ones)


@_jit_transpose
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1):
    # A transposed convolution is a stride-1 convolution of the stride-dilated input with the flipped kernel;
    # the (possibly negative) padding crops or extends it to the Keras output size.
    num_spatial = len(strides)  # pyright: ignore[reportArgumentType]
    in_sizes = inputs.shape[1:-1] if data_format == "channels_last" else inputs.shape[2:]
    extra = output_padding if output_padding is not None else (None,) * num_spatial
    pads = []
    for n, k, s, p, d in zip(in_sizes, kernel.shape[:-2], strides, extra, dilation_rate):  # pyright: ignore[reportArgumentType]
        start = geometry.transpose_crop_start(k, s, padding, p, d)
        length = geometry.transpose_output_length(n, k, s, padding, p, d)
        before = geometry.dilated_size(k, d) - 1 - start
        pads.append((before, length + start - (n - 1) * s - 1))  # pyright: ignore[reportOptionalOperand]
    flipped = jnp.flip(kernel, axis=tuple(range(num_spatial)))
    return lax.conv_general_dilated(
        inputs,
        flipped,
        window_strides=(1,) * num_spatial,
        padding=pads,
        lhs_dilation=strides,  # pyright: ignore[reportArgumentType]
        rhs_dilation=dilation_rate,  # pyright: ignore[reportArgumentType]
        dimension_numbers=dimension_numbers(num_spatial, data_format, kernel_channels="OI"),  # pyright: ignore[reportArgumentType]
    )
