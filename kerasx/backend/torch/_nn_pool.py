"""PyTorch backend: pooling. Keras "same" padding can be asymmetric, which torch's symmetric `padding` cannot
express, so the input is padded explicitly first."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kerasx.backend.torch._nn_conv import from_channels_first, pad_spatial, same_pads, to_channels_first

_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _lowest(dtype):
    return float("-inf") if dtype.is_floating_point else torch.iinfo(dtype).min


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = to_channels_first(inputs, data_format)
    ones = (1,) * len(pool_size)
    x = pad_spatial(x, same_pads(x, pool_size, strides, padding, ones), value=_lowest(x.dtype))
    return from_channels_first(_MAX_POOL[len(pool_size)](x, pool_size, strides), data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x = to_channels_first(inputs, data_format)
    pool = _AVG_POOL[len(pool_size)]
    pads = same_pads(x, pool_size, strides, padding, (1,) * len(pool_size))
    if not any(before or after for before, after in pads):
        return from_channels_first(pool(x, pool_size, strides), data_format)
    # mean(padded x) / mean(padded mask) = sum over real cells / number of real cells.
    real = pad_spatial(torch.ones((1, 1, *x.shape[2:]), dtype=x.dtype, device=x.device), pads)
    out = pool(pad_spatial(x, pads), pool_size, strides) / pool(real, pool_size, strides)
    return from_channels_first(out, data_format)
