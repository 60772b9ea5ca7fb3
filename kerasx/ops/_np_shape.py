"""Shape manipulation: reshape, transpose, moving/adding/removing axes, flips, rolls, tiling, repetition, padding."""

from __future__ import annotations

import numpy as np

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import axes, native, ndim_of, one_axis

_np = active.numpy

BAD_RESHAPE = "Cannot reshape a tensor of shape {shape} into {newshape}: {reason}."
BAD_SQUEEZE = "Cannot squeeze axis {axis} of a tensor of shape {shape}: its size is not 1. Received: axis={axis}."
BAD_PERMUTATION = "`axes` must be a permutation of 0..{last}. Received: axes={axes}."
BAD_PAD_MODE = "Unknown padding mode. Received: mode={mode!r}. Expected one of {modes}."
BAD_PAD_WIDTH = (
    "`pad_width` must be an int, a pair (before, after), or one pair per axis ({ndim} axes). Received: "
    "pad_width={pad_width!r}."
)
BAD_MOVEAXIS = (
    "`source` and `destination` need the same number of axes. Received: source={source}, destination={destination}."
)
PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap", "empty")


def _size(shape):
    size = 1
    for d in shape:
        if d is None:
            return None
        size *= d
    return size


def _reshape_target(shape, newshape) -> tuple:
    """Static output shape of a reshape: resolves a single -1; unknown sizes stay None."""
    newshape = (newshape,) if isinstance(newshape, int) else tuple(newshape)
    newshape = tuple(None if d is None else int(d) for d in newshape)
    unknown = [i for i, d in enumerate(newshape) if d == -1 or d is None]
    if sum(1 for d in newshape if d == -1) > 1:
        raise ValueError(BAD_RESHAPE.format(shape=shape, newshape=newshape, reason="only one -1 is allowed"))
    total = _size(shape)
    known = _size([d for d in newshape if d not in (-1, None)])
    if not unknown:
        if total is not None and total != known:
            raise ValueError(BAD_RESHAPE.format(shape=shape, newshape=newshape, reason=f"sizes differ ({total})"))
        return newshape
    if total is None or len(unknown) > 1:
        return tuple(None if d == -1 else d for d in newshape)
    if known == 0 or total % known:
        raise ValueError(BAD_RESHAPE.format(shape=shape, newshape=newshape, reason=f"{total} is not divisible"))
    return tuple(total // known if d in (-1, None) else d for d in newshape)


def _reshape_spec(x, newshape):
    return KerasTensor(_reshape_target(shape_of(x), newshape), dtype_of(x))


@op(_reshape_spec)
def reshape(x, newshape):
    """`x` with shape `newshape` (one entry may be -1, inferred from the size).

    Args:
        x: input tensor.
        newshape: an int or a tuple of ints.
    """
    x = native(x)
    if isinstance(newshape, int):
        newshape = (newshape,)
    elif any(active.core.is_tensor(d) for d in newshape):
        # Sizes known only at run time (`ops.shape` inside tf.function): the engine checks them.
        return _np.reshape(x, tuple(d if active.core.is_tensor(d) else int(d) for d in newshape))
    else:
        newshape = tuple(int(d) for d in newshape)
    _reshape_target(shape_of(x), newshape)
    return _np.reshape(x, newshape)


@op(lambda x: KerasTensor((_size(shape_of(x)),), dtype_of(x)))
def ravel(x):
    """`x` flattened to 1-D."""
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
def transpose(x, axes=None):
    """`x` with its axes permuted: reversed by default, else `axes` gives the input axis of each output axis."""
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
def moveaxis(x, source, destination):
    """`x` with axes `source` moved to positions `destination` (ints or tuples); other axes keep their order."""
    x = native(x)
    _, source, destination = _moveaxis_perm(x, source, destination)
    return _np.moveaxis(x, source, destination)


def _swapaxes_spec(x, axis1, axis2):
    shape = list(shape_of(x))
    a, b = one_axis(x, axis1, "axis1"), one_axis(x, axis2, "axis2")
    shape[a], shape[b] = shape[b], shape[a]
    return KerasTensor(tuple(shape), dtype_of(x))


@op(_swapaxes_spec)
def swapaxes(x, axis1, axis2):
    """`x` with `axis1` and `axis2` interchanged."""
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
def expand_dims(x, axis):
    """`x` with new size-1 axes inserted at `axis` (an int or tuple, positions in the output)."""
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
def squeeze(x, axis=None):
    """`x` without size-1 axes (all of them, or those in `axis`; squeezing a bigger axis raises)."""
    x = native(x)
    return _np.squeeze(x, axis=_squeezed_axes(x, axis))


@op(_specs.same)
def flip(x, axis=None):
    """`x` reversed along `axis` (None: all axes; an int or tuple)."""
    x = native(x)
    flipped = tuple(range(ndim_of(x))) if axis is None else axes(x, axis)
    return _np.flip(x, axis=flipped)


@op(_specs.same)
def fliplr(x):
    """`x` reversed along axis 1 (left/right for matrices)."""
    return flip(x, axis=1)


@op(_specs.same)
def flipud(x):
    """`x` reversed along axis 0 (up/down for matrices)."""
    return flip(x, axis=0)


@op(_specs.same)
def roll(x, shift, axis=None):
    """`x` with elements shifted by `shift` along `axis` (cyclically); None rolls the flattened tensor.

    Args:
        x: input tensor. shift: an int or tuple (one per axis). axis: None, int or tuple.
    """
    x = native(x)
    if axis is None:
        return _np.reshape(_np.roll(_np.reshape(x, (-1,)), (int(shift),), axis=(0,)), shape_of(x))
    rolled = axes(x, axis)
    shifts = (int(shift),) * len(rolled) if isinstance(shift, int) else tuple(int(s) for s in shift)
    if len(shifts) != len(rolled):
        raise ValueError(f"`roll` needs one shift per axis. Received: shift={shift}, axis={axis}.")
    return _np.roll(x, shifts, axis=rolled)


def _rot90_spec(array, k=1, axes=(0, 1)):
    shape = list(shape_of(array))
    a, b = _specs.normalize_axis(axes, len(shape), "axes")
    if k % 2:
        shape[a], shape[b] = shape[b], shape[a]
    return KerasTensor(tuple(shape), dtype_of(array))


@op(_rot90_spec)
def rot90(array, k=1, axes=(0, 1)):
    """`array` rotated by 90 degrees `k` times in the plane of `axes`, from the first axis towards the second."""
    array = native(array)
    a, b = _specs.normalize_axis(axes, ndim_of(array), "axes")
    if a == b:
        raise ValueError(f"`rot90` needs two different axes. Received: axes={axes}.")
    k = k % 4
    if k == 1:
        return _np.swapaxes(_np.flip(array, axis=(b,)), a, b)
    if k == 2:
        return _np.flip(array, axis=(a, b))
    if k == 3:
        return _np.flip(_np.swapaxes(array, a, b), axis=(b,))
    return array


BAD_BROADCAST_TO = (
    "Cannot broadcast a tensor of shape {shape} to {target}: each dimension must be 1 or equal to the target's "
    "(aligned from the right), and the target needs at least as many dimensions."
)


def _broadcast_to_spec(x, shape):
    target = (shape,) if isinstance(shape, int) else tuple(shape)
    source = tuple(shape_of(x))
    offset = len(target) - len(source)
    if offset < 0 or any(d not in (1, None) and t is not None and d != t for d, t in zip(source, target[offset:])):
        raise ValueError(BAD_BROADCAST_TO.format(shape=source, target=target))
    return KerasTensor(target, dtype_of(x))


@op(_broadcast_to_spec)
def broadcast_to(x, shape):
    """`x` broadcast to `shape` (NumPy broadcasting rules)."""
    x = native(x)
    shape = (shape,) if isinstance(shape, int) else tuple(int(d) for d in shape)
    _broadcast_to_spec(x, shape)
    return _np.broadcast_to(x, shape)


def _tile_repeats(x, repeats):
    repeats = (repeats,) if isinstance(repeats, int) else tuple(int(r) for r in repeats)
    ndim = ndim_of(x)
    return (1,) * (ndim - len(repeats)) + repeats


def _tile_spec(x, repeats):
    repeats = _tile_repeats(x, repeats)
    shape = (1,) * (len(repeats) - ndim_of(x)) + tuple(shape_of(x))
    return KerasTensor(tuple(None if d is None else d * r for d, r in zip(shape, repeats)), dtype_of(x))


@op(_tile_spec)
def tile(x, repeats):
    """`x` repeated `repeats` times along each axis (an int or tuple; shorter tuples apply to the last axes)."""
    x = native(x)
    repeats = _tile_repeats(x, repeats)
    if len(repeats) > ndim_of(x):
        x = _np.reshape(x, (1,) * (len(repeats) - ndim_of(x)) + tuple(shape_of(x)))
    return _np.tile(x, repeats)


def _static_repeats(repeats):
    """Python ints for `repeats` when they are known, else None."""
    if isinstance(repeats, int):
        return repeats
    if isinstance(repeats, (list, tuple)):
        return [int(r) for r in repeats]
    if isinstance(repeats, KerasTensor) or active.core.is_traced(repeats):
        return None
    values = np.asarray(active.core.convert_to_numpy(repeats))
    return int(values) if values.ndim == 0 else [int(r) for r in values]


def _repeat_spec(x, repeats, axis=None):
    shape = shape_of(x)
    if axis is None:
        shape, axis = (_size(shape),), 0
    else:
        axis = one_axis(x, axis)
    shape = list(shape)
    counts = _static_repeats(repeats)
    if counts is None or shape[axis] is None:
        shape[axis] = None
    else:
        shape[axis] = shape[axis] * counts if isinstance(counts, int) else sum(counts)
    return KerasTensor(tuple(shape), dtype_of(x))


@op(_repeat_spec)
def repeat(x, repeats, axis=None):
    """Each element of `x` repeated along `axis` (None: the flattened tensor).

    Args:
        x: input tensor.
        repeats: an int, or one int per element along `axis`.
        axis: the axis, or None.
    """
    x = native(x)
    if axis is None:
        x, axis = _np.reshape(x, (-1,)), 0
    counts = _static_repeats(repeats)
    if counts is None:
        counts = convert(repeats, "int32")
    return _np.repeat(x, counts, axis=one_axis(x, axis))


def _pad_pairs(x, pad_width):
    """`pad_width` as one `(before, after)` pair of ints per axis."""
    ndim = ndim_of(x)
    try:
        widths = np.asarray(pad_width, dtype=np.int64)
        widths = np.broadcast_to(widths.reshape(1, -1) if widths.ndim < 2 else widths, (ndim, 2))
    except (TypeError, ValueError) as error:
        raise ValueError(BAD_PAD_WIDTH.format(ndim=ndim, pad_width=pad_width)) from error
    return tuple((int(before), int(after)) for before, after in widths)


def _pad_spec(x, pad_width, mode="constant", constant_values=None):
    pairs = _pad_pairs(x, pad_width)
    shape = tuple(None if d is None else d + b + a for d, (b, a) in zip(shape_of(x), pairs))
    return KerasTensor(shape, dtype_of(x))


@op(_pad_spec)
def pad(x, pad_width, mode="constant", constant_values=None):
    """`x` padded with `pad_width` elements before and after each axis.

    Args:
        x: input tensor.
        pad_width: an int, a pair `(before, after)` for every axis, or one pair per axis.
        mode: "constant" (fill with `constant_values`, default 0), "edge", "reflect", "symmetric", "wrap" or
            "empty" (zeros here).
        constant_values: the fill value for "constant".
    """
    if mode not in PAD_MODES:
        raise ValueError(BAD_PAD_MODE.format(mode=mode, modes=PAD_MODES))
    x = native(x)
    pairs = _pad_pairs(x, pad_width)
    if mode in ("constant", "empty"):
        fill = 0 if constant_values is None or mode == "empty" else constant_values
        return _np.pad(x, pairs, mode="constant", constant_values=convert(fill, dtype_of(x)))
    if constant_values is not None:
        raise ValueError(f"`constant_values` only applies to mode='constant'. Received: mode={mode!r}.")
    # The other modes are gathers: NumPy's pad of 0..n-1 gives, per axis, which source index fills each slot.
    for axis, (before, after) in enumerate(pairs):
        if before or after:
            size = shape_of(x)[axis]
            index = np.pad(np.arange(size), (before, after), mode=mode)
            x = _np.take(x, convert(index, "int32"), axis=axis)
    return x


@op(lambda x: len(shape_of(x)))
def ndim(x):
    """Number of dimensions of `x` (a Python int)."""
    return len(shape_of(x))


@op(lambda x: _size(shape_of(x)) if _size(shape_of(x)) is not None else KerasTensor((), "int32"))
def size(x):
    """Number of elements of `x` (a Python int)."""
    return _size(shape_of(x))


__all__ = [
    "broadcast_to",
    "expand_dims",
    "flip",
    "fliplr",
    "flipud",
    "moveaxis",
    "ndim",
    "pad",
    "ravel",
    "repeat",
    "reshape",
    "roll",
    "rot90",
    "size",
    "squeeze",
    "swapaxes",
    "tile",
    "transpose",
]
