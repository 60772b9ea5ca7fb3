"""Gradient clipping by norm, written with kerasx ops (used by `Optimizer.apply`)."""

from __future__ import annotations

from kerasx import backend, ops


def _squared_norm(x):
    return ops.sum(ops.square(x))


def clip_by_norm(gradient, clipnorm: float):
    """`gradient` rescaled so that its L2 norm is at most `clipnorm`: `g * c / max(|g|, c)`.

    Dividing by `max(|g|, c)` instead of testing `|g| > c` keeps the result a pure expression (no branch on a
    traced value) and is exact when no clipping happens (`c / c == 1`), including for a zero gradient.
    """
    norm = ops.sqrt(_squared_norm(gradient))
    return ops.multiply(gradient, ops.divide(clipnorm, ops.maximum(norm, clipnorm)))


def clip_by_global_norm(grads: list, global_clipnorm: float) -> list:
    """All `grads` rescaled by the same factor so that their joint L2 norm is at most `global_clipnorm`."""
    dtype = backend.result_type(*[ops.dtype(g) for g in grads])
    total = ops.cast(_squared_norm(grads[0]), dtype)
    for gradient in grads[1:]:
        total = ops.add(total, ops.cast(_squared_norm(gradient), dtype))
    scale = ops.divide(global_clipnorm, ops.maximum(ops.sqrt(total), global_clipnorm))
    return [ops.multiply(g, ops.cast(scale, ops.dtype(g))) for g in grads]
