"""Linear-algebra ops (Keras 3 `keras.ops.linalg`): factorizations, solvers, determinants, inverses and norms.

Matrices are the last two axes of a tensor; leading axes are batch axes. Integer inputs give floatx results.
float16/bfloat16 inputs are computed in float32 (the engines' factorizations need it) and cast back.
Factorizations (qr, svd, eigh) are unique only up to signs, which differ between engines: compare
reconstructions, not factors.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from kerasx.backend import _dtypes, _tree, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Tensor, TensorLike

_linalg = active.linalg
_core = active.core

__all__ = ["cholesky", "det", "eigh", "inv", "lstsq", "norm", "qr", "solve", "solve_triangular", "svd"]

NOT_SQUARE = (
    "`{name}` needs square matrices in the last two axes. Received: {argument} of shape {shape}. "
    "Pass a tensor of shape (..., M, M)."
)
NOT_MATRIX = "`{name}` needs a matrix or a batch of matrices (rank >= 2). Received: {argument} of shape {shape}."
RHS_MISMATCH = (
    "`{name}`: the right-hand side does not match the matrix. Received: a of shape {a_shape} and b of shape "
    "{b_shape}. Expected b of shape (..., {m}) or (..., {m}, K)."
)
BAD_MODE = 'Invalid QR mode. Received: mode={mode!r}. Expected "reduced" or "complete".'
BAD_NORM_ORD = "Invalid norm order for a {kind} norm. Received: ord={ord!r}. Valid orders for {kind} norms: {valid}."
BAD_NORM_AXIS = (
    "`norm` reduces one axis (vector norm) or two distinct axes (matrix norm). Received: axis={axis!r} for an "
    "input of rank {ndim}. {hint}"
)
LSTSQ_SHAPES = (
    "`lstsq` needs a of shape (M, N) and b of shape (M,) or (M, K). Received: a of shape {a_shape} and b of "
    "shape {b_shape}."
)

_HALF = ("float16", "bfloat16")
_VECTOR_ORDS = "None, a number, inf or -inf"
_MATRIX_ORDS = (None, "fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


def _result_dtype(*xs) -> str:
    return _dtypes.float_result(*(dtype_of(x) for x in xs))


def _floats(*xs):
    """Native tensors in the dtype the engines compute in, and the dtype of the result."""
    dtype = _result_dtype(*xs)
    compute = "float32" if dtype in _HALF else dtype
    return [tensor(x, compute) for x in xs], dtype


def _restore(result, dtype) -> Any:
    """Cast (every tensor of) an engine result to the op's result dtype, when the engine computed in another."""
    if dtype not in _HALF:
        return result
    return _tree.map_structure(lambda t: _core.cast(t, dtype), result)


def _check_matrix(name, shape, argument="x", square=True):
    if len(shape) < 2:
        raise ValueError(NOT_MATRIX.format(name=name, argument=argument, shape=shape))
    if square and None not in shape[-2:] and shape[-1] != shape[-2]:
        raise ValueError(NOT_SQUARE.format(name=name, argument=argument, shape=shape))


def _square_spec(name):
    def spec(x, *args, **kwargs):
        _check_matrix(name, shape_of(x))
        return KerasTensor(shape_of(x), _result_dtype(x))

    return spec


@op(_square_spec("cholesky"))
def cholesky(x: TensorLike, upper: bool = False) -> Tensor:
    """Cholesky factor of symmetric positive-definite matrices.

    Args:
        x: a tensor of shape `(..., M, M)`.
        upper: return the upper factor `U` (`U^T @ U = x`) instead of the lower factor `L` (`L @ L^T = x`).

    Returns:
        A triangular tensor of shape `(..., M, M)`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.cholesky([[4.0, 2.0], [2.0, 3.0]])).round(4)
        array([[2.    , 0.    ],
               [1.    , 1.4142]], dtype=float32)
    """
    _check_matrix("cholesky", shape_of(x))
    (x,), dtype = _floats(x)
    return _restore(_linalg.cholesky(x, upper=bool(upper)), dtype)


def _det_spec(x):
    _check_matrix("det", shape_of(x))
    return KerasTensor(shape_of(x)[:-2], _result_dtype(x))


@op(_det_spec)
def det(x: TensorLike) -> Tensor:
    """Determinants of square matrices, batched over the leading axes.

    Args:
        x: a tensor of shape `(..., M, M)`.

    Returns:
        A tensor of shape `(...)`.

    Example:
        >>> from kerasx import ops
        >>> round(float(ops.convert_to_numpy(ops.det([[1.0, 2.0], [3.0, 4.0]]))), 4)
        -2.0
    """
    _check_matrix("det", shape_of(x))
    (x,), dtype = _floats(x)
    return _restore(_linalg.det(x), dtype)


def _eigh_spec(x):
    _check_matrix("eigh", shape_of(x))
    shape, dtype = shape_of(x), _result_dtype(x)
    return KerasTensor(shape[:-1], dtype), KerasTensor(shape, dtype)


@op(_eigh_spec)
def eigh(x: TensorLike) -> tuple[Tensor, Tensor]:
    """Eigenvalues (ascending) and eigenvectors (as columns) of symmetric matrices.

    The eigenvectors are unique only up to sign, which differs between engines: compare reconstructions.

    Args:
        x: a tensor of shape `(..., M, M)`; some engines read only its lower triangle, so pass symmetric input.

    Returns:
        `(eigenvalues, eigenvectors)` of shapes `(..., M)` and `(..., M, M)`.

    Example:
        >>> from kerasx import ops
        >>> eigenvalues, eigenvectors = ops.eigh([[2.0, 0.0], [0.0, 1.0]])
        >>> ops.convert_to_numpy(eigenvalues).round(4)
        array([1., 2.], dtype=float32)
    """
    _check_matrix("eigh", shape_of(x))
    (x,), dtype = _floats(x)
    return _restore(_linalg.eigh(x), dtype)


@op(_square_spec("inv"))
def inv(x: TensorLike) -> Tensor:
    """Inverses of square matrices, batched over the leading axes.

    Args:
        x: a tensor of shape `(..., M, M)` of invertible matrices.

    Returns:
        A tensor of shape `(..., M, M)`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.inv([[2.0, 0.0], [0.0, 4.0]])).round(4)
        array([[0.5 , 0.  ],
               [0.  , 0.25]], dtype=float32)
    """
    _check_matrix("inv", shape_of(x))
    (x,), dtype = _floats(x)
    return _restore(_linalg.inv(x), dtype)


def _is_vector_rhs(a_shape, b_shape) -> bool:
    """b is a (batch of) vector(s): rank 1, or a's shape without its last axis (torch's rule, unambiguous)."""
    return len(b_shape) == 1 or (len(b_shape) == len(a_shape) - 1 and tuple(b_shape) == tuple(a_shape[:-1]))


def _solve_shape(name, a_shape, b_shape) -> tuple:
    _check_matrix(name, a_shape, "a")
    m = a_shape[-1]
    vector = _is_vector_rhs(a_shape, b_shape)
    rows = b_shape[-1] if vector else (b_shape[-2] if len(b_shape) >= 2 else None)
    if rows is not None and m is not None and rows != m:
        raise ValueError(RHS_MISMATCH.format(name=name, a_shape=a_shape, b_shape=b_shape, m=m))
    if vector:
        return _specs.broadcast_shapes(a_shape[:-2], b_shape[:-1]) + (m,)
    return _specs.broadcast_shapes(a_shape[:-2], b_shape[:-2]) + (m, b_shape[-1])


def _solve_with(name, engine_fn, a, b, **kwargs):
    _solve_shape(name, shape_of(a), shape_of(b))
    vector = _is_vector_rhs(shape_of(a), shape_of(b))
    (a, b), dtype = _floats(a, b)
    # Engines solve matrix right-hand sides only; a vector gets a trailing axis of size 1 and loses it after.
    x = engine_fn(a, b[..., None] if vector else b, **kwargs)
    return _restore(x[..., 0] if vector else x, dtype)


def _solve_spec(a, b, *args, **kwargs):
    return KerasTensor(_solve_shape("solve", shape_of(a), shape_of(b)), _result_dtype(a, b))


@op(_solve_spec)
def solve(a: TensorLike, b: TensorLike) -> Tensor:
    """The solution `x` of the linear system `a @ x = b`.

    Args:
        a: a tensor of shape `(..., M, M)` of invertible matrices.
        b: a tensor of shape `(..., M)` (vectors: rank 1, or the shape of `a` without its last axis) or
            `(..., M, K)`; its batch axes broadcast against those of `a`.

    Returns:
        A tensor shaped like `b` (with the broadcast batch axes).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.solve([[2.0, 0.0], [0.0, 4.0]], [2.0, 8.0])).round(4)
        array([1., 2.], dtype=float32)
    """
    return _solve_with("solve", _linalg.solve, a, b)


def _solve_triangular_spec(a, b, lower=False):
    return KerasTensor(_solve_shape("solve_triangular", shape_of(a), shape_of(b)), _result_dtype(a, b))


@op(_solve_triangular_spec)
def solve_triangular(a: TensorLike, b: TensorLike, lower: bool = False) -> Tensor:
    """The solution `x` of `a @ x = b` for triangular `a`; only its lower or upper triangle is read.

    Args:
        a: a tensor of shape `(..., M, M)`.
        b: a tensor of shape `(..., M)` or `(..., M, K)`, as for `solve`.
        lower: whether `a` is lower triangular (else upper).

    Returns:
        A tensor shaped like `b` (with the broadcast batch axes).

    Example:
        >>> from kerasx import ops
        >>> a = [[1.0, 0.0], [2.0, 1.0]]
        >>> ops.convert_to_numpy(ops.solve_triangular(a, [1.0, 4.0], lower=True)).round(4)
        array([1., 2.], dtype=float32)
    """
    return _solve_with("solve_triangular", _linalg.solve_triangular, a, b, lower=bool(lower))


def _lstsq_shapes(a_shape, b_shape) -> tuple:
    ranks_ok = len(a_shape) == 2 and len(b_shape) in (1, 2)
    if not ranks_ok or (None not in (a_shape[0], b_shape[0]) and a_shape[0] != b_shape[0]):
        raise ValueError(LSTSQ_SHAPES.format(a_shape=a_shape, b_shape=b_shape))
    return (a_shape[1],) + tuple(b_shape[1:])


def _lstsq_spec(a, b, rcond=None):
    return KerasTensor(_lstsq_shapes(shape_of(a), shape_of(b)), _result_dtype(a, b))


@op(_lstsq_spec)
def lstsq(a: TensorLike, b: TensorLike, rcond: float | None = None) -> Tensor:
    """The least-squares solution `x` minimizing `||a @ x - b||`.

    Args:
        a: a tensor of shape `(M, N)`.
        b: a tensor of shape `(M,)` or `(M, K)`.
        rcond: singular values below `rcond * largest` count as zero; None means machine epsilon * max(M, N).

    Returns:
        A tensor of shape `(N,)` or `(N, K)`.

    Example:
        >>> from kerasx import ops
        >>> a = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
        >>> ops.convert_to_numpy(ops.lstsq(a, [1.0, 2.0, 3.0])).round(4)
        array([1., 2.], dtype=float32)
    """
    _lstsq_shapes(shape_of(a), shape_of(b))
    vector = len(shape_of(b)) == 1
    (a, b), dtype = _floats(a, b)
    x = _linalg.lstsq(a, b[..., None] if vector else b, rcond=None if rcond is None else float(rcond))
    return _restore(x[..., 0] if vector else x, dtype)


def _norm_axis(ndim: int, ord, axis):
    """Validated `(ord, axis)`: axis None (2-norm of everything), an int (vector) or a 2-tuple (matrix)."""
    if axis is None:
        if ord is None:
            return None, None
        if ndim not in (1, 2):
            raise ValueError(
                BAD_NORM_AXIS.format(
                    axis=axis, ndim=ndim, hint="With an `ord`, pass `axis` unless the input is a vector or matrix."
                )
            )
        axis = tuple(range(ndim))
    axes = _specs.normalize_axis(axis, ndim)
    if len(axes) == 1:
        if isinstance(ord, (str, bool)) or not (ord is None or isinstance(ord, (int, float))):
            raise ValueError(BAD_NORM_ORD.format(kind="vector", ord=ord, valid=_VECTOR_ORDS))
        return ord, axes[0]
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(BAD_NORM_AXIS.format(axis=axis, ndim=ndim, hint="Pass one axis or two distinct axes."))
    if isinstance(ord, bool) or ord not in _MATRIX_ORDS:
        raise ValueError(BAD_NORM_ORD.format(kind="matrix", ord=ord, valid=_MATRIX_ORDS))
    return ord, axes


def _norm_spec(x, ord=None, axis=None, keepdims=False):
    ord, axis = _norm_axis(len(shape_of(x)), ord, axis)
    return KerasTensor(_specs.reduced_shape(shape_of(x), axis, keepdims), _result_dtype(x))


@op(_norm_spec)
def norm(
    x: TensorLike,
    ord: int | float | str | None = None,
    axis: int | tuple[int, int] | None = None,
    keepdims: bool = False,
) -> Tensor:
    """Vector or matrix norm, with the semantics of `numpy.linalg.norm`.

    Args:
        x: input tensor; integers give floatx.
        ord: for vector norms None (2-norm), any number, inf or -inf (0 counts the nonzeros); for matrix norms
            None or "fro", "nuc", 1, -1, 2, -2, inf or -inf.
        axis: None (with `ord` None: the 2-norm of all entries; with an `ord`: `x` must be a vector or a matrix),
            an int (vector norms) or a pair of ints (matrix norms).
        keepdims: keep the reduced axes with size 1.

    Returns:
        A float tensor: `x` without the reduced axes.

    Example:
        >>> from kerasx import ops
        >>> float(ops.convert_to_numpy(ops.norm([3.0, 4.0])))
        5.0
        >>> round(float(ops.convert_to_numpy(ops.norm([[1.0, 2.0], [3.0, 4.0]], ord="fro"))), 4)
        5.4772
    """
    ord, axis = _norm_axis(len(shape_of(x)), ord, axis)
    (x,), dtype = _floats(x)
    return _restore(_linalg.norm(x, ord=ord, axis=axis, keepdims=bool(keepdims)), dtype)


def _qr_shapes(shape, mode) -> tuple:
    if mode not in ("reduced", "complete"):
        raise ValueError(BAD_MODE.format(mode=mode))
    _check_matrix("qr", shape, square=False)
    m, n = shape[-2:]
    k = m if mode == "complete" else (None if None in (m, n) else min(m, n))
    return shape[:-2] + (m, k), shape[:-2] + (k, n)


def _qr_spec(x, mode="reduced"):
    q_shape, r_shape = _qr_shapes(shape_of(x), mode)
    dtype = _result_dtype(x)
    return KerasTensor(q_shape, dtype), KerasTensor(r_shape, dtype)


@op(_qr_spec)
def qr(x: TensorLike, mode: Literal["reduced", "complete"] = "reduced") -> tuple[Tensor, Tensor]:
    """QR decomposition `x = q @ r`, with orthonormal columns in `q` and an upper-triangular `r`.

    The factors are unique only up to signs, which differ between engines: compare reconstructions.

    Args:
        x: a tensor of shape `(..., M, N)`.
        mode: "reduced" (q: `(..., M, K)`, r: `(..., K, N)` with K = min(M, N)) or "complete" (q: `(..., M, M)`,
            r: `(..., M, N)`).

    Returns:
        `(q, r)`.

    Example:
        >>> from kerasx import ops
        >>> x = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
        >>> q, r = ops.qr(x)
        >>> ops.shape(q), ops.shape(r)
        ((3, 2), (2, 2))
        >>> ops.convert_to_numpy(ops.matmul(q, r)).round(4)
        array([[1., 2.],
               [3., 4.],
               [5., 6.]], dtype=float32)
    """
    _qr_shapes(shape_of(x), mode)
    (x,), dtype = _floats(x)
    return _restore(_linalg.qr(x, mode=mode), dtype)


def _svd_spec(x, full_matrices=True, compute_uv=True):
    shape = shape_of(x)
    _check_matrix("svd", shape, square=False)
    dtype = _result_dtype(x)
    m, n = shape[-2:]
    k = None if None in (m, n) else min(m, n)
    s = KerasTensor(shape[:-2] + (k,), dtype)
    if not compute_uv:
        return s
    u_cols, vh_rows = (m, n) if full_matrices else (k, k)
    return KerasTensor(shape[:-2] + (m, u_cols), dtype), s, KerasTensor(shape[:-2] + (vh_rows, n), dtype)


@op(_svd_spec)
def svd(
    x: TensorLike, full_matrices: bool = True, compute_uv: bool = True
) -> Tensor | tuple[Tensor, Tensor, Tensor]:
    """Singular value decomposition `x = u @ diag(s) @ vh`, with the singular values in descending order.

    The singular vectors are unique only up to signs, which differ between engines: compare reconstructions.

    Args:
        x: a tensor of shape `(..., M, N)`.
        full_matrices: square `u` `(..., M, M)` and `vh` `(..., N, N)`; else `(..., M, K)` and `(..., K, N)` with
            K = min(M, N).
        compute_uv: return `(u, s, vh)`; else only `s`.

    Returns:
        `(u, s, vh)`, or `s` of shape `(..., K)` with `compute_uv=False`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.svd([[3.0, 0.0], [0.0, 4.0]], compute_uv=False)).round(4)
        array([4., 3.], dtype=float32)
    """
    _check_matrix("svd", shape_of(x), square=False)
    (x,), dtype = _floats(x)
    return _restore(_linalg.svd(x, full_matrices=bool(full_matrices), compute_uv=bool(compute_uv)), dtype)
