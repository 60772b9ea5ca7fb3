"""`get_item`, the op behind `x[key]`: NumPy's basic slicing, integer-array indexing and bool masks.

The output shape follows NumPy's rules, computed statically from the key (so a symbolic `x[key]` raises the same
errors as an eager one).
"""

from __future__ import annotations

import numpy as np

from kerasx.backend import _dtypes, active
from kerasx.backend._variable import Variable
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import ndim_of, static_value
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy
_core = active.core

BAD_KEY = (
    "Unsupported index. Received: key={key!r}. Use ints, slices, None, Ellipsis, integer tensors/lists or bool "
    "masks (or a tuple of those)."
)

TOO_MANY_INDICES = "Too many indices for a tensor of rank {ndim}. Received: key={key!r}."

INDEX_OUT_OF_RANGE = "Index {index} is out of range for axis {axis} of size {size}. Received: key={key!r}."


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
def get_item(x: TensorLike, key: TensorLike | slice | tuple | None) -> Tensor:
    """`x[key]`, with NumPy's indexing rules; what the `[]` operator of a KerasTensor or Variable calls.

    Basic indexing (ints, slices, None for a new axis, `...`) selects a view-like block; integer arrays pick
    elements along an axis (several arrays broadcast together); a bool mask keeps the positions where it is True
    (a size known only at run time).

    Args:
        x: input tensor.
        key: an int, slice, None, Ellipsis, integer tensor or list, bool mask, or a tuple of those.

    Returns:
        The selected elements, in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> x = [[1, 2, 3], [4, 5, 6]]
        >>> ops.convert_to_numpy(ops.get_item(x, (slice(None), 1)))
        array([2, 5], dtype=int32)
        >>> ops.convert_to_numpy(ops.get_item(x, (1, [0, 2])))
        array([4, 6], dtype=int32)
    """
    x = tensor(x)
    key = _normalize_key(key)
    _get_item_shape(tuple(shape_of(x)), key)
    return _np.get_item(x, _native_key(key))


__all__ = ["get_item"]
