"""PyTorch backend: special functions, Fourier transforms, segment reductions and bit-level views."""

from __future__ import annotations

import torch

from kerasx.backend.torch.core import native_dtype

_SCATTER_REDUCE = {"sum": "sum", "prod": "prod", "max": "amax", "min": "amin"}


def erf(x):
    return torch.erf(x)


def erfc(x):
    return torch.erfc(x)


def erfinv(x):
    return torch.erfinv(x)


def _last_axes(num_axes):
    return tuple(range(-num_axes, 0))


def fft(x, num_axes=1):
    return torch.fft.fftn(x, dim=_last_axes(num_axes))


def ifft(x, num_axes=1):
    return torch.fft.ifftn(x, dim=_last_axes(num_axes))


def rfft(x, fft_length):
    return torch.fft.rfft(x, n=fft_length, dim=-1)


def irfft(x, fft_length):
    return torch.fft.irfft(x, n=fft_length, dim=-1)


def _identity(reduction, dtype):
    if reduction == "sum":
        return 0
    if reduction == "prod":
        return 1
    if dtype.is_floating_point:
        return -float("inf") if reduction == "max" else float("inf")
    if dtype == torch.bool:
        return reduction == "min"
    info = torch.iinfo(dtype)
    return info.min if reduction == "max" else info.max


def segment_reduce(data, segment_ids, num_segments, reduction):
    shape = (num_segments,) + tuple(data.shape[1:])
    result = torch.full(shape, _identity(reduction, data.dtype), dtype=data.dtype, device=data.device)
    index = segment_ids.to(torch.int64).reshape((-1,) + (1,) * (data.ndim - 1)).expand(data.shape)
    return result.scatter_reduce(0, index, data, reduce=_SCATTER_REDUCE[reduction], include_self=True)


def view(x, dtype):
    return x.contiguous().view(native_dtype(dtype))


__all__ = ["erf", "erfc", "erfinv", "fft", "ifft", "irfft", "rfft", "segment_reduce", "view"]
