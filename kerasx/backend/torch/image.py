"""PyTorch backend: image resampling with torch's interpolate, as Keras 3's torch backend does."""

from __future__ import annotations

import torch
import torch.nn.functional as F

# "nearest-exact" samples pixel centres (floor((i + 0.5) * in / out)), like jax and TF; torch's "nearest" does not.
_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}


def resize(images, size, interpolation="bilinear", antialias=False):
    dtype = images.dtype
    x = images.permute(0, 3, 1, 2)
    if x.dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    smooth = interpolation in ("bilinear", "bicubic")
    resized = F.interpolate(
        x,
        size=tuple(size),
        mode=_MODES[interpolation],
        align_corners=False if smooth else None,
        antialias=bool(antialias) and smooth,
    )
    return resized.permute(0, 2, 3, 1).to(dtype)


def round_position(x):
    return torch.round(x)


def resize_methods():
    return tuple(_MODES)
