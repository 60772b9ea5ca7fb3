"""Eigendecomposition of general matrices, LU factorization, and inverses built on factorizations (pseudo-inverse,
matrix rank, inverse from a Cholesky factor).

As in `_linalg`: matrices are the last two axes, integer inputs give floatx, half-precision inputs compute in
float32. Symbolic results take the dtypes of the eager ones (Keras 3.15's own rules say float32 for `eig`'s complex
results and for `lu_factor`'s int32 pivots).
"""

from __future__ import annotations

import numpy as np

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._linalg import _check_matrix, _floats, _restore, _result_dtype
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy
_linalg = active.linalg

_COMPLEX_OF = {"float32": "complex64", "float64": "complex128"}


def _eig_spec(x):
    _check_matrix("eig", shape_of(x))
    shape, dtype = shape_of(x), _COMPLEX_OF.get(_result_dtype(x), "complex64")
    return KerasTensor(shape[:-1], dtype), KerasTensor(shape, dtype)


@op(_eig_spec)
def eig(x: TensorLike) -> tuple[Tensor, Tensor]:
    """Eigenvalues and eigenvectors (as columns) of general square matrices, which may be complex.

    The eigenvalues come in no particular order and each eigenvector is unique only up to a complex factor:
    compare `x @ v` with `v * w`, not factors.

    Args:
        x: a tensor of shape `(..., M, M)`.

    Returns:
        `(eigenvalues, eigenvectors)` of shapes `(..., M)` and `(..., M, M)`, complex64 (complex128 for float64).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> eigenvalues, _ = ops.eig([[0.0, -1.0], [1.0, 0.0]])
        >>> np.sort_complex(ops.convert_to_numpy(eigenvalues)).round(4)
        array([0.-1.j, 0.+1.j], dtype=complex64)
    """
    _check_matrix("eig", shape_of(x))
    (x,), _ = _floats(x)
    return _linalg.eig(x)


def _lu_factor_spec(x):
    _check_matrix("lu_factor", shape_of(x), square=False)
    shape = shape_of(x)
    steps = None if None in shape[-2:] else min(shape[-2:])
    return KerasTensor(shape, _result_dtype(x)), KerasTensor(shape[:-2] + (steps,), "int32")


@op(_lu_factor_spec)
def lu_factor(x: TensorLike) -> tuple[Tensor, Tensor]:
    """LU factorization with partial pivoting, in LAPACK's compact form (as `scipy.linalg.lu_factor`).

    Args:
        x: a tensor of shape `(..., M, N)` (square on the tensorflow backend).

    Returns:
        `(lu, pivots)`: `lu` of shape `(..., M, N)` holds U on and above the diagonal and L (unit diagonal) below
        it; `pivots` (int32, shape `(..., min(M, N))`) says that row `i` was swapped with row `pivots[i]`, in order.

    Example:
        >>> from kerasx import ops
        >>> lu, pivots = ops.lu_factor([[1.0, 2.0], [3.0, 4.0]])
        >>> ops.convert_to_numpy(lu).round(4), ops.convert_to_numpy(pivots)
        (array([[3.    , 4.    ],
               [0.3333, 0.6667]], dtype=float32), array([1, 1], dtype=int32))
    """
    _check_matrix("lu_factor", shape_of(x), square=False)
    (x,), dtype = _floats(x)
    lu, pivots = _linalg.lu_factor(x)
    return _restore(lu, dtype), pivots


def _transposed_shape(shape):
    return tuple(shape[:-2]) + (shape[-1], shape[-2])


def _pinv_spec(x, rcond=None):
    _check_matrix("pinv", shape_of(x), square=False)
    return KerasTensor(_transposed_shape(shape_of(x)), _result_dtype(x))


def _default_rcond(shape, dtype: str) -> float:
    # NumPy's and JAX's default: singular values below max(M, N) * eps of the largest count as zero.
    return max(shape[-2:]) * float(np.finfo(_dtypes.numpy_dtype(dtype)).eps)


def _swap_last(x):
    ndim = len(shape_of(x))
    return _np.swapaxes(x, ndim - 2, ndim - 1)


@op(_pinv_spec)
def pinv(x: TensorLike, rcond: float | None = None) -> Tensor:
    """Moore-Penrose pseudo-inverse of matrices, from their singular value decomposition.

    Args:
        x: a tensor of shape `(..., M, N)`.
        rcond: singular values at most `rcond` times the largest are treated as zero; None takes
            `max(M, N) * eps` of the dtype.

    Returns:
        A tensor of shape `(..., N, M)`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.pinv([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]])).round(4)
        array([[1. , 0. , 0. ],
               [0. , 0.5, 0. ]], dtype=float32)
    """
    _check_matrix("pinv", shape_of(x), square=False)
    (x,), dtype = _floats(x)
    compute = active.core.dtype_name(x)
    cutoff = _default_rcond(shape_of(x), compute) if rcond is None else float(rcond)
    u, s, vh = _linalg.svd(x, full_matrices=False, compute_uv=True)
    largest = _np.max(s, axis=(len(shape_of(s)) - 1,), keepdims=True)
    kept = _np.greater(s, _np.multiply(largest, tensor(cutoff, compute)))
    inverse = _np.where(kept, _np.divide(_np.ones_like(s), _np.where(kept, s, _np.ones_like(s))), _np.zeros_like(s))
    scale = _np.expand_dims(inverse, (len(shape_of(inverse)) - 1,))
    result = _np.matmul(_np.multiply(_swap_last(vh), scale), _swap_last(u))
    return _restore(result, dtype)


def _matrix_rank_spec(x, tol=None):
    _check_matrix("matrix_rank", shape_of(x), square=False)
    return KerasTensor(shape_of(x)[:-2], "int32")


@op(_matrix_rank_spec)
def matrix_rank(x: TensorLike, tol: float | None = None) -> Tensor:
    """Rank of matrices: the number of singular values above a tolerance.

    Args:
        x: a tensor of shape `(..., M, N)`.
        tol: singular values at most `tol` count as zero; None takes `largest * max(M, N) * eps` of the dtype.

    Returns:
        An int32 tensor of shape `x.shape[:-2]`.

    Example:
        >>> from kerasx import ops
        >>> int(ops.convert_to_numpy(ops.matrix_rank([[1.0, 2.0], [2.0, 4.0]])))
        1
    """
    _check_matrix("matrix_rank", shape_of(x), square=False)
    (x,), _ = _floats(x)
    s = _linalg.svd(x, full_matrices=False, compute_uv=False)
    last = len(shape_of(s)) - 1
    compute = active.core.dtype_name(s)
    if tol is None:
        largest = _np.max(s, axis=(last,), keepdims=True)
        threshold = _np.multiply(largest, tensor(_default_rcond(shape_of(x), compute), compute))
    else:
        threshold = tensor(float(tol), compute)
    return tensor(_np.sum(tensor(_np.greater(s, threshold), "int32"), axis=(last,)), "int32")


def _cholesky_inverse_spec(x, upper=False):
    _check_matrix("cholesky_inverse", shape_of(x))
    return KerasTensor(shape_of(x), _result_dtype(x))


@op(_cholesky_inverse_spec)
def cholesky_inverse(x: TensorLike, upper: bool = False) -> Tensor:
    """Inverse of a symmetric positive-definite matrix given its Cholesky factor.

    Args:
        x: the factor, shape `(..., M, M)`: lower `L` with `A = L @ L^T`, or upper `U` with `A = U^T @ U`.
        upper: whether `x` is the upper factor.

    Returns:
        `inv(A)`, of shape `(..., M, M)`.

    Example:
        >>> from kerasx import ops
        >>> factor = ops.cholesky([[4.0, 2.0], [2.0, 3.0]])
        >>> ops.convert_to_numpy(ops.cholesky_inverse(factor)).round(4)
        array([[ 0.375, -0.25 ],
               [-0.25 ,  0.5  ]], dtype=float32)
    """
    _check_matrix("cholesky_inverse", shape_of(x))
    (x,), dtype = _floats(x)
    size = shape_of(x)[-1]
    identity = _np.broadcast_to(_np.eye(size, dtype=active.core.dtype_name(x)), shape_of(x))
    # inv(A) = inv(L)^T @ inv(L) for A = L @ L^T, and inv(U) @ inv(U)^T for A = U^T @ U.
    inverse_factor = _linalg.solve_triangular(x, identity, lower=not upper)
    if upper:
        result = _np.matmul(inverse_factor, _swap_last(inverse_factor))
    else:
        result = _np.matmul(_swap_last(inverse_factor), inverse_factor)
    return _restore(result, dtype)


__all__ = ["cholesky_inverse", "eig", "lu_factor", "matrix_rank", "pinv"]
