"""Joining tensors: concatenate and append along an existing axis, stack along a new one, and the h/v/dstack
shorthands. The inputs are promoted to their common dtype."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, op, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import ndim_of, weak_dtype
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

BAD_CONCAT = (
    "`{name}` needs tensors with equal shapes except along axis {axis}. Received: shapes {shapes}. "
    "Reshape or broadcast the inputs first."
)
EMPTY_SEQUENCE = "`{name}` needs a non-empty list of tensors. Received: {arg}={value!r}."


def distinct_sizes(sizes) -> list:
    """The known sizes among `sizes`, once each; compared with `==`, not hashed: a symbolic size (torch.export's
    batch dimension) cannot be hashed, and equal symbols compare equal without pinning their value."""
    distinct: list = []
    for size in sizes:
        if size is not None and all(size != seen for seen in distinct):
            distinct.append(size)
    return distinct



def _common(name, xs, arg="xs"):
    if not isinstance(xs, (list, tuple)) or not xs:
        raise ValueError(EMPTY_SEQUENCE.format(name=name, arg=arg, value=xs))
    dtype = _dtypes.result_type(*(weak_dtype(x) for x in xs))
    return dtype


def _join_shape(name, shapes, axis):
    ndim = len(shapes[0])
    if any(len(s) != ndim for s in shapes):
        raise ValueError(BAD_CONCAT.format(name=name, axis=axis, shapes=list(shapes)))
    axis = _specs.normalize_axis(axis, ndim)[0]
    result = []
    for i in range(ndim):
        dims = [s[i] for s in shapes]
        if i == axis:
            result.append(None if None in dims else sum(dims))
            continue
        known = distinct_sizes(dims)
        if len(known) > 1:
            raise ValueError(BAD_CONCAT.format(name=name, axis=axis, shapes=list(shapes)))
        result.append(known[0] if known else None)
    return tuple(result), axis


def _concatenate_spec(xs, axis: int | None = 0):
    dtype = _common("concatenate", xs)
    if axis is None:
        return KerasTensor((_flat_size([shape_of(x) for x in xs]),), dtype)
    return KerasTensor(_join_shape("concatenate", [shape_of(x) for x in xs], axis)[0], dtype)


def _flat_size(shapes):
    total = 0
    for shape in shapes:
        for d in shape:
            if d is None:
                return None
        size = 1
        for d in shape:
            size *= d
        total += size
    return total


@op(_concatenate_spec)
def concatenate(xs: list[TensorLike] | tuple[TensorLike, ...], axis: int | None = 0) -> Tensor:
    """Joins tensors along an existing axis.

    Args:
        xs: a non-empty list of tensors whose shapes agree except along `axis`.
        axis: the axis to join along, or None to flatten every tensor first.

    Returns:
        A tensor in the promoted dtype of `xs`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.concatenate([[[1, 2]], [[3, 4]]], axis=0))
        array([[1, 2],
               [3, 4]], dtype=int32)
    """
    dtype = _common("concatenate", xs)
    xs = [convert(x, dtype) for x in xs]
    if axis is None:
        xs, axis = [_np.reshape(x, (-1,)) for x in xs], 0
    _, axis = _join_shape("concatenate", [shape_of(x) for x in xs], axis)
    return _np.concatenate(xs, axis=axis)


def _append_spec(x1, x2, axis=None) -> KerasTensor:
    return _concatenate_spec([x1, x2], axis=axis)


@op(_append_spec)
def append(x1: TensorLike, x2: TensorLike, axis: int | None = None) -> Tensor:
    """Appends `x2` to `x1` along `axis`: `concatenate([x1, x2], axis)`.

    Args:
        x1: the first tensor.
        x2: the tensor to append.
        axis: the axis to join along, or None to flatten both first.

    Returns:
        A tensor in the promoted dtype of `x1` and `x2`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.append([1, 2], [[3, 4]]))
        array([1, 2, 3, 4], dtype=int32)
    """
    return concatenate([x1, x2], axis=axis)


def _merge_shapes(name, shapes):
    """One shape from equal shapes, where None (unknown) matches any size."""
    if len({len(s) for s in shapes}) > 1:
        raise ValueError(BAD_CONCAT.format(name=name, axis="(new)", shapes=list(shapes)))
    merged = []
    for dims in zip(*shapes):
        known = distinct_sizes(dims)
        if len(known) > 1:
            raise ValueError(BAD_CONCAT.format(name=name, axis="(new)", shapes=list(shapes)))
        merged.append(known[0] if known else None)
    return tuple(merged)


def _stack_spec(x, axis=0) -> KerasTensor:
    dtype = _common("stack", x, "x")
    shape = _merge_shapes("stack", [tuple(shape_of(t)) for t in x])
    axis = _specs.normalize_axis(axis, len(shape) + 1)[0]
    return KerasTensor(shape[:axis] + (len(x),) + shape[axis:], dtype)


@op(_stack_spec)
def stack(x: list[TensorLike] | tuple[TensorLike, ...], axis: int = 0) -> Tensor:
    """Joins tensors of one shape along a new axis.

    Args:
        x: a non-empty list of tensors of the same shape.
        axis: where the new axis goes in the result.

    Returns:
        A tensor with one more axis, of size `len(x)`, in the promoted dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.stack([[1, 2], [3, 4]], axis=1))
        array([[1, 3],
               [2, 4]], dtype=int32)
    """
    dtype = _common("stack", x, "x")
    x = [convert(t, dtype) for t in x]
    _merge_shapes("stack", [tuple(shape_of(t)) for t in x])
    return _np.stack(x, axis=_specs.normalize_axis(axis, ndim_of(x[0]) + 1)[0])


def _at_least_shape(shape, ndim):
    """A shape with size-1 axes added the way NumPy's atleast_1d/2d/3d add them."""
    shape = tuple(shape)
    if len(shape) >= ndim:
        return shape
    if ndim == 3 and len(shape) == 2:
        return shape + (1,)
    if ndim == 3 and len(shape) == 1:
        return (1,) + shape + (1,)
    return (1,) * (ndim - len(shape)) + shape


def _joined_spec(name, xs, min_ndim, axis_of) -> KerasTensor:
    """Spec of h/v/dstack: inputs raised to `min_ndim` axes, then concatenated along `axis_of(shapes)`."""
    dtype = _common(name, xs)
    shapes = [_at_least_shape(shape_of(x), min_ndim) for x in xs]
    return KerasTensor(_join_shape(name, shapes, axis_of(shapes))[0], dtype)


def _at_least(x, ndim):
    shape = tuple(shape_of(x))
    target = _at_least_shape(shape, ndim)
    return x if target == shape else _np.reshape(x, target)


def _joined(name, xs, min_ndim, axis_of):
    dtype = _common(name, xs)
    xs = [_at_least(convert(x, dtype), min_ndim) for x in xs]
    return _np.concatenate(xs, axis=axis_of([shape_of(x) for x in xs]))


def _hstack_axis(shapes) -> int:
    return 0 if len(shapes[0]) == 1 else 1


def _first_axis(shapes) -> int:
    return 0


def _third_axis(shapes) -> int:
    return 2


def _hstack_spec(xs) -> KerasTensor:
    return _joined_spec("hstack", xs, 1, _hstack_axis)


@op(_hstack_spec)
def hstack(xs: list[TensorLike] | tuple[TensorLike, ...]) -> Tensor:
    """Joins tensors column-wise: along axis 1, or along axis 0 for 1-D tensors.

    Args:
        xs: a non-empty list of tensors.

    Returns:
        A tensor in the promoted dtype of `xs`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.hstack([[1, 2], [3]]))
        array([1, 2, 3], dtype=int32)
    """
    return _joined("hstack", xs, 1, _hstack_axis)


def _vstack_spec(xs) -> KerasTensor:
    return _joined_spec("vstack", xs, 2, _first_axis)


@op(_vstack_spec)
def vstack(xs: list[TensorLike] | tuple[TensorLike, ...]) -> Tensor:
    """Joins tensors row-wise: along axis 0, after making 1-D tensors rows of shape `(1, n)`.

    Args:
        xs: a non-empty list of tensors.

    Returns:
        A tensor of at least 2 dimensions, in the promoted dtype of `xs`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.vstack([[1, 2], [3, 4]]))
        array([[1, 2],
               [3, 4]], dtype=int32)
    """
    return _joined("vstack", xs, 2, _first_axis)


def _dstack_spec(xs) -> KerasTensor:
    return _joined_spec("dstack", xs, 3, _third_axis)


@op(_dstack_spec)
def dstack(xs: list[TensorLike] | tuple[TensorLike, ...]) -> Tensor:
    """Joins tensors depth-wise: along axis 2, after making them at least 3-D (`(n,)` -> `(1, n, 1)`,
    `(m, n)` -> `(m, n, 1)`).

    Args:
        xs: a non-empty list of tensors.

    Returns:
        A tensor of at least 3 dimensions, in the promoted dtype of `xs`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.dstack([[1, 2], [3, 4]]))
        array([[[1, 3],
                [2, 4]]], dtype=int32)
    """
    return _joined("dstack", xs, 3, _third_axis)


__all__ = ["append", "concatenate", "dstack", "hstack", "stack", "vstack"]
