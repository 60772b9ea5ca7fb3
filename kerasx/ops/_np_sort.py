"""Sorting and searching: sort, argsort, top_k, argpartition, argmax/argmin, searchsorted, digitize.

Every index result is int32.
"""

from __future__ import annotations

from typing import Literal

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, promote, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import ndim_of, one_axis
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

BAD_SIDE = "Unknown `side`. Received: side={side!r}. Expected 'left' or 'right'."
BAD_TOP_K = "`top_k` needs 0 <= k <= x.shape[-1]. Received: k={k!r} for a tensor of shape {shape}."
NOT_1D = "`{name}` needs a 1-D `{arg}`. Received: {arg} of shape {shape}."


def _size(shape) -> int:
    size = 1
    for d in shape:
        size *= d
    return size


# Sorting -----------------------------------------------------------------------------------------------------------


def _argsort_spec(x, axis=-1) -> KerasTensor:
    shape = shape_of(x)
    if axis is None:
        shape = (None if None in shape else _size(shape),)
    return KerasTensor(shape, "int32")


def _sort_spec(x, axis=-1) -> KerasTensor:
    return KerasTensor(_argsort_spec(x, axis).shape, dtype_of(x))


@op(_sort_spec)
def sort(x: TensorLike, axis: int | None = -1) -> Tensor:
    """`x` sorted in ascending order along `axis`.

    Args:
        x: input tensor.
        axis: the axis to sort along, or None to sort the flattened tensor.

    Returns:
        A tensor of the dtype of `x` (1-D for `axis=None`).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.sort([[3, 1, 2], [9, 7, 8]]))
        array([[1, 2, 3],
               [7, 8, 9]], dtype=int32)
    """
    x = tensor(x)
    if axis is None:
        x, axis = _np.reshape(x, (-1,)), 0
    return _np.sort(x, axis=one_axis(x, axis))


@op(_argsort_spec)
def argsort(x: TensorLike, axis: int | None = -1) -> Tensor:
    """Indices that sort `x` in ascending order along `axis`.

    The sort is stable: equal values keep their order, so every engine gives the same indices.

    Args:
        x: input tensor.
        axis: the axis to sort along, or None to sort the flattened tensor.

    Returns:
        int32 indices of the shape of `x` (1-D for `axis=None`).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.argsort([30, 10, 20, 10]))
        array([1, 3, 2, 0], dtype=int32)
    """
    x = tensor(x)
    if axis is None:
        x, axis = _np.reshape(x, (-1,)), 0
    return _np.argsort(x, axis=one_axis(x, axis))


def _top_k_spec(x, k, sorted=True) -> tuple:
    shape = tuple(shape_of(x)[:-1]) + (k,)
    return KerasTensor(shape, dtype_of(x)), KerasTensor(shape, "int32")


@op(_top_k_spec)
def top_k(x: TensorLike, k: int, sorted: bool = True) -> tuple[Tensor, Tensor]:
    """The `k` largest values along the last axis of `x`, and their indices.

    Args:
        x: input tensor (at least 1-D).
        k: how many values to return, `0 <= k <= x.shape[-1]`.
        sorted: return them in descending order (otherwise in an unspecified order).

    Returns:
        `(values, indices)`, both of shape `x.shape[:-1] + (k,)`; the indices are int32.

    Example:
        >>> from kerasx import ops
        >>> values, indices = ops.top_k([1, 9, 3, 7], 2)
        >>> ops.convert_to_numpy(values), ops.convert_to_numpy(indices)
        (array([9, 7], dtype=int32), array([1, 3], dtype=int32))
    """
    x = tensor(x)
    shape = shape_of(x)
    if not shape or not isinstance(k, int) or not 0 <= k <= shape[-1]:
        raise ValueError(BAD_TOP_K.format(k=k, shape=shape))
    return _np.top_k(x, k, sorted=bool(sorted))


def _argpartition_spec(x, kth, axis=-1) -> KerasTensor:
    return KerasTensor(shape_of(x), "int32")


@op(_argpartition_spec)
def argpartition(x: TensorLike, kth: int, axis: int = -1) -> Tensor:
    """Indices that partition `x` along `axis` around its `kth` smallest element.

    In the partitioned order the element at position `kth` is the one a full sort would put there, the smaller
    ones come before it and the larger ones after. kerasx returns a stable full sort, which is such a partition and
    gives the same indices on every engine.

    Args:
        x: input tensor.
        kth: the position to partition around.
        axis: the axis.

    Returns:
        int32 indices of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> indices = ops.argpartition([30, 10, 40, 20], 1)
        >>> int(ops.convert_to_numpy(indices)[1])
        3
    """
    x = tensor(x)
    return _np.argsort(x, axis=one_axis(x, axis))


# Arg-reductions ----------------------------------------------------------------------------------------------------


def _index_spec(x, axis=None, keepdims=False) -> KerasTensor:
    if axis is None:
        shape = tuple(1 for _ in shape_of(x)) if keepdims else ()
    else:
        shape = _specs.reduced_shape(shape_of(x), axis, keepdims)
    return KerasTensor(shape, "int32")


@op(_index_spec)
def argmax(x: TensorLike, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the largest element of `x` along `axis` (the first one on ties).

    Args:
        x: input tensor.
        axis: the axis, or None to index the flattened tensor.
        keepdims: keep the reduced axis with size 1.

    Returns:
        int32 indices.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.argmax([[1, 5, 2], [7, 3, 4]], axis=1))
        array([1, 0], dtype=int32)
    """
    x = tensor(x)
    return _np.argmax(x, axis=None if axis is None else one_axis(x, axis), keepdims=keepdims)


@op(_index_spec)
def argmin(x: TensorLike, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the smallest element of `x` along `axis` (the first one on ties).

    Args:
        x: input tensor.
        axis: the axis, or None to index the flattened tensor.
        keepdims: keep the reduced axis with size 1.

    Returns:
        int32 indices.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.argmin([[1, 5, 2], [7, 3, 4]], axis=1))
        array([0, 1], dtype=int32)
    """
    x = tensor(x)
    return _np.argmin(x, axis=None if axis is None else one_axis(x, axis), keepdims=keepdims)


# Searching sorted sequences ----------------------------------------------------------------------------------------


def _searchsorted_spec(sorted_sequence, values, side="left") -> KerasTensor:
    return KerasTensor(shape_of(values), "int32")


@op(_searchsorted_spec)
def searchsorted(
    sorted_sequence: TensorLike, values: TensorLike, side: Literal["left", "right"] = "left"
) -> Tensor:
    """Indices at which `values` would be inserted into `sorted_sequence` to keep it sorted.

    Args:
        sorted_sequence: a 1-D tensor in ascending order.
        values: the values to place (any shape).
        side: for a value equal to some entries, "left" gives the first suitable index, "right" the last.

    Returns:
        int32 indices of the shape of `values`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.searchsorted([1, 3, 5], [0, 3, 6]))
        array([0, 1, 3], dtype=int32)
        >>> ops.convert_to_numpy(ops.searchsorted([1, 3, 5], [0, 3, 6], side="right"))
        array([0, 2, 3], dtype=int32)
    """
    if side not in ("left", "right"):
        raise ValueError(BAD_SIDE.format(side=side))
    sorted_sequence, values = promote(sorted_sequence, values)
    if ndim_of(sorted_sequence) != 1:
        raise ValueError(NOT_1D.format(name="searchsorted", arg="sorted_sequence", shape=shape_of(sorted_sequence)))
    return _np.searchsorted(sorted_sequence, values, side=side)


def _digitize_spec(x, bins) -> KerasTensor:
    return KerasTensor(shape_of(x), "int32")


@op(_digitize_spec)
def digitize(x: TensorLike, bins: TensorLike) -> Tensor:
    """Index of the bin each element of `x` falls in: `i` such that `bins[i-1] <= x < bins[i]`.

    Values below `bins[0]` give 0 and values from `bins[-1]` on give `len(bins)`.

    Args:
        x: input tensor.
        bins: a 1-D tensor of increasing bin edges.

    Returns:
        int32 indices of the shape of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.digitize([0.5, 1.0, 2.5, 9.0], [1.0, 2.0, 3.0]))
        array([0, 1, 2, 3], dtype=int32)
    """
    return searchsorted(bins, x, side="right")


__all__ = ["argmax", "argmin", "argpartition", "argsort", "digitize", "searchsorted", "sort", "top_k"]
