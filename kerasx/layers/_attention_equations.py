"""Einsum equations and masks shared by the multi-head attention layers, computed once at build time."""

from __future__ import annotations

import string
from collections.abc import Sequence

from kerasx import ops

_LETTERS = string.ascii_lowercase


def projection_equation(free_dims: int, bound_dims: int, output_dims: int) -> tuple:
    """`(equation, bias_axes, output_rank)` of a projection that keeps `free_dims` leading axes, contracts the next
    `bound_dims` with the kernel and appends `output_dims` kernel axes (e.g. `abc,cde->abde`)."""
    free = _LETTERS[:free_dims]
    bound = _LETTERS[free_dims : free_dims + bound_dims]
    produced = _LETTERS[free_dims + bound_dims : free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{produced}->{free}{produced}", produced, len(free) + len(produced)


def partial_shape(output_rank: int, known_last_dims) -> list:
    """An EinsumDense `output_shape` whose leading (batch-like) axes follow the input."""
    return [None] * (output_rank - len(known_last_dims)) + list(known_last_dims)


def attention_equations(rank: int, attention_axes: tuple) -> tuple:
    """`(scores_equation, combine_equation, scores_rank)` for projected tensors laid out
    `(batch, <other axes>, <attention axes>, heads, channels)`.

    The scores equation contracts the channels of key and query into `(<batch axes>, <query attention axes>,
    <key attention axes>)` (the heads axis counts as a batch axis); the combine equation weighs the values with them.
    """
    query = _LETTERS[:rank]
    batch_axes = [i for i in range(rank) if i not in attention_axes and i != rank - 1]
    key = list(query)
    next_letter = rank
    for i in range(rank):
        if i not in batch_axes and i != rank - 1:
            key[i] = _LETTERS[next_letter]
            next_letter += 1
    key = "".join(key)
    scores = "".join([query[i] for i in batch_axes] + [query[i] for i in attention_axes]
                     + [key[i] for i in attention_axes])
    return f"{key},{query}->{scores}", f"{scores},{key}->{query}", len(scores)


def causal_mask(query_length, key_length):
    """`(1, T, S)` bool: query position `t` sees key positions `s <= t`."""
    rows = ops.reshape(ops.arange(query_length, dtype="int32"), (1, query_length, 1))
    columns = ops.reshape(ops.arange(key_length, dtype="int32"), (1, 1, key_length))
    return ops.greater_equal(rows, columns)


def sliding_window_mask(query_length, key_length, window: int):
    """`(1, T, S)` bool: key positions less than `window` away from the query position, on either side."""
    rows = ops.reshape(ops.arange(query_length, dtype="int32"), (1, query_length, 1))
    columns = ops.reshape(ops.arange(key_length, dtype="int32"), (1, 1, key_length))
    return ops.less(ops.abs(ops.subtract(rows, columns)), window)


def merge_masks(query_mask, value_mask, key_mask, attention_mask, extra_masks) -> object:
    """The `(B, T, S)`-broadcastable bool mask that all given masks allow (None when none is given)."""
    merged = None
    parts = []
    if query_mask is not None:
        parts.append(ops.expand_dims(ops.cast(query_mask, "bool"), -1))
    for mask in (value_mask, key_mask):
        if mask is not None:
            parts.append(ops.expand_dims(ops.cast(mask, "bool"), -2))
    parts += extra_masks
    for part in parts:
        merged = part if merged is None else ops.logical_and(merged, part)
    if attention_mask is not None:
        attention_mask = ops.cast(attention_mask, "bool")
        merged = attention_mask if merged is None else ops.logical_and(attention_mask, merged)
    return merged


def masked_softmax(scores, mask, axes: Sequence[int]):
    """Softmax over `axes`, masked positions (False) excluded and zero, fully masked rows all zero."""
    if mask is not None:
        lowest = -3e4 if ops.dtype(scores) == "float16" else -1e9
        scores = ops.where(mask, scores, ops.cast(lowest, ops.dtype(scores)))
    if len(axes) > 1:
        weights = ops.exp(ops.subtract(scores, ops.logsumexp(scores, axis=tuple(axes), keepdims=True)))
    else:
        weights = ops.softmax(scores, axis=axes[0])
    if mask is not None:
        weights = ops.where(mask, weights, ops.zeros((), ops.dtype(weights)))
    return weights


def expand_mask(mask, target_rank: int, num_attention_axes: int):
    """Inserts the heads axis (and any missing batch axes) into a `(B, <T...>, <S...>)` mask."""
    axis = -2 * num_attention_axes - 1
    for _ in range(target_rank - len(mask.shape)):
        mask = ops.expand_dims(mask, axis)
    return mask
