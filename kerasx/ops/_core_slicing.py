"""Static-size slices and scatters: slice, slice_update, scatter, scatter_update; and unstack."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Tensor, TensorLike

_core = active.core
_np = active.numpy

BAD_START_INDICES = (
    "`{name}` needs one start index per dimension of `inputs`. Received: start_indices={start!r} for inputs of "
    "shape {shape}. Pass a list of {ndim} integers (or an integer tensor of shape ({ndim},))."
)
BAD_SLICE_SHAPE = (
    "`slice` needs the slice shape as {ndim} non-negative integers, one per dimension of `inputs`. "
    "Received: shape={shape!r} for inputs of shape {input_shape}."
)
OUT_OF_BOUNDS = (
    "`{name}`: the block starting at {start} with shape {block} does not fit in inputs of shape {shape}. "
    "Choose start indices with start + size <= dimension along every axis."
)
BAD_INDICES = (
    "`{name}` expects integer `indices` of shape (..., k) with 1 <= k <= {ndim} (the rank of the output). "
    "Received: indices of shape {indices_shape} and dtype {dtype}."
)
BAD_UPDATES = (
    "`{name}`: `{what}` must have shape indices.shape[:-1] + output_shape[k:] = {expected}. Received: {what} of "
    "shape {received}."
)


def _static_starts(start_indices):
    """Start indices as Python ints when they are concrete (list/tuple of numbers), else None."""
    if isinstance(start_indices, (list, tuple)) and all(isinstance(s, int) for s in start_indices):
        return tuple(start_indices)
    return None


def _check_block(name, inputs_shape, start_indices, block_shape):
    ndim = len(inputs_shape)
    num_starts = len(start_indices) if isinstance(start_indices, (list, tuple)) else shape_of(start_indices)[0]
    if num_starts != ndim:
        raise ValueError(BAD_START_INDICES.format(name=name, start=start_indices, shape=inputs_shape, ndim=ndim))
    starts = _static_starts(start_indices)
    if starts is None:
        return
    for start, size, dim in zip(starts, block_shape, inputs_shape):
        if start < 0 or (dim is not None and size is not None and start + size > dim):
            raise ValueError(OUT_OF_BOUNDS.format(name=name, start=starts, block=block_shape, shape=inputs_shape))


def _slice_shape(inputs, shape) -> tuple:
    ndim = len(shape_of(inputs))
    try:
        shape = tuple(int(d) for d in shape)
    except TypeError:
        raise ValueError(BAD_SLICE_SHAPE.format(ndim=ndim, shape=shape, input_shape=shape_of(inputs))) from None
    if len(shape) != ndim or any(d < 0 for d in shape):
        raise ValueError(BAD_SLICE_SHAPE.format(ndim=ndim, shape=shape, input_shape=shape_of(inputs)))
    return shape


def _start_tensor(start_indices):
    starts = _static_starts(start_indices)
    return starts if starts is not None else tensor(start_indices, "int32")


def _slice_spec(inputs, start_indices, shape):
    shape = _slice_shape(inputs, shape)
    _check_block("slice", shape_of(inputs), start_indices, shape)
    return KerasTensor(shape, dtype_of(inputs))


@op(_slice_spec)
def slice(  # noqa: A001 - Keras 3 name
    inputs: TensorLike, start_indices: TensorLike, shape: tuple[int, ...]
) -> Tensor:
    """The block of `inputs` of a static `shape` starting at `start_indices`.

    Unlike `x[a:b]`, the start may be a tensor known only at run time (inside `jax.jit`), while the size stays
    static.

    Args:
        inputs: input tensor.
        start_indices: one start per dimension: a list of ints or an integer tensor.
        shape: the block's shape (Python ints).

    Returns:
        A tensor of `shape`, in the dtype of `inputs`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.slice([[1, 2, 3], [4, 5, 6]], (0, 1), (2, 2)))
        array([[2, 3],
               [5, 6]], dtype=int32)
    """
    shape = _slice_shape(inputs, shape)
    inputs = tensor(inputs)
    _check_block("slice", shape_of(inputs), start_indices, shape)
    return _core.slice(inputs, _start_tensor(start_indices), shape)


def _slice_update_spec(inputs, start_indices, updates):
    _check_block("slice_update", shape_of(inputs), start_indices, shape_of(updates))
    return KerasTensor(shape_of(inputs), dtype_of(inputs))


@op(_slice_update_spec)
def slice_update(inputs: TensorLike, start_indices: TensorLike, updates: TensorLike) -> Tensor:
    """`inputs` with the block at `start_indices` replaced by `updates`, as a new tensor (`inputs` is unchanged).

    Args:
        inputs: input tensor.
        start_indices: one start per dimension: a list of ints or an integer tensor (may be known only at run
            time).
        updates: the new block, with the rank of `inputs`; cast to the dtype of `inputs`.

    Returns:
        A tensor of the shape and dtype of `inputs`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.slice_update([[1, 2, 3], [4, 5, 6]], (1, 1), [[0, 0]]))
        array([[1, 2, 3],
               [4, 0, 0]], dtype=int32)
    """
    inputs = tensor(inputs)
    updates = tensor(updates, _core.dtype_name(inputs))
    if len(shape_of(updates)) != len(shape_of(inputs)):
        raise ValueError(
            BAD_UPDATES.format(
                name="slice_update",
                what="updates",
                expected=f"rank {len(shape_of(inputs))}",
                received=shape_of(updates),
            )
        )
    _check_block("slice_update", shape_of(inputs), start_indices, shape_of(updates))
    return _core.slice_update(inputs, _start_tensor(start_indices), updates)


def _check_scatter(name, indices_shape, indices_dtype, values_shape, output_shape, what):
    ndim = len(output_shape)
    problem = BAD_INDICES.format(name=name, ndim=ndim, indices_shape=indices_shape, dtype=indices_dtype)
    if not _dtypes.is_int(indices_dtype):
        raise TypeError(problem)
    if not indices_shape or not 1 <= (indices_shape[-1] or 0) <= ndim:
        raise ValueError(problem)
    expected = tuple(indices_shape[:-1]) + tuple(output_shape[indices_shape[-1] :])
    if len(values_shape) != len(expected) or any(
        a is not None and b is not None and a != b for a, b in zip(values_shape, expected)
    ):
        raise ValueError(BAD_UPDATES.format(name=name, what=what, expected=expected, received=values_shape))


def _indices(name, indices, output_ndim):
    dtype = dtype_of(indices)
    if not _dtypes.is_int(dtype):
        raise TypeError(BAD_INDICES.format(name=name, ndim=output_ndim, indices_shape=shape_of(indices), dtype=dtype))
    return tensor(indices, dtype if dtype in ("int32", "int64") else "int32")


def _scatter_spec(indices, values, shape):
    shape = tuple(int(d) for d in shape)
    _check_scatter("scatter", shape_of(indices), dtype_of(indices), shape_of(values), shape, "values")
    return KerasTensor(shape, dtype_of(values))


@op(_scatter_spec)
def scatter(indices: TensorLike, values: TensorLike, shape: tuple[int, ...]) -> Tensor:
    """Zeros of `shape` with `values` added at `indices`; duplicate indices accumulate.

    Args:
        indices: an integer tensor of shape `(..., k)`: each row indexes the first k dimensions of the output.
        values: a tensor of shape `indices.shape[:-1] + shape[k:]`.
        shape: the output shape (Python ints).

    Returns:
        A tensor of `shape`, in the dtype of `values`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.scatter([[0], [2], [0]], [1.0, 2.0, 3.0], (4,)))
        array([4., 0., 2., 0.], dtype=float32)
    """
    shape = tuple(int(d) for d in shape)
    indices, values = _indices("scatter", indices, len(shape)), tensor(values)
    _check_scatter("scatter", shape_of(indices), _core.dtype_name(indices), shape_of(values), shape, "values")
    return _core.scatter(indices, values, shape)


SCATTER_REDUCTIONS = (None, "add", "mul", "max", "min")
BAD_REDUCTION = (
    "`reduction` must be None (replace), \"add\", \"mul\", \"max\" or \"min\". Received: reduction={reduction!r}."
)


def _check_reduction(reduction):
    if reduction not in SCATTER_REDUCTIONS:
        raise ValueError(BAD_REDUCTION.format(reduction=reduction))


def _scatter_update_spec(inputs, indices, updates, reduction=None):
    _check_reduction(reduction)
    _check_scatter(
        "scatter_update", shape_of(indices), dtype_of(indices), shape_of(updates), shape_of(inputs), "updates"
    )
    return KerasTensor(shape_of(inputs), dtype_of(inputs))


@op(_scatter_update_spec)
def scatter_update(
    inputs: TensorLike, indices: TensorLike, updates: TensorLike, reduction: str | None = None
) -> Tensor:
    """`inputs` with the entries at `indices` set to `updates`, as a new tensor (`inputs` is unchanged).

    Args:
        inputs: input tensor.
        indices: an integer tensor of shape `(..., k)`: each row indexes the first k dimensions of `inputs`.
        updates: a tensor of shape `indices.shape[:-1] + inputs.shape[k:]`, cast to the dtype of `inputs`.
        reduction: None replaces the entries (with repeated indices, one of the updates wins); "add", "mul",
            "max" or "min" combines each entry with all the updates aimed at it.

    Returns:
        A tensor of the shape and dtype of `inputs`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.scatter_update([1, 2, 3, 4], [[1], [3]], [0, 0]))
        array([1, 0, 3, 0], dtype=int32)
        >>> ops.convert_to_numpy(ops.scatter_update([1, 2, 3, 4], [[1], [1]], [5, 6], reduction="add"))
        array([ 1, 13,  3,  4], dtype=int32)
    """
    _check_reduction(reduction)
    inputs = tensor(inputs)
    indices = _indices("scatter_update", indices, len(shape_of(inputs)))
    updates = tensor(updates, _core.dtype_name(inputs))
    _check_scatter(
        "scatter_update",
        shape_of(indices),
        _core.dtype_name(indices),
        shape_of(updates),
        shape_of(inputs),
        "updates",
    )
    return _core.scatter_update(inputs, indices, updates, reduction=reduction)


BAD_UNSTACK = (
    "`unstack` needs a tensor of rank >= 1 whose `axis` has a known size equal to `num` (when given). Received: "
    "x.shape={shape}, num={num!r}, axis={axis!r}."
)


def _unstack_count(x, num, axis) -> tuple:
    shape = tuple(shape_of(x))
    if not shape or not isinstance(axis, int) or not -len(shape) <= axis < len(shape):
        raise ValueError(BAD_UNSTACK.format(shape=shape, num=num, axis=axis))
    axis %= len(shape)
    size = shape[axis] if shape[axis] is not None else num
    if size is None or (num is not None and num != size):
        raise ValueError(BAD_UNSTACK.format(shape=shape, num=num, axis=axis))
    return size, axis


def _unstack_spec(x, num=None, axis=0):
    size, axis = _unstack_count(x, num, axis)
    shape = tuple(shape_of(x))
    return [KerasTensor(shape[:axis] + shape[axis + 1:], dtype_of(x)) for _ in range(size)]


@op(_unstack_spec)
def unstack(x: TensorLike, num: int | None = None, axis: int = 0) -> list[Tensor]:
    """The slices of `x` along `axis`, as a list of tensors with that axis removed.

    Args:
        x: input tensor.
        num: the number of slices; needed only when the axis size is unknown (symbolic inputs), else checked.
        axis: the axis to unstack along.

    Returns:
        A list of `x.shape[axis]` tensors of shape `x.shape` without `axis`, in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> [ops.convert_to_numpy(t) for t in ops.unstack([[1, 2], [3, 4]], axis=1)]
        [array([1, 3], dtype=int32), array([2, 4], dtype=int32)]
    """
    x = tensor(x)
    size, axis = _unstack_count(x, num, axis)
    return [_np.take(x, _core.convert_to_tensor(i, "int32"), axis=axis) for i in range(size)]


__all__ = ["scatter", "scatter_update", "slice", "slice_update", "unstack"]
