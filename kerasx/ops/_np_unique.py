"""`unique`: the distinct elements (or distinct slices along an axis) of a tensor, with the first index, inverse
and count of each.

Written once for every engine from sorts, a cumulative sum and segment reductions: the elements are sorted
(stably, lexicographically for slices), each one that differs from its predecessor starts a new group, and the
groups' first indices, counts and members come from segment reductions over the group ids.
"""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._math_segment import segment_min, segment_sum
from kerasx.ops._np_common import as_tensor, ndim_of, one_axis, static_value
from kerasx.ops._np_shape import moveaxis
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy
_core = active.core

NEEDS_SIZE = (
    "`unique` without `size` returns as many elements as there are distinct values, which must then be known: "
    "that is not possible inside a compiled function. Received: size=None. Pass `size` (the output length; "
    "missing entries are padded with `fill_value`)."
)
BAD_SIZE = "`size` must be a positive int or None. Received: size={size!r}."


def _unique_spec(x, sorted=True, return_index=False, return_inverse=False, return_counts=False, axis=None,
                 size=None, fill_value=None):
    if size is not None and (not isinstance(size, int) or size < 1):
        raise ValueError(BAD_SIZE.format(size=size))
    shape = tuple(shape_of(x))
    if axis is None:
        outputs = [KerasTensor((size,), dtype_of(x))]
    else:
        axis = one_axis(x, axis)
        outputs = [KerasTensor(shape[:axis] + (size,) + shape[axis + 1:], dtype_of(x))]
    if return_index:
        outputs.append(KerasTensor((size,), "int32"))
    if return_inverse:
        outputs.append(KerasTensor(shape if axis is None else (shape[axis],), "int32"))
    if return_counts:
        outputs.append(KerasTensor((size,), "int32"))
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


def _lexicographic_order(rows):
    """Stable order of the rows of a 2-D tensor, comparing columns left to right (last column sorted first)."""
    order = _np.argsort(_np.take(rows, as_tensor(shape_of(rows)[1] - 1, "int32"), axis=1), axis=0)
    for column in range(shape_of(rows)[1] - 2, -1, -1):
        keys = _np.take(_np.take(rows, as_tensor(column, "int32"), axis=1), order, axis=0)
        order = _np.take(order, _np.argsort(keys, axis=0), axis=0)
    return order


def _groups(rows):
    """Sort order of the rows, and the group id (0, 1, ...) of each sorted row."""
    two_d = ndim_of(rows) == 2
    order = _lexicographic_order(rows) if two_d else _np.argsort(rows, axis=0)
    ordered = _np.take(rows, order, axis=0)
    differs = _np.not_equal(ordered[1:], ordered[:-1])
    if two_d:
        differs = _np.any(differs, axis=(1,))
    starts = _np.concatenate([_np.ones((1,), dtype="bool"), differs], axis=0)
    group = _np.subtract(_np.cumsum(tensor(starts, "int32"), axis=0, dtype="int32"), as_tensor(1, "int32"))
    return order, group


@op(_unique_spec)
def unique(x: TensorLike, sorted: bool = True, return_index: bool = False, return_inverse: bool = False,
           return_counts: bool = False, axis: int | None = None, size: int | None = None,
           fill_value: float | int | None = None) -> Tensor | tuple[Tensor, ...]:
    """The distinct elements of `x` (or, with `axis`, its distinct slices along `axis`).

    Args:
        x: input tensor.
        sorted: ascending order (slices: lexicographic); False keeps the order of first occurrence.
        return_index: also return the index in `x` (flattened, or along `axis`) of each element's first occurrence.
        return_inverse: also return, for each element of `x`, the position of its value in the result (so that
            `result[inverse]` rebuilds `x`).
        return_counts: also return how often each distinct element occurs.
        axis: None compares single elements of the flattened `x`; an int compares the slices along that axis.
        size: fixed number of outputs (needed inside compiled functions): fewer distinct elements are padded with
            `fill_value` (index: the first element's index, count: 0), more are cut off.
        fill_value: padding value of the distinct elements when `size` is larger than their number (default 0).

    Returns:
        The distinct elements (in the dtype of `x`); with any `return_*`, a tuple of them followed by the requested
        int32 indices, inverse and counts, in that order.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.unique([3, 1, 2, 1, 3]))
        array([1, 2, 3], dtype=int32)
        >>> values, counts = ops.unique([3, 1, 2, 1], return_counts=True, size=4)
        >>> ops.convert_to_numpy(values), ops.convert_to_numpy(counts)
        (array([1, 2, 3, 0], dtype=int32), array([2, 1, 1, 0], dtype=int32))
    """
    _unique_spec(x, sorted, return_index, return_inverse, return_counts, axis, size, fill_value)
    x = tensor(x)
    original_shape = tuple(shape_of(x))
    if axis is None:
        rows = _np.reshape(x, (-1,))
    else:
        axis = one_axis(x, axis)
        moved = moveaxis(x, axis, 0)
        rows = _np.reshape(moved, (original_shape[axis], -1))
    num_rows = shape_of(rows)[0]
    order, group = _groups(rows)
    if size is None:
        if _core.is_traced(group):
            raise ValueError(NEEDS_SIZE)
        count = int(static_value(group[-1], "x")) + 1
    else:
        count = size
    first = segment_min(order, group, num_segments=count)
    counts = segment_sum(_np.ones_like(group), group, num_segments=count)
    # Each position of `x` gets the group id of its sorted position.
    inverse = segment_sum(group, order, num_segments=num_rows)
    if not sorted:
        # Groups by first occurrence; padding groups (first index = int32 max) stay last.
        by_first = _np.argsort(first, axis=0)
        first, counts = _np.take(first, by_first, axis=0), _np.take(counts, by_first, axis=0)
        rank = segment_sum(_np.arange(0, count, 1, dtype="int32"), by_first, num_segments=count)
        # Elements of groups cut off by `size` keep their sorted group id (beyond `size`, as with sorted=True).
        kept = _np.less(inverse, as_tensor(count, "int32"))
        ranked = _np.take(rank, _np.minimum(inverse, as_tensor(count - 1, "int32")), axis=0)
        inverse = _np.where(kept, ranked, inverse)
    present = _np.greater(counts, as_tensor(0, "int32"))
    first = _np.where(present, first, _np.full_like(first, _np.take(first, as_tensor(0, "int32"), axis=0)))
    values = _np.take(rows, first, axis=0)
    padding = _np.full_like(values, as_tensor(0 if fill_value is None else fill_value, dtype_of(values)))
    mask = _np.reshape(present, (count,) + (1,) * (ndim_of(values) - 1))
    values = _np.where(_np.broadcast_to(mask, shape_of(values)), values, padding)
    if axis is not None:
        values = _np.reshape(values, (count,) + tuple(shape_of(moved)[1:]))
        values = moveaxis(values, 0, axis)
    else:
        inverse = _np.reshape(inverse, original_shape)
    outputs = [values]
    if return_index:
        outputs.append(first)
    if return_inverse:
        outputs.append(inverse)
    if return_counts:
        outputs.append(counts)
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


__all__ = ["unique"]
