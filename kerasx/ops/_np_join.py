"""Joining and splitting: concatenate, stack, h/v/dstack, append, split, array_split, h/v/dsplit."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import ndim_of, weak_dtype

_np = active.numpy

BAD_CONCAT = (
    "`{name}` needs tensors with equal shapes except along axis {axis}. Received: shapes {shapes}. "
    "Reshape or broadcast the inputs first."
)
EMPTY_SEQUENCE = "`{name}` needs a non-empty list of tensors. Received: {arg}={value!r}."
UNEVEN_SPLIT = (
    "`split` with an integer number of sections needs the axis size to be divisible by it. Received: "
    "indices_or_sections={sections} for an axis of size {size}. Use `array_split` for uneven pieces."
)


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
        known = {d for d in dims if d is not None}
        if len(known) > 1:
            raise ValueError(BAD_CONCAT.format(name=name, axis=axis, shapes=list(shapes)))
        result.append(known.pop() if known else None)
    return tuple(result), axis


def _concatenate_spec(xs, axis=0):
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
def concatenate(xs, axis=0):
    """Tensors `xs` joined along an existing `axis` (None: flattened first), in their promoted dtype.

    Args:
        xs: list of tensors with equal shapes except along `axis`.
        axis: the axis, or None.
    """
    dtype = _common("concatenate", xs)
    xs = [convert(x, dtype) for x in xs]
    if axis is None:
        xs, axis = [_np.reshape(x, (-1,)) for x in xs], 0
    _, axis = _join_shape("concatenate", [shape_of(x) for x in xs], axis)
    return _np.concatenate(xs, axis=axis)


def _merge_shapes(name, shapes):
    """One shape from equal shapes, where None (unknown) matches any size."""
    if len({len(s) for s in shapes}) > 1:
        raise ValueError(BAD_CONCAT.format(name=name, axis="(new)", shapes=list(shapes)))
    merged = []
    for dims in zip(*shapes):
        known = {d for d in dims if d is not None}
        if len(known) > 1:
            raise ValueError(BAD_CONCAT.format(name=name, axis="(new)", shapes=list(shapes)))
        merged.append(known.pop() if known else None)
    return tuple(merged)


def _stack_spec(x, axis=0):
    dtype = _common("stack", x, "x")
    shape = _merge_shapes("stack", [tuple(shape_of(t)) for t in x])
    axis = _specs.normalize_axis(axis, len(shape) + 1)[0]
    return KerasTensor(shape[:axis] + (len(x),) + shape[axis:], dtype)


@op(_stack_spec)
def stack(x, axis=0):
    """Tensors `x` (equal shapes) joined along a new `axis`, in their promoted dtype."""
    dtype = _common("stack", x, "x")
    x = [convert(t, dtype) for t in x]
    _merge_shapes("stack", [tuple(shape_of(t)) for t in x])
    return _np.stack(x, axis=_specs.normalize_axis(axis, ndim_of(x[0]) + 1)[0])


def _at_least(x, ndim):
    """`x` with size-1 axes added like NumPy's atleast_1d/2d/3d."""
    x = tensor(x)
    shape = tuple(shape_of(x))
    if len(shape) >= ndim:
        return x
    if ndim == 3 and len(shape) == 2:
        return _np.reshape(x, shape + (1,))
    if ndim == 3 and len(shape) == 1:
        return _np.reshape(x, (1,) + shape + (1,))
    return _np.reshape(x, (1,) * (ndim - len(shape)) + shape)


def _at_least_shape(shape, ndim):
    shape = tuple(shape)
    if len(shape) >= ndim:
        return shape
    if ndim == 3 and len(shape) == 2:
        return shape + (1,)
    if ndim == 3 and len(shape) == 1:
        return (1,) + shape + (1,)
    return (1,) * (ndim - len(shape)) + shape


def _stack_along(name, min_ndim, axis_of):
    def spec(xs):
        dtype = _common(name, xs)
        shapes = [_at_least_shape(shape_of(x), min_ndim) for x in xs]
        return KerasTensor(_join_shape(name, shapes, axis_of(shapes))[0], dtype)

    def body(xs):
        dtype = _common(name, xs)
        xs = [_at_least(convert(x, dtype), min_ndim) for x in xs]
        return _np.concatenate(xs, axis=axis_of([shape_of(x) for x in xs]))

    return spec, body


_hstack_spec, _hstack = _stack_along("hstack", 1, lambda shapes: 0 if len(shapes[0]) == 1 else 1)
_vstack_spec, _vstack = _stack_along("vstack", 2, lambda shapes: 0)
_dstack_spec, _dstack = _stack_along("dstack", 3, lambda shapes: 2)


@op(_hstack_spec)
def hstack(xs):
    """Tensors joined column-wise: along axis 1, or axis 0 for 1-D tensors."""
    return _hstack(xs)


@op(_vstack_spec)
def vstack(xs):
    """Tensors joined row-wise: along axis 0 after making 1-D tensors rows."""
    return _vstack(xs)


@op(_dstack_spec)
def dstack(xs):
    """Tensors joined depth-wise: along axis 2 after making them at least 3-D."""
    return _dstack(xs)


def _append_spec(x1, x2, axis=None):
    return _concatenate_spec([x1, x2], axis=axis)


@op(_append_spec)
def append(x1, x2, axis=None):
    """`x2` appended to `x1` along `axis` (None: both flattened)."""
    return concatenate([x1, x2], axis=axis)


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
    for start, stop in zip(edges[:-1], edges[1:]):
        if size is None:
            sizes.append(None if stop is None or start is None else max(stop - start, 0))
            continue
        start, stop = min(start, size), min(stop, size)
        sizes.append(max(stop - max(start, 0), 0))
    if size is None:
        sizes[-1] = None
    return sizes


def _split_spec_with(even):
    def spec(x, indices_or_sections, axis=0):
        shape = list(shape_of(x))
        axis = _specs.normalize_axis(axis, len(shape))[0]
        points = _split_indices(shape[axis], indices_or_sections, even)
        pieces = []
        for piece in _piece_sizes(shape[axis], points):
            shape[axis] = piece
            pieces.append(KerasTensor(tuple(shape), dtype_of(x)))
        return pieces

    return spec


@op(_split_spec_with(True))
def split(x, indices_or_sections, axis=0):
    """`x` split along `axis` into a list of tensors.

    Args:
        x: input tensor.
        indices_or_sections: an int N (N equal pieces; the size must be divisible) or a list of split indices.
        axis: the axis.
    """
    x = tensor(x)
    axis = _specs.normalize_axis(axis, ndim_of(x))[0]
    return _np.split(x, _split_indices(shape_of(x)[axis], indices_or_sections, True), axis=axis)


@op(_split_spec_with(False))
def array_split(x, indices_or_sections, axis=0):
    """Like `split`, but N sections need not divide the size: the first `size % N` pieces get one more element."""
    x = tensor(x)
    axis = _specs.normalize_axis(axis, ndim_of(x))[0]
    return _np.split(x, _split_indices(shape_of(x)[axis], indices_or_sections, False), axis=axis)


def _hsplit_axis(x):
    return 0 if ndim_of(x) == 1 else 1


@op(lambda x, indices_or_sections: _split_spec_with(True)(x, indices_or_sections, _hsplit_axis(x)))
def hsplit(x, indices_or_sections):
    """`split` along axis 1 (axis 0 for 1-D tensors)."""
    return split(x, indices_or_sections, axis=_hsplit_axis(x))


@op(lambda x, indices_or_sections: _split_spec_with(True)(x, indices_or_sections, 0))
def vsplit(x, indices_or_sections):
    """`split` along axis 0 (for tensors of at least 2 dimensions)."""
    return split(x, indices_or_sections, axis=0)


@op(lambda x, indices_or_sections: _split_spec_with(True)(x, indices_or_sections, 2))
def dsplit(x, indices_or_sections):
    """`split` along axis 2 (for tensors of at least 3 dimensions)."""
    return split(x, indices_or_sections, axis=2)


__all__ = [
    "append",
    "array_split",
    "concatenate",
    "dsplit",
    "dstack",
    "hsplit",
    "hstack",
    "split",
    "stack",
    "vsplit",
    "vstack",
]
