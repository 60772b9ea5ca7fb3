"""PyTorch backend: products, diagonals and triangles, and tensor creation."""

from __future__ import annotations

import torch

from kerasx.backend.torch.core import current_device, native_dtype


def matmul(x1, x2):
    return torch.matmul(x1, x2)


def tensordot(x1, x2, axes=2):
    return torch.tensordot(x1, x2, dims=axes if isinstance(axes, int) else [list(axes[0]), list(axes[1])])  # pyright: ignore[reportArgumentType]


def einsum(subscripts, *operands, **kwargs):
    return torch.einsum(subscripts, *operands)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2)


def diag(x, k=0):
    return torch.diag(x, diagonal=k)


def tril(x, k=0):
    return torch.tril(x, diagonal=k)


def triu(x, k=0):
    return torch.triu(x, diagonal=k)


def arange(start, stop=None, step=None, dtype=None):
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    if (stop - start) * step <= 0:
        # torch refuses empty ranges whose bounds disagree with the step's sign; NumPy returns them empty.
        return torch.empty((0,), dtype=native_dtype(dtype), device=current_device())
    return torch.arange(start, stop, step, dtype=native_dtype(dtype), device=current_device())


def zeros(shape, dtype=None):
    return torch.zeros(shape, dtype=native_dtype(dtype), device=current_device())


def ones(shape, dtype=None):
    return torch.ones(shape, dtype=native_dtype(dtype), device=current_device())


def full(shape, fill_value, dtype=None):
    return torch.broadcast_to(fill_value.to(native_dtype(dtype)), shape).clone()


def zeros_like(x, dtype=None):
    return torch.zeros_like(x, dtype=native_dtype(dtype) if dtype else x.dtype)


def ones_like(x, dtype=None):
    return torch.ones_like(x, dtype=native_dtype(dtype) if dtype else x.dtype)


def full_like(x, fill_value, dtype=None):
    dtype = native_dtype(dtype) if dtype else x.dtype
    return torch.broadcast_to(fill_value.to(dtype), x.shape).clone()


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    ones = torch.ones((N, M), dtype=torch.bool, device=current_device())
    return (torch.triu(ones, diagonal=k) & torch.tril(ones, diagonal=k)).to(native_dtype(dtype))


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    ones = torch.ones((N, M), dtype=torch.bool, device=current_device())
    return torch.tril(ones, diagonal=k).to(native_dtype(dtype))


def meshgrid(*x, indexing="xy"):
    # torch.meshgrid wants one dtype; each grid is its input broadcast along its own axis.
    sizes = [t.shape[0] for t in x]
    axes = list(range(len(x)))
    if indexing == "xy" and len(x) > 1:
        axes[0], axes[1] = 1, 0
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for t, axis in zip(x, axes):
        shape = [1] * len(x)
        shape[axis] = -1
        grids.append(torch.broadcast_to(t.reshape(shape), sizes))
    return grids


# Every function defined here is an engine op; `numpy.py` re-exports them.
__all__ = sorted(
    name
    for name, value in list(globals().items())
    if callable(value) and getattr(value, "__module__", "") == __name__ and not name.startswith("_")
)
