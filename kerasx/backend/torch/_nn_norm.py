"""PyTorch backend: moments, batch normalization, normalize."""

from __future__ import annotations

import torch


def moments(x, axes, keepdims=False, synchronized=False):
    mean = torch.mean(x, dim=axes, keepdim=True)
    variance = torch.mean(torch.square(x - mean), dim=axes, keepdim=keepdims)
    if not keepdims:
        mean = torch.squeeze(mean, dim=axes)
    return mean, variance


def _along(parameter, axis, ndim):
    shape = [1] * ndim
    shape[axis] = -1
    return parameter.reshape(shape)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    inverse = torch.rsqrt(_along(variance, axis, x.ndim) + epsilon)
    if scale is not None:
        inverse = inverse * _along(scale, axis, x.ndim)
    result = (x - _along(mean, axis, x.ndim)) * inverse
    if offset is not None:
        result = result + _along(offset, axis, x.ndim)
    return result


def normalize(x, axis=-1, order=2, epsilon=None):
    norm = torch.sum(torch.abs(x) ** order, dim=axis, keepdim=True) ** (1.0 / order)
    return x / torch.clamp_min(norm, epsilon)  # pyright: ignore[reportArgumentType,reportCallIssue] - kerasx.ops passes a value
