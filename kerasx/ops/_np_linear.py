"""Products and matrix structure: matmul, dot, einsum, tensordot, inner/outer/vdot, cross, kron, vander, diagonals,
triangles and trace."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, promote, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import accumulator_dtype, ndim_of, promote_pair, weak_dtype

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
def matmul(x1, x2):
    """Matrix product with NumPy's rules: batch dimensions broadcast; 1-D inputs act as vectors.

    Args:
        x1: tensor of shape `(..., n, k)` or `(k,)`. x2: tensor of shape `(..., k, m)` or `(k,)`.
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
def tensordot(x1, x2, axes=2):
    """Sum of products over `axes`: an int N (last N of x1 with first N of x2) or a pair of axis lists."""
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


@op(lambda x1, x2: KerasTensor(_dot_shape(tuple(shape_of(x1)), tuple(shape_of(x2))), _binary_dtype(x1, x2)))
def dot(x1, x2):
    """NumPy's dot: products of scalars, inner product of vectors, else a sum over the last axis of `x1` and the
    second-to-last axis of `x2` (the last, if `x2` is 1-D)."""
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


@op(lambda x1, x2: KerasTensor(_inner_shape(tuple(shape_of(x1)), tuple(shape_of(x2))), _binary_dtype(x1, x2)))
def inner(x1, x2):
    """Sum of products over the last axes of `x1` and `x2` (a product for scalars)."""
    x1, x2 = promote(x1, x2)
    shape1, shape2 = tuple(shape_of(x1)), tuple(shape_of(x2))
    _inner_shape(shape1, shape2)
    if not shape1 or not shape2:
        return _np.multiply(x1, x2)
    return _np.tensordot(x1, x2, axes=((len(shape1) - 1,), (len(shape2) - 1,)))


def _flat(shape):
    size = 1
    for d in shape:
        if d is None:
            return None
        size *= d
    return size


@op(lambda x1, x2: KerasTensor((_flat(shape_of(x1)), _flat(shape_of(x2))), _binary_dtype(x1, x2)))
def outer(x1, x2):
    """Outer product of `x1` and `x2`, both flattened: shape `(x1.size, x2.size)`."""
    x1, x2 = promote(x1, x2)
    return _np.multiply(_np.reshape(x1, (-1, 1)), _np.reshape(x2, (1, -1)))


@op(lambda x1, x2: KerasTensor((), _binary_dtype(x1, x2)))
def vdot(x1, x2):
    """Dot product of `x1` and `x2` flattened (real tensors: no conjugation needed)."""
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
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors (2-vectors count as having z = 0; two 2-vectors give the z component only).

    Args:
        x1, x2: tensors whose vector axes (`axisa`, `axisb`) have 2 or 3 entries; other axes broadcast.
        axisc: where the vector axis goes in the result. axis: overrides all three.
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


@op(lambda x1, x2: KerasTensor(_kron_shape(shape_of(x1), shape_of(x2))[0], _binary_dtype(x1, x2)))
def kron(x1, x2):
    """Kronecker product: blocks `x1[i, j, ...] * x2`."""
    x1, x2 = promote(x1, x2)
    shape, shape1, shape2 = _kron_shape(shape_of(x1), shape_of(x2))
    ndim = len(shape)
    # Interleave axes: x1 gets size-1 axes after each of its axes, x2 before each; their product is then
    # (a0, b0, a1, b1, ...), which merges into (a0*b0, a1*b1, ...).
    a = _np.reshape(x1, tuple(d for pair in zip(shape1, (1,) * ndim) for d in pair))
    b = _np.reshape(x2, tuple(d for pair in zip((1,) * ndim, shape2) for d in pair))
    return _np.reshape(_np.multiply(a, b), shape)


def _vander_spec(x, N=None, increasing=False):
    n = shape_of(x)[0]
    return KerasTensor((n, n if N is None else N), dtype_of(x))


@op(_vander_spec)
def vander(x, N=None, increasing=False):
    """Vandermonde matrix of the 1-D `x`: columns are powers of `x` (decreasing unless `increasing`)."""
    x = tensor(x)
    if ndim_of(x) != 1:
        raise ValueError(f"`vander` needs a 1-D tensor. Received: x of shape {shape_of(x)}.")
    columns = shape_of(x)[0] if N is None else int(N)
    powers = _np.arange(0, columns, 1, dtype=dtype_of(x))
    if not increasing:
        powers = _np.flip(powers, axis=(0,))
    return _np.power(_np.reshape(x, (-1, 1)), _np.reshape(powers, (1, -1)))


def _diagonal_shape(shape, offset, axis1, axis2):
    a = _specs.normalize_axis(axis1, len(shape), "axis1")[0]
    b = _specs.normalize_axis(axis2, len(shape), "axis2")[0]
    if a == b:
        raise ValueError(f"`axis1` and `axis2` must differ. Received: axis1={axis1}, axis2={axis2}.")
    rows, cols = shape[a], shape[b]
    if rows is None or cols is None:
        length = None
    else:
        length = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
    return tuple(d for i, d in enumerate(shape) if i not in (a, b)) + (length,), a, b


def _diagonal_spec(x, offset=0, axis1=0, axis2=1):
    return KerasTensor(_diagonal_shape(shape_of(x), offset, axis1, axis2)[0], dtype_of(x))


@op(_diagonal_spec)
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The `offset`-th diagonal of the matrices spanned by `axis1` and `axis2`, as the last axis."""
    x = tensor(x)
    _, a, b = _diagonal_shape(shape_of(x), int(offset), axis1, axis2)
    return _np.diagonal(x, offset=int(offset), axis1=a, axis2=b)


def _diag_shape(shape, k):
    if len(shape) == 1:
        n = None if shape[0] is None else shape[0] + abs(k)
        return (n, n)
    if len(shape) == 2:
        return _diagonal_shape(shape, k, 0, 1)[0]
    raise ValueError(f"`diag` needs a 1-D or 2-D tensor. Received: shape {shape}.")


@op(lambda x, k=0: KerasTensor(_diag_shape(tuple(shape_of(x)), k), dtype_of(x)))
def diag(x, k=0):
    """For a 1-D `x`, the square matrix with `x` on its `k`-th diagonal; for a 2-D `x`, its `k`-th diagonal."""
    x = tensor(x)
    _diag_shape(tuple(shape_of(x)), int(k))
    return _np.diag(x, k=int(k))


@op(lambda x, k=0: KerasTensor(_diag_shape((_flat(shape_of(x)),), k), dtype_of(x)))
def diagflat(x, k=0):
    """The square matrix with the flattened `x` on its `k`-th diagonal."""
    return _np.diag(_np.reshape(tensor(x), (-1,)), k=int(k))


def _triangle(name):
    engine = getattr(_np, name)
    part = "on and below" if name == "tril" else "on and above"

    def body(x, k=0):
        x = tensor(x)
        if ndim_of(x) < 2:
            raise ValueError(f"`{name}` needs a tensor of at least 2 dimensions. Received: shape {shape_of(x)}.")
        return engine(x, k=int(k))

    body.__name__ = body.__qualname__ = name
    body.__doc__ = f"`x` with the elements {part} the `k`-th diagonal of its last two axes kept, others zeroed."
    return op(_specs.same)(body)


tril = _triangle("tril")
triu = _triangle("triu")


def _trace_spec(x, offset=0, axis1=0, axis2=1):
    shape = _diagonal_shape(shape_of(x), offset, axis1, axis2)[0][:-1]
    return KerasTensor(shape, accumulator_dtype(dtype_of(x)))


@op(_trace_spec)
def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along the `offset`-th diagonal of the matrices spanned by `axis1` and `axis2`.

    Bools and 8/16-bit integers accumulate in (u)int32, as `sum` does.
    """
    x = tensor(x)
    x = convert(x, accumulator_dtype(dtype_of(x)))
    return _np.sum(diagonal(x, offset=offset, axis1=axis1, axis2=axis2), axis=(ndim_of(x) - 2,), keepdims=False)


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
    return KerasTensor(shape, _dtypes.result_type(*(weak_dtype(x) for x in operands)))


@op(_einsum_spec)
def einsum(subscripts, *operands, **kwargs):
    """Einstein summation over `operands` as described by `subscripts` (e.g. "bij,bjk->bik").

    The operands are promoted to their common dtype first.
    """
    operands = promote(*operands)
    _parse_einsum(subscripts, [tuple(shape_of(x)) for x in operands])
    return _np.einsum(subscripts, *operands, **kwargs)


__all__ = [
    "cross",
    "diag",
    "diagflat",
    "diagonal",
    "dot",
    "einsum",
    "inner",
    "kron",
    "matmul",
    "outer",
    "tensordot",
    "trace",
    "tril",
    "triu",
    "vander",
    "vdot",
]
