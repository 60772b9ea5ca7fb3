"""PyTorch backend: whole layer and group normalizations in torch's fused kernels (one pass forward, one backward,
instead of the half-dozen elementwise ops and two reductions of the composed form)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def layer_norm(x, gamma, beta, axes, epsilon):
    return F.layer_norm(x, tuple(x.shape[len(x.shape) - len(axes):]), gamma, beta, epsilon)


def group_norm(x, groups, gamma, beta, epsilon):
    if x.ndim < 2:
        return None
    if gamma is None and beta is not None:
        # torch's backward of a bias without a weight fails ("tensor does not have a device"): a weight of ones.
        gamma = torch.ones_like(beta)
    return F.group_norm(x, groups, gamma, beta, epsilon)
