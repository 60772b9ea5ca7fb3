"""`rearrange`: einops-style axis rearrangement (`"b h w c -> b (h w) c"`): one reshape that splits grouped input
axes, one transpose and one reshape that merges the output groups."""

from __future__ import annotations

import math
import re

from kerasx.backend import active
from kerasx.ops import _dispatch
from kerasx.ops._dispatch import dtype_of, op, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

BAD_PATTERN = (
    "`pattern` must read \"<input axes> -> <output axes>\", each side axis names or parenthesized groups of names "
    "(e.g. \"b (h w) c -> b h w c\"), every name used once per side and on both sides. Received: pattern={pattern!r}."
)
RANK_MISMATCH = "The pattern {side!r} names {expected} axes, but the tensor has shape {shape}."
UNKNOWN_SIZE = (
    "Cannot split axis {axis} of size {size} into {group}: give the size of all but one of its parts as keyword "
    "arguments (e.g. {example}=2). Received: axes_lengths={lengths}."
)

_TOKEN = re.compile(r"\(([^()]*)\)|(\w+)")


def _groups(side: str, pattern: str) -> list:
    """Each axis of one side of the pattern as a tuple of elementary axis names."""
    groups, position = [], 0
    for match in _TOKEN.finditer(side):
        if side[position:match.start()].strip():
            raise ValueError(BAD_PATTERN.format(pattern=pattern))
        position = match.end()
        groups.append(tuple(match.group(1).split()) if match.group(1) is not None else (match.group(2),))
    if side[position:].strip():
        raise ValueError(BAD_PATTERN.format(pattern=pattern))
    return groups


def _plan(shape, pattern: str, axes_lengths: dict):
    """(sizes of the elementary input axes, transpose order, output shape)."""
    if pattern.count("->") != 1:
        raise ValueError(BAD_PATTERN.format(pattern=pattern))
    left, right = pattern.split("->")
    inputs, outputs = _groups(left, pattern), _groups(right, pattern)
    names_in = [name for group in inputs for name in group]
    names_out = [name for group in outputs for name in group]
    if len(set(names_in)) != len(names_in) or sorted(names_in) != sorted(names_out):
        raise ValueError(BAD_PATTERN.format(pattern=pattern))
    if len(inputs) != len(shape):
        raise ValueError(RANK_MISMATCH.format(side=left.strip(), expected=len(inputs), shape=tuple(shape)))
    sizes = {}
    for axis, (group, size) in enumerate(zip(inputs, shape)):
        unknown = [name for name in group if name not in axes_lengths]
        if len(group) == 1 and not unknown:
            sizes[group[0]] = axes_lengths[group[0]]
        elif len(group) == 1:
            sizes[group[0]] = size
        elif len(unknown) > 1 or (unknown and size is None):
            raise ValueError(UNKNOWN_SIZE.format(axis=axis, size=size, group=group, example=unknown[0],
                                                 lengths=axes_lengths))
        else:
            known = math.prod(int(axes_lengths[name]) for name in group if name not in unknown)
            for name in group:
                sizes[name] = int(axes_lengths[name]) if name not in unknown else size // known
    order = tuple(names_in.index(name) for name in names_out)

    def merged(group):
        values = [sizes[name] for name in group]
        return None if None in values else math.prod(values)

    return [sizes[name] for name in names_in], order, tuple(merged(group) for group in outputs)


def _rearrange_spec(tensor, pattern, **axes_lengths) -> KerasTensor:
    _, _, out_shape = _plan(shape_of(tensor), pattern, axes_lengths)
    return KerasTensor(out_shape, dtype_of(tensor))


@op(_rearrange_spec)
def rearrange(tensor: TensorLike, pattern: str, **axes_lengths: int) -> Tensor:
    """Axes of `tensor` split, reordered and merged as an einops pattern says.

    The left side names each axis of `tensor`; a parenthesized group names the parts an axis splits into. The
    right side lists the same names in the output order, grouping the ones to merge.

    Args:
        tensor: input tensor.
        pattern: e.g. `"b h w c -> b c h w"` (transpose), `"b h w c -> b (h w c)"` (flatten),
            `"b (h h1) w c -> b h (w h1) c"` (split and merge).
        **axes_lengths: sizes of split parts, all but one part of each split group.

    Returns:
        The rearranged tensor, in the dtype of `tensor`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> images = np.zeros((2, 4, 6, 3))
        >>> tuple(ops.shape(ops.rearrange(images, "b h w c -> b c h w")))
        (2, 3, 4, 6)
        >>> tuple(ops.shape(ops.rearrange(images, "b (h h1) (w w1) c -> b h w (c h1 w1)", h1=2, w1=2)))
        (2, 2, 3, 12)
    """
    # The argument is named `tensor`, as in Keras 3; the conversion function is reached through its module.
    x = _dispatch.tensor(tensor)
    sizes, order, out_shape = _plan(shape_of(x), pattern, axes_lengths)
    x = _np.reshape(x, tuple(sizes))
    if order != tuple(range(len(order))):
        x = _np.transpose(x, order)
    return _np.reshape(x, out_shape)


__all__ = ["rearrange"]
