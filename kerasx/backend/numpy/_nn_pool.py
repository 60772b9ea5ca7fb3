"""NumPy backend: pooling as a reduction over the taps of the pooling window."""

from __future__ import annotations

import numpy as np

from kerasx.backend import _conv_geometry as geometry
from kerasx.backend.numpy._nn_conv import from_channels_last, tap_window, to_channels_last


def _lowest(dtype):
    return -np.inf if np.issubdtype(dtype, np.floating) or dtype.name == "bfloat16" else np.iinfo(dtype).min


def _pool(x, pool_size, strides, padding, fill, combine):
    pads = [geometry.padding_amounts(n, k, s, padding) for n, k, s in zip(x.shape[1:-1], pool_size, strides)]
    x = np.pad(x, [(0, 0), *pads, (0, 0)], constant_values=fill)
    out_sizes = [geometry.output_length(n, k, s, "valid") for n, k, s in zip(x.shape[1:-1], pool_size, strides)]
    result = None
    for tap in np.ndindex(*pool_size):
        window = x[(slice(None),) + tuple(tap_window(t, n, s) for t, n, s in zip(tap, out_sizes, strides))]
        result = window if result is None else combine(result, window)
    return result


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = to_channels_last(inputs, data_format)
    out = _pool(x, pool_size, strides, padding, _lowest(x.dtype), np.maximum)
    return from_channels_last(out, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = to_channels_last(inputs, data_format)
    total = _pool(x, pool_size, strides, padding, 0, np.add)
    # Padded cells hold 0 and count 0, so "same" averages only real cells (Keras/TF semantics).
    counts = _pool(np.ones((1, *x.shape[1:-1], 1), x.dtype), pool_size, strides, padding, 0, np.add)
    return from_channels_last((total / counts).astype(x.dtype), data_format)  # pyright: ignore[reportOptionalOperand] - kerasx.ops passes strides
