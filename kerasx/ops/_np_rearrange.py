"""Rearranging and repeating elements: flips, rolls, rotations, tiling, repetition and padding."""

from __future__ import annotations

from typing import Literal

import numpy as np

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import axes, native, ndim_of, one_axis, static_size
from kerasx.ops._types import PadWidth, Tensor, TensorLike

_np = active.numpy

BAD_PAD_MODE = "Unknown padding mode. Received: mode={mode!r}. Expected one of {modes}."
BAD_PAD_WIDTH = (
    "`pad_width` must be an int, a pair (before, after), or one pair per axis ({ndim} axes). Received: "
    "pad_width={pad_width!r}."
)
PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap", "empty")

PadMode = Literal["constant", "edge", "reflect", "symmetric", "wrap", "empty"]


@op(_specs.same)
def flip(x: TensorLike, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """`x` with the order of its elements reversed along `axis`.

    Args:
        x: input tensor.
        axis: the axes to reverse (an int or a tuple), or None for all of them.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.flip([[1, 2, 3], [4, 5, 6]], axis=1))
        array([[3, 2, 1],
               [6, 5, 4]], dtype=int32)
    """
    x = native(x)
    flipped = tuple(range(ndim_of(x))) if axis is None else axes(x, axis)
    return _np.flip(x, axis=flipped)


@op(_specs.same)
def fliplr(x: TensorLike) -> Tensor:
    """`x` reversed along axis 1 (left/right for matrices); `x` needs at least 2 dimensions.

    Args:
        x: input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.fliplr([[1, 2, 3], [4, 5, 6]]))
        array([[3, 2, 1],
               [6, 5, 4]], dtype=int32)
    """
    x = native(x)
    return _np.flip(x, axis=axes(x, 1))


@op(_specs.same)
def flipud(x: TensorLike) -> Tensor:
    """`x` reversed along axis 0 (up/down for matrices).

    Args:
        x: input tensor.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.flipud([[1, 2, 3], [4, 5, 6]]))
        array([[4, 5, 6],
               [1, 2, 3]], dtype=int32)
    """
    x = native(x)
    return _np.flip(x, axis=axes(x, 0))


@op(_specs.same)
def roll(x: TensorLike, shift: int | tuple[int, ...], axis: int | tuple[int, ...] | None = None) -> Tensor:
    """`x` with its elements shifted cyclically along `axis`: those pushed past the end come back at the start.

    Args:
        x: input tensor.
        shift: how many places to shift (negative: towards the start); a tuple gives one shift per axis.
        axis: the axes to roll along, or None to roll the flattened tensor (the shape is kept).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.roll([1, 2, 3, 4], 1))
        array([4, 1, 2, 3], dtype=int32)
    """
    x = native(x)
    if axis is None:
        # A tuple `shift` needs an `axis`: int() refuses it.
        return _np.reshape(_np.roll(_np.reshape(x, (-1,)), (int(shift),), axis=(0,)), shape_of(x))  # pyright: ignore[reportArgumentType]
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
def rot90(array: TensorLike, k: int = 1, axes: tuple[int, int] = (0, 1)) -> Tensor:
    """`array` rotated by 90 degrees `k` times in the plane of `axes`, from the first axis towards the second.

    Args:
        array: a tensor of at least 2 dimensions.
        k: the number of quarter turns (negative turns the other way).
        axes: the two axes spanning the plane of rotation.

    Returns:
        A tensor in the dtype of `array` (the two axes are swapped for odd `k`).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.rot90([[1, 2], [3, 4]]))
        array([[2, 4],
               [1, 3]], dtype=int32)
    """
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


def _tile_repeats(x, repeats):
    repeats = (repeats,) if isinstance(repeats, int) else tuple(int(r) for r in repeats)
    ndim = ndim_of(x)
    return (1,) * (ndim - len(repeats)) + repeats



def _tile_spec(x, repeats):
    repeats = _tile_repeats(x, repeats)
    shape = (1,) * (len(repeats) - ndim_of(x)) + tuple(shape_of(x))
    return KerasTensor(tuple(None if d is None else d * r for d, r in zip(shape, repeats)), dtype_of(x))


@op(_tile_spec)
def tile(x: TensorLike, repeats: int | tuple[int, ...]) -> Tensor:
    """`x` repeated as a whole `repeats` times along each axis.

    Args:
        x: input tensor.
        repeats: an int, or one count per axis; a shorter tuple applies to the last axes, a longer one adds
            leading axes to `x`.

    Returns:
        A tensor in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.tile([1, 2], 2))
        array([1, 2, 1, 2], dtype=int32)
    """
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
        shape, axis = (static_size(shape),), 0
    else:
        axis = one_axis(x, axis)
    shape = list(shape)
    counts = _static_repeats(repeats)
    size = shape[axis]
    if counts is None or size is None:
        shape[axis] = None
    else:
        shape[axis] = size * counts if isinstance(counts, int) else sum(counts)
    return KerasTensor(tuple(shape), dtype_of(x))


@op(_repeat_spec)
def repeat(x: TensorLike, repeats: int | TensorLike, axis: int | None = None) -> Tensor:
    """Each element of `x` repeated along `axis` (unlike `tile`, which repeats the whole tensor).

    Args:
        x: input tensor.
        repeats: an int, or one count per element along `axis` (a list or an integer tensor).
        axis: the axis, or None to repeat the elements of the flattened tensor.

    Returns:
        A tensor in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.repeat([1, 2], 2))
        array([1, 1, 2, 2], dtype=int32)
        >>> ops.convert_to_numpy(ops.repeat([[1, 2], [3, 4]], [1, 2], axis=0))
        array([[1, 2],
               [3, 4],
               [3, 4]], dtype=int32)
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
def pad(
    x: TensorLike,
    pad_width: PadWidth,
    mode: PadMode = "constant",
    constant_values: float | None = None,
) -> Tensor:
    """`x` padded with `pad_width` elements before and after each axis.

    Args:
        x: input tensor.
        pad_width: an int (the same before and after every axis), a pair `(before, after)` for every axis, or one
            pair per axis.
        mode: what fills the padding: "constant" (`constant_values`), "edge" (the border value), "reflect" (a
            mirror image without the border), "symmetric" (a mirror image with it), "wrap" (the other end) or
            "empty" (zeros in kerasx).
        constant_values: the fill value of mode "constant" (default 0).

    Returns:
        A tensor in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.pad([1, 2], (1, 2)))
        array([0, 1, 2, 0, 0], dtype=int32)
        >>> ops.convert_to_numpy(ops.pad([1, 2, 3], 2, mode="reflect"))
        array([3, 2, 1, 2, 3, 2, 1], dtype=int32)
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


__all__ = ["flip", "fliplr", "flipud", "pad", "repeat", "roll", "rot90", "tile"]
