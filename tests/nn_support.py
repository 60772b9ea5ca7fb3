"""Gradient check shared by the nn op tests (`tests/test_ops_nn*.py`)."""

from __future__ import annotations

import numpy as np

import support
from kerasx import ops


def check_gradients(fn, reference, *arrays, rtol=1e-4, atol=1e-5, seed=0, eps=1e-4):
    """Engine gradients of `fn` at float32 `arrays` equal central differences of the NumPy `reference` in float64.

    Both sides are reduced to the scalar `sum(output * weights)` with fixed random weights, so that every output
    element (and its sign) matters. The reference runs in float64, so a small step `eps` keeps the central
    difference accurate without rounding trouble. The engine side sums with `ops.moments`: the mean of
    `output * weights * count`.
    """
    arrays = [np.asarray(a, np.float32) for a in arrays]
    expected_output = np.asarray(reference(*[a.astype(np.float64) for a in arrays]))
    weights = np.random.default_rng(seed).normal(size=expected_output.shape)
    # mean(output * weights * count) is the weighted sum; folding the count into the weights saves an op.
    scaled_weights = (weights * max(weights.size, 1)).astype(np.float32)

    def engine_loss(*tensors):
        return ops.moments(fn(*tensors) * ops.convert_to_tensor(scaled_weights), axes=None)[0]

    grads = support.grad_of(engine_loss, *arrays)
    for index, grad in enumerate(grads):

        def numeric_loss(value, index=index):
            args = [a.astype(np.float64) for a in arrays]
            args[index] = value
            return float(np.sum(np.asarray(reference(*args)) * weights))

        expected = support.numeric_grad(numeric_loss, arrays[index], eps=eps)
        support.assert_close(grad, expected, rtol=rtol, atol=atol)
