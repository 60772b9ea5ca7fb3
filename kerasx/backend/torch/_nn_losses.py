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


def one_hot(x, num_classes, axis=-1, dtype=None):
    return _encode(x, num_classes, native_dtype(dtype)).movedim(-1, axis)


def multi_hot(inputs, num_classes, axis=-1, dtype=None):
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


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if from_logits:
        log_probabilities = torch.log_softmax(output, dim=axis)
    else:
        log_probabilities = torch.log(_clipped(output / torch.sum(output, dim=axis, keepdim=True)))
    return -torch.sum(target * log_probabilities, dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if target.ndim == output.ndim:
        target = torch.squeeze(target, dim=-1)
    encoded = _encode(target, output.shape[axis], output.dtype).movedim(-1, axis)
    return categorical_crossentropy(encoded, output, from_logits, axis)
