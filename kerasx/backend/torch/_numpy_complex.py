"""PyTorch backend: parts of complex tensors and complex tensors from parts."""

from __future__ import annotations

import torch


def real(x):
    # `torch.real` is a view sharing memory with `x`; a copy keeps later in-place writes apart, as in NumPy.
    return torch.real(x).clone()


def imag(x):
    return torch.imag(x).clone()


def conj(x):
    # `torch.conj` is lazy (a flag on a view); resolving it gives a tensor every torch op accepts.
    return torch.conj(x).resolve_conj()


def make_complex(real, imag):
    real, imag = torch.broadcast_tensors(real, imag)
    return torch.complex(real.contiguous(), imag.contiguous())


__all__ = ["conj", "imag", "make_complex", "real"]
