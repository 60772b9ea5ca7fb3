"""Matrix structure: Vandermonde matrices, diagonals, triangles and traces."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.ops import _specs
from kerasx.ops._dispatch import convert, dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._np_common import accumulator_dtype, ndim_of, static_size
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy

NOT_MATRIX = "`{name}` needs a tensor of at least 2 dimensions. Received: shape {shape}."


def _vander_spec(x, N=None, increasing=False):
    n = shape_of(x)[0]
    return KerasTensor((n, n if N is None else N), dtype_of(x))


@op(_vander_spec)
def vander(x: TensorLike, N: int | None = None, increasing: bool = False) -> Tensor:
    """Vandermonde matrix of a 1-D `x`: its columns are powers of `x`.

    Args:
        x: a 1-D tensor.
        N: the number of columns; None means `len(x)`.
        increasing: powers `0, 1, ..., N-1` from left to right (default: decreasing, as NumPy).

    Returns:
        A tensor of shape `(len(x), N)` in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.vander([1, 2, 3]))
        array([[1, 1, 1],
               [4, 2, 1],
               [9, 3, 1]], dtype=int32)
    """
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
def diagonal(x: TensorLike, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The `offset`-th diagonal of the matrices spanned by `axis1` and `axis2`, as a new last axis.

    Args:
        x: a tensor of at least 2 dimensions.
        offset: 0 for the main diagonal, positive above it, negative below it.
        axis1: the row axis of the matrices.
        axis2: the column axis of the matrices.

    Returns:
        `x` without `axis1` and `axis2`, with the diagonal entries appended as the last axis.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.diagonal([[1, 2, 3], [4, 5, 6]]))
        array([1, 5], dtype=int32)
        >>> ops.convert_to_numpy(ops.diagonal([[1, 2, 3], [4, 5, 6]], offset=1))
        array([2, 6], dtype=int32)
    """
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


def _diag_spec(x, k=0) -> KerasTensor:
    return KerasTensor(_diag_shape(tuple(shape_of(x)), k), dtype_of(x))


@op(_diag_spec)
def diag(x: TensorLike, k: int = 0) -> Tensor:
    """Builds a diagonal matrix from a 1-D `x`, or extracts the diagonal of a 2-D `x`.

    Args:
        x: a 1-D tensor (the diagonal to place) or a 2-D tensor (the matrix to read).
        k: which diagonal: 0 for the main one, positive above it, negative below it.

    Returns:
        For a 1-D `x`, the square matrix with `x` on its `k`-th diagonal and zeros elsewhere; for a 2-D `x`, its
        `k`-th diagonal.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.diag([1, 2]))
        array([[1, 0],
               [0, 2]], dtype=int32)
        >>> ops.convert_to_numpy(ops.diag([[1, 2], [3, 4]]))
        array([1, 4], dtype=int32)
    """
    x = tensor(x)
    _diag_shape(tuple(shape_of(x)), int(k))
    return _np.diag(x, k=int(k))


def _diagflat_spec(x, k=0) -> KerasTensor:
    return KerasTensor(_diag_shape((static_size(shape_of(x)),), k), dtype_of(x))


@op(_diagflat_spec)
def diagflat(x: TensorLike, k: int = 0) -> Tensor:
    """The square matrix with the flattened `x` on its `k`-th diagonal and zeros elsewhere.

    Args:
        x: a tensor of any shape (flattened first).
        k: which diagonal: 0 for the main one, positive above it, negative below it.

    Returns:
        A square matrix of size `x.size + |k|`, in the dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.diagflat([[1, 2]], k=1))
        array([[0, 1, 0],
               [0, 0, 2],
               [0, 0, 0]], dtype=int32)
    """
    return _np.diag(_np.reshape(tensor(x), (-1,)), k=int(k))


@op(_specs.same)
def tril(x: TensorLike, k: int = 0) -> Tensor:
    """Lower triangle of the matrices in the last two axes of `x`: entries above the `k`-th diagonal become 0.

    Args:
        x: a tensor of at least 2 dimensions.
        k: the diagonal above which entries are zeroed (0: main, positive: above it, negative: below it).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.tril([[1, 2, 3], [4, 5, 6], [7, 8, 9]]))
        array([[1, 0, 0],
               [4, 5, 0],
               [7, 8, 9]], dtype=int32)
    """
    x = tensor(x)
    if ndim_of(x) < 2:
        raise ValueError(NOT_MATRIX.format(name="tril", shape=shape_of(x)))
    return _np.tril(x, k=int(k))


@op(_specs.same)
def triu(x: TensorLike, k: int = 0) -> Tensor:
    """Upper triangle of the matrices in the last two axes of `x`: entries below the `k`-th diagonal become 0.

    Args:
        x: a tensor of at least 2 dimensions.
        k: the diagonal below which entries are zeroed (0: main, positive: above it, negative: below it).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.triu([[1, 2, 3], [4, 5, 6], [7, 8, 9]], k=1))
        array([[0, 2, 3],
               [0, 0, 6],
               [0, 0, 0]], dtype=int32)
    """
    x = tensor(x)
    if ndim_of(x) < 2:
        raise ValueError(NOT_MATRIX.format(name="triu", shape=shape_of(x)))
    return _np.triu(x, k=int(k))


def _trace_spec(x, offset=0, axis1=0, axis2=1):
    shape = _diagonal_shape(shape_of(x), offset, axis1, axis2)[0][:-1]
    return KerasTensor(shape, accumulator_dtype(dtype_of(x)))


@op(_trace_spec)
def trace(x: TensorLike, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """Sum along the `offset`-th diagonal of the matrices spanned by `axis1` and `axis2`.

    Bools and 8/16-bit integers are summed in (u)int32, as `sum` does.

    Args:
        x: a tensor of at least 2 dimensions.
        offset: 0 for the main diagonal, positive above it, negative below it.
        axis1: the row axis of the matrices.
        axis2: the column axis of the matrices.

    Returns:
        `x` without `axis1` and `axis2`, in the accumulator dtype.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.trace([[1, 2], [3, 4]]))
        array(5, dtype=int32)
    """
    x = tensor(x)
    x = convert(x, accumulator_dtype(dtype_of(x)))
    return _np.sum(diagonal(x, offset=offset, axis1=axis1, axis2=axis2), axis=(ndim_of(x) - 2,), keepdims=False)


__all__ = ["diag", "diagflat", "diagonal", "trace", "tril", "triu", "vander"]
