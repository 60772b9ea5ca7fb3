"""Public attention op: scaled dot-product attention with Keras's (batch, seq, heads, head_dim) layout."""

from __future__ import annotations

import math

from kerasx.backend import _config, _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, promote_float, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Tensor, TensorLike

_nn = active.nn

BAD_ATTENTION_RANK = (
    "`dot_product_attention` takes rank-4 tensors laid out (batch, sequence, heads, head_dim). "
    "Received: query.shape={query}, key.shape={key}, value.shape={value}."
)
BAD_HEADS = (
    "`dot_product_attention`: key and value must agree on batch, length and heads, query and key on batch and "
    "head_dim, and the query heads must be a multiple of the key/value heads (grouped-query attention). "
    "Received: query.shape={query}, key.shape={key}, value.shape={value}."
)
BAD_LOGITS_OPERAND = (
    "`dot_product_attention`: `{name}` must broadcast to the attention logits (batch, heads, query_length, "
    "key_length) = {logits}. Received: {name}.shape={shape}."
)


BAD_SOFT_CAP = "`attn_logits_soft_cap` must be None or a positive number. Received: attn_logits_soft_cap={cap!r}."


def _check_soft_cap(cap):
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, (int, float)) or cap <= 0):
        raise ValueError(BAD_SOFT_CAP.format(cap=cap))


def _agree(*dims) -> bool:
    # Compared pairwise, not in a set: a symbolic size (torch.export's batch dimension) cannot be hashed.
    known = [d for d in dims if d is not None]
    return all(d == known[0] for d in known[1:])


def _check_attention(query, key, value, bias, mask):
    """Output shape; raises on inconsistent shapes."""
    q, k, v = tuple(shape_of(query)), tuple(shape_of(key)), tuple(shape_of(value))
    if not len(q) == len(k) == len(v) == 4:
        raise ValueError(BAD_ATTENTION_RANK.format(query=q, key=k, value=v))
    heads_divide = q[2] is None or k[2] is None or (k[2] > 0 and q[2] % k[2] == 0)
    consistent = _agree(q[0], k[0], v[0]) and _agree(k[1], v[1]) and _agree(k[2], v[2]) and _agree(q[3], k[3])
    if not (consistent and heads_divide):
        raise ValueError(BAD_HEADS.format(query=q, key=k, value=v))
    logits = (q[0], q[2], q[1], k[1])
    for name, operand in (("bias", bias), ("mask", mask)):
        if operand is None:
            continue
        shape = tuple(shape_of(operand))
        aligned = zip(shape[::-1], logits[::-1])
        if len(shape) > 4 or not all(d in (1, None) or n is None or d == n for d, n in aligned):
            raise ValueError(BAD_LOGITS_OPERAND.format(name=name, logits=logits, shape=shape))
    return (q[0], q[1], q[2], v[3])


def _attention_spec(
    query, key, value, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None,
    attn_logits_soft_cap=None,
):
    _check_soft_cap(attn_logits_soft_cap)
    shape = _check_attention(query, key, value, bias, mask)
    return KerasTensor(shape, _dtypes.float_result(dtype_of(query), dtype_of(key), dtype_of(value)))


@op(_attention_spec)
def dot_product_attention(
    query: TensorLike,
    key: TensorLike,
    value: TensorLike,
    bias: TensorLike | None = None,
    mask: TensorLike | None = None,
    scale: float | None = None,
    is_causal: bool = False,
    flash_attention: bool | None = None,
    attn_logits_soft_cap: float | None = None,
) -> Tensor:
    """Scaled dot-product attention: `softmax(scale * query @ key^T + bias, where mask) @ value`, per head.

    Tensors use Keras's `(batch, sequence, heads, head_dim)` layout. Key and value may have fewer heads than the
    query (grouped-query attention): query head `n` attends with key/value head
    `n // (num_heads // num_kv_heads)`.

    Args:
        query: `(batch, query_length, num_heads, head_dim)`.
        key: `(batch, key_length, num_kv_heads, head_dim)`; `num_heads` must be a multiple of `num_kv_heads`.
        value: `(batch, key_length, num_kv_heads, value_dim)`.
        bias: optional, added to the logits; broadcastable to `(batch, num_heads, query_length, key_length)`.
        mask: optional bool tensor, broadcast the same way; True marks the keys that take part.
        scale: the logit scale; None means `1 / sqrt(head_dim)`.
        is_causal: query position `t` attends only to key positions `s <= t`.
        flash_attention: None lets the engine use a fused kernel where it has one (same results), unless
            `kerasx.config.disable_flash_attention()` was called; False forbids it. (Keras 3 reads that switch in
            its attention layers; kerasx reads it here, where every attention goes through.)
        attn_logits_soft_cap: None, or a positive float c: the scaled logits are capped softly to (-c, c) with
            `c * tanh(logits / c)` before bias and mask (Keras 3 accepts it only for JAX on TPU; kerasx computes it
            on every engine).

    Returns:
        `(batch, query_length, num_heads, value_dim)`, a float tensor.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> query, key = np.ones((1, 2, 1, 4), "float32"), np.ones((1, 3, 1, 4), "float32")
        >>> value = np.arange(3, dtype="float32").reshape(1, 3, 1, 1)
        >>> ops.convert_to_numpy(ops.dot_product_attention(query, key, value)).ravel()
        array([1., 1.], dtype=float32)
        >>> ops.convert_to_numpy(ops.dot_product_attention(query, key, value, is_causal=True)).ravel()
        array([0. , 0.5], dtype=float32)
    """
    _check_attention(query, key, value, bias, mask)
    _check_soft_cap(attn_logits_soft_cap)
    query, key, value = promote_float(query, key, value)
    dtype = dtype_of(query)
    bias = None if bias is None else tensor(bias, dtype)
    mask = None if mask is None else tensor(mask, "bool")
    scale = 1.0 / math.sqrt(shape_of(query)[-1]) if scale is None else float(scale)
    soft_cap = None if attn_logits_soft_cap is None else float(attn_logits_soft_cap)
    if flash_attention is None and _config.SETTINGS.flash_attention is False:
        flash_attention = False
    return _nn.dot_product_attention(query, key, value, bias, mask, scale, bool(is_causal), flash_attention, soft_cap)


__all__ = ["dot_product_attention"]
