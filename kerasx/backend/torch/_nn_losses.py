"""PyTorch backend: one-hot encodings and cross-entropies (Keras semantics: probabilities clipped to epsilon)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from kerasx.backend import _config
from kerasx.backend.torch.core import native_dtype


def _encode(x, num_classes, dtype):
    # F.one_hot rejects out-of-range indices; Keras gives all-zero vectors for them.
    valid = (x >= 0) & (x < num_classes)
    encoded = F.one_hot(torch.where(valid, x, torch.zeros_like(x)).long(), num_classes)
    return (encoded * valid.unsqueeze(-1)).to(dtype)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    return _encode(x, num_classes, native_dtype(dtype)).movedim(-1, axis)


def multi_hot(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    label_axis = 1 if inputs.ndim > 1 else 0
    return torch.amax(one_hot(inputs, num_classes, axis, dtype), dim=label_axis)


def _clipped(probabilities):
    epsilon = _config.epsilon()
    return torch.clamp(probabilities, epsilon, 1.0 - epsilon)


def binary_crossentropy(target, output, from_logits=False):
    if from_logits:
        return torch.clamp_min(output, 0.0) - output * target + torch.log1p(torch.exp(-torch.abs(output)))
    p = _clipped(output)
    return -(target * torch.log(p) + (1.0 - target) * torch.log(1.0 - p))


def _log_probabilities(output, from_logits, axis):
    if from_logits:
        return torch.log_softmax(output, dim=axis)
    return torch.log(_clipped(output / torch.sum(output, dim=axis, keepdim=True)))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return -torch.sum(target * _log_probabilities(output, from_logits, axis), dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if target.ndim == output.ndim:
        target = torch.squeeze(target, dim=-1)
    # Gathering the target's log-probability costs less than a one-hot product, forward and backward; an index
    # outside [0, classes) contributes 0 as its all-zero one-hot row would.
    valid = (target >= 0) & (target < output.shape[axis])
    index = torch.where(valid, target, torch.zeros_like(target)).long().unsqueeze(-1)
    log_probabilities = _log_probabilities(output, from_logits, axis).movedim(axis, -1)
    picked = torch.gather(log_probabilities, -1, index).squeeze(-1)
    return torch.where(valid, -picked, torch.zeros_like(picked))
