"""PyTorch backend: linalg ops."""

from __future__ import annotations

import torch


def _broadcast_batch(a, b):
    """`a` (..., M, M) and `b` (..., M, K) with their batch axes broadcast to one shape.

    torch reads a right-hand side with one axis fewer than `a` as a batch of vectors; equal ranks avoid that guess.
    """
    batch = torch.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    return a.expand(*batch, *a.shape[-2:]), b.expand(*batch, *b.shape[-2:])


def cholesky(x, upper=False):
    return torch.linalg.cholesky(x, upper=upper)


def det(x):
    return torch.linalg.det(x)


def eigh(x):
    eigenvalues, eigenvectors = torch.linalg.eigh(x)
    return eigenvalues, eigenvectors


def inv(x):
    return torch.linalg.inv(x)


def lstsq(a, b, rcond=None):
    # gelsd (SVD based) handles rank-deficient `a` like NumPy; it is the CPU driver. CUDA has only gels.
    driver = "gelsd" if a.device.type == "cpu" else None
    return torch.linalg.lstsq(a, b, rcond=rcond, driver=driver).solution


def norm(x, ord=None, axis=None, keepdims=False):
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


def qr(x, mode="reduced"):
    q, r = torch.linalg.qr(x, mode=mode)
    return q, r


def solve(a, b):
    return torch.linalg.solve(*_broadcast_batch(a, b))


def solve_triangular(a, b, lower=False):
    return torch.linalg.solve_triangular(*_broadcast_batch(a, b), upper=not lower)


def svd(x, full_matrices=True, compute_uv=True):
    if not compute_uv:
        return torch.linalg.svdvals(x)
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return u, s, vh


def eig(x):
    eigenvalues, eigenvectors = torch.linalg.eig(x)
    return eigenvalues, eigenvectors


def slogdet(x):
    sign, logabsdet = torch.linalg.slogdet(x)
    return sign, logabsdet


def lu_factor(x):
    lu, pivots = torch.linalg.lu_factor(x)
    # LAPACK numbers rows from 1; the contract (SciPy's convention) from 0.
    return lu, (pivots - 1).to(torch.int32)


def jvp(fun, primals, tangents, has_aux=False):
    return torch.func.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)
