"""Products: matmul, dot, tensordot, inner, outer, vdot, cross, kron and einsum.

The operands are promoted to their common dtype; contracted dimensions must agree (checked statically, so a
symbolic call raises the same error as an eager one).
"""

from __future__ import annotations

from typing import Any

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, promote, shape_of
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import promote_pair, static_size, weak_dtype
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

MATMUL_SCALAR = "`matmul` does not take scalars; use `multiply`. Received: shapes {shape1} and {shape2}."

MISMATCH = "`{name}`: the contracted dimensions differ. Received: shapes {shape1} and {shape2} ({detail})."

BAD_CROSS = "`cross` needs vectors of 2 or 3 components along the chosen axes. Received: shapes {shape1} and {shape2}."

BAD_EINSUM = "Invalid einsum subscripts. Received: subscripts={subscripts!r} for operands of shapes {shapes}. {detail}"


def _check_equal(name, a, b, shape1, shape2, detail):
    if a is not None and b is not None and a != b:
        raise ValueError(MISMATCH.format(name=name, shape1=shape1, shape2=shape2, detail=detail))



def _binary_dtype(x1, x2):
    return _dtypes.result_type(weak_dtype(x1), weak_dtype(x2))



def _matmul_shape(shape1, shape2):
    if not shape1 or not shape2:
        raise ValueError(MATMUL_SCALAR.format(shape1=shape1, shape2=shape2))
    a = (1,) + tuple(shape1) if len(shape1) == 1 else tuple(shape1)
    b = tuple(shape2) + (1,) if len(shape2) == 1 else tuple(shape2)
    _check_equal("matmul", a[-1], b[-2], shape1, shape2, "x1.shape[-1] must equal x2.shape[-2]")
    batch = _specs.broadcast_shapes(a[:-2], b[:-2])
    rows = () if len(shape1) == 1 else (a[-2],)
    cols = () if len(shape2) == 1 else (b[-1],)
    return batch + rows + cols



def _matmul_spec(x1, x2):
    return KerasTensor(_matmul_shape(shape_of(x1), shape_of(x2)), _binary_dtype(x1, x2))


@op(_matmul_spec)
def matmul(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Matrix product of two tensors, with NumPy's rules.

    The last two axes hold the matrices and the leading (batch) axes broadcast. A 1-D `x1` acts as a row vector and
    a 1-D `x2` as a column vector; their added axis is removed from the result. Scalars are not allowed (use
    `multiply`).

    Args:
        x1: a tensor of shape `(..., n, k)` or `(k,)`.
        x2: a tensor of shape `(..., k, m)` or `(k,)`.

    Returns:
        A tensor of shape `(..., n, m)` (without `n` or `m` for 1-D inputs), in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.matmul([[1, 2], [3, 4]], [[5], [6]]))
        array([[17],
               [39]], dtype=int32)
    """
    x1, x2 = promote_pair(x1, x2)
    shape1, shape2 = x1.shape, x2.shape
    # Only the cheap checks on this hot path; batch dimensions that do not broadcast fail in the engine.
    if not len(shape1) or not len(shape2):
        raise ValueError(MATMUL_SCALAR.format(shape1=tuple(shape1), shape2=tuple(shape2)))
    inner = shape2[0] if len(shape2) == 1 else shape2[-2]
    _check_equal("matmul", shape1[-1], inner, tuple(shape1), tuple(shape2), "x1.shape[-1] must equal x2.shape[-2]")
    return _np.matmul(x1, x2)


def _tensordot_axes(shape1, shape2, axes):
    """`axes` as two tuples of non-negative axes (contracted axes of x1 and of x2)."""
    if isinstance(axes, int):
        if axes < 0 or axes > min(len(shape1), len(shape2)):
            raise ValueError(f"`tensordot` axes must be in [0, min(ndims)]. Received: axes={axes}.")
        return tuple(range(len(shape1) - axes, len(shape1))), tuple(range(axes))
    first, second = axes
    first = _specs.normalize_axis(first, len(shape1), "axes")
    second = _specs.normalize_axis(second, len(shape2), "axes")
    if len(first) != len(second):
        raise ValueError(f"`tensordot` needs as many axes for x1 as for x2. Received: axes={axes}.")
    return first, second



def _tensordot_shape(shape1, shape2, axes):
    first, second = _tensordot_axes(shape1, shape2, axes)
    for a, b in zip(first, second):
        _check_equal("tensordot", shape1[a], shape2[b], shape1, shape2, f"axes {a} and {b}")
    kept1 = tuple(d for i, d in enumerate(shape1) if i not in first)
    kept2 = tuple(d for i, d in enumerate(shape2) if i not in second)
    return kept1 + kept2, (first, second)



def _tensordot_spec(x1, x2, axes=2):
    shape, _ = _tensordot_shape(tuple(shape_of(x1)), tuple(shape_of(x2)), axes)
    return KerasTensor(shape, _binary_dtype(x1, x2))


@op(_tensordot_spec)
def tensordot(x1: TensorLike, x2: TensorLike, axes: int | tuple = 2) -> Tensor:
    """Sum of products over chosen axes of `x1` and `x2` (a generalized matrix product).

    Args:
        x1: a tensor.
        x2: a tensor.
        axes: an int N, contracting the last N axes of `x1` with the first N axes of `x2`; or a pair
            `(axes_of_x1, axes_of_x2)` of equally long axis lists, contracted pairwise.

    Returns:
        A tensor with the remaining axes of `x1` followed by those of `x2`, in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.tensordot([[1, 2], [3, 4]], [[1, 0], [0, 1]], axes=2))
        array(5, dtype=int32)
    """
    x1, x2 = promote(x1, x2)
    _, pairs = _tensordot_shape(tuple(shape_of(x1)), tuple(shape_of(x2)), axes)
    return _np.tensordot(x1, x2, axes=pairs)


def _dot_shape(shape1, shape2):
    if not shape1 or not shape2:
        return _specs.broadcast_shapes(shape1, shape2)
    if len(shape2) == 1:
        _check_equal("dot", shape1[-1], shape2[0], shape1, shape2, "x1.shape[-1] must equal x2.shape[0]")
        return tuple(shape1[:-1])
    _check_equal("dot", shape1[-1], shape2[-2], shape1, shape2, "x1.shape[-1] must equal x2.shape[-2]")
    return tuple(shape1[:-1]) + tuple(shape2[:-2]) + tuple(shape2[-1:])


def _dot_spec(x1, x2) -> KerasTensor:
    return KerasTensor(_dot_shape(tuple(shape_of(x1)), tuple(shape_of(x2))), _binary_dtype(x1, x2))


@op(_dot_spec)
def dot(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Dot product with NumPy's rules.

    Two scalars multiply; two vectors give their inner product; otherwise the sum runs over the last axis of `x1`
    and the second-to-last axis of `x2` (its only axis, if `x2` is 1-D).

    Args:
        x1: a tensor or Python number.
        x2: a tensor or Python number.

    Returns:
        A tensor in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.dot([1, 2, 3], [4, 5, 6]))
        array(32, dtype=int32)
    """
    x1, x2 = promote(x1, x2)
    shape1, shape2 = tuple(shape_of(x1)), tuple(shape_of(x2))
    _dot_shape(shape1, shape2)
    if not shape1 or not shape2:
        return _np.multiply(x1, x2)
    contracted = 0 if len(shape2) == 1 else len(shape2) - 2
    return _np.tensordot(x1, x2, axes=((len(shape1) - 1,), (contracted,)))


def _inner_shape(shape1, shape2):
    if not shape1 or not shape2:
        return _specs.broadcast_shapes(shape1, shape2)
    _check_equal("inner", shape1[-1], shape2[-1], shape1, shape2, "last dimensions must match")
    return tuple(shape1[:-1]) + tuple(shape2[:-1])


def _inner_spec(x1, x2) -> KerasTensor:
    return KerasTensor(_inner_shape(tuple(shape_of(x1)), tuple(shape_of(x2))), _binary_dtype(x1, x2))


@op(_inner_spec)
def inner(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Inner product: the sum of products over the last axes of `x1` and `x2` (a product for scalars).

    Args:
        x1: a tensor of shape `(..., n)`, or a number.
        x2: a tensor of shape `(..., n)`, or a number.

    Returns:
        A tensor of shape `x1.shape[:-1] + x2.shape[:-1]`, in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.inner([[1, 2], [3, 4]], [1, 1]))
        array([3, 7], dtype=int32)
    """
    x1, x2 = promote(x1, x2)
    shape1, shape2 = tuple(shape_of(x1)), tuple(shape_of(x2))
    _inner_shape(shape1, shape2)
    if not shape1 or not shape2:
        return _np.multiply(x1, x2)
    return _np.tensordot(x1, x2, axes=((len(shape1) - 1,), (len(shape2) - 1,)))


def _outer_spec(x1, x2) -> KerasTensor:
    return KerasTensor((static_size(shape_of(x1)), static_size(shape_of(x2))), _binary_dtype(x1, x2))


@op(_outer_spec)
def outer(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Outer product: every element of `x1` times every element of `x2` (both flattened first).

    Args:
        x1: a tensor.
        x2: a tensor.

    Returns:
        A tensor of shape `(x1.size, x2.size)`, in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.outer([1, 2], [1, 10, 100]))
        array([[  1,  10, 100],
               [  2,  20, 200]], dtype=int32)
    """
    x1, x2 = promote(x1, x2)
    return _np.multiply(_np.reshape(x1, (-1, 1)), _np.reshape(x2, (1, -1)))


def _vdot_spec(x1, x2) -> KerasTensor:
    return KerasTensor((), _binary_dtype(x1, x2))


@op(_vdot_spec)
def vdot(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Dot product of `x1` and `x2` flattened (real tensors need no conjugation).

    Args:
        x1: a tensor.
        x2: a tensor with as many elements as `x1`.

    Returns:
        A scalar tensor in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.vdot([[1, 2], [3, 4]], [[1, 1], [1, 1]]))
        array(10, dtype=int32)
    """
    x1, x2 = promote(x1, x2)
    return _np.tensordot(_np.reshape(x1, (-1,)), _np.reshape(x2, (-1,)), axes=((0,), (0,)))


def _cross_layout(shape1, shape2, axisa, axisb, axisc, axis):
    if axis is not None:
        axisa = axisb = axisc = axis
    a = _specs.normalize_axis(axisa, len(shape1), "axisa")[0]
    b = _specs.normalize_axis(axisb, len(shape2), "axisb")[0]
    # An unknown vector size (symbolic inputs) is taken to be 3, the common case.
    n1, n2 = (3 if n is None else n for n in (shape1[a], shape2[b]))
    if n1 not in (2, 3) or n2 not in (2, 3):
        raise ValueError(BAD_CROSS.format(shape1=shape1, shape2=shape2))
    batch = _specs.broadcast_shapes(
        tuple(d for i, d in enumerate(shape1) if i != a), tuple(d for i, d in enumerate(shape2) if i != b)
    )
    if n1 == 2 and n2 == 2:
        return a, b, None, batch
    c = _specs.normalize_axis(axisc, len(batch) + 1, "axisc")[0]
    return a, b, c, batch[:c] + (3,) + batch[c:]



def _cross_spec(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    *_, shape = _cross_layout(tuple(shape_of(x1)), tuple(shape_of(x2)), axisa, axisb, axisc, axis)
    return KerasTensor(shape, _binary_dtype(x1, x2))


@op(_cross_spec)
def cross(
    x1: TensorLike,
    x2: TensorLike,
    axisa: int = -1,
    axisb: int = -1,
    axisc: int = -1,
    axis: int | None = None,
) -> Tensor:
    """Cross product of 3-vectors, batched over the other axes.

    2-vectors count as having a zero third component; two 2-vectors give only the z component (a scalar per
    pair).

    Args:
        x1: a tensor whose axis `axisa` holds vectors of 2 or 3 components.
        x2: a tensor whose axis `axisb` holds vectors of 2 or 3 components; the other axes broadcast against
            those of `x1`.
        axisa: the vector axis of `x1`.
        axisb: the vector axis of `x2`.
        axisc: where the vector axis goes in the result.
        axis: if given, overrides `axisa`, `axisb` and `axisc`.

    Returns:
        A tensor in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]))
        array([0., 0., 1.], dtype=float32)
    """
    x1, x2 = promote(x1, x2)
    a, b, c, _ = _cross_layout(tuple(shape_of(x1)), tuple(shape_of(x2)), axisa, axisb, axisc, axis)
    u = _np.moveaxis(x1, (a,), (0,))
    v = _np.moveaxis(x2, (b,), (0,))
    u_parts = [_np.get_item(u, i) for i in range(shape_of(u)[0])]
    v_parts = [_np.get_item(v, i) for i in range(shape_of(v)[0])]
    if len(u_parts) == 2 and len(v_parts) == 2:
        return _np.subtract(_np.multiply(u_parts[0], v_parts[1]), _np.multiply(u_parts[1], v_parts[0]))
    zero = convert(0, dtype_of(x1))
    u0, u1, u2 = u_parts + [zero] * (3 - len(u_parts))
    v0, v1, v2 = v_parts + [zero] * (3 - len(v_parts))
    components = [
        _np.subtract(_np.multiply(u1, v2), _np.multiply(u2, v1)),
        _np.subtract(_np.multiply(u2, v0), _np.multiply(u0, v2)),
        _np.subtract(_np.multiply(u0, v1), _np.multiply(u1, v0)),
    ]
    shape = _specs.broadcast_shapes(*(tuple(shape_of(t)) for t in components))
    return _np.stack([_np.broadcast_to(t, shape) for t in components], axis=c)


def _kron_shape(shape1, shape2):
    ndim = max(len(shape1), len(shape2))
    shape1 = (1,) * (ndim - len(shape1)) + tuple(shape1)
    shape2 = (1,) * (ndim - len(shape2)) + tuple(shape2)
    return tuple(None if a is None or b is None else a * b for a, b in zip(shape1, shape2)), shape1, shape2


def _kron_spec(x1, x2) -> KerasTensor:
    return KerasTensor(_kron_shape(shape_of(x1), shape_of(x2))[0], _binary_dtype(x1, x2))


@op(_kron_spec)
def kron(x1: TensorLike, x2: TensorLike) -> Tensor:
    """Kronecker product: a block tensor whose block `(i, j, ...)` is `x1[i, j, ...] * x2`.

    Args:
        x1: a tensor.
        x2: a tensor (the shorter shape is padded with leading 1s).

    Returns:
        A tensor whose sizes are the products of the inputs' sizes, in the promoted dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.kron([[1, 2]], [[1], [10]]))
        array([[ 1,  2],
               [10, 20]], dtype=int32)
    """
    x1, x2 = promote(x1, x2)
    shape, shape1, shape2 = _kron_shape(shape_of(x1), shape_of(x2))
    ndim = len(shape)
    # Interleave axes: x1 gets size-1 axes after each of its axes, x2 before each; their product is then
    # (a0, b0, a1, b1, ...), which merges into (a0*b0, a1*b1, ...).
    a = _np.reshape(x1, tuple(d for pair in zip(shape1, (1,) * ndim) for d in pair))
    b = _np.reshape(x2, tuple(d for pair in zip((1,) * ndim, shape2) for d in pair))
    return _np.reshape(_np.multiply(a, b), shape)


def _parse_einsum(subscripts, shapes):
    """Output shape of an einsum, with NumPy's implicit mode (no '->': letters used once, in order)."""
    spec = subscripts.replace(" ", "")
    inputs, _, output = spec.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(BAD_EINSUM.format(subscripts=subscripts, shapes=shapes, detail="Wrong number of operands."))
    sizes, counts, ellipsis_shapes = {}, {}, []
    for term, shape in zip(terms, shapes):
        before, has_ellipsis, after = term.partition("...")
        n_ellipsis = len(shape) - len(before) - len(after)
        if n_ellipsis < 0 or (n_ellipsis and not has_ellipsis):
            detail = f"Term {term!r} does not match rank {len(shape)}."
            raise ValueError(BAD_EINSUM.format(subscripts=subscripts, shapes=shapes, detail=detail))
        if has_ellipsis:
            ellipsis_shapes.append(tuple(shape[len(before) : len(before) + n_ellipsis]))
        named = list(zip(before, shape[: len(before)])) + list(zip(after, shape[len(shape) - len(after) :]))
        for letter, size in named:
            counts[letter] = counts.get(letter, 0) + 1
            previous = sizes.get(letter)
            if previous not in (None, 1) and size not in (None, 1) and previous != size:
                detail = f"Index {letter!r} has sizes {previous} and {size}."
                raise ValueError(BAD_EINSUM.format(subscripts=subscripts, shapes=shapes, detail=detail))
            if previous is None or previous == 1:
                sizes[letter] = size
    ellipsis = _specs.broadcast_shapes(*ellipsis_shapes) if ellipsis_shapes else ()
    if "->" not in spec:
        output = ("..." if ellipsis_shapes else "") + "".join(sorted(k for k, v in counts.items() if v == 1))
    before, _, after = output.partition("...")
    return tuple(sizes[c] for c in before) + (ellipsis if "..." in output else ()) + tuple(sizes[c] for c in after)



def _einsum_spec(subscripts, *operands, **kwargs):
    shape = _parse_einsum(subscripts, [tuple(shape_of(x)) for x in operands])
    return KerasTensor(shape, _einsum_dtype(operands))


def _einsum_dtype(operands) -> str:
    # int8 operands alone sum in int32, as in Keras 3 (JAX's rule), so that products of int8 values do not wrap.
    dtypes = {weak_dtype(x) for x in operands}
    return "int32" if dtypes == {"int8"} else _dtypes.result_type(*dtypes)


@op(_einsum_spec)
def einsum(subscripts: str, *operands: TensorLike, **kwargs: Any) -> Tensor:
    """Einstein summation: products of `operands` summed over the indices that `subscripts` leaves out.

    `subscripts` names the axes of each operand with letters, e.g. `"bij,bjk->bik"` for a batched matrix product;
    letters missing after `->` are summed over, and without `->` the output has the letters used once, in
    alphabetical order. `...` stands for broadcast axes. The operands are promoted to their common dtype.

    Args:
        subscripts: the summation, e.g. `"ij,jk->ik"`.
        *operands: the tensors, one per comma-separated term.
        **kwargs: passed to the engine's einsum.

    Returns:
        A tensor in the promoted dtype (int32 when every operand is int8).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.einsum("ij,jk->ik", [[1, 2]], [[3], [4]]))
        array([[11]], dtype=int32)
        >>> ops.convert_to_numpy(ops.einsum("ii", [[1.0, 2.0], [3.0, 4.0]]))
        array(5., dtype=float32)
    """
    dtype = _einsum_dtype(operands)
    operands = tuple(convert(x, dtype) for x in operands)
    _parse_einsum(subscripts, [tuple(shape_of(x)) for x in operands])
    result = _np.einsum(subscripts, *operands, **kwargs)
    # torch sums integer and bool axes in int64; the documented dtype is the promoted one.
    return result if dtype_of(result) == dtype else convert(result, dtype)


__all__ = ["cross", "dot", "einsum", "inner", "kron", "matmul", "outer", "tensordot", "vdot"]
