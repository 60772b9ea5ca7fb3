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
    return torch.roll(x, shift, dims=axis)  # pyright: ignore[reportArgumentType] - kerasx.ops passes a value


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


def _consumed(k) -> int:
    if k is None or k is Ellipsis:
        return 0
    return k.ndim if isinstance(k, torch.Tensor) and k.dtype == torch.bool else 1


def get_item(x, key):
    """NumPy indexing on torch: negative slice steps become flips; with index tensors, ints become 0-d index
    tensors so that torch places the indexed dims as NumPy does."""
    key = key if isinstance(key, tuple) else (key,)
    # torch treats ints and 0-d tensors as basic indices; NumPy counts them among the advanced ones when an index
    # array is present. As 1-element index tensors they broadcast away and take part in NumPy's placement rule.
    has_tensor = any(isinstance(k, torch.Tensor) and k.ndim > 0 for k in key)
    fill = (slice(None),) * (x.ndim - sum(_consumed(k) for k in key))
    at = next((i for i, k in enumerate(key) if k is Ellipsis), len(key))
    key = key[:at] + fill + key[at + 1 :]
    result, axis = [], 0
    for k in key:
        if isinstance(k, slice) and k.step is not None and k.step < 0:
            size = x.shape[axis]
            picked = range(*k.indices(size))
            x = torch.flip(x, dims=(axis,))
            start = size - 1 - picked[0] if len(picked) else 0
            k = slice(start, start + len(picked) * -k.step, -k.step) if len(picked) else slice(0, 0)
        elif isinstance(k, int) and has_tensor:
            k = torch.tensor([k], dtype=torch.int64, device=x.device)
        elif isinstance(k, torch.Tensor) and k.dtype != torch.bool:
            k = k.to(torch.int64).reshape(1) if has_tensor and k.ndim == 0 else k.to(torch.int64)
        result.append(k)
        axis += _consumed(k) if not isinstance(k, torch.Tensor) or k.dtype == torch.bool else 1
    return x[tuple(result)]


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
    return torch.where(condition, x1, x2)  # pyright: ignore[reportArgumentType,reportCallIssue] - kerasx.ops passes a value


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
