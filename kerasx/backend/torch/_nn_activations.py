"""PyTorch backend: activations (torch.nn.functional where it has them)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def relu(x):
    return F.relu(x)


def relu6(x):
    return F.relu6(x)


def sigmoid(x):
    return torch.sigmoid(x)


def sparse_sigmoid(x):
    return torch.clamp(0.5 * (x + 1.0), 0.0, 1.0)


def softplus(x):
    return F.softplus(x)


def softsign(x):
    return F.softsign(x)


def soft_shrink(x, threshold=0.5):
    return F.softshrink(x, threshold)


def sparse_plus(x):
    middle = 0.25 * torch.square(x + 1.0)
    return torch.where(x <= -1.0, torch.zeros_like(x), torch.where(x >= 1.0, x, middle))


def silu(x):
    return F.silu(x)


def squareplus(x, b=4):
    return 0.5 * (x + torch.sqrt(torch.square(x) + b))


def log_sigmoid(x):
    return F.logsigmoid(x)


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(x, negative_slope)


def hard_sigmoid(x):
    return F.hardsigmoid(x)


def hard_silu(x):
    return F.hardswish(x)


def elu(x, alpha=1.0):
    return F.elu(x, alpha)


def selu(x):
    return F.selu(x)


def gelu(x, approximate=True):
    return F.gelu(x, approximate="tanh" if approximate else "none")


def celu(x, alpha=1.0):
    return F.celu(x, alpha)


def glu(x, axis=-1):
    return F.glu(x, dim=axis)


def tanh_shrink(x):
    return F.tanhshrink(x)


def hard_tanh(x):
    return F.hardtanh(x)


def hard_shrink(x, threshold=0.5):
    return F.hardshrink(x, threshold)


def threshold(x, threshold, default_value):
    return F.threshold(x, threshold, default_value)


def softmax(x, axis=-1):
    if isinstance(axis, int):
        return torch.softmax(x, dim=axis)
    # torch's fused softmax takes one dim; over several axes use the max-shifted formula.
    exps = torch.exp(x - torch.amax(x, dim=axis, keepdim=True))
    return exps / torch.sum(exps, dim=axis, keepdim=True)


def log_softmax(x, axis=-1):
    if isinstance(axis, int):
        return torch.log_softmax(x, dim=axis)
    return x - torch.logsumexp(x, dim=axis, keepdim=True)


def sparsemax(x, axis=-1):
    ordered, _ = torch.sort(x, dim=axis, descending=True)
    size = x.shape[axis]
    shape = [1] * x.ndim
    shape[axis] = size
    ranks = torch.arange(1, size + 1, dtype=x.dtype, device=x.device).reshape(shape)
    in_support = 1.0 + ranks * ordered > torch.cumsum(ordered, dim=axis)
    # The support is a prefix of the sorted values, so its sum needs no gather.
    support_size = torch.sum(in_support, dim=axis, keepdim=True).to(x.dtype)
    support_sum = torch.sum(torch.where(in_support, ordered, torch.zeros_like(ordered)), dim=axis, keepdim=True)
    return torch.clamp_min(x - (support_sum - 1.0) / support_size, 0.0)
