"""NumPy backend: scaled dot-product attention."""

from __future__ import annotations

import numpy as np

from kerasx.backend.numpy._nn_activations import softmax
from kerasx.backend.numpy._nn_conv import compute_dtype


def dot_product_attention(
    query, key, value, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None,
    attn_logits_soft_cap=None,
):
    dtype = query.dtype
    query, key, value = (t.astype(compute_dtype(dtype)) for t in (query, key, value))
    batch, query_length, num_heads, head_dim = query.shape
    num_kv_heads, key_length = key.shape[2], key.shape[1]
    # Query head n reads key/value head n // group_size (grouped-query attention).
    grouped = query.reshape(batch, query_length, num_kv_heads, num_heads // num_kv_heads, head_dim)
    logits = np.einsum("btkgh,bskh->bkgts", grouped, key).reshape(batch, num_heads, query_length, key_length)
    logits = logits * scale
    if attn_logits_soft_cap is not None:
        logits = attn_logits_soft_cap * np.tanh(logits / attn_logits_soft_cap)
    if bias is not None:
        logits = logits + bias
    keep = np.ones((query_length, key_length), bool) if mask is None else mask
    if is_causal:
        keep = np.logical_and(keep, np.tril(np.ones((query_length, key_length), bool)))
    if mask is not None or is_causal:
        logits = np.where(keep, logits, np.finfo(logits.dtype).min)
    weights = softmax(logits, axis=-1)
    weights = weights.reshape(batch, num_kv_heads, num_heads // num_kv_heads, query_length, key_length)
    out = np.einsum("bkgts,bskh->btkgh", weights, value)
    return out.reshape(batch, query_length, num_heads, value.shape[-1]).astype(dtype)
