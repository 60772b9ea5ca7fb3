"""Gathering and selecting: take, take_along_axis, where, nonzero, select, bincount, unravel_index."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import ndim_of, one_axis, operand, weak_dtype
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

WHERE_ONE_BRANCH = (
    "`where` needs both `x1` and `x2`, or neither (then it returns `nonzero(condition)`). Received: x1 is {x1}, "
    "x2 is {x2}."
)

SPARSE_BINCOUNT = "`bincount` with sparse=True is not supported; it returns a dense tensor. Received: sparse=True."

BAD_BINCOUNT_RANK = "`bincount` needs a 1-D or 2-D (batched) tensor. Received: x of shape {shape}."


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
def take(x: TensorLike, indices: TensorLike, axis: int | None = None) -> Tensor:
    """Elements of `x` at `indices` along `axis`; negative indices count from the end.

    Args:
        x: input tensor.
        indices: integer indices (any shape; floats are cast to int32).
        axis: the axis to pick along, or None to pick from the flattened `x`.

    Returns:
        A tensor of shape `x.shape[:axis] + indices.shape + x.shape[axis + 1:]`, in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.take([10, 20, 30], [2, 0]))
        array([30, 10], dtype=int32)
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


def _take_along_axis_spec(x, indices, axis=None) -> KerasTensor:
    return KerasTensor(_take_along_axis_shape(tuple(shape_of(x)), tuple(shape_of(indices)), axis), dtype_of(x))


@op(_take_along_axis_spec)
def take_along_axis(x: TensorLike, indices: TensorLike, axis: int | None = None) -> Tensor:
    """Elements of `x` gathered along `axis` at the positions in `indices`, row by row.

    Unlike `take`, `indices` has the rank of `x`: `result[i, j] = x[i, indices[i, j]]` for `axis=1`. The other axes
    broadcast. Pairs with `argsort`, `argmax(keepdims=True)` and `top_k`.

    Args:
        x: input tensor.
        indices: integer indices with as many dimensions as `x`.
        axis: the axis to gather along, or None to gather from the flattened `x`.

    Returns:
        A tensor in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.take_along_axis([[10, 30, 20], [60, 40, 50]], [[0], [1]], axis=1))
        array([[10],
               [40]], dtype=int32)
    """
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
def nonzero(x: TensorLike) -> tuple[Tensor, ...]:
    """Indices of the nonzero (true) elements of `x`, one index tensor per axis.

    The number of elements is known only at run time, so inside `jax.jit` this needs a concrete input.

    Args:
        x: input tensor (a scalar counts as 1-D).

    Returns:
        A tuple of 1-D int32 tensors, one per axis of `x`.

    Example:
        >>> from kerasx import ops
        >>> rows, cols = ops.nonzero([[0, 1], [2, 0]])
        >>> ops.convert_to_numpy(rows), ops.convert_to_numpy(cols)
        (array([0, 1], dtype=int32), array([1, 0], dtype=int32))
    """
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
def where(condition: TensorLike, x1: TensorLike | None = None, x2: TensorLike | None = None) -> Tensor:
    """Elementwise `x1 if condition else x2`; with neither `x1` nor `x2`, `nonzero(condition)`.

    Args:
        condition: a bool tensor (nonzero values count as True).
        x1: the values where `condition` is True.
        x2: the values where it is False.

    Returns:
        A tensor of the broadcast shape of the three inputs, in the promoted dtype of `x1` and `x2`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.where([True, False, True], [1, 2, 3], [10, 20, 30]))
        array([ 1, 20,  3], dtype=int32)
    """
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
def select(condlist: list[TensorLike], choicelist: list[TensorLike], default: TensorLike = 0) -> Tensor:
    """Elementwise choice among several tensors: `choicelist[i]` where `condlist[i]` is the first true condition,
    else `default`.

    Args:
        condlist: a list of bool tensors.
        choicelist: a list of as many tensors, the candidate values.
        default: the value where no condition holds.

    Returns:
        A tensor of the broadcast shape of all inputs, in the promoted dtype of the choices and `default`.

    Example:
        >>> from kerasx import ops
        >>> x = ops.convert_to_tensor([1, 2, 3])
        >>> result = ops.select([ops.less(x, 2), ops.greater(x, 2)], [x * 10, x * 100], default=0)
        >>> ops.convert_to_numpy(result)
        array([ 10,   0, 300], dtype=int32)
    """
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
def bincount(
    x: TensorLike, weights: TensorLike | None = None, minlength: int = 0, sparse: bool = False
) -> Tensor:
    """Counts of each value `0, 1, ..., N - 1` in a non-negative integer `x` (or the sums of their `weights`).

    Args:
        x: a 1-D integer tensor, or 2-D to count each row separately.
        weights: optional, of the shape of `x`: each occurrence adds its weight instead of 1.
        minlength: the least number of bins (there are at least `max(x) + 1`).
        sparse: must be False: kerasx returns a dense tensor.

    Returns:
        The counts, int32 (or the dtype of `weights`), with N bins along the last axis.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.bincount([0, 1, 1, 3]))
        array([1, 2, 0, 1], dtype=int32)
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
def unravel_index(indices: TensorLike, shape: tuple[int, ...]) -> tuple[Tensor, ...]:
    """Coordinates of flat (C-order) `indices` in a tensor of `shape`.

    Args:
        indices: integer flat indices (any shape).
        shape: the shape the indices point into.

    Returns:
        A tuple of int32 tensors of the shape of `indices`, one per dimension of `shape`.

    Example:
        >>> from kerasx import ops
        >>> rows, cols = ops.unravel_index([1, 5], (2, 3))
        >>> ops.convert_to_numpy(rows), ops.convert_to_numpy(cols)
        (array([0, 1], dtype=int32), array([1, 2], dtype=int32))
    """
    indices = convert(indices, "int32")
    coordinates = []
    for size in reversed([int(d) for d in shape]):
        size_tensor = convert(size, "int32")
        coordinates.append(_np.mod(indices, size_tensor))
        indices = _np.floor_divide(indices, size_tensor)
    return tuple(reversed(coordinates))


__all__ = [
    "bincount",
    "nonzero",
    "select",
    "take",
    "take_along_axis",
    "unravel_index",
    "where",
]
