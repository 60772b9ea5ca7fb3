"""Indexing and selection: get_item (`x[key]`), take, take_along_axis, where, nonzero, select, bincount,
unravel_index."""

from __future__ import annotations

import numpy as np

from kerasx.backend import _dtypes, active
from kerasx.backend._variable import Variable
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import ndim_of, one_axis, operand, static_value, weak_dtype

_np = active.numpy
_core = active.core

BAD_KEY = (
    "Unsupported index. Received: key={key!r}. Use ints, slices, None, Ellipsis, integer tensors/lists or bool "
    "masks (or a tuple of those)."
)
TOO_MANY_INDICES = "Too many indices for a tensor of rank {ndim}. Received: key={key!r}."
INDEX_OUT_OF_RANGE = "Index {index} is out of range for axis {axis} of size {size}. Received: key={key!r}."
WHERE_ONE_BRANCH = (
    "`where` needs both `x1` and `x2`, or neither (then it returns `nonzero(condition)`). Received: x1 is {x1}, "
    "x2 is {x2}."
)
SPARSE_BINCOUNT = "`bincount` with sparse=True is not supported; it returns a dense tensor. Received: sparse=True."
BAD_BINCOUNT_RANK = "`bincount` needs a 1-D or 2-D (batched) tensor. Received: x of shape {shape}."


# get_item -----------------------------------------------------------------------------------------------------------


def _is_array_key(k) -> bool:
    return isinstance(k, (list, np.ndarray, KerasTensor, Variable)) or _core.is_tensor(k)


def _normalize_key(key):
    """`key` as a tuple of ints, slices, None, Ellipsis and array-likes (NumPy's meaning of a list key)."""
    key = key if isinstance(key, tuple) else (key,)
    result = []
    for k in key:
        if k is None or k is Ellipsis:
            result.append(k)
        elif isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)):
            result.append(int(k))
        elif isinstance(k, slice):
            result.append(slice(*(None if v is None else int(static_value(v, "slice bound")) for v in
                                  (k.start, k.stop, k.step))))
        elif _is_array_key(k):
            result.append(k)
        else:
            raise TypeError(BAD_KEY.format(key=key))
    if sum(1 for k in result if k is Ellipsis) > 1:
        raise ValueError(f"An index can only have a single ellipsis ('...'). Received: key={key!r}.")
    return tuple(result)


def _key_dtype(k) -> str:
    return dtype_of(k)


def _consumed(k) -> int:
    """How many axes of `x` an index entry uses up."""
    if k is None or k is Ellipsis:
        return 0
    if _is_array_key(k) and _key_dtype(k) == "bool":
        return ndim_of(k)
    return 1


def _expand_ellipsis(key, ndim):
    """The key with its Ellipsis replaced by full slices, and trailing full slices added."""
    consumed = sum(_consumed(k) for k in key)
    if consumed > ndim:
        raise IndexError(TOO_MANY_INDICES.format(ndim=ndim, key=key))
    fill = (slice(None),) * (ndim - consumed)
    # Identity tests: `==` on a tensor entry would compare elementwise.
    for at, k in enumerate(key):
        if k is Ellipsis:
            return key[:at] + fill + key[at + 1 :]
    return key + fill


def _get_item_shape(shape, key):
    key = _expand_ellipsis(_normalize_key(key), len(shape))
    result, advanced_shapes, advanced_at, axis = [], [], [], 0
    has_array = any(_is_array_key(k) for k in key)
    for position, k in enumerate(key):
        if k is None:
            result.append(1)
            continue
        if isinstance(k, int) and not has_array:
            size = shape[axis]
            if size is not None and not -size <= k < size:
                raise IndexError(INDEX_OUT_OF_RANGE.format(index=k, axis=axis, size=size, key=key))
            axis += 1
            continue
        if isinstance(k, slice):
            size = shape[axis]
            result.append(None if size is None else len(range(*k.indices(size))))
            axis += 1
            continue
        # Advanced (array) index; with arrays present, ints count as 0-d arrays, as in NumPy.
        if isinstance(k, int):
            advanced_shapes.append(())
            axis += 1
        elif _key_dtype(k) == "bool":
            mask_ndim = ndim_of(k)
            advanced_shapes.append((None,))
            axis += mask_ndim
        else:
            advanced_shapes.append(tuple(shape_of(k)))
            axis += 1
        advanced_at.append(position)
        result.append("advanced")
    if not advanced_shapes:
        return tuple(result)
    broadcast = _specs.broadcast_shapes(*advanced_shapes)
    first = result.index("advanced")
    rest = [d for d in result if d != "advanced"]
    adjacent = advanced_at == list(range(advanced_at[0], advanced_at[0] + len(advanced_at)))
    if adjacent:
        return tuple(rest[:first]) + broadcast + tuple(rest[first:])
    return broadcast + tuple(rest)


def _get_item_spec(x, key):
    return KerasTensor(_get_item_shape(tuple(shape_of(x)), key), dtype_of(x))


def _native_key(key):
    """Array entries of a normalized key as native tensors: bool masks, int indices (int32 unless int64)."""
    native = []
    for k in key:
        if _is_array_key(k):
            dtype = _key_dtype(k)
            if dtype != "bool" and not _dtypes.is_int(dtype):
                raise TypeError(f"Index arrays must be integers or bools. Received: an index of dtype {dtype}.")
            k = convert(k, dtype)
        native.append(k)
    return tuple(native)


@op(_get_item_spec)
def get_item(x, key):
    """`x[key]` with NumPy's indexing rules (basic slicing, integer-array and bool-mask indexing).

    Args:
        x: input tensor.
        key: an int, slice, None, Ellipsis, integer tensor/list, bool mask, or a tuple of those.
    """
    x = tensor(x)
    key = _normalize_key(key)
    _get_item_shape(tuple(shape_of(x)), key)
    return _np.get_item(x, _native_key(key))


# take / take_along_axis ---------------------------------------------------------------------------------------------


def _index_tensor(indices):
    indices = tensor(indices)
    dtype = dtype_of(indices)
    if not _dtypes.is_int(dtype):
        indices = convert(indices, "int32")
    return indices


def _take_spec(x, indices, axis=None):
    shape = tuple(shape_of(x))
    index_shape = tuple(shape_of(indices))
    if axis is None:
        return KerasTensor(index_shape, dtype_of(x))
    axis = _specs.normalize_axis(axis, len(shape))[0]
    return KerasTensor(shape[:axis] + index_shape + shape[axis + 1 :], dtype_of(x))


@op(_take_spec)
def take(x, indices, axis=None):
    """Elements of `x` at `indices` along `axis` (None: of the flattened `x`); negative indices count from the end.

    Returns shape `x.shape[:axis] + indices.shape + x.shape[axis + 1:]`.
    """
    x = tensor(x)
    indices = _index_tensor(indices)
    if axis is None:
        x, axis = _np.reshape(x, (-1,)), 0
    return _np.take(x, indices, axis=one_axis(x, axis))


def _take_along_axis_shape(shape, index_shape, axis):
    if axis is None:
        return tuple(index_shape)
    if len(shape) != len(index_shape):
        raise ValueError(
            "`take_along_axis` needs `indices` with as many dimensions as `x`. Received: shapes "
            f"{shape} and {index_shape}."
        )
    axis = _specs.normalize_axis(axis, len(shape))[0]
    others = _specs.broadcast_shapes(
        tuple(1 if i == axis else d for i, d in enumerate(shape)),
        tuple(1 if i == axis else d for i, d in enumerate(index_shape)),
    )
    return others[:axis] + (index_shape[axis],) + others[axis + 1 :]


@op(lambda x, indices, axis=None: KerasTensor(
    _take_along_axis_shape(tuple(shape_of(x)), tuple(shape_of(indices)), axis), dtype_of(x)))
def take_along_axis(x, indices, axis=None):
    """`x` gathered along `axis` at the positions in `indices` (same rank as `x`; other axes broadcast)."""
    x = tensor(x)
    indices = _index_tensor(indices)
    if axis is None:
        x, axis = _np.reshape(x, (-1,)), 0
    axis = one_axis(x, axis)
    shape = _take_along_axis_shape(tuple(shape_of(x)), tuple(shape_of(indices)), axis)
    # Broadcast the other axes explicitly: not every engine's gather does it.
    x = _np.broadcast_to(x, shape[:axis] + (shape_of(x)[axis],) + shape[axis + 1 :])
    indices = _np.broadcast_to(indices, shape)
    return _np.take_along_axis(x, indices, axis=axis)


# where / nonzero / select -------------------------------------------------------------------------------------------


def _nonzero_spec(x):
    return tuple(KerasTensor((None,), "int32") for _ in range(max(ndim_of(x), 1)))


@op(_nonzero_spec)
def nonzero(x):
    """Indices of the nonzero elements: a tuple of int32 1-D tensors, one per axis (a data-dependent size)."""
    x = convert(x, "bool")
    if ndim_of(x) == 0:
        x = _np.reshape(x, (1,))
    return tuple(_np.nonzero(x))


def _where_spec(condition, x1=None, x2=None):
    if x1 is None and x2 is None:
        return _nonzero_spec(condition)
    if x1 is None or x2 is None:
        raise ValueError(WHERE_ONE_BRANCH.format(x1=_given(x1), x2=_given(x2)))
    shape = _specs.broadcast_shapes(shape_of(condition), shape_of(x1), shape_of(x2))
    return KerasTensor(shape, _dtypes.result_type(weak_dtype(x1), weak_dtype(x2)))


def _given(value) -> str:
    return "None" if value is None else "given"


@op(_where_spec)
def where(condition, x1=None, x2=None):
    """Elementwise `x1 if condition else x2` (broadcast; promoted dtype). With neither, `nonzero(condition)`."""
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError(WHERE_ONE_BRANCH.format(x1=_given(x1), x2=_given(x2)))
    dtype = _dtypes.result_type(weak_dtype(x1), weak_dtype(x2))
    return _np.where(operand(condition, "bool"), operand(x1, dtype), operand(x2, dtype))


def _select_spec(condlist, choicelist, default=0):
    shapes = [shape_of(c) for c in condlist] + [shape_of(c) for c in choicelist] + [shape_of(default)]
    dtype = _dtypes.result_type(*(weak_dtype(c) for c in choicelist), weak_dtype(default))
    return KerasTensor(_specs.broadcast_shapes(*shapes), dtype)


@op(_select_spec)
def select(condlist, choicelist, default=0):
    """Elementwise the choice of the first true condition: `choicelist[i]` where `condlist[i]` (first i wins),
    else `default`."""
    if len(condlist) != len(choicelist) or not condlist:
        raise ValueError(
            "`select` needs as many conditions as choices (at least one). Received: "
            f"{len(condlist)} conditions and {len(choicelist)} choices."
        )
    dtype = _dtypes.result_type(*(weak_dtype(c) for c in choicelist), weak_dtype(default))
    result = convert(default, dtype)
    for condition, choice in reversed(list(zip(condlist, choicelist))):
        result = _np.where(convert(condition, "bool"), convert(choice, dtype), result)
    shape = _select_spec(condlist, choicelist, default).shape
    return _np.broadcast_to(result, shape)


# bincount / unravel_index -------------------------------------------------------------------------------------------


def _bincount_spec(x, weights=None, minlength=0, sparse=False):
    dtype = "int32" if weights is None else dtype_of(weights)
    return KerasTensor(tuple(shape_of(x)[:-1]) + (None,), dtype)


@op(_bincount_spec)
def bincount(x, weights=None, minlength=0, sparse=False):
    """Number of occurrences (or summed `weights`) of each value 0..N-1 in the non-negative integer `x`.

    Args:
        x: 1-D integer tensor, or 2-D to count each row separately.
        weights: optional tensor of `x`'s shape; the result then has its dtype (else int32).
        minlength: minimum number of bins (N is at least `max(x) + 1`).
        sparse: must be False (dense output only).
    """
    if sparse:
        raise ValueError(SPARSE_BINCOUNT)
    x = _index_tensor(x)
    if ndim_of(x) not in (1, 2):
        raise ValueError(BAD_BINCOUNT_RANK.format(shape=shape_of(x)))
    if weights is not None:
        weights = tensor(weights)
    return _np.bincount(x, weights=weights, minlength=int(minlength), sparse=False)


def _unravel_spec(indices, shape):
    return tuple(KerasTensor(tuple(shape_of(indices)), "int32") for _ in shape)


@op(_unravel_spec)
def unravel_index(indices, shape):
    """Coordinates (a tuple of int32 tensors) of flat `indices` in an array of `shape` (C order)."""
    indices = convert(indices, "int32")
    coordinates = []
    for size in reversed([int(d) for d in shape]):
        size_tensor = convert(size, "int32")
        coordinates.append(_np.mod(indices, size_tensor))
        indices = _np.floor_divide(indices, size_tensor)
    return tuple(reversed(coordinates))


__all__ = [
    "bincount",
    "get_item",
    "nonzero",
    "select",
    "take",
    "take_along_axis",
    "unravel_index",
    "where",
]
