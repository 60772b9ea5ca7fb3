"""Splitting a tensor into a list of pieces along an axis: split, array_split and the h/v/dsplit shorthands."""

from __future__ import annotations

import itertools

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import ndim_of
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

UNEVEN_SPLIT = (
    "`split` with an integer number of sections needs the axis size to be divisible by it. Received: "
    "indices_or_sections={sections} for an axis of size {size}. Use `array_split` for uneven pieces."
)

Sections = int | list[int] | tuple[int, ...]


def _split_indices(size, indices_or_sections, even: bool):
    """Split points along an axis of static `size` for `split` (even) / `array_split` (uneven allowed)."""
    if isinstance(indices_or_sections, int):
        sections = indices_or_sections
        if sections <= 0:
            raise ValueError(f"The number of sections must be positive. Received: indices_or_sections={sections}.")
        if size is None:
            return sections
        if even and size % sections:
            raise ValueError(UNEVEN_SPLIT.format(sections=sections, size=size))
        base, extra = divmod(size, sections)
        points, total = [], 0
        for i in range(sections - 1):
            total += base + (1 if i < extra else 0)
            points.append(total)
        return points
    return [int(i) for i in indices_or_sections]


def _piece_sizes(size, points):
    if isinstance(points, int):
        return [None] * points
    edges = [0] + list(points) + [size]
    sizes = []
    for start, stop in itertools.pairwise(edges):
        if size is None:
            sizes.append(None if stop is None or start is None else max(stop - start, 0))
            continue
        start, stop = min(start, size), min(stop, size)
        sizes.append(max(stop - max(start, 0), 0))
    if size is None:
        sizes[-1] = None
    return sizes


def _pieces_spec(x, indices_or_sections, axis, even: bool) -> list:
    shape = list(shape_of(x))
    axis = _specs.normalize_axis(axis, len(shape))[0]
    points = _split_indices(shape[axis], indices_or_sections, even)
    pieces = []
    for piece in _piece_sizes(shape[axis], points):
        shape[axis] = piece
        pieces.append(KerasTensor(tuple(shape), dtype_of(x)))
    return pieces


def _split_along(x, indices_or_sections, axis, even: bool) -> list:
    x = tensor(x)
    axis = _specs.normalize_axis(axis, ndim_of(x))[0]
    return _np.split(x, _split_indices(shape_of(x)[axis], indices_or_sections, even), axis=axis)


def _hsplit_axis(x) -> int:
    return 0 if ndim_of(x) == 1 else 1


def _split_spec(x, indices_or_sections, axis=0) -> list:
    return _pieces_spec(x, indices_or_sections, axis, even=True)


@op(_split_spec)
def split(x: TensorLike, indices_or_sections: Sections, axis: int = 0) -> list[Tensor]:
    """Splits `x` along `axis` into a list of tensors.

    Args:
        x: input tensor.
        indices_or_sections: an int N, for N equal pieces (the axis size must be divisible by N; see
            `array_split` otherwise), or a list of the indices at which to cut.
        axis: the axis to split along.

    Returns:
        A list of tensors of the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> [ops.convert_to_numpy(p).tolist() for p in ops.split([1, 2, 3, 4, 5, 6], 3)]
        [[1, 2], [3, 4], [5, 6]]
        >>> [ops.convert_to_numpy(p).tolist() for p in ops.split([1, 2, 3, 4, 5, 6], [1, 4])]
        [[1], [2, 3, 4], [5, 6]]
    """
    x = tensor(x)
    axis = _specs.normalize_axis(axis, ndim_of(x))[0]
    return _np.split(x, _split_indices(shape_of(x)[axis], indices_or_sections, True), axis=axis)


def _array_split_spec(x, indices_or_sections, axis=0) -> list:
    return _pieces_spec(x, indices_or_sections, axis, even=False)


@op(_array_split_spec)
def array_split(x: TensorLike, indices_or_sections: Sections, axis: int = 0) -> list[Tensor]:
    """Splits `x` along `axis` like `split`, but N sections need not divide the axis size.

    With N sections of an axis of size `s`, the first `s % N` pieces get one element more than the others.

    Args:
        x: input tensor.
        indices_or_sections: an int N (the number of pieces) or a list of the indices at which to cut.
        axis: the axis to split along.

    Returns:
        A list of tensors of the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> [ops.convert_to_numpy(p).tolist() for p in ops.array_split([1, 2, 3, 4, 5], 3)]
        [[1, 2], [3, 4], [5]]
    """
    x = tensor(x)
    axis = _specs.normalize_axis(axis, ndim_of(x))[0]
    return _np.split(x, _split_indices(shape_of(x)[axis], indices_or_sections, False), axis=axis)


def _hsplit_spec(x, indices_or_sections) -> list:
    return _pieces_spec(x, indices_or_sections, _hsplit_axis(x), even=True)


@op(_hsplit_spec)
def hsplit(x: TensorLike, indices_or_sections: Sections) -> list[Tensor]:
    """Splits `x` column-wise: `split` along axis 1, or axis 0 for a 1-D tensor.

    Args:
        x: input tensor.
        indices_or_sections: an int N (N equal pieces) or a list of the indices at which to cut.

    Returns:
        A list of tensors of the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> [ops.convert_to_numpy(p).tolist() for p in ops.hsplit([[1, 2, 3, 4]], 2)]
        [[[1, 2]], [[3, 4]]]
    """
    return _split_along(x, indices_or_sections, _hsplit_axis(x), even=True)


def _vsplit_spec(x, indices_or_sections) -> list:
    return _pieces_spec(x, indices_or_sections, 0, even=True)


@op(_vsplit_spec)
def vsplit(x: TensorLike, indices_or_sections: Sections) -> list[Tensor]:
    """Splits `x` row-wise: `split` along axis 0 (for tensors of at least 2 dimensions).

    Args:
        x: input tensor.
        indices_or_sections: an int N (N equal pieces) or a list of the indices at which to cut.

    Returns:
        A list of tensors of the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> [ops.convert_to_numpy(p).tolist() for p in ops.vsplit([[1, 2], [3, 4]], 2)]
        [[[1, 2]], [[3, 4]]]
    """
    return _split_along(x, indices_or_sections, 0, even=True)


def _dsplit_spec(x, indices_or_sections) -> list:
    return _pieces_spec(x, indices_or_sections, 2, even=True)


@op(_dsplit_spec)
def dsplit(x: TensorLike, indices_or_sections: Sections) -> list[Tensor]:
    """Splits `x` depth-wise: `split` along axis 2 (for tensors of at least 3 dimensions).

    Args:
        x: input tensor.
        indices_or_sections: an int N (N equal pieces) or a list of the indices at which to cut.

    Returns:
        A list of tensors of the dtype of `x`.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> [tuple(p.shape) for p in ops.dsplit(np.zeros((1, 2, 4)), 2)]
        [(1, 2, 2), (1, 2, 2)]
    """
    return _split_along(x, indices_or_sections, 2, even=True)


__all__ = ["array_split", "dsplit", "hsplit", "split", "vsplit"]
