"""Shape manipulation: reshape, ravel, transpose, moving/adding/removing axes, broadcast_to, ndim and size.

None of these change values or the dtype; each shape rule sits beside its op.
"""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import axes, native, ndim_of, one_axis, static_size
from kerasx.ops._types import ShapeLike, Tensor, TensorLike

_np = active.numpy

BAD_RESHAPE = "Cannot reshape a tensor of shape {shape} into {newshape}: {reason}."

BAD_SQUEEZE = "Cannot squeeze axis {axis} of a tensor of shape {shape}: its size is not 1. Received: axis={axis}."

BAD_PERMUTATION = "`axes` must be a permutation of 0..{last}. Received: axes={axes}."
BAD_MOVEAXIS = (
    "`source` and `destination` need the same number of axes. Received: source={source}, destination={destination}."
)
BAD_BROADCAST_TO = (
    "Cannot broadcast a tensor of shape {shape} to {target}: each dimension must be 1 or equal to the target's "
    "(aligned from the right), and the target needs at least as many dimensions."
)


def _reshape_target(shape, newshape) -> tuple:
    """Static output shape of a reshape: resolves a single -1; unknown sizes stay None."""
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    newshape = tuple(None if d is None else int(d) for d in newshape)
    unknown = [i for i, d in enumerate(newshape) if d == -1 or d is None]
    if sum(1 for d in newshape if d == -1) > 1:
        raise ValueError(BAD_RESHAPE.format(shape=shape, newshape=newshape, reason="only one -1 is allowed"))
    total = static_size(shape)
    known = static_size([d for d in newshape if d not in (-1, None)])
    if not unknown:
        if total is not None and total != known:
            raise ValueError(BAD_RESHAPE.format(shape=shape, newshape=newshape, reason=f"sizes differ ({total})"))
        return newshape
    if total is None or len(unknown) > 1:
        return tuple(None if d == -1 else d for d in newshape)
    # `known` is the product of known sizes: never None.
    if known == 0 or total % known:  # pyright: ignore[reportOperatorIssue]
        raise ValueError(BAD_RESHAPE.format(shape=shape, newshape=newshape, reason=f"{total} is not divisible"))
    return tuple(total // known if d in (-1, None) else d for d in newshape)  # pyright: ignore[reportOperatorIssue]



def _reshape_spec(x, newshape):
    return KerasTensor(_reshape_target(shape_of(x), newshape), dtype_of(x))


@op(_reshape_spec)
def reshape(x: TensorLike, newshape: ShapeLike) -> Tensor:
    """`x` with a new shape holding the same elements in the same (C) order.

    Args:
        x: input tensor.
        newshape: an int or a tuple of ints whose product is `x.size`; one entry may be -1, inferred from the rest.

    Returns:
        A tensor of shape `newshape`, in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.reshape([1, 2, 3, 4, 5, 6], (2, -1)))
        array([[1, 2, 3],
               [4, 5, 6]], dtype=int32)
    """
    x = native(x)
    if isinstance(newshape, int):
        newshape = (newshape,)
    elif any(active.core.is_tensor(d) for d in newshape):
        # Sizes known only at run time (`ops.shape` inside tf.function): the engine checks them.
        return _np.reshape(x, tuple(d if active.core.is_tensor(d) else int(d) for d in newshape))  # pyright: ignore[reportArgumentType]
    else:
        newshape = tuple(int(d) for d in newshape)  # pyright: ignore[reportArgumentType] - None only in symbolic calls
    _reshape_target(shape_of(x), newshape)
    return _np.reshape(x, newshape)


def _ravel_spec(x) -> KerasTensor:
    return KerasTensor((static_size(shape_of(x)),), dtype_of(x))


@op(_ravel_spec)
def ravel(x: TensorLike) -> Tensor:
    """`x` flattened to 1-D, in C order (the last axis varies fastest).

    Args:
        x: input tensor.

    Returns:
        A 1-D tensor of `x.size` elements, in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.ravel([[1, 2, 3], [4, 5, 6]]))
        array([1, 2, 3, 4, 5, 6], dtype=int32)
    """
    return _np.reshape(native(x), (-1,))


def _permutation(x, axes_):
    ndim = ndim_of(x)
    if axes_ is None:
        return tuple(range(ndim - 1, -1, -1))
    perm = _specs.normalize_axis(axes_, ndim, "axes")
    if sorted(perm) != list(range(ndim)):
        raise ValueError(BAD_PERMUTATION.format(last=ndim - 1, axes=axes_))
    return perm



def _transpose_spec(x, axes=None):
    shape = shape_of(x)
    return KerasTensor(tuple(shape[i] for i in _permutation(x, axes)), dtype_of(x))


@op(_transpose_spec)
def transpose(x: TensorLike, axes: tuple[int, ...] | None = None) -> Tensor:
    """`x` with its axes permuted.

    Args:
        x: input tensor.
        axes: for each output axis, the input axis it comes from (a permutation of `0..ndim-1`); None reverses
            the axes (the matrix transpose for 2-D tensors).

    Returns:
        A tensor in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.transpose([[1, 2, 3], [4, 5, 6]]))
        array([[1, 4],
               [2, 5],
               [3, 6]], dtype=int32)
    """
    x = native(x)
    return _np.transpose(x, axes=_permutation(x, axes))


def _moveaxis_perm(x, source, destination):
    ndim = ndim_of(x)
    source = _specs.normalize_axis(source, ndim, "source")
    destination = _specs.normalize_axis(destination, ndim, "destination")
    if len(source) != len(destination):
        raise ValueError(BAD_MOVEAXIS.format(source=source, destination=destination))
    order = [i for i in range(ndim) if i not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return tuple(order), source, destination



def _moveaxis_spec(x, source, destination):
    shape = shape_of(x)
    return KerasTensor(tuple(shape[i] for i in _moveaxis_perm(x, source, destination)[0]), dtype_of(x))


@op(_moveaxis_spec)
def moveaxis(
    x: TensorLike, source: int | tuple[int, ...], destination: int | tuple[int, ...]
) -> Tensor:
    """`x` with the axes `source` moved to the positions `destination`; the other axes keep their order.

    Args:
        x: input tensor.
        source: the axes to move (an int or a tuple).
        destination: their positions in the result (as many as `source`).

    Returns:
        A tensor in the dtype of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.shape(ops.moveaxis(np.zeros((2, 3, 4)), 0, -1))
        (3, 4, 2)
    """
    x = native(x)
    _, source, destination = _moveaxis_perm(x, source, destination)
    return _np.moveaxis(x, source, destination)


def _swapaxes_spec(x, axis1, axis2):
    shape = list(shape_of(x))
    a, b = one_axis(x, axis1, "axis1"), one_axis(x, axis2, "axis2")
    shape[a], shape[b] = shape[b], shape[a]
    return KerasTensor(tuple(shape), dtype_of(x))


@op(_swapaxes_spec)
def swapaxes(x: TensorLike, axis1: int, axis2: int) -> Tensor:
    """`x` with the axes `axis1` and `axis2` interchanged.

    Args:
        x: input tensor.
        axis1: the first axis.
        axis2: the second axis.

    Returns:
        A tensor in the dtype of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.shape(ops.swapaxes(np.zeros((2, 3, 4)), 0, 2))
        (4, 3, 2)
    """
    x = native(x)
    return _np.swapaxes(x, one_axis(x, axis1, "axis1"), one_axis(x, axis2, "axis2"))


def _expanded_axes(x, axis):
    new_ndim = ndim_of(x) + (1 if isinstance(axis, int) else len(axis))
    return _specs.normalize_axis(axis, new_ndim)



def _expand_dims_spec(x, axis):
    shape = list(shape_of(x))
    for a in sorted(_expanded_axes(x, axis)):
        shape.insert(a, 1)
    return KerasTensor(tuple(shape), dtype_of(x))


@op(_expand_dims_spec)
def expand_dims(x: TensorLike, axis: int | tuple[int, ...]) -> Tensor:
    """`x` with new axes of size 1 inserted.

    Args:
        x: input tensor.
        axis: the positions of the new axes in the result (an int or a tuple).

    Returns:
        A tensor with `len(axis)` more dimensions, in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.expand_dims([1, 2], 0))
        array([[1, 2]], dtype=int32)
    """
    x = native(x)
    return _np.expand_dims(x, _expanded_axes(x, axis))


def _squeezed_axes(x, axis):
    shape = shape_of(x)
    if axis is None:
        return tuple(i for i, d in enumerate(shape) if d == 1)
    result = axes(x, axis)
    for a in result:
        if shape[a] not in (1, None):
            raise ValueError(BAD_SQUEEZE.format(axis=axis, shape=shape))
    return result



def _squeeze_spec(x, axis=None):
    squeezed = _squeezed_axes(x, axis)
    return KerasTensor(tuple(d for i, d in enumerate(shape_of(x)) if i not in squeezed), dtype_of(x))


@op(_squeeze_spec)
def squeeze(x: TensorLike, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """`x` without axes of size 1.

    Args:
        x: input tensor.
        axis: the axes to remove (an int or a tuple; each must have size 1), or None for every size-1 axis.

    Returns:
        A tensor in the dtype of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.shape(ops.squeeze(np.zeros((1, 3, 1))))
        (3,)
    """
    x = native(x)
    return _np.squeeze(x, axis=_squeezed_axes(x, axis))


def _broadcast_to_spec(x, shape):
    target = (shape,) if isinstance(shape, int) else tuple(shape)
    source = tuple(shape_of(x))
    offset = len(target) - len(source)
    if offset < 0 or any(d not in (1, None) and t is not None and d != t for d, t in zip(source, target[offset:])):
        raise ValueError(BAD_BROADCAST_TO.format(shape=source, target=target))
    return KerasTensor(target, dtype_of(x))


@op(_broadcast_to_spec)
def broadcast_to(x: TensorLike, shape: ShapeLike) -> Tensor:
    """`x` repeated along its size-1 (and missing leading) axes to reach `shape`, by NumPy's broadcasting rules.

    Args:
        x: input tensor.
        shape: the target shape; aligned from the right, each dimension of `x` must be 1 or equal to it.

    Returns:
        A tensor of `shape`, in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.broadcast_to([1, 2], (2, 2)))
        array([[1, 2],
               [1, 2]], dtype=int32)
    """
    x = native(x)
    shape = (shape,) if isinstance(shape, int) else tuple(int(d) for d in shape)  # pyright: ignore[reportArgumentType]
    _broadcast_to_spec(x, shape)
    return _np.broadcast_to(x, shape)


def _ndim_spec(x) -> int:
    return len(shape_of(x))


@op(_ndim_spec)
def ndim(x: TensorLike) -> int:
    """The number of dimensions of `x`, as a Python int (also for a symbolic `x`).

    Args:
        x: a tensor, array, nested list or number.

    Returns:
        An int.

    Example:
        >>> from kerasx import ops
        >>> ops.ndim([[1, 2, 3], [4, 5, 6]])
        2
    """
    return len(shape_of(x))


def _size_spec(x) -> int | KerasTensor:
    size = static_size(shape_of(x))
    return size if size is not None else KerasTensor((), "int32")


@op(_size_spec)
def size(x: TensorLike) -> int:
    """The number of elements of `x`, as a Python int.

    For a symbolic `x` with unknown dimensions, the result is a symbolic int32 scalar.

    Args:
        x: a tensor, array, nested list or number.

    Returns:
        An int.

    Example:
        >>> from kerasx import ops
        >>> ops.size([[1, 2, 3], [4, 5, 6]])
        6
    """
    return static_size(shape_of(x))  # pyright: ignore[reportReturnType] - a concrete tensor's shape is known


__all__ = [
    "broadcast_to",
    "expand_dims",
    "moveaxis",
    "ndim",
    "ravel",
    "reshape",
    "size",
    "squeeze",
    "swapaxes",
    "transpose",
]
