"""Sorting and searching: sort, argsort, top_k, argpartition, searchsorted, digitize."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops._dispatch import dtype_of, op, promote, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import ndim_of, one_axis

_np = active.numpy

BAD_SIDE = "Unknown `side`. Received: side={side!r}. Expected 'left' or 'right'."
BAD_TOP_K = "`top_k` needs 0 <= k <= x.shape[-1]. Received: k={k!r} for a tensor of shape {shape}."
NOT_1D = "`{name}` needs a 1-D `{arg}`. Received: {arg} of shape {shape}."


def _sort_axis(x, axis):
    return -1 if axis is None else axis


@op(lambda x, axis=-1: KerasTensor(_argsort_spec(x, axis).shape, dtype_of(x)))
def sort(x, axis=-1):
    """`x` sorted in ascending order along `axis` (stable; None sorts the flattened tensor)."""
    x = tensor(x)
    if axis is None:
        x, axis = _np.reshape(x, (-1,)), 0
    return _np.sort(x, axis=one_axis(x, axis))


def _argsort_spec(x, axis=-1):
    shape = shape_of(x)
    if axis is None:
        shape = (None if None in shape else _size(shape),)
    return KerasTensor(shape, "int32")


def _size(shape) -> int:
    size = 1
    for d in shape:
        size *= d
    return size


@op(_argsort_spec)
def argsort(x, axis=-1):
    """int32 indices that sort `x` along `axis` (stable: equal values keep their order)."""
    x = tensor(x)
    if axis is None:
        x, axis = _np.reshape(x, (-1,)), 0
    return _np.argsort(x, axis=one_axis(x, axis))


def _top_k_spec(x, k, sorted=True):
    shape = tuple(shape_of(x)[:-1]) + (k,)
    return KerasTensor(shape, dtype_of(x)), KerasTensor(shape, "int32")


@op(_top_k_spec)
def top_k(x, k, sorted=True):
    """The `k` largest values along the last axis and their int32 indices.

    Args:
        x: input tensor (at least 1-D).
        k: number of values to return.
        sorted: return them in descending order (otherwise the order is unspecified).

    Returns:
        `(values, indices)`, both of shape `x.shape[:-1] + (k,)`.
    """
    x = tensor(x)
    shape = shape_of(x)
    if not shape or not isinstance(k, int) or not 0 <= k <= shape[-1]:
        raise ValueError(BAD_TOP_K.format(k=k, shape=shape))
    return _np.top_k(x, k, sorted=bool(sorted))


def _argpartition_spec(x, kth, axis=-1):
    return KerasTensor(shape_of(x), "int32")


@op(_argpartition_spec)
def argpartition(x, kth, axis=-1):
    """int32 indices that partition `x` along `axis` around its `kth` smallest element.

    The element at position `kth` is where a full sort would put it, smaller ones come before it and larger
    ones after it. A stable full sort is such a partition, and gives the same answer on every engine.
    """
    x = tensor(x)
    return _np.argsort(x, axis=one_axis(x, axis))


def _searchsorted_spec(sorted_sequence, values, side="left"):
    return KerasTensor(shape_of(values), "int32")


@op(_searchsorted_spec)
def searchsorted(sorted_sequence, values, side="left"):
    """int32 indices where `values` would be inserted into `sorted_sequence` to keep it sorted.

    Args:
        sorted_sequence: 1-D tensor in ascending order.
        values: tensor of values to place.
        side: "left" (first suitable index) or "right" (last suitable index).
    """
    if side not in ("left", "right"):
        raise ValueError(BAD_SIDE.format(side=side))
    sorted_sequence, values = promote(sorted_sequence, values)
    if ndim_of(sorted_sequence) != 1:
        raise ValueError(NOT_1D.format(name="searchsorted", arg="sorted_sequence", shape=shape_of(sorted_sequence)))
    return _np.searchsorted(sorted_sequence, values, side=side)


def _digitize_spec(x, bins):
    return KerasTensor(shape_of(x), "int32")


@op(_digitize_spec)
def digitize(x, bins):
    """int32 index of the bin each element of `x` falls in: `i` with `bins[i-1] <= x < bins[i]`.

    Args:
        x: input tensor.
        bins: 1-D tensor of increasing bin edges.
    """
    return searchsorted(bins, x, side="right")


__all__ = ["argpartition", "argsort", "digitize", "searchsorted", "sort", "top_k"]
