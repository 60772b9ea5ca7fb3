"""NumPy backend: activations, written as plain formulas (this backend is the oracle)."""

from __future__ import annotations

import math

import numpy as np

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805

# NumPy has no erf; math.erf is exact, and this backend favours exactness over speed.
_erf = np.vectorize(math.erf, otypes=[np.float64])


def relu(x):
    return np.maximum(x, np.zeros((), x.dtype))


def relu6(x):
    return np.clip(x, 0.0, 6.0).astype(x.dtype)


def sigmoid(x):
    # exp(-log(1 + exp(-x))) stays accurate for large |x| in both directions.
    return np.exp(-np.logaddexp(0.0, -x)).astype(x.dtype)


def sparse_sigmoid(x):
    return np.clip(0.5 * (x + 1.0), 0.0, 1.0).astype(x.dtype)


def softplus(x):
    return np.logaddexp(x, 0.0).astype(x.dtype)


def softsign(x):
    return x / (1.0 + np.abs(x))


def soft_shrink(x, threshold=0.5):
    return np.where(x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0)).astype(x.dtype)


def sparse_plus(x):
    middle = 0.25 * np.square(x + 1.0)
    return np.where(x <= -1.0, 0.0, np.where(x >= 1.0, x, middle)).astype(x.dtype)


def silu(x):
    return x * sigmoid(x)


def squareplus(x, b=4):
    return (0.5 * (x + np.sqrt(np.square(x) + b))).astype(x.dtype)


def log_sigmoid(x):
    return (-np.logaddexp(0.0, -x)).astype(x.dtype)


def leaky_relu(x, negative_slope=0.2):
    return np.where(x >= 0, x, negative_slope * x).astype(x.dtype)


def hard_sigmoid(x):
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0).astype(x.dtype)


def hard_silu(x):
    return x * hard_sigmoid(x)


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0))).astype(x.dtype)


def selu(x):
    return (SELU_SCALE * elu(x, SELU_ALPHA)).astype(x.dtype)


def gelu(x, approximate=True):
    if approximate:
        inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)
        return (0.5 * x * (1.0 + np.tanh(inner))).astype(x.dtype)
    return (0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))).astype(x.dtype)


def celu(x, alpha=1.0):
    negative = alpha * np.expm1(np.minimum(x, 0.0) / alpha)
    return (np.maximum(x, 0.0) + np.minimum(negative, 0.0)).astype(x.dtype)


def glu(x, axis=-1):
    a, b = np.split(x, 2, axis=axis)
    return a * sigmoid(b)


def tanh_shrink(x):
    return x - np.tanh(x)


def hard_tanh(x):
    return np.clip(x, -1.0, 1.0).astype(x.dtype)


def hard_shrink(x, threshold=0.5):
    return np.where(np.abs(x) > threshold, x, 0.0).astype(x.dtype)


def threshold(x, threshold, default_value):
    return np.where(x > threshold, x, default_value).astype(x.dtype)


def softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return (exps / np.sum(exps, axis=axis, keepdims=True)).astype(x.dtype)


def log_softmax(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return (shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))).astype(x.dtype)


def sparsemax(x, axis=-1):
    moved = np.moveaxis(x, axis, -1)
    ordered = -np.sort(-moved, axis=-1)
    ranks = np.arange(1, moved.shape[-1] + 1, dtype=x.dtype)
    cumulative = np.cumsum(ordered, axis=-1)
    in_support = 1.0 + ranks * ordered > cumulative
    support_size = np.sum(in_support, axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, support_size - 1, axis=-1) - 1.0) / support_size
    return np.moveaxis(np.maximum(moved - tau, 0.0), -1, axis).astype(x.dtype)
