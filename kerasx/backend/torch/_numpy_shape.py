"""PyTorch backend: shape manipulation, joining/splitting and indexing."""

from __future__ import annotations

import torch


def reshape(x, newshape):
    return torch.reshape(x, newshape)


def transpose(x, axes=None):
    return x.permute(tuple(range(x.ndim - 1, -1, -1)) if axes is None else axes)


def moveaxis(x, source, destination):
    return torch.movedim(x, source, destination)


def swapaxes(x, axis1, axis2):
    return torch.swapaxes(x, axis1, axis2)


def expand_dims(x, axis):
    axes = (axis,) if isinstance(axis, int) else axis
    shape = list(x.shape)
    for a in sorted(axes):
        shape.insert(a, 1)
    return x.reshape(shape)


def squeeze(x, axis=None):
    if axis is None:
        return torch.squeeze(x)
    return torch.squeeze(x, dim=axis) if axis != () else x


def flip(x, axis=None):
    return torch.flip(x, dims=tuple(range(x.ndim)) if axis is None else axis)


def roll(x, shift, axis=None):
    return torch.roll(x, shift, dims=axis)


def broadcast_to(x, shape):
    return torch.broadcast_to(x, shape)


def tile(x, repeats):
    return torch.tile(x, repeats)


def repeat(x, repeats, axis=None):
    if isinstance(repeats, list):
        repeats = torch.as_tensor(repeats, device=x.device)
    return torch.repeat_interleave(x, repeats, dim=axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    # F.pad wants (before, after) pairs from the last axis backwards, flattened.
    flat = [w for pair in reversed(pad_width) for w in pair]
    value = 0 if constant_values is None else constant_values.item()
    return torch.nn.functional.pad(x, flat, mode="constant", value=value)


def concatenate(xs, axis=0):
    return torch.cat(list(xs), dim=axis)


def stack(x, axis=0):
    return torch.stack(list(x), dim=axis)


def split(x, indices_or_sections, axis=0):
    return list(torch.tensor_split(x, indices_or_sections, dim=axis))


def _index(k):
    # torch indexes with int64 (or bool) tensors.
    if isinstance(k, torch.Tensor) and k.dtype not in (torch.bool, torch.int64):
        return k.to(torch.int64)
    return k


def get_item(x, key):
    return x[tuple(_index(k) for k in key) if isinstance(key, tuple) else _index(key)]


def _wrap(indices, size):
    indices = indices.to(torch.int64)
    return torch.where(indices < 0, indices + size, indices)


def take(x, indices, axis=None):
    if axis is None:
        x, axis = x.reshape(-1), 0
    flat = torch.index_select(x, axis, _wrap(indices, x.shape[axis]).reshape(-1))
    return flat.reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1 :])


def take_along_axis(x, indices, axis=None):
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.take_along_dim(x, _wrap(indices, x.shape[axis]), dim=axis)


def where(condition, x1=None, x2=None):
    return torch.where(condition, x1, x2)


def nonzero(x):
    return tuple(i.to(torch.int32) for i in torch.nonzero(x, as_tuple=True))


def bincount(x, weights=None, minlength=0, sparse=False):
    length = max(minlength, int(x.max()) + 1 if x.numel() else 0)
    dtype = torch.int32 if weights is None else weights.dtype
    if x.ndim == 1:
        return torch.bincount(x.to(torch.int64), weights=weights, minlength=length).to(dtype)
    one_hot = x[..., None] == torch.arange(length, device=x.device)
    counts = one_hot.to(dtype) if weights is None else one_hot.to(dtype) * weights[..., None]
    return counts.sum(dim=-2, dtype=dtype)


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
