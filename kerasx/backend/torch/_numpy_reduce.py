"""PyTorch backend: reductions, statistics, cumulative ops and sorting.

torch reductions take `dim` (an int or tuple; `()` would mean "all" in some of them), widen integer sums to int64
unless told otherwise, and return int64 indices; the helpers below give NumPy's behaviour.
"""

from __future__ import annotations

import torch


def _dims(x, axis):
    """Explicit tuple of reduced dims (never empty unless x is 0-d)."""
    return tuple(range(x.ndim)) if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))


def _keep(result, x, axis, keepdims):
    """Reshape a full reduction to NumPy's keepdims shape (torch drops every dim when no dim is given)."""
    if keepdims and axis is None:
        return result.reshape((1,) * x.ndim)
    return result


# torch has few kernels for these unsigned types; accumulate in int64 and cast back (wrapping like NumPy).
_WIDE_UNSIGNED = (torch.uint16, torch.uint32, torch.uint64)


def _via_int64(fn):
    def accumulate(x, *args, **kwargs):
        if x.dtype in _WIDE_UNSIGNED:
            return fn(x.to(torch.int64), *args, **kwargs).to(x.dtype)
        return fn(x, *args, **kwargs)

    accumulate.__name__ = accumulate.__qualname__ = fn.__name__
    accumulate.__wrapped__ = fn
    return accumulate


@_via_int64
def sum(x, axis=None, keepdims=False):
    dims = _dims(x, axis)
    if not dims:
        return x.clone()
    return torch.sum(x, dim=dims, keepdim=keepdims, dtype=x.dtype)


@_via_int64
def prod(x, axis=None, keepdims=False, dtype=None):
    # torch.prod reduces one dim at a time.
    result = x
    for dim in sorted(_dims(x, axis), reverse=True):
        result = torch.prod(result, dim=dim, keepdim=keepdims, dtype=x.dtype)
    return result


def mean(x, axis=None, keepdims=False):
    dims = _dims(x, axis)
    return torch.mean(x, dim=dims, keepdim=keepdims) if dims else x.clone()


def var(x, axis=None, keepdims=False):
    dims = _dims(x, axis)
    return torch.var(x, dim=dims, correction=0, keepdim=keepdims) if dims else torch.zeros_like(x)


def std(x, axis=None, keepdims=False):
    dims = _dims(x, axis)
    return torch.std(x, dim=dims, correction=0, keepdim=keepdims) if dims else torch.zeros_like(x)


def _extremum(fn, x, axis, keepdims, initial, combine):
    dims = _dims(x, axis)
    result = fn(x, dim=dims, keepdim=keepdims) if dims else x.clone()
    if initial is not None:
        result = combine(result, torch.as_tensor(initial, dtype=x.dtype, device=x.device))
    return result


def max(x, axis=None, keepdims=False, initial=None):
    if x.numel() == 0 and initial is not None:
        return _empty_reduction(x, axis, keepdims, initial)
    return _extremum(torch.amax, x, axis, keepdims, initial, torch.maximum)


def min(x, axis=None, keepdims=False, initial=None):
    if x.numel() == 0 and initial is not None:
        return _empty_reduction(x, axis, keepdims, initial)
    return _extremum(torch.amin, x, axis, keepdims, initial, torch.minimum)


def _empty_reduction(x, axis, keepdims, initial):
    dims = _dims(x, axis)
    shape = [1 if i in dims else d for i, d in enumerate(x.shape) if keepdims or i not in dims]
    return torch.full(shape, initial, dtype=x.dtype, device=x.device)


def all(x, axis=None, keepdims=False):
    dims = _dims(x, axis)
    return torch.all(x, dim=dims, keepdim=keepdims) if dims else x.clone()


def any(x, axis=None, keepdims=False):
    dims = _dims(x, axis)
    return torch.any(x, dim=dims, keepdim=keepdims) if dims else x.clone()


def _arg(fn, x, axis, keepdims):
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        result = fn(x.reshape(-1))
        return _keep(result, x, None, keepdims).to(torch.int32)
    return fn(x, dim=axis, keepdim=keepdims).to(torch.int32)


def argmax(x, axis=None, keepdims=False):
    return _arg(torch.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg(torch.argmin, x, axis, keepdims)


def count_nonzero(x, axis=None):
    return torch.count_nonzero(x, dim=_dims(x, axis)).to(torch.int32)


def _to_last_axis(x, axis):
    """`x` with the reduced axes moved to the end and merged into one, and the shape kept for keepdims."""
    dims = _dims(x, axis)
    kept = [d for d in range(x.ndim) if d not in dims]
    moved = x.permute(kept + list(dims))
    return moved.reshape([x.shape[d] for d in kept] + [-1]), dims


def quantile(x, q, axis=None, method="linear", keepdims=False):
    flat, dims = _to_last_axis(x, axis)
    result = torch.quantile(flat, q, dim=-1, interpolation=method)
    if keepdims:
        shape = tuple(q.shape) + tuple(1 if i in dims else d for i, d in enumerate(x.shape))
        result = result.reshape(shape)
    return result


def median(x, axis=None, keepdims=False):
    half = torch.tensor(0.5, dtype=x.dtype, device=x.device)
    return quantile(x, half, axis=axis, method="linear", keepdims=keepdims)


@_via_int64
def cumsum(x, axis=None, dtype=None):
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumsum(x, dim=axis, dtype=x.dtype)


@_via_int64
def cumprod(x, axis=None, dtype=None):
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumprod(x, dim=axis, dtype=x.dtype)


def sort(x, axis=-1):
    return torch.sort(x, dim=axis, stable=True).values


def argsort(x, axis=-1):
    return torch.sort(x, dim=axis, stable=True).indices.to(torch.int32)


def top_k(x, k, sorted=True):
    values, indices = torch.topk(x, k, dim=-1, largest=True, sorted=sorted)
    return values, indices.to(torch.int32)


def searchsorted(sorted_sequence, values, side="left"):
    return torch.searchsorted(sorted_sequence, values, side=side, out_int32=True)


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
