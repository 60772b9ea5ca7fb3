"""Contract of `kerasx/backend/<engine>/linalg.py`.

Inputs are float32 or float64 (the public op computes half-precision inputs in float32). Matrices are the last two
axes; leading axes are batch axes, broadcast between the two arguments of `solve` / `solve_triangular` / `lstsq`.
"""

from __future__ import annotations

from typing import Any, Protocol

Tensor = Any


class LinalgContract(Protocol):
    def cholesky(self, x, upper=False) -> Tensor:
        """Cholesky factor of symmetric positive-definite matrices: lower `L` with `L @ L^T = x`, or `L^T`."""

    def det(self, x) -> Tensor:
        """Determinants, shape `x.shape[:-2]`."""

    def eig(self, x) -> tuple:
        """`(eigenvalues (..., M), eigenvectors as columns (..., M, M))` of general square matrices, both complex
        (complex64 for float32, complex128 for float64)."""
        ...

    def eigh(self, x) -> tuple:
        """`(eigenvalues ascending (..., M), eigenvectors as columns (..., M, M))` of symmetric matrices."""
        ...

    def inv(self, x) -> Tensor:
        """Inverse of square matrices (batched over leading axes)."""

    def jvp(self, fun, primals, tangents, has_aux=False) -> tuple:
        """Forward-mode derivative: `(fun(*primals), J @ tangents)`, plus `fun`'s auxiliary output with `has_aux`
        (`fun` then returns `(output, aux)`). `primals` and `tangents` are tuples of matching tensors (or nested
        structures of them). Raises on the numpy backend (inference only)."""
        ...

    def lu_factor(self, x) -> tuple:
        """`(lu, pivots)` of an LU decomposition with partial pivoting, as LAPACK's getrf and SciPy's `lu_factor`:
        `lu` (..., M, N) holds U and the unit-diagonal L below it, `pivots` (..., min(M, N)) int32 says that row `i`
        was swapped with row `pivots[i]` (0-based), in order."""
        ...

    def lstsq(self, a, b, rcond=None) -> Tensor:
        """Least-squares solution of `a @ x = b` for `a` (M, N) and `b` (M, K); `rcond` cuts small singular values
        (None: machine epsilon times max(M, N))."""

    def norm(self, x, ord=None, axis=None, keepdims=False) -> Tensor:
        """Vector norm over one axis (`axis` an int), matrix norm over two (`axis` a 2-tuple), or the 2-norm of all
        entries (`axis` None, `ord` None). `ord` is None, a number, inf, -inf, "fro" or "nuc" (already validated)."""

    def qr(self, x, mode="reduced") -> tuple:
        """`(q, r)` with `q @ r = x`; mode "reduced" (q: (..., M, K), K = min(M, N)) or "complete" (q: (..., M, M))."""
        ...

    def slogdet(self, x) -> tuple:
        """`(sign, log(abs(det)))` of square matrices, each of shape `x.shape[:-2]`; sign 0 and log -inf for
        singular ones."""
        ...

    def solve(self, a, b) -> Tensor:
        """`x` with `a @ x = b` for `a` (..., M, M) and `b` (..., M, K) (vectors were given a trailing axis)."""

    def solve_triangular(self, a, b, lower=False) -> Tensor:
        """Like `solve`, reading only the lower (`lower=True`) or upper triangle of `a`."""

    def svd(self, x, full_matrices=True, compute_uv=True) -> Any:
        """`(u, s, vh)` with `u @ diag(s) @ vh = x`, singular values descending; only `s` when not `compute_uv`."""
