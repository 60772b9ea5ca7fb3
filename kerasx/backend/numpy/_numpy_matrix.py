"""NumPy backend: products, diagonals and triangles, and tensor creation."""

from __future__ import annotations

import numpy as np

from kerasx.backend.numpy.core import native_dtype


def matmul(x1, x2):
    result = np.asarray(np.matmul(x1, x2))
    # NumPy multiplies bfloat16 (ml_dtypes) matrices in float32; the result keeps the inputs' 16-bit dtype, as on
    # the other engines (a mixed_bfloat16 layer computes in bfloat16).
    dtypes = {str(getattr(x, "dtype", "")) for x in (x1, x2)}
    if len(dtypes) == 1 and dtypes <= {"bfloat16", "float16"} and str(result.dtype) != dtypes.copy().pop():
        return result.astype(x1.dtype)
    return result


def tensordot(x1, x2, axes=2):
    return np.asarray(np.tensordot(x1, x2, axes=axes))


def einsum(subscripts, *operands, **kwargs):
    dtypes = {str(getattr(x, "dtype", "")) for x in operands}
    if "bfloat16" not in dtypes:
        return np.asarray(np.einsum(subscripts, *operands, **kwargs))
    # NumPy's einsum refuses bfloat16 (ml_dtypes): computed in float32, given back in bfloat16 when every operand
    # was bfloat16 (a mixed_bfloat16 EinsumDense or attention layer).
    widened = [np.asarray(x, "float32") if str(getattr(x, "dtype", "")) == "bfloat16" else x for x in operands]
    result = np.asarray(np.einsum(subscripts, *widened, **kwargs))
    return result.astype(operands[0].dtype) if dtypes == {"bfloat16"} else result


def diagonal(x, offset=0, axis1=0, axis2=1):
    # np.diagonal returns a read-only view; a copy behaves like every other op's result.
    return np.diagonal(x, offset=offset, axis1=axis1, axis2=axis2).copy()


def diag(x, k=0):
    return np.diag(x, k=k).copy()


def tril(x, k=0):
    return np.tril(x, k=k)


def triu(x, k=0):
    return np.triu(x, k=k)


def arange(start, stop=None, step=None, dtype=None):
    return np.arange(start, stop, step, dtype=native_dtype(dtype))


def zeros(shape, dtype=None):
    return np.zeros(shape, dtype=native_dtype(dtype))


def ones(shape, dtype=None):
    return np.ones(shape, dtype=native_dtype(dtype))


def full(shape, fill_value, dtype=None):
    return np.full(shape, fill_value, dtype=native_dtype(dtype))


def zeros_like(x, dtype=None):
    return np.zeros_like(x, dtype=native_dtype(dtype or x.dtype))


def ones_like(x, dtype=None):
    return np.ones_like(x, dtype=native_dtype(dtype or x.dtype))


def full_like(x, fill_value, dtype=None):
    return np.full(x.shape, fill_value, dtype=native_dtype(dtype or x.dtype))


def eye(N, M=None, k=0, dtype=None):
    return np.eye(N, M, k=k, dtype=native_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    return np.tri(N, M, k=k, dtype=native_dtype(dtype))


def meshgrid(*x, indexing="xy"):
    return [np.array(grid) for grid in np.meshgrid(*x, indexing=indexing)]  # pyright: ignore[reportArgumentType,reportCallIssue] - NumPy's stubs want a literal


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
